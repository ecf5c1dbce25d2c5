from odoo import api, fields, models

from .product_template import check_quality_config_access


class StockPickingType(models.Model):
    _inherit = "stock.picking.type"

    sg_inspection_required = fields.Boolean(
        string="Quality Inspection",
        compute="_compute_sg_inspection_required",
        store=True,
        readonly=False,
        precompute=True,
        help="Transfers of this type wait for the quality inspection of the goods "
        "that need one (default: receipts). Goods from a vendor or production "
        "location into stock are inspected whatever operation type carries them.",
    )
    sg_production_receipt = fields.Boolean(
        string="Production Receipt",
        help="Finished goods of our own production: they are inspected by the joint "
        "inspection group, wait in the warehouse's location awaiting inspection and "
        "are booked into stock on the result.",
    )

    @api.depends("code", "sg_production_receipt")
    def _compute_sg_inspection_required(self):
        for picking_type in self:
            picking_type.sg_inspection_required = (
                picking_type.code == "incoming" or picking_type.sg_production_receipt
            )

    def write(self, vals):
        check_quality_config_access(self.env, vals)
        return super().write(vals)
