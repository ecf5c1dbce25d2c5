import logging
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..common import ATTACK_CONTEXT
from .common import DispatchCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestDispatchChain(DispatchCase):
    def test_prepaid_chain_notice_weighing_pass_exit(self):
        order, picking = self._prepaid_delivery(qty=10, price=100, paid=500)
        self.assertTrue(picking.sg_notice_required)
        notice = self._issue(picking)
        self.assertRegex(notice.name, r"^DN/\d{4}/\d{5}$")
        self.assertEqual(notice.state, "issued")
        self.assertEqual(notice.limit_type, "amount")
        self.assertEqual(notice.amount_limit, 500)
        self.assertEqual(notice.valid_until, fields.Date.context_today(notice))
        self.assertEqual(notice.issued_by_id, self.clerk)
        self.assertEqual(notice.partner_id, self.customer)
        self.assertEqual(notice.order_id, order)
        self.assertEqual(notice.line_ids.qty_ordered, 10)
        self.assertEqual(
            notice.line_ids.qty_limit, 5, "500 prepaid pays 5 units at 100"
        )
        # The weighbridge: 4.5 units actually weighed; value 450 within the balance.
        self._load(picking, {self.product: 4.5}, plate="ZJ-E 12345", driver="Zhang San")
        self.assertEqual(notice.state, "loaded")
        self.assertEqual(notice.amount_loaded, 450)
        self.assertEqual(notice.collect_state, "none")
        self.assertEqual(picking.move_ids.quantity, 4.5)
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(notice.state, "done")
        # Products sold by weight: the weighed quantity is what is delivered and
        # invoiced.
        self.assertEqual(order.order_line.qty_delivered, 4.5)
        self.assertEqual(order.order_line.qty_to_invoice, 4.5)
        gate_pass = picking.sg_gate_pass_ids
        self.assertEqual(len(gate_pass), 1)
        self.assertRegex(gate_pass.name, r"^GP/\d{4}/\d{5}$")
        self.assertEqual(gate_pass.state, "valid")
        self.assertEqual(
            (gate_pass.vehicle_plate, gate_pass.driver_name),
            ("ZJ-E 12345", "Zhang San"),
        )
        self.assertTrue(gate_pass.token)
        # The guard lets it out once.
        self.assertFalse(gate_pass.with_user(self.guard)._sg_refusal())
        gate_pass.with_user(self.guard).action_sg_record_exit()
        self.assertEqual(gate_pass.state, "used")
        self.assertEqual(gate_pass.exit_by_id, self.guard)
        self.assertEqual(gate_pass.exit_day, fields.Date.context_today(gate_pass))
        with self.assertUnchanged(gate_pass, ["state", "exit_date", "exit_by_id"]):
            with self.assertRefused(UserError, "already used.*valid once"):
                gate_pass.with_user(self.guard).action_sg_record_exit()
        # The backorder needs a notice of its own.
        backorder = picking.backorder_ids
        self.assertEqual(backorder.move_ids.product_uom_qty, 5.5)
        with self.assertRefused(UserError, "no delivery notice"):
            self._validate(backorder)

    def test_credit_chain_never_above_approved(self):
        order, picking = self._credit_delivery(qty=10, price=100)
        notice = self._issue(picking)
        self.assertEqual(notice.limit_type, "quantity")
        self.assertEqual(notice.line_ids.qty_limit, 10)
        with (
            self.assertUnchanged(notice, ["state", "vehicle_plate"]),
            self.assertUnchanged(notice.line_ids, ["qty_loaded"]),
        ):
            with self.assertRefused(
                UserError, "loading limit is 10.0.*never ship more than approved"
            ):
                self._load(picking, {self.product: 12})
        self._load(picking, {self.product: 10})
        self._validate(picking)
        self.assertEqual(order.order_line.qty_delivered, 10)
        self.assertEqual(picking.sg_gate_pass_ids.state, "valid")

    def test_credit_loaded_more_than_approved_is_refused_at_validation(self):
        order, picking = self._credit_delivery(qty=10, price=100)
        self._issue(picking)
        self._load(picking, {self.product: 8})
        # The warehouse raises the quantity after the weighing: refused, nothing done.
        picking.move_ids.quantity = 9
        with self.assertRefused(UserError, "would ship 9.0 .*8.0 .*were weighed"):
            self._validate(picking)
        self.assertEqual(picking.state, "assigned")
        self.assertFalse(picking.sg_gate_pass_ids)

    def test_no_notice_no_loading_refused(self):
        order, picking = self._prepaid_delivery(qty=2, price=100, paid=1000)
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        with self.assertRefused(UserError, r"no delivery notice.*invoicing clerk"):
            self._validate(picking)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(order.order_line.qty_delivered, 0)
        self._issue(picking)
        with self.assertRefused(UserError, "has not recorded the loading"):
            self._validate(picking)
        self.assertEqual(picking.state, "assigned")

    def test_expired_notice_refused_and_reissued(self):
        order, picking = self._prepaid_delivery(qty=2, price=100, paid=1000)
        notice = self._issue(picking)
        with freeze_time(fields.Date.today() + timedelta(days=1)):
            with self.assertRefused(UserError, "no valid delivery notice"):
                picking.with_user(self.dispatcher).action_sg_record_loading()
            with self.assertRefused(UserError, "expired"):
                self._validate(picking)
            # The clerk issues a new one: the expired one is cancelled.
            new_notice = self._issue(picking)
            self.assertNotEqual(new_notice, notice)
            self.assertEqual(notice.state, "cancel")
            self._load(picking)
            self._validate(picking)
        self.assertEqual(picking.state, "done")

    def test_second_valid_notice_refused(self):
        order, picking = self._prepaid_delivery(qty=2, price=100, paid=1000)
        notice = self._issue(picking)
        with self.assertRefused(UserError, "already has the valid delivery notice"):
            self._issue(picking)
        self.assertEqual(self.Notice.search_count([("picking_id", "=", picking.id)]), 1)
        notice.with_user(self.clerk).action_cancel()
        self.assertEqual(notice.state, "cancel")
        self.assertNotEqual(self._issue(picking), notice)

    def test_zero_loading_limit_refused(self):
        order, picking = self._prepaid_delivery(qty=2, price=100)
        with self.assertRefused(
            UserError, "loading limit .* is zero.*collect a payment"
        ):
            self._issue(picking)
        self.assertFalse(self.Notice.search([("picking_id", "=", picking.id)]))
        # Less than the UoM's rounding (0.01 Units) paid for: still zero.
        self._customer_payment(0.4)
        with self.assertRefused(UserError, "is zero"):
            self._issue(picking)

    def test_credit_zero_limit_says_apply_for_credit(self):
        order, picking = self._credit_delivery(qty=5, price=100)
        self._issue(picking)
        self._load(picking)
        self._validate(picking)
        # Everything approved is shipped: a new delivery of the same order has nothing
        # left.
        order.order_line.product_uom_qty = 7
        backorder = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        with self.assertRefused(UserError, "is zero.*apply for \\(more\\) credit"):
            self._issue(backorder)

    def test_weighed_above_balance_to_collect_then_paid(self):
        order, picking = self._prepaid_delivery(qty=10, price=100, paid=500)
        notice = self._issue(picking)
        notice = self._load(picking, {self.product: 7})
        self.assertEqual(notice.collect_state, "to_collect")
        self.assertEqual(notice.amount_to_collect, 200)
        self.assertIn(
            notice,
            self.Notice.with_user(self.accountant).search(
                [("collect_state", "=", "to_collect")]
            ),
        )
        # Finance (accountant) is notified on the delivery.
        message = picking.message_ids.filtered(
            lambda m: "To collect before exit" in str(m.body)
        )
        self.assertIn(self.accountant.partner_id, message.partner_ids)
        with self.assertRefused(
            UserError, r"To collect before exit.*pays \$\s?200.00 at finance"
        ):
            self._validate(picking)
        self.assertEqual(picking.state, "assigned")
        # Only finance registers the top-up: the dispatcher cannot.
        with self.assertRefused(AccessError):
            self.env["account.payment"].with_user(self.dispatcher).create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.id,
                    "amount": 200,
                }
            )
        payment = (
            self.env["account.payment"]
            .with_user(self.accountant)
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.id,
                    "amount": 200,
                    "journal_id": self.bank_journal.id,
                }
            )
        )
        payment.action_post()
        self.assertEqual(notice.collect_state, "collected")
        self.assertEqual(notice.amount_to_collect, 0)
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 7)

    def test_ungoverned_delivery_untouched(self):
        order, picking = self._prepaid_delivery(qty=3, price=100, team=self.team_free)
        self.assertFalse(picking.sg_notice_required)
        with self.assertRefused(UserError, "not a delivery under the sales policy"):
            self._issue(picking)
        picking.move_ids.quantity = 3
        picking.move_ids.picked = True
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.sg_gate_pass_ids)

    def test_multistep_only_the_step_to_the_customer_needs_a_notice(self):
        self.warehouse.delivery_steps = "pick_ship"
        order, pickings = self._prepaid_delivery(qty=2, price=100, paid=1000)
        pick = pickings.filtered(lambda p: p.location_dest_id.usage != "customer")
        self.assertFalse(pick.sg_notice_required)
        pick.move_ids.quantity = 2
        pick.move_ids.picked = True
        self._validate(pick)
        self.assertEqual(pick.state, "done")
        ship = order.picking_ids.filtered(
            lambda p: p.location_dest_id.usage == "customer"
        )
        self.assertTrue(ship.sg_notice_required)
        with self.assertRefused(UserError, "no delivery notice"):
            ship.move_ids.quantity = 2
            ship.move_ids.picked = True
            self._validate(ship)
        self._issue(ship)
        self._load(ship)
        self._validate(ship)
        self.assertEqual(ship.state, "done")
        self.assertEqual(len(ship.sg_gate_pass_ids), 1)
        with self.assertRefused(UserError, "not done"):
            self._issue(ship)

    def test_setting_off_governed_delivery_needs_no_notice(self):
        self.company.sg_delivery_notice_required = False
        order, picking = self._prepaid_delivery(qty=2, price=100, paid=1000)
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        self._validate(picking)
        self.assertEqual(picking.state, "done")


@tagged("post_install", "-at_install")
class TestDispatchAccess(DispatchCase):
    def test_only_clerks_issue_notices(self):
        order, picking = self._prepaid_delivery(qty=2, price=100, paid=1000)
        for user in (
            self.salesman,
            self.dispatcher,
            self.guard,
            self.warehouse_user,
            self.accountant,
            self.credit_ctrl,
        ):
            with self.assertRefused(UserError):
                picking.with_user(user).with_context(
                    **ATTACK_CONTEXT
                ).action_sg_issue_delivery_notice()
        self.assertFalse(self.Notice.search([("picking_id", "=", picking.id)]))
        # Nobody creates a notice directly, with any context.
        for user in (self.clerk, self.warehouse_user, self.gov_admin):
            with self.assertRefused(UserError):
                self.Notice.with_user(user).with_context(**ATTACK_CONTEXT).create(
                    {
                        "picking_id": picking.id,
                        "company_id": self.company.id,
                        "state": "loaded",
                    }
                )
        self.assertFalse(self.Notice.search([("picking_id", "=", picking.id)]))

    def test_only_dispatchers_record_loading(self):
        order, picking = self._prepaid_delivery(qty=2, price=100, paid=1000)
        notice = self._issue(picking)
        fields_ = ["state", "vehicle_plate", "driver_name", "amount_loaded"]
        for user in (self.clerk, self.warehouse_user, self.guard, self.accountant):
            with self.assertUnchanged(notice, fields_), self.assertRefused(UserError):
                self._load(picking, user=user)
            with self.assertUnchanged(notice, fields_), self.assertRefused(UserError):
                notice.with_user(user).with_context(
                    **ATTACK_CONTEXT
                )._sg_record_loading("X", "Y", {notice.line_ids: 2})
        # Direct writes (what an RPC client sends) are refused, also to the clerk who
        # may edit notes.
        for user in (self.clerk, self.dispatcher, self.warehouse_user, self.gov_admin):
            with self.assertUnchanged(notice, fields_), self.assertRefused(UserError):
                notice.with_user(user).with_context(**ATTACK_CONTEXT).write(
                    {"state": "loaded", "vehicle_plate": "FAKE"}
                )
            with (
                self.assertUnchanged(notice.line_ids, ["qty_limit"]),
                self.assertRefused(UserError),
            ):
                notice.line_ids.with_user(user).with_context(**ATTACK_CONTEXT).write(
                    {"qty_limit": 999}
                )
        notice.with_user(self.clerk).note = "Customer's truck arrives at 14:00"
        self.assertEqual(notice.note, "Customer's truck arrives at 14:00")

    def test_only_guards_record_exits(self):
        picking, gate_pass = self._done_with_pass(qty=2)
        # The guard reads the pass, its delivery and goods (read-only), nothing more.
        guard_pass = gate_pass.with_user(self.guard)
        guard_pass.read(
            [
                "name",
                "picking_id",
                "partner_id",
                "vehicle_plate",
                "driver_name",
                "state",
                "move_ids",
            ]
        )
        guard_pass.move_ids.read(["product_id", "quantity", "product_uom"])
        with self.assertRefused(AccessError):
            picking.with_user(self.guard).write({"origin": "changed by guard"})
        with self.assertRefused(AccessError):
            self.customer.with_user(self.salesman).read(["sg_prepaid_balance"])
        for user in (self.dispatcher, self.clerk, self.warehouse_user, self.salesman):
            with (
                self.assertUnchanged(gate_pass, ["state", "exit_date"]),
                self.assertRefused(UserError),
            ):
                gate_pass.with_user(user).with_context(
                    **ATTACK_CONTEXT
                ).action_sg_record_exit()
        for user in (self.guard, self.dispatcher):
            with (
                self.assertUnchanged(gate_pass, ["state", "exit_date"]),
                self.assertRefused(UserError, "cannot be set directly"),
            ):
                gate_pass.with_user(user).with_context(**ATTACK_CONTEXT).write(
                    {"state": "used"}
                )
            with self.assertRefused(UserError):
                gate_pass.with_user(user).unlink()
        with self.assertRefused(UserError):
            self.GatePass.with_user(self.guard).create(
                {"picking_id": picking.id, "company_id": self.company.id}
            )
        self.assertEqual(gate_pass.state, "valid")


@tagged("post_install", "-at_install")
class TestGatePassRefusals(DispatchCase):
    def test_cancelled_pass_refused(self):
        picking, gate_pass = self._done_with_pass(qty=2)
        with self.assertRefused(UserError, "Only a member of"):
            gate_pass.with_user(self.guard).action_cancel()
        gate_pass.with_user(self.dispatcher).action_cancel()
        with self.assertRefused(UserError, "was cancelled"):
            gate_pass.with_user(self.guard).action_sg_record_exit()
        self.assertEqual(gate_pass.state, "cancel")

    def test_cancelled_delivery_refused(self):
        picking, gate_pass = self._done_with_pass(qty=2)
        picking.sudo().state = (
            "cancel"  # e.g. a delivery cancelled by a data correction
        )
        with self.assertRefused(UserError, "is cancelled: the goods may not leave"):
            gate_pass.with_user(self.guard).action_sg_record_exit()
        self.assertEqual(gate_pass.state, "valid")

    def test_other_company_pass_refused(self):
        picking, gate_pass = self._done_with_pass(qty=2)
        other = self.env["res.company"].create({"name": "Other Plant Ltd"})
        guard2 = new_test_user(
            self.env,
            login="t_dn_guard2",
            groups="sale_governance.group_gate_guard",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        found = self.GatePass.with_user(guard2)._sg_find(gate_pass.sudo().token)
        self.assertEqual(found, gate_pass)
        self.assertRegex(
            found._sg_refusal(guard2), "belongs to .*: it is not valid at this gate"
        )
        with self.assertRefused(UserError, "not valid at this gate"):
            gate_pass.with_user(guard2).action_sg_record_exit()
        self.assertEqual(gate_pass.state, "valid")
        # Found by number too.
        self.assertEqual(self.GatePass._sg_find(gate_pass.name), gate_pass)


@tagged("post_install", "-at_install")
class TestDispatchDocuments(DispatchCase):
    def test_outbound_slip_five_copies(self):
        picking, gate_pass = self._done_with_pass(qty=3)
        html, _fmt = self.env["ir.actions.report"]._render_qweb_html(
            "sale_governance.action_report_outbound_slip", picking.ids
        )
        html = html.decode()
        for label in (
            "Stub",
            "Collector",
            "Finance",
            "Sales Accountant, Statistics",
            "Gate Pass",
        ):
            self.assertIn(label, html)
        self.assertEqual(html.count("sg-copy-label"), 5)
        self.assertEqual(html.count("page-break-before: always"), 4)
        self.assertIn(gate_pass.name, html)
        self.assertIn(picking.sg_notice_ids.name, html)
        self.assertIn("ZJ-E 88888", html)
        order, open_picking = self._prepaid_delivery(qty=1, price=100, paid=100)
        with self.assertRefused(UserError, "printed from a done delivery"):
            self.env["ir.actions.report"]._render_qweb_html(
                "sale_governance.action_report_outbound_slip", open_picking.ids
            )

    def test_gate_pass_and_notice_render(self):
        picking, gate_pass = self._done_with_pass(qty=3)
        html, _fmt = self.env["ir.actions.report"]._render_qweb_html(
            "sale_governance.action_report_gate_pass", gate_pass.ids
        )
        html = html.decode()
        self.assertIn(gate_pass.name, html)
        self.assertIn("/report/barcode/?barcode_type=QR", html)
        self.assertIn("sale_governance%2Fgate%2Fpass%2F" + gate_pass.token, html)
        self.assertIn("ZJ-E 88888", html)
        self.assertIn("Li Ming", html)
        html, _fmt = self.env["ir.actions.report"]._render_qweb_html(
            "sale_governance.action_report_delivery_notice", picking.sg_notice_ids.ids
        )
        html = html.decode()
        self.assertIn(picking.sg_notice_ids.name, html)
        self.assertIn("Loading Limit", html)

    def test_payment_received_notice(self):
        order, picking = self._prepaid_delivery(qty=2, price=100)
        payment = self._customer_payment(750)
        message = payment.message_ids.filtered(
            lambda m: "Payment-received notice" in str(m.body)
        )
        self.assertEqual(len(message), 1)
        body = str(message.body)
        self.assertIn(self.customer.name, body)
        self.assertRegex(body, r"750\.00")
        self.assertIn(self.bank_journal.name, body)
        self.assertRegex(
            body,
            r"Prepaid balance of the customer after this payment: "
            r"\$(\s|&nbsp;)?750\.00",
        )
        self.assertIn(self.sales_manager.partner_id, message.partner_ids)
        self.assertIn(self.biz_reviewer.partner_id, message.partner_ids)
        self.assertNotIn(self.guard.partner_id, message.partner_ids)

    def test_prepaid_balance_statement(self):
        order, picking = self._prepaid_delivery(qty=10, price=100, paid=800)
        self._issue(picking)
        self._load(picking, {self.product: 5})
        self._validate(picking)
        partner = self.customer.with_user(self.clerk)
        self.assertEqual(partner.sg_prepaid_payments, 800)
        self.assertEqual(partner.sg_prepaid_delivered, 500)
        self.assertEqual(partner.sg_prepaid_invoiced, 0)
        self.assertEqual(partner.sg_prepaid_balance, 300)
        invoice = order._create_invoices()
        invoice.action_post()
        self.customer.invalidate_recordset()
        partner = self.customer.with_user(self.clerk)
        self.assertEqual(partner.sg_prepaid_invoiced, 500)
        self.assertEqual(partner.sg_prepaid_delivered, 0)
        self.assertEqual(partner.sg_prepaid_balance, 300)


@tagged("post_install", "-at_install")
class TestDispatchPerformance(DispatchCase):
    def _many_lines(self, n):
        products = self.env["product.product"].create(
            [
                {
                    "name": f"Dispatch product {n}-{i}",
                    "is_storable": True,
                    "type": "consu",
                }
                for i in range(n)
            ]
        )
        order = self._order(qty=1.0, price=10.0, products=products)
        order.action_confirm()
        self._customer_payment(10.0 * n)
        return order.picking_ids

    def test_issue_and_check_bounded_queries(self):
        def measure(n):
            picking = self._many_lines(n)
            with self.count_queries() as issue:
                notice = self._issue(picking)
            self.assertEqual(len(notice.line_ids), n)
            self.assertEqual(set(notice.line_ids.mapped("qty_limit")), {1.0})
            picking.sudo()._sg_load_to_limit("P-1", "D-1")
            self._validate(picking)
            gate_pass = picking.sg_gate_pass_ids
            with self.count_queries() as check:
                found = self.GatePass.with_user(self.guard)._sg_find(
                    gate_pass.sudo().token
                )
                self.assertFalse(found._sg_refusal(self.guard))
                found.with_user(self.guard).action_sg_record_exit()
            self.assertEqual(gate_pass.state, "used")
            return issue.count, check.count

        issue_small, check_small = measure(10)
        issue_large, check_large = measure(100)
        self.assertLessEqual(issue_large, issue_small + 3, (issue_small, issue_large))
        self.assertLessEqual(check_large, check_small, (check_small, check_large))
        _logger.info(
            "DISPATCH-QUERIES issue 10/100: %s/%s, check 10/100: %s/%s",
            issue_small,
            issue_large,
            check_small,
            check_large,
        )
        self.assertLess(issue_large, 130)
        self.assertLess(check_large, 25)
