from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SaleGovernanceLoadingWizard(models.TransientModel):
    _name = "sale.governance.loading.wizard"
    _description = "Record Loading (weighbridge re-check)"

    notice_id = fields.Many2one(
        "sale.governance.delivery.notice", required=True, readonly=True
    )
    picking_id = fields.Many2one(related="notice_id.picking_id")
    limit_type = fields.Selection(related="notice_id.limit_type")
    vehicle_plate = fields.Char(required=True)
    driver_name = fields.Char(string="Driver", required=True)
    line_ids = fields.One2many(
        "sale.governance.loading.wizard.line", "wizard_id", string="Weighed Goods"
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        notice = self.env["sale.governance.delivery.notice"].browse(
            values.get("notice_id")
        )
        if notice and "line_ids" in fields_list:
            values["line_ids"] = [
                (
                    0,
                    0,
                    {
                        "notice_line_id": line.id,
                        "qty_loaded": line.qty_loaded or line.qty_limit,
                    },
                )
                for line in notice.line_ids
            ]
            values.setdefault("vehicle_plate", notice.vehicle_plate)
            values.setdefault("driver_name", notice.driver_name)
        return values

    def action_confirm(self):
        self.ensure_one()
        if any(
            line.notice_line_id.notice_id != self.notice_id for line in self.line_ids
        ):
            raise UserError(
                _(
                    "Weighed quantities can only be recorded for the lines of the "
                    "notice."
                )
            )
        self.notice_id._sg_record_loading(
            self.vehicle_plate,
            self.driver_name,
            {line.notice_line_id: line.qty_loaded for line in self.line_ids},
        )
        return {"type": "ir.actions.act_window_close"}


class SaleGovernanceLoadingWizardLine(models.TransientModel):
    _name = "sale.governance.loading.wizard.line"
    _description = "Record Loading: weighed quantity"

    wizard_id = fields.Many2one(
        "sale.governance.loading.wizard", required=True, ondelete="cascade"
    )
    notice_line_id = fields.Many2one(
        "sale.governance.delivery.notice.line", required=True
    )
    product_id = fields.Many2one(related="notice_line_id.product_id")
    uom_id = fields.Many2one(related="notice_line_id.uom_id")
    qty_limit = fields.Float(related="notice_line_id.qty_limit")
    qty_loaded = fields.Float(
        string="Weighed Quantity", digits="Product Unit of Measure"
    )
