from odoo import _, api, models
from odoo.exceptions import UserError

# What a done move of a governed delivery keeps: the delivery gate decided on these.
DONE_MOVE_FIELDS = (
    "quantity",
    "product_uom_qty",
    "product_uom",
    "product_id",
    "location_id",
    "location_dest_id",
)


def _changed(records, fname, value):
    """The records of ``records`` whose ``fname`` would change if ``value`` were
    written."""
    field = records._fields[fname]
    if field.type == "many2one":
        value = value.id if hasattr(value, "id") else (value or False)
        return records.filtered(lambda r: r[fname].id != value)
    if field.type == "float":
        rounding = lambda r: (r.product_uom or r.product_id.uom_id).rounding  # noqa: E731
        if records._name == "stock.move.line":
            rounding = lambda r: (r.product_uom_id or r.product_id.uom_id).rounding  # noqa: E731
        return records.filtered(
            lambda r: abs((value or 0.0) - r[fname]) >= rounding(r) / 2
        )
    return records.filtered(lambda r: r[fname] != value)


class StockMove(models.Model):
    _inherit = "stock.move"

    def _sg_credit_governed(self):
        """The moves of ``self`` (as superuser) linked, by order line or picking, to a
        governed order."""
        moves = self.sudo().filtered(lambda m: m.sale_line_id or m.picking_id.sale_id)
        return moves.filtered(
            lambda m: m.sale_line_id.order_id.governed or m.picking_id.sale_id.governed
        )

    @api.model_create_multi
    def create(self, vals_list):
        line_ids = {
            vals["sale_line_id"]
            for vals in vals_list
            if vals.get("sale_line_id") and vals.get("state") == "done"
        }
        if line_ids:
            self._sg_credit_refuse_done_link(
                self.env["sale.order.line"].sudo().browse(line_ids)
            )
        return super().create(vals_list)

    def write(self, vals):
        if "sale_line_id" in vals:
            self._sg_credit_check_sale_line_link(vals["sale_line_id"])
        changing = [fname for fname in DONE_MOVE_FIELDS if fname in vals]
        if changing:
            done = self.filtered(lambda m: m.state == "done")
            if done:
                governed = done._sg_credit_governed()
                for fname in changing:
                    if governed and _changed(governed, fname, vals[fname]):
                        _changed(
                            governed, fname, vals[fname]
                        )._sg_credit_refuse_done_change()
        return super().write(vals)

    def _sg_credit_check_sale_line_link(self, sale_line_id):
        moves = self.sudo()
        if any(
            m.sale_line_id.order_id.governed and m.sale_line_id.id != sale_line_id
            for m in moves
        ):
            raise UserError(
                _(
                    "A stock move of an order under the sales policy stays linked to "
                    "its order line: the credit and prepayment delivery gate depends "
                    "on it."
                )
            )
        if sale_line_id and any(
            m.state == "done" and m.sale_line_id.id != sale_line_id for m in moves
        ):
            self._sg_credit_refuse_done_link(
                self.env["sale.order.line"].sudo().browse(sale_line_id)
            )

    def _sg_credit_refuse_done_link(self, sale_lines):
        orders = sale_lines.order_id.filtered("governed")
        if orders:
            raise UserError(
                _(
                    "Goods already moved cannot be linked afterwards to %(orders)s, "
                    "which is under the sales policy: they did not pass its delivery "
                    "gate. Deliver the order's goods with its own deliveries.",
                    orders=", ".join(orders.mapped("name")),
                )
            )

    def _sg_credit_refuse_done_change(self):
        raise UserError(
            _(
                "%(pickings)s delivered goods of an order under the sales policy: its "
                "done quantities, products, units and locations can no longer change "
                "(the credit and prepayment delivery gate decided on them). Create a "
                "return for goods that came back, or a new delivery for more goods.",
                pickings=", ".join(self.picking_id.mapped("name")) or _("This move"),
            )
        )
