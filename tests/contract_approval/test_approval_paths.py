import json
import xmlrpc.client
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..common import ATTACK_CONTEXT as ATTACK
from .common import ApprovalCase

ORDER_FIELDS = ["state", "approval_state", "approval_round"]


@tagged("post_install", "-at_install")
class TestConfirmationGate(ApprovalCase):
    """Class 3: a governed order reaches 'sale' only through an approved
    confirmation."""

    def test_create_confirmed_refused(self):
        Order = self.env["sale.order"].with_user(self.salesman).with_context(**ATTACK)
        count = Order.search_count([])
        with self.assertRefused(
            UserError, "cannot be confirmed before its contract is approved"
        ):
            Order.create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.salesman.id,
                    "team_id": self.team.id,
                    "state": "sale",
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 10,
                                "price_unit": 100.0,
                            },
                        )
                    ],
                }
            )
        self.assertEqual(Order.search_count([]), count)
        # Outside the policy: exactly as core Odoo.
        free = Order.create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesman.id,
                "team_id": self.team_free.id,
                "state": "sale",
            }
        )
        self.assertEqual(free.state, "sale")

    def test_copy_confirmed_refused(self):
        order = self._create_contract()
        with self.assertRefused(UserError, "submit it for approval first"):
            order.with_user(self.salesman).with_context(**ATTACK).copy(
                {"state": "sale"}
            )
        order.with_user(self.salesman).action_approval_submit()
        self._approve_all(order)
        # Even a copy of an approved quotation is a new contract.
        with self.assertRefused(UserError, "cannot be confirmed"):
            order.with_user(self.salesman).with_context(**ATTACK).copy(
                {"state": "sale"}
            )
        copy = order.with_user(self.salesman).copy()
        self.assertEqual((copy.state, copy.approval_state), ("draft", "to_submit"))

    def test_write_and_confirmation_message(self):
        order = self._create_contract()
        self.assertIn(
            "submit it for approval first", order._confirmation_error_message()
        )
        for user in (self.salesman, self.sales_manager, self.gov_admin):
            with (
                self.assertUnchanged(order, ORDER_FIELDS),
                self.assertRaises(UserError),
            ):
                order.with_user(user).with_context(**ATTACK).write({"state": "sale"})
            with (
                self.assertUnchanged(order, ORDER_FIELDS),
                self.assertRaises(UserError),
            ):
                order.with_user(user).with_context(**ATTACK).action_confirm()
        order.with_user(self.salesman).action_approval_submit()
        self._approve_all(order)
        self.assertFalse(order._confirmation_error_message())
        # A change written together with the state is seen too.
        with self.assertRefused(UserError, "cannot be confirmed"):
            order.with_user(self.salesman).write(
                {"state": "sale", "payment_term_id": self.term_immediate.id}
            )
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")


@tagged("post_install", "-at_install")
class TestApprovalBinding(ApprovalCase):
    """Class 4: an approval holds for the content it approved, before and after
    confirmation."""

    def _approved(self, **vals):
        order = self._create_contract(**vals)
        order.with_user(self.salesman).action_approval_submit()
        self._approve_all(order)
        self.assertEqual(order.approval_state, "approved")
        return order

    def test_fingerprint_changes_reset(self):
        packaging = self.env["product.packaging"].create(
            {"name": "Crate of 50", "product_id": self.product.id, "qty": 50.0}
        )
        dozen = self.env.ref("uom.product_uom_dozen")
        changes = [
            (
                "Packaging",
                lambda o: o.order_line.write({"product_packaging_id": packaging.id}),
            ),
            ("Unit", lambda o: o.order_line.write({"product_uom": dozen.id})),
            (
                "Settlement Method",
                lambda o: o.write({"contract_settlement_method": "Cash"}),
            ),
            (
                "Dispute Resolution",
                lambda o: o.write({"contract_dispute_resolution": "Court"}),
            ),
            (
                "Quality Standard",
                lambda o: o.write({"contract_quality_standard": "None"}),
            ),
            ("Salesperson", lambda o: o.write({"user_id": self.salesman2.id})),
        ]
        for label, change in changes:
            order = self._approved()
            change(order.with_user(self.sales_manager))
            self.assertEqual(order.approval_state, "to_submit", label)
            self.assertIn(label, str(order.message_ids[:1].body), label)
            with self.assertRaises(UserError):
                order.with_user(self.salesman).action_confirm()

    def test_salesperson_and_back(self):
        order = self._approved()
        order.with_user(self.sales_manager).write({"user_id": self.salesman2.id})
        order.with_user(self.sales_manager).write({"user_id": self.salesman.id})
        self.assertEqual(order.approval_state, "to_submit")
        with self.assertRaises(UserError):
            order.with_user(self.salesman).action_confirm()

    def test_content_changed_behind_the_orm_is_refused(self):
        """A change that no write hook saw (SQL, an import...) is caught at
        confirmation."""
        order = self._approved()
        line = order.order_line[:1]
        self.env.cr.execute(
            "UPDATE sale_order_line SET product_uom_qty = 500 WHERE id = %s", [line.id]
        )
        self.env.invalidate_all()
        self.assertIn("Quantity", order._confirmation_error_message())
        with self.assertRefused(UserError, "Quantity of line"):
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        # Submitted again, approved again, confirmed.
        order.with_user(self.salesman).action_approval_submit()
        self._approve_all(order)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_after_confirmation_more_is_refused(self):
        order = self._approved(lines=[(self.product, 10.0, 100.0)])
        order.with_user(self.salesman).action_confirm()
        line = order.order_line
        fields_ = ["product_uom_qty", "price_unit", "discount", "product_uom"]
        for vals in (
            {"product_uom_qty": 30.0},
            {"price_unit": 90.0},
            {"product_uom": self.env.ref("uom.product_uom_dozen").id},
        ):
            with (
                self.assertUnchanged(line, fields_),
                self.assertRefused(UserError, "new contract approval"),
            ):
                line.with_user(self.salesman).with_context(**ATTACK).write(vals)
        with self.assertRefused(UserError, "new contract approval"):
            order.with_user(self.salesman).write(
                {
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 5,
                                "price_unit": 100.0,
                            },
                        )
                    ]
                }
            )
        self.assertEqual(len(order.order_line), 1)
        # Less is fine (no new approval), and so are ungoverned orders.
        line.with_user(self.salesman).write({"product_uom_qty": 8.0})
        self.assertEqual(line.product_uom_qty, 8.0)
        free = self._create_contract(team=self.team_free)
        free.with_user(self.salesman).action_confirm()
        free.order_line.with_user(self.salesman).write({"product_uom_qty": 30.0})
        self.assertEqual(free.order_line.product_uom_qty, 30.0)


@tagged("post_install", "-at_install")
class TestSubstitutionRules(ApprovalCase):
    """Class 5: substitutions are checked on their final values."""

    def _sub(self, user, **vals):
        today = fields.Date.today()
        return (
            self.env["sale.governance.approval.substitute"]
            .with_user(user)
            .with_context(**ATTACK)
            .create(
                {
                    "substitute_id": self.deputy.id,
                    "date_from": today,
                    "date_to": today + timedelta(days=5),
                    **vals,
                }
            )
        )

    def test_only_for_oneself(self):
        Substitute = self.env["sale.governance.approval.substitute"]
        count = Substitute.search_count([])
        with self.assertRaises(AccessError):
            self._sub(self.sales_manager, user_id=self.executive.id)
        own = self._sub(self.sales_manager)
        self.assertEqual(own.user_id, self.sales_manager)
        with (
            self.assertUnchanged(own, ["user_id", "substitute_id"]),
            self.assertRaises(AccessError),
        ):
            own.with_user(self.sales_manager).with_context(**ATTACK).write(
                {"user_id": self.executive.id}
            )
        self.assertEqual(Substitute.search_count([]), count + 1)
        # A Governance Administrator names substitutes for anyone.
        other = self._sub(self.gov_admin, user_id=self.executive.id)
        self.assertEqual(other.user_id, self.executive)

    def test_substitute_acts_only_for_the_levels_of_the_absent_approver(self):
        order = self._create_contract()
        order.with_user(self.salesman).action_approval_submit()
        self._sub(
            self.sales_manager
        )  # the deputy stands in for the sales manager (level 1)
        self._approve(order, self.deputy, "for the sales manager")
        line1 = order.approval_ids.filtered(lambda a: a.sequence == 10)
        self.assertEqual(
            (line1.user_id, line1.on_behalf_of_id), (self.deputy, self.sales_manager)
        )
        # Level 2 belongs to the business reviewers: the deputy cannot act there.
        with (
            self.assertUnchanged(order.approval_ids, ["state", "user_id"]),
            self.assertRefused(UserError, "Only members of"),
        ):
            self._approve(order, self.deputy)
        self.assertFalse(order.with_user(self.deputy).approval_can_act)

    def test_substitute_must_be_internal(self):
        portal = self.env["res.users"].create(
            {
                "name": "Portal Person",
                "login": "t_portal_sub",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        with self.assertRefused(Exception, "not an internal user"):
            self._sub(self.sales_manager, substitute_id=portal.id)


@tagged("post_install", "-at_install")
class TestApprovalScreens(ApprovalCase):
    def test_pending_level_and_approvers_named(self):
        order = self._create_contract()
        self.assertFalse(order.approval_pending_info)
        order.with_user(self.salesman).action_approval_submit()
        self.assertIn("Sales Department", order.approval_pending_info)
        self.assertIn(self.sales_manager.name, order.approval_pending_info)
        self._approve(order, self.sales_manager)
        order.invalidate_recordset(["approval_pending_info"])
        self.assertIn("Business Management Department", order.approval_pending_info)
        self.assertIn(self.biz_reviewer.name, order.approval_pending_info)

    def test_wizard_counts_orders(self):
        order = self._create_contract()
        order.with_user(self.salesman).action_approval_submit()
        wizard = Form(
            self.env["sale.governance.approval.wizard"]
            .with_user(self.sales_manager)
            .with_context(active_model="sale.order", active_ids=order.ids)
        )
        self.assertEqual(wizard.order_count, 1)

    def test_level_added_and_removed(self):
        """A fourth level for large contracts (the general manager) and a company with
        two."""
        general_manager = self.env["res.groups"].create(
            {"name": "General Manager (test)"}
        )
        new_user = self.env["res.users"].create(
            {
                "name": "General Manager",
                "login": "t_gm",
                "email": "gm@example.com",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref("base.group_user").id,
                            general_manager.id,
                            self.env.ref("sales_team.group_sale_salesman_all_leads").id,
                        ],
                    )
                ],
            }
        )
        self.env["sale.governance.approval.level"].with_user(self.gov_admin).create(
            {
                "name": "General Manager",
                "sequence": 40,
                "group_id": general_manager.id,
                "company_id": self.company.id,
                "amount_threshold": 2e9,
            }
        )
        order = self._create_contract()
        order.with_user(self.salesman).action_approval_submit()
        self.assertEqual(
            self._level_names(order.approval_ids),
            self.LEVEL_NAMES + ["General Manager"],
        )
        self._approve_all(order)
        with self.assertRefused(UserError, "General Manager"):
            order.with_user(self.salesman).action_confirm()
        self._approve(order, new_user)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

        self.company._sg_approval_levels()[1:].write({"active": False})
        two = self._create_contract()
        two.with_user(self.salesman).action_approval_submit()
        self.assertEqual(self._level_names(two.approval_ids), ["Sales Department"])


@tagged("post_install", "-at_install")
class TestApprovalPayment(ApprovalCase):
    """Payments never half-processed: a payment reaching a quotation that waits for
    approval."""

    def _transaction(self, order, reference):
        method = self.env.ref("payment.payment_method_unknown")
        provider = self.env["payment.provider"].create(
            {
                "name": "Test Provider (governance)",
                "code": "none",
                "state": "test",
                "company_id": self.company.id,
                "payment_method_ids": [Command.set(method.ids)],
            }
        )
        method.active = True
        if (
            "journal_id" in provider._fields
        ):  # account_payment posts the payment in this journal
            self.env["account.payment.method.line"].create(
                {
                    "name": "Test Provider (governance)",
                    "payment_method_id": self.env.ref(
                        "account.account_payment_method_manual_in"
                    ).id,
                    "journal_id": self.bank_journal.id,
                    "payment_provider_id": provider.id,
                }
            )
            provider.invalidate_recordset(["journal_id"])
        return (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": method.id,
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "partner_id": order.partner_id.id,
                    "reference": reference,
                    "operation": "online_redirect",
                    "sale_order_ids": [Command.set(order.ids)],
                }
            )
        )

    def test_no_payment_link_while_waiting(self):
        order = self._create_contract()
        order.require_payment = True
        order.with_user(self.salesman).action_approval_submit()
        self.assertFalse(order._has_to_be_paid())
        free = self._create_contract(team=self.team_free)
        free.require_payment = True
        self.assertTrue(free._has_to_be_paid(), "ungoverned quotations: as core Odoo")

    def test_payment_before_approval_does_not_confirm(self):
        order = self._create_contract()
        order.require_payment = True
        order.with_user(self.salesman).action_approval_submit()
        tx = self._transaction(order, "SG-PAY-1")
        tx._set_done()
        tx._post_process()  # no exception inside the post-processing
        self.assertTrue(tx.is_post_processed)
        self.assertEqual(tx.state, "done")
        if "payment_id" in tx._fields:
            self.assertTrue(tx.payment_id, "the money is posted as a customer payment")
            self.assertEqual(tx.payment_id.partner_type, "customer")
        self.assertIn(order.state, ("draft", "sent"))
        self.assertEqual(order.approval_state, "waiting")
        todo = order.activity_ids.filtered(lambda a: a.user_id == self.salesman)
        self.assertIn(
            "Payment received before approval", " ".join(todo.mapped("summary"))
        )
        # Approved afterwards: the salesperson confirms.
        self._approve_all(order)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_payment_after_approval_confirms_as_core(self):
        order = self._create_contract()
        order.require_payment = True
        order.with_user(self.salesman).action_approval_submit()
        self._approve_all(order)
        tx = self._transaction(order, "SG-PAY-2")
        tx._set_done()
        tx._post_process()
        self.assertEqual(order.state, "sale")


@tagged("post_install", "-at_install")
class TestApprovalOverRpc(HttpCase):
    """The same refusals over the wire (XML-RPC and JSON-RPC), as a salesperson sending
    the attacker's context keys."""

    def test_attacks_over_xmlrpc_and_jsonrpc(self):
        new_test_user(
            self.env,
            login="t_rpc_rep",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        team = self.env["crm.team"].create(
            {"name": "RPC Governed Team", "governed": True}
        )
        partner = self.env["res.partner"].create(
            {"name": "RPC Customer", "is_company": True}
        )
        product = self.env["product.product"].create(
            {"name": "RPC Product", "list_price": 10.0}
        )
        db, login = self.env.cr.dbname, "t_rpc_rep"
        uid = self.xmlrpc_common.authenticate(db, login, login, {})
        call = lambda method, args: self.xmlrpc_object.execute_kw(  # noqa: E731
            db, uid, login, "sale.order", method, args, {"context": ATTACK}
        )
        vals = {
            "partner_id": partner.id,
            "team_id": team.id,
            "user_id": uid,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 3.0})],
        }
        count = self.env["sale.order"].search_count([("partner_id", "=", partner.id)])
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as cm:
            call("create", [dict(vals, state="sale")])
        self.assertIn(
            "cannot be confirmed before its contract is approved",
            cm.exception.faultString,
        )
        self.assertEqual(
            self.env["sale.order"].search_count([("partner_id", "=", partner.id)]),
            count,
        )

        order_id = call("create", [vals])
        order = self.env["sale.order"].browse(order_id)
        for attack in (
            {"approval_state": "approved"},
            {"state": "sale"},
            {"approval_snapshot": {"order": {}, "lines": {}}},
        ):
            with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault):
                call("write", [[order_id], attack])
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault):
            call("action_confirm", [[order_id]])

        self.authenticate(login, login)
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/web/dataset/call_kw/sale.order/action_confirm",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "params": {
                            "model": "sale.order",
                            "method": "action_confirm",
                            "args": [[order_id]],
                            "kwargs": {"context": ATTACK},
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
        error = response.json().get("error", {})
        self.assertIn(
            "submit it for approval first", error.get("data", {}).get("message", "")
        )
        order.invalidate_recordset()
        self.assertEqual((order.state, order.approval_state), ("draft", "to_submit"))
