from odoo import api, models

from .stock_move import _changed

DONE_LINE_FIELDS = (
    "quantity",
    "product_uom_id",
    "product_id",
    "location_id",
    "location_dest_id",
    "move_id",
    "picking_id",
)


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        move_ids = {vals["move_id"] for vals in vals_list if vals.get("move_id")}
        picking_ids = {
            vals["picking_id"]
            for vals in vals_list
            if vals.get("picking_id") and not vals.get("move_id")
        }
        if move_ids or picking_ids:
            moves = (
                self.env["stock.move"]
                .sudo()
                .browse(move_ids)
                .filtered(lambda m: m.state == "done")
            )
            pickings = (
                self.env["stock.picking"]
                .sudo()
                .browse(picking_ids)
                .filtered(lambda p: p.state == "done" and p.sale_id.governed)
            )
            governed = moves._sg_credit_governed()
            if governed or pickings:
                (governed or pickings.move_ids)._sg_credit_refuse_done_change()
        return super().create(vals_list)

    def write(self, vals):
        changing = [fname for fname in DONE_LINE_FIELDS if fname in vals]
        if changing:
            done = self.filtered(lambda ml: ml.state == "done")
            if done:
                governed_moves = done.move_id._sg_credit_governed()
                lines = done.sudo().filtered(
                    lambda ml: ml.move_id in governed_moves
                    or ml.picking_id.sale_id.governed
                )
                for fname in changing:
                    if lines and _changed(lines, fname, vals[fname]):
                        lines.move_id._sg_credit_refuse_done_change()
        return super().write(vals)
