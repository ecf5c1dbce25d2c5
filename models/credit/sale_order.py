from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "sale.governance.protected.mixin"]

    payment_mode = fields.Selection(
        [("prepayment", "Prepayment"), ("credit", "Credit Sale")],
        default="prepayment",
        required=True,
        tracking=True,
        help="Prepayment: goods are released up to the customer's prepaid balance. "
        "Credit sale (on credit): a credit-sale application, approved by a credit "
        "controller, states what may be delivered before payment.",
    )
    credit_application_ids = fields.One2many(
        "sale.governance.credit.application",
        "order_id",
        string="Credit-Sale Applications",
    )
    credit_application_count = fields.Integer(
        compute="_compute_credit_application_count"
    )
    credit_application_state = fields.Selection(
        [
            ("none", "No Application"),
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("settled", "Settled"),
        ],
        string="Credit Application",
        compute="_compute_credit_application_count",
    )

    def _compute_credit_application_count(self):
        self.credit_application_count = 0
        self.credit_application_state = "none"
        governed = self._sg_governed()
        if not governed:
            return
        applications = self.env["sale.governance.credit.application"].search(
            [("order_id", "in", governed.ids), ("state", "!=", "cancel")]
        )
        for order in governed:
            mine = applications.filtered(lambda a, o=order: a.order_id == o)
            order.credit_application_count = len(mine)
            order.credit_application_state = mine[:1].state or "none"

    def write(self, vals):
        if "payment_mode" in vals and not self._sg_is_internal_write():
            self._sg_credit_check_payment_mode(vals["payment_mode"])
        if "partner_id" in vals:
            self._sg_credit_check_partner(vals["partner_id"])
        if vals.get("state") == "sale":
            # every confirmation path (portal signature or payment included) writes the
            # state
            self._sg_credit_check_confirmable()
        return super().write(vals)

    def _sg_credit_check_payment_mode(self, mode):
        changed = self.sudo().filtered(lambda o: o.payment_mode != mode)._sg_governed()
        if not changed:
            return
        if not self.env.user.has_group("sales_team.group_sale_salesman"):
            raise AccessError(
                _("Only salespeople choose the payment mode of a quotation.")
            )
        for order in changed:
            if order.state not in ("draft", "sent"):
                raise UserError(
                    _(
                        "Order %(order)s is confirmed: its payment mode can no longer "
                        "change. Cancel the order and set it back to quotation first.",
                        order=order.name,
                    )
                )
            if any(
                a.state in ("submitted", "approved")
                for a in order.credit_application_ids
            ):
                raise UserError(
                    _(
                        "Order %(order)s has a submitted or approved credit-sale "
                        "application: cancel it before changing the payment mode.",
                        order=order.name,
                    )
                )

    def _sg_credit_check_partner(self, partner_id):
        """The delivery gate and the application decide on the customer of a confirmed
        order."""
        moved = (
            self.sudo()
            .filtered(lambda o: o.state == "sale" and o.partner_id.id != partner_id)
            ._sg_governed()
        )
        if moved:
            raise UserError(
                _(
                    "Order %(order)s is confirmed under the sales policy: its "
                    "customer can no longer change (its credit-sale application and "
                    "prepaid balance belong to this customer). Cancel the order and "
                    "create one for the other customer.",
                    order=moved[0].name,
                )
            )

    def _sg_credit_check_confirmable(self):
        """Governed credit orders confirm only with an approved application covering
        them."""
        credit_orders = (
            self.sudo().filtered(lambda o: o.payment_mode == "credit")._sg_governed()
        )
        if credit_orders:
            applications = (
                self.env["sale.governance.credit.application"]
                .sudo()
                .search(
                    [("order_id", "in", credit_orders.ids), ("state", "=", "approved")]
                )
            )
            for order in credit_orders:
                if not applications._covers_order(order):
                    raise UserError(
                        _(
                            "Order %(order)s is a credit sale: it can be confirmed "
                            "only with an approved credit-sale application covering "
                            "all its lines (same products, the same quantities or "
                            "more in the product's base unit, same prices). File or "
                            "update the application (Credit Application button) and "
                            "have it approved, or switch the order to prepayment.",
                            order=order.name,
                        )
                    )

    def action_create_credit_application(self):
        self.ensure_one()
        if not self._sg_governed():
            raise UserError(
                _("Order %(order)s is not under the sales policy.", order=self.name)
            )
        if self.payment_mode != "credit":
            raise UserError(
                _(
                    "Order %(order)s is a prepayment order: set its payment mode to "
                    "Credit Sale before applying for credit.",
                    order=self.name,
                )
            )
        lines = self.order_line.filtered(
            lambda line: line.product_id
            and not line.display_type
            and line.product_uom_qty > 0
        )
        if not lines:
            raise UserError(
                _("Add products to order %(order)s first.", order=self.name)
            )
        application = self.env["sale.governance.credit.application"].create(
            {
                "order_id": self.id,
                "company_id": self.company_id.id,
                "responsible_id": self.user_id.id or self.env.uid,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "sale_line_id": line.id,
                            "quantity": line.product_uom_qty,
                            "price_unit": line.price_unit,
                        },
                    )
                    for line in lines
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.governance.credit.application",
            "res_id": application.id,
            "view_mode": "form",
        }

    def action_view_credit_applications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_governance.sale_governance_credit_application_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"default_order_id": self.id}
        if self.credit_application_count == 1:
            action["view_mode"] = "form"
            action["views"] = [(False, "form")]
            action["res_id"] = self.credit_application_ids.filtered(
                lambda a: a.state != "cancel"
            ).id
        return action
