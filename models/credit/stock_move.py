from odoo import _, models
from odoo.exceptions import UserError


class StockMove(models.Model):
    _inherit = "stock.move"

    def write(self, vals):
        bypass = self.env.su and self.env.context.get("credit_gate_bypass")
        if "sale_line_id" in vals and not bypass:
            if any(
                m.sale_line_id.order_id.governed and m.sale_line_id.id != vals["sale_line_id"]
                for m in self
            ):
                raise UserError(
                    _(
                        "A stock move of an order under the sales policy stays linked to its "
                        "order line: the credit and prepayment delivery gate depends on it."
                    )
                )
        return super().write(vals)
