from odoo import _, models

# A change of these on a covered line makes the credit feature check the coverage again.
COVERED_FIELDS = ("product_id", "product_uom_qty", "product_uom", "price_unit")


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def write(self, vals):
        changing = [fname for fname in COVERED_FIELDS if fname in vals]
        orders = self.env["sale.order"]
        if changing:
            orders = (
                self.sudo().order_id.filtered(
                    lambda o: o.state == "sale" and o.payment_mode == "credit"
                )
            )._sg_governed()
        res = super().write(vals)
        if orders:
            self._sg_credit_recheck_coverage(orders)
        return res

    def _sg_credit_recheck_coverage(self, orders):
        """Tell the order and its application when a confirmed credit order left its
        coverage.

        The delivery gate already ships no more than approved, in the product's base
        unit (10 Units approved are not 10 Dozens); this says so where the salesperson
        and the credit controller look, so that the rest gets a new application or is
        taken back.
        """
        applications = (
            self.env["sale.governance.credit.application"]
            .sudo()
            .search(
                [
                    ("order_id", "in", orders.ids),
                    ("state", "in", ("approved", "settled")),
                ]
            )
        )
        for order in orders:
            if applications._covers_order(order):
                continue
            body = _(
                "The order lines changed after the credit-sale approval: the approved "
                "application(s) %(apps)s no longer cover the order (quantities in the "
                "product's base unit). Only what was approved will ship; file a new "
                "credit-sale application for the rest, or reduce the order.",
                apps=", ".join(
                    applications.filtered(lambda a, o=order: a.order_id == o).mapped(
                        "name"
                    )
                )
                or _("(none)"),
            )
            order.sudo().message_post(body=body)
            applications.filtered(lambda a, o=order: a.order_id == o).message_post(
                body=body
            )
