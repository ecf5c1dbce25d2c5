from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import is_html_empty

from .common import ApprovalCase

# Submit + three approvals of one quotation, notifications included, each step
# counted from a cold cache: measured 129 at 10 and at 100 lines (210 before issue 13).
APPROVAL_QUERY_BUDGET = 135
# The same in one go, as the side-by-side benchmark measures it (submit, then the
# three decisions through the wizard): measured 90 here, 88 in the benchmark
# (issue 13: at most 100).
APPROVAL_ONE_GO_BUDGET = 100


@tagged("post_install", "-at_install")
class TestSalesContract(ApprovalCase):
    def test_company_defaults_fill_contract_terms(self):
        order = self._create_contract()
        self.assertEqual(order.contract_settlement_method, "Bank transfer")
        self.assertEqual(order.contract_signing_place, "Suzhou")
        self.assertEqual(order.contract_quality_standard, "GB/T 3216-2016")

    def test_completeness_lists_every_missing_item(self):
        bare = self.env["res.partner"].create(
            {"name": "Bare Customer", "is_company": True}
        )
        order = self._create_order(partner=bare, lines=[(self.product, 2.0, 0.0)])
        order.write(
            {
                "contract_quality_standard": False,
                "contract_acceptance_method": False,
                "contract_settlement_method": False,
                "contract_signing_place": False,
                "contract_dispute_resolution": False,
                "payment_term_id": False,
            }
        )
        self.company.partner_id.vat = False
        with self.assertRaises(UserError) as err:
            order.with_user(self.salesman).action_approval_submit()
        message = str(err.exception)
        for item in (
            "Customer: address",
            "Customer: phone",
            "Customer: tax ID",
            "Customer: bank account",
            "Our company: tax ID",
            "Order line Governed Product: quantity and unit price",
            "Payment terms",
            "Settlement method",
            "Delivery date",
            "Delivery address",
            "Quality standard",
            "Acceptance method",
            "Place of signing",
            "Dispute resolution",
        ):
            self.assertIn(item, message)
        self.assertNotIn("Our company: bank account", message)
        self.assertNotIn("legal name", message)
        self.assertEqual(order.approval_state, "to_submit")
        self.assertFalse(order.approval_ids)

    def test_contract_pdf_with_trail(self):
        order = self._create_contract()
        order.with_user(self.salesman).action_approval_submit()
        self._approve_all(order)
        html = self._contract_html(order)
        for text in (
            "Copy: Sales Department",
            "Copy: Finance Department",
            "Copy: Business Management Department",
            "Copy: Customer",
            self.sales_manager.name,
            self.biz_reviewer.name,
            self.executive.name,
            "CN-BUYER-0001",
            "91320500TEST0001",
            "GB/T 3216-2016",
            "Suzhou Arbitration Commission",
            "Executive in Charge",
            "Approved",
        ):
            self.assertTrue(text in html, text)
        self.assertEqual(html.count("Copy: Customer"), 1)
        # one PDF article per order (prints with any wkhtmltopdf), a new page for each
        # next copy
        self.assertEqual(html.count('data-oe-model="sale.order"'), 1)
        self.assertEqual(
            html.count("page-break-before: always"), 3, "one page per copy"
        )
        self.assertNotIn("DRAFT – NOT APPROVED", html)

    def _contract_html(self, order):
        return (
            self.env["ir.actions.report"]
            .with_user(self.salesman)
            ._render_qweb_html(
                "sale_governance.action_report_sales_contract", order.ids
            )[0]
            .decode()
        )

    def test_contract_pdf_draft_watermark(self):
        """Four copies, each marked as a draft until the approval is complete (and again
        when the content changes after it)."""
        order = self._create_contract()
        html = self._contract_html(order)
        self.assertEqual(html.count("o_sales_contract_copy"), 4)
        self.assertEqual(html.count("DRAFT – NOT APPROVED"), 4)
        order.with_user(self.salesman).action_approval_submit()
        self._approve(order, self.sales_manager)
        self.assertEqual(self._contract_html(order).count("DRAFT – NOT APPROVED"), 4)
        self._approve(order, self.biz_reviewer)
        self._approve(order, self.executive)
        self.assertNotIn("DRAFT – NOT APPROVED", self._contract_html(order))
        # Outside the policy: no approval, no watermark.
        free = self._create_contract(team=self.team_free)
        self.assertNotIn("DRAFT – NOT APPROVED", self._contract_html(free))

    def test_contract_in_customer_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        order = self._create_contract()
        self.assertIn("200.00", self._contract_html(order))
        self.customer.lang = "fr_FR"
        html = self._contract_html(order)
        self.assertIn("200,00", html, "French number format: the customer's language")
        self.assertNotIn("200.00", html)


@tagged("post_install", "-at_install", "is_query_count")
class TestApprovalQueryCount(ApprovalCase):
    def _count(self, func):
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        func()
        self.env.flush_all()
        self.env.cr.flush()
        return self.cr.sql_log_count - start

    def _run(self, n_lines, team=None):
        """Query counts of submit, each approval and confirm for an order of
        ``n_lines``."""
        order = self._create_contract(
            lines=[(self.product, 1.0, 100.0)] * n_lines, team=team
        )
        counts = {}
        if team != self.team_free:
            counts["submit"] = self._count(
                order.with_user(self.salesman).action_approval_submit
            )
            for user in (self.sales_manager, self.biz_reviewer, self.executive):
                counts[user.login] = self._count(
                    lambda user=user: order.with_user(user)._sg_approval_approve("ok")
                )
        counts["confirm"] = self._count(order.with_user(self.salesman).action_confirm)
        self.assertEqual(order.state, "sale")
        return counts

    def test_query_count_does_not_grow_with_lines(self):
        self._run(3)  # warm the caches
        self._run(3, team=self.team_free)
        small, large = self._run(10), self._run(100)
        free_small, free_large = (
            self._run(10, self.team_free),
            self._run(100, self.team_free),
        )
        for step in ("submit", "t_sales_manager", "t_biz_reviewer", "t_executive"):
            self.assertLessEqual(large[step], small[step], step)
        # Confirming: Odoo's own cost grows with the lines (stock moves); ours does not.
        overhead_small = small["confirm"] - free_small["confirm"]
        overhead_large = large["confirm"] - free_large["confirm"]
        self.assertLessEqual(
            overhead_large, overhead_small + 1, (small, large, free_small, free_large)
        )

    def test_submit_and_three_approvals_budget(self):
        """Submit + the three approvals, notifications included (batched activities and
        chatter notes): the same count at 10 and 100 lines, under the budget."""
        self._run(3)  # warm the caches
        steps = ("submit", "t_sales_manager", "t_biz_reviewer", "t_executive")
        totals = {n: sum(self._run(n)[step] for step in steps) for n in (10, 100)}
        self.assertLessEqual(totals[100], totals[10], totals)
        self.assertLessEqual(totals[10], APPROVAL_QUERY_BUDGET, totals)

    def _one_go(self, n_lines):
        order = self._create_contract(lines=[(self.product, 1.0, 100.0)] * n_lines)
        Wizard = self.env["sale.governance.approval.wizard"]

        def submit_and_approve():
            order.with_user(self.salesman).action_approval_submit()
            for user in (self.sales_manager, self.biz_reviewer, self.executive):
                Wizard.with_user(user).create(
                    {"order_ids": [Command.set(order.ids)], "decision": "approve"}
                ).action_apply()

        return order, self._count(submit_and_approve)

    def test_submit_and_three_approvals_in_one_go(self):
        """As ``make bench-peers`` measures it: at most 100 queries, the same at 10 and
        100 lines, with the same notifications (activities for each level's approvers,
        closed when the level is decided, a chatter note per step, the salesperson's
        to-do)."""
        self._one_go(3)  # warm the caches
        (small, small_count), (large, large_count) = self._one_go(10), self._one_go(100)
        self.assertLessEqual(large_count, small_count, (small_count, large_count))
        self.assertLessEqual(small_count, APPROVAL_ONE_GO_BUDGET, small_count)
        approval_type = self.env.ref(
            "sale_governance.mail_activity_data_contract_approval"
        )
        for order in (small, large):
            self.assertEqual(order.approval_state, "approved")
            self.assertFalse(
                order.activity_ids.filtered(
                    lambda a: a.activity_type_id == approval_type
                )
            )
            todo = order.activity_ids.filtered(lambda a: a.user_id == self.salesman)
            self.assertEqual(todo.summary, "Contract approved: confirm the order")
            self.assertIn(self.salesman.partner_id, order.message_partner_ids)
            notes = order.message_ids.filtered(
                lambda m: "approved by" in str(m.body) or "Submitted for" in str(m.body)
            )
            self.assertEqual(len(notes), 4, notes.mapped("body"))

    def test_assert_query_count_submit_and_approve(self):
        """The 10-line order's counts are the bound of the 100-line order's."""
        self._run(3)
        small = self._create_contract(lines=[(self.product, 1.0, 100.0)] * 10)
        large = self._create_contract(lines=[(self.product, 1.0, 100.0)] * 100)
        submit = self._count(small.with_user(self.salesman).action_approval_submit)
        approve = self._count(
            lambda: small.with_user(self.sales_manager)._sg_approval_approve()
        )
        self.assertLess(submit, 200)
        self.assertLess(approve, 250)
        self.env.invalidate_all()
        with self.assertQueryCount(submit):
            large.with_user(self.salesman).action_approval_submit()
        self.env.invalidate_all()
        with self.assertQueryCount(approve):
            large.with_user(self.sales_manager)._sg_approval_approve()


@tagged("post_install", "-at_install")
class TestApprovalPortal(ApprovalCase):
    def _portal_html(self, order):
        return str(
            self.env["ir.qweb"]._render(
                "sale.sale_order_portal_content",
                {
                    "sale_order": order.sudo(),
                    "report_type": "html",
                    "res_company": order.company_id,
                    "is_html_empty": is_html_empty,
                },
            )
        )

    def test_portal_waits_for_approval(self):
        order = self._create_contract()
        order.write({"require_signature": True, "require_payment": True})
        order.with_user(self.salesman).action_approval_submit()
        self.assertFalse(order.sudo()._has_to_be_signed())
        self.assertFalse(order.sudo()._has_to_be_paid())
        self.assertIn("o_sale_governance_approval_pending", self._portal_html(order))
        self._approve_all(order)
        self.assertTrue(order.sudo()._has_to_be_signed())
        self.assertTrue(order.sudo()._has_to_be_paid())
        self.assertNotIn("o_sale_governance_approval_pending", self._portal_html(order))
