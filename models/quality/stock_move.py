from odoo import api, fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    sg_inspection_state = fields.Selection(
        [("todo", "To Inspect"), ("pass", "Passed"), ("partial", "Partially Accepted"),
         ("fail", "Failed")],
        string="Inspection",
        compute="_compute_sg_inspection_state",
    )

    @api.depends("picking_id.sg_inspection_ids.state", "picking_id.sg_inspection_ids.result",
                 "product_id")
    def _compute_sg_inspection_state(self):
        # the pickings' inspections are read once for all moves (one2many prefetch)
        for move in self:
            inspections = move.picking_id.sg_inspection_ids.filtered(
                lambda i, m=move: i.product_id == m.product_id and i.state != "cancel"
            )
            if not inspections:
                move.sg_inspection_state = False
            elif any(i.state == "todo" for i in inspections):
                move.sg_inspection_state = "todo"
            else:
                results = set(inspections.mapped("result"))
                move.sg_inspection_state = (
                    results.pop() if len(results) == 1 else "partial"
                )

    def _action_assign(self, force_qty=False):
        res = super()._action_assign(force_qty=force_qty)
        self.picking_id._sg_create_inspections()
        return res
