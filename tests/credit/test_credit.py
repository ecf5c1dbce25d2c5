from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CreditSaleCase


@tagged("post_install", "-at_install")
class TestCreditFlow(CreditSaleCase):
    def test_full_credit_flow(self):
        order = self._credit_order(qty=10, price=100)
        self.assertEqual(order.payment_mode, "credit")
        application = self._draft_application(order, reason="Good payer")
        self.assertEqual(application.state, "draft")
        self.assertEqual(application.partner_id, self.customer)
        self.assertEqual(application.responsible_id, self.salesman)
        self.assertEqual(application.line_ids.quantity, 10)
        self.assertEqual(application.amount_total, 1000)

        application.with_user(self.sales_manager).action_submit()
        self.assertEqual(application.state, "submitted")
        self.assertEqual(application.submitted_by_id, self.sales_manager)
        self.assertTrue(application.submitted_date)

        application.with_user(self.credit_ctrl).action_approve()
        self.assertEqual(application.state, "approved")
        self.assertEqual(application.decided_by_id, self.credit_ctrl)
        self.assertTrue(application.decided_date)
        activity_users = application.activity_ids.user_id
        self.assertIn(self.clerk, activity_users)
        self.assertIn(self.accountant, activity_users)

        order.action_confirm()
        self.assertEqual(order.state, "sale")
        picking = order.picking_ids
        self.assertIn("may be", picking.credit_gate_info)
        backorder = self._ship(picking, 4)
        self.assertEqual(picking.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 4)
        self._ship(backorder, 6)
        self.assertEqual(backorder.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 10)

        invoice = self._invoice_and_pay(order)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(application.state, "settled")
        self.assertTrue(application.settled_date)
        self.assertFalse(application.amount_unpaid)

    def test_finance_roles_are_groups(self):
        """Approval gives the to-do to every active member of the Invoicing Clerk and
        Sales Accountant groups in the application's company (004 第十二条), one
        each."""
        clerks = self.env.ref("sale_governance.group_invoicing_clerk")
        accountants = self.env.ref("sale_governance.group_sales_accountant")
        elsewhere = self.env["res.company"].create({"name": "Elsewhere Ltd"})

        def member(login, group, **vals):
            return self.env["res.users"].create(
                {"name": login, "login": login, "groups_id": [Command.set(group.ids)]}
                | vals
            )

        second_clerk = member("t_clerk_2", clerks)
        both_roles = member("t_clerk_accountant", clerks | accountants)
        outsider = member(
            "t_clerk_elsewhere",
            clerks,
            company_id=elsewhere.id,
            company_ids=[Command.set(elsewhere.ids)],
        )
        retired = member("t_clerk_retired", clerks)
        retired.active = False

        order, application = self._approved_order()
        todos = application.activity_ids.filtered(
            lambda a: (a.summary or "").startswith("Credit sale approved")
        )
        for user in (self.clerk, second_clerk, both_roles, self.accountant):
            self.assertIn(user, todos.user_id)
        for user in (outsider, retired, self.salesman, self.credit_ctrl):
            self.assertNotIn(user, todos.user_id)
        self.assertEqual(len(todos), len(todos.user_id), "one to-do per person")
        self.assertLessEqual(todos.user_id, (clerks | accountants).users)
        self.assertIn(order.name, todos[0].summary)

    def test_confirm_requires_approved_application(self):
        order = self._credit_order()
        with self.assertRefused(UserError, "approved credit-sale application"):
            order.action_confirm()
        # A path that skips action_confirm (an RPC write of the state) is refused too.
        with self.assertRefused(UserError, "approved credit-sale application"):
            order.with_user(self.salesman).write({"state": "sale"})
        application = self._draft_application(order)
        with self.assertRefused(UserError, "approved credit-sale application"):
            order.action_confirm()
        application.with_user(self.sales_manager).action_submit()
        with self.assertRefused(UserError, "approved credit-sale application"):
            order.action_confirm()
        application.with_user(self.credit_ctrl).action_approve()
        # The quotation grew after the approval: the application no longer covers it.
        order.order_line.product_uom_qty = 12
        with self.assertRefused(UserError, "approved credit-sale application"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        order.order_line.product_uom_qty = 10
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_reject_needs_reason_and_can_restart(self):
        order = self._credit_order()
        application = self._draft_application(order)
        application.with_user(self.sales_manager).action_submit()
        with self.assertRefused(UserError, "reason of the rejection"):
            application.with_user(self.credit_ctrl).action_reject()
        application.with_user(
            self.credit_ctrl
        ).rejection_reason = "Customer in litigation"
        application.with_user(self.credit_ctrl).action_reject()
        self.assertEqual(application.state, "rejected")
        self.assertEqual(application.decided_by_id, self.credit_ctrl)
        with self.assertRefused(UserError, "approved credit-sale application"):
            order.action_confirm()
        application.with_user(self.salesman).action_draft()
        self.assertEqual(application.state, "draft")
        self.assertFalse(application.rejection_reason)

    def test_ungoverned_orders_unaffected(self):
        order = self._credit_order(team=self.team_free)
        self.assertFalse(order.governed)
        order.action_confirm()
        self._ship(order.picking_ids, 10)
        self.assertEqual(order.order_line.qty_delivered, 10)
        with self.assertRefused(ValidationError, "not under the sales policy"):
            self.Application.create(
                {
                    "order_id": order.id,
                    "responsible_id": self.salesman.id,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "sale_line_id": order.order_line.id,
                                "quantity": 1,
                                "price_unit": 100,
                            },
                        )
                    ],
                }
            )

    def test_report_renders(self):
        order, application = self._approved_order()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "sale_governance.action_report_credit_application", application.ids
            )[0]
            .decode()
        )
        self.assertIn(application.name, html)
        self.assertIn("Signature", html)
        self.assertIn("Credit Limit", html)
        self.assertIn(self.salesman.name, html)


@tagged("post_install", "-at_install")
class TestCreditApproval(CreditSaleCase):
    def test_approval_over_credit_limit_refused(self):
        self.company.account_use_credit_limit = True
        self.customer.with_company(self.company).credit_limit = 500
        application = self._draft_application(self._credit_order(qty=10, price=100))
        application.with_user(self.sales_manager).action_submit()
        self.assertEqual(application.exposure_credit_limit, 500)
        self.assertEqual(application.exposure_projected, 1000)
        self.assertTrue(application.exposure_blocked)
        with self.assertRefused(
            UserError, r"exceed the credit limit .* by \$\s?500.00"
        ):
            application.with_user(self.credit_ctrl).action_approve()
        self.assertEqual(application.state, "submitted")

    def test_approval_over_limit_with_justification(self):
        self.company.account_use_credit_limit = True
        self.company.credit_sale_allow_over_limit = True
        self.customer.with_company(self.company).credit_limit = 500
        application = self._draft_application(self._credit_order(qty=10, price=100))
        application.with_user(self.sales_manager).action_submit()
        with self.assertRefused(UserError, "justification"):
            application.with_user(self.credit_ctrl).action_approve()
        application.with_user(
            self.credit_ctrl
        ).override_justification = "Parent company guarantee"
        application.with_context(tracking_disable=False, mail_notrack=False).with_user(
            self.credit_ctrl
        ).action_approve()
        self.assertEqual(application.state, "approved")
        self.assertTrue(
            any(
                "Parent company guarantee" in (m.body or "")
                for m in application.message_ids
            )
        )

    def test_approval_with_overdue_application_refused(self):
        order, old = self._approved_order()
        old._sg_protected_write({"due_date": order.date_order.date()})
        with freeze_time(fields.Date.today() + timedelta(days=40)):
            self.Application._cron_credit_follow_up()
        self.assertTrue(old.is_overdue)
        application = self._draft_application(self._credit_order(qty=1, price=100))
        application.with_user(self.sales_manager).action_submit()
        self.assertEqual(application.exposure_overdue_count, 1)
        with self.assertRefused(UserError, "1 overdue credit-sale application"):
            application.with_user(self.credit_ctrl).action_approve()

    def test_exposure_counts_other_applications(self):
        self._approved_order(qty=3, price=100)
        application = self._draft_application(self._credit_order(qty=2, price=100))
        application.with_user(self.sales_manager).action_submit()
        self.assertEqual(application.exposure_other_applications, 300)
        self.assertEqual(application.exposure_projected, 500)


@tagged("post_install", "-at_install")
class TestCreditBadInput(CreditSaleCase):
    def _assert_refused(self, order, vals, message, exception=ValidationError):
        count = self.Application.search_count([])
        line_vals = {
            "sale_line_id": order.order_line.id,
            "quantity": order.order_line.product_uom_qty,
            "price_unit": order.order_line.price_unit,
        }
        line_vals.update(vals.pop("line", {}))
        base = {
            "order_id": order.id,
            "responsible_id": self.salesman.id,
            "due_date": fields.Date.today() + timedelta(days=30),
            "line_ids": [(0, 0, line_vals)],
        }
        base.update(vals)
        with self.assertRefused(exception, message):
            self.Application.with_user(self.salesman).create(base)
        self.assertEqual(
            self.Application.search_count([]), count, "nothing saved half-way"
        )

    def test_bad_inputs_refused(self):
        order = self._credit_order(qty=10, price=100)
        self._assert_refused(
            order,
            {"due_date": order.date_order.date() - timedelta(days=1)},
            "before the order date",
        )
        self._assert_refused(order, {"line": {"quantity": 11}}, "above the order's")
        self._assert_refused(
            order, {"line": {"price_unit": 90}}, "differs from the order's"
        )
        self._assert_refused(order, {"line": {"quantity": 0}}, "must be positive")
        self._assert_refused(order, {"line": {"quantity": -2}}, "must be positive")
        self._assert_refused(order, {"line": {"price_unit": -100}}, "must be positive")
        self._assert_refused(order, {"responsible_id": False}, "responsible person")
        self._assert_refused(order, {"line_ids": []}, "must be positive")
        prepaid = self._credit_order(mode="prepayment")
        self._assert_refused(prepaid, {}, "prepayment order")
        with self.assertRefused(UserError, "prepayment order"):
            prepaid.with_user(self.salesman).action_create_credit_application()

    def test_draft_edit_validated_and_locked_after_submit(self):
        application = self._draft_application(self._credit_order(qty=10, price=100))
        with self.assertRefused(ValidationError, "above the order's"):
            application.line_ids.with_user(self.salesman).quantity = 20
        application.line_ids.with_user(self.salesman).quantity = 6
        self.assertEqual(application.amount_total, 600)
        with self.assertRefused(ValidationError, "responsible person"):
            application.with_user(self.salesman).responsible_id = False
        application.with_user(self.sales_manager).action_submit()
        with self.assertRefused(UserError, "no longer a draft"):
            application.line_ids.with_user(self.sales_manager).quantity = 10
        with self.assertRefused(UserError, "no longer a draft"):
            application.with_user(self.sales_manager).due_date = (
                fields.Date.today() + timedelta(days=90)
            )
        with self.assertRefused(
            UserError, "Only draft credit-sale applications can be deleted"
        ):
            application.with_user(self.sales_manager).unlink()
        with self.assertRefused(UserError, "no longer a draft"):
            application.line_ids.with_user(self.sales_manager).unlink()
        self.assertEqual(len(application.line_ids), 1)

    def test_one_open_application_per_order(self):
        order = self._credit_order()
        self._draft_application(order)
        with self.assertRefused(ValidationError, "already has an open"):
            self._draft_application(order)
