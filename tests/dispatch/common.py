from odoo.tests import Form, new_test_user

from ..common import SaleGovernanceCase


class DispatchCase(SaleGovernanceCase):
    """The shipping chain's roles, stock, and helpers for prepaid and credit
    deliveries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"sg_delivery_notice_required": True, "sg_delivery_notice_validity_days": 0}
        )
        user = lambda login, groups: new_test_user(  # noqa: E731
            cls.env, login=login, groups=groups, company_id=cls.company.id
        )
        cls.clerk = user("t_dn_clerk", "sale_governance.group_invoicing_clerk")
        cls.accountant = user(
            "t_dn_accountant", "sale_governance.group_sales_accountant"
        )
        cls.dispatcher = user("t_dn_dispatcher", "sale_governance.group_dispatcher")
        cls.guard = user("t_dn_guard", "sale_governance.group_gate_guard")
        cls.product.write({"taxes_id": [(5, 0, 0)], "invoice_policy": "delivery"})
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 10000.0
        )
        cls.Notice = cls.env["sale.governance.delivery.notice"]
        cls.GatePass = cls.env["sale.governance.gate.pass"]

    @classmethod
    def _order(cls, qty=10.0, price=100.0, team=None, products=None):
        lines = (
            [(p, qty, price) for p in products]
            if products
            else [(cls.product, qty, price)]
        )
        order = cls._create_order(lines=lines, team=team)
        order.order_line.tax_id = False
        return order

    def _prepaid_delivery(self, qty=10.0, price=100.0, paid=None, team=None):
        order = self._order(qty, price, team=team)
        order.action_confirm()
        if paid:
            self._customer_payment(paid)
        return order, order.picking_ids

    def _credit_delivery(self, qty=10.0, price=100.0):
        order = self._order(qty, price)
        order.with_user(self.salesman).payment_mode = "credit"
        action = order.with_user(self.salesman).action_create_credit_application()
        application = self.env["sale.governance.credit.application"].browse(
            action["res_id"]
        )
        application.with_user(self.sales_manager).action_submit()
        application.with_user(self.credit_ctrl).action_approve()
        order.action_confirm()
        return order, order.picking_ids

    def _issue(self, picking, user=None):
        picking.with_user(user or self.clerk).action_sg_issue_delivery_notice()
        return picking.sg_notice_id

    def _load(
        self, picking, quantities=None, plate="ZJ-E 88888", driver="Li Ming", user=None
    ):
        """The dispatcher's Record Loading wizard; ``quantities``: {product: weighed
        qty}."""
        user = user or self.dispatcher
        action = picking.with_user(user).action_sg_record_loading()
        form = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        form.vehicle_plate = plate
        form.driver_name = driver
        if quantities is not None:
            for index in range(len(form.line_ids)):
                with form.line_ids.edit(index) as line:
                    if line.product_id in quantities:
                        line.qty_loaded = quantities[line.product_id]
        wizard = form.save()
        wizard.action_confirm()
        return picking.sg_notice_id

    def _validate(self, picking, user=None, backorder=True):
        picking = picking.with_user(user or self.warehouse_user)
        result = picking.button_validate()
        if (
            isinstance(result, dict)
            and result.get("res_model") == "stock.backorder.confirmation"
        ):
            wizard = Form(
                self.env["stock.backorder.confirmation"]
                .with_user(user or self.warehouse_user)
                .with_context(**result["context"])
            ).save()
            wizard.process() if backorder else wizard.process_cancel_backorder()
        return picking

    def _done_with_pass(self, qty=10.0, price=100.0):
        order, picking = self._prepaid_delivery(qty, price, paid=qty * price)
        self._issue(picking)
        self._load(picking)
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        return picking, picking.sg_gate_pass_ids
