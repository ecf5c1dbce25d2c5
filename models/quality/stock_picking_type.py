from odoo import api, fields, models


class StockPickingType(models.Model):
    _inherit = "stock.picking.type"

    sg_inspection_required = fields.Boolean(
        string="Quality Inspection",
        compute="_compute_sg_inspection_required",
        store=True,
        readonly=False,
        precompute=True,
        help="Transfers of this type wait for the quality inspection of the goods that need one "
        "before they can be validated (default: receipts).",
    )

    @api.depends("code")
    def _compute_sg_inspection_required(self):
        for picking_type in self:
            picking_type.sg_inspection_required = picking_type.code == "incoming"
