"""Browser tour: a credit-sale application from the quotation to approved, each step by
the real role in the standard screens, then the delivery refused above the approved
quantity and shipped within it by the warehouse (static/tests/tours/)."""

from odoo.tests import HttpCase, tagged

from .common import CreditSaleCase


@tagged("post_install", "-at_install", "is_tour")
class TestCreditTours(CreditSaleCase, HttpCase):
    def test_application_to_approved_then_delivery_within_the_limit(self):
        order = self._credit_order(qty=10, price=100)
        self._sg_run_tour(
            f"/odoo/sale.order/{order.id}",
            "sale_governance_credit_apply",
            "t_sales_rep",
        )
        application = self.Application.search([("order_id", "=", order.id)])
        self.assertEqual(application.state, "draft")
        self.assertEqual(application.line_ids.quantity, 10)
        self.assertEqual(
            application.reason, "Seasonal order of a long-standing customer"
        )
        url = f"/odoo/sale.governance.credit.application/{application.id}"
        self._sg_run_tour(url, "sale_governance_credit_submit", "t_sales_manager")
        self.assertEqual(application.state, "submitted")
        self.assertEqual(application.submitted_by_id, self.sales_manager)
        self._sg_run_tour(url, "sale_governance_credit_approve", "t_credit_ctrl")
        self.assertEqual(application.state, "approved")
        self.assertEqual(application.decided_by_id, self.credit_ctrl)

        order.with_user(self.salesman).action_confirm()
        delivery = order.picking_ids
        self.assertEqual(delivery.state, "assigned")
        self._sg_run_tour(
            f"/odoo/stock.picking/{delivery.id}",
            "sale_governance_credit_delivery",
            "t_warehouse",
        )
        self.assertEqual(delivery.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 10)
        self.assertFalse(delivery.backorder_ids)
