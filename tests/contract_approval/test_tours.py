"""Browser tour: the salesperson submits a quotation for approval in the quotation form
and the three levels approve it there, each as the real user (static/tests/tours/)."""

from odoo.tests import HttpCase, tagged

from .common import ApprovalCase


@tagged("post_install", "-at_install", "is_tour")
class TestApprovalTours(ApprovalCase, HttpCase):
    def test_submit_and_three_levels_approve(self):
        order = self._create_contract()
        self.assertEqual(order.approval_state, "to_submit")
        url = f"/odoo/sale.order/{order.id}"
        self._sg_run_tour(url, "sale_governance_approval_submit", "t_sales_rep")
        self.assertEqual(order.approval_state, "waiting")
        approvers = self.sales_manager | self.biz_reviewer | self.executive
        for approver in approvers:
            self._sg_run_tour(url, "sale_governance_approval_approve", approver.login)
        self.assertEqual(order.approval_state, "approved")
        decided = order.approval_ids.sorted("sequence")
        self.assertEqual(decided.mapped("state"), ["approved"] * 3)
        self.assertEqual([a.user_id for a in decided], list(approvers))
        self.assertEqual(
            set(decided.mapped("comment")), {"Checked in the browser tour"}
        )
        # approved: the salesperson confirms it as in core
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
