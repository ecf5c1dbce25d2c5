from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import ApprovalCase


@tagged("post_install", "-at_install")
class TestContractApproval(ApprovalCase):
    def _activity_users(self, order):
        activity_type = self.env.ref(
            "sale_governance.mail_activity_data_contract_approval"
        )
        return order.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        ).user_id

    def test_full_flow_three_levels(self):
        order = self._create_contract()
        self.assertEqual(order.approval_state, "to_submit")
        self.assertEqual(order.approval_levels_required, ", ".join(self.LEVEL_NAMES))
        order.with_user(self.salesman).action_approval_submit()
        self.assertEqual(order.approval_state, "waiting")
        self.assertEqual(self._level_names(order.approval_ids), self.LEVEL_NAMES)
        self.assertEqual(
            order.approval_ids.mapped("state"), ["pending", "waiting", "waiting"]
        )
        self.assertIn(self.sales_manager, self._activity_users(order))
        self.assertNotIn(self.biz_reviewer, self._activity_users(order))
        self.assertTrue(order.with_user(self.sales_manager).approval_can_act)
        self.assertFalse(order.with_user(self.biz_reviewer).approval_can_act)

        self._approve(order, self.sales_manager, "Prices checked")
        self.assertEqual(
            order.approval_ids.mapped("state"), ["approved", "pending", "waiting"]
        )
        self.assertIn(self.biz_reviewer, self._activity_users(order))
        self.assertNotIn(self.sales_manager, self._activity_users(order))
        self._approve(order, self.biz_reviewer)
        self._approve(order, self.executive)
        self.assertEqual(order.approval_state, "approved")
        line1 = order.approval_ids.filtered(lambda a: a.sequence == 10)
        self.assertEqual(line1.user_id, self.sales_manager)
        self.assertEqual(line1.comment, "Prices checked")
        self.assertTrue(line1.date)
        self.assertEqual(
            order.approval_ids.user_id,
            self.sales_manager | self.biz_reviewer | self.executive,
        )

        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_order_needing_no_approval(self):
        free = self._create_contract(team=self.team_free)
        self.assertEqual(free.approval_state, "not_required")
        self.assertFalse(free.approval_needed)
        free.with_user(self.salesman).action_confirm()
        self.assertEqual(free.state, "sale")

        self._set_thresholds(1000.0, 5000.0, 10000.0)
        small = self._create_contract()
        self.assertFalse(small.approval_needed)
        with self.assertRaises(UserError):
            small.with_user(self.salesman).action_approval_submit()
        small.with_user(self.salesman).action_confirm()
        self.assertEqual(small.state, "sale")
        self.assertFalse(small.approval_ids)

    def test_reject_and_resubmit(self):
        order = self._create_contract()
        order.with_user(self.salesman).action_approval_submit()
        order.with_user(self.salesman).action_quotation_sent()
        self.assertEqual(order.state, "sent")
        with self.assertRaisesRegex(UserError, "reason"):
            order.with_user(self.sales_manager)._sg_approval_reject("  ")
        self.assertEqual(order.approval_state, "waiting")

        order.with_user(self.sales_manager)._sg_approval_reject("Discount too high")
        self.assertEqual(order.approval_state, "rejected")
        self.assertEqual(order.state, "draft")
        self.assertEqual(
            order.approval_ids.mapped("state"), ["rejected", "cancelled", "cancelled"]
        )
        todo = order.activity_ids.filtered(lambda a: a.user_id == self.salesman)
        self.assertTrue(todo, "the salesperson gets an activity")
        self.assertIn("Discount too high", str(todo.note))
        with self.assertRaises(UserError):
            order.with_user(self.salesman).action_confirm()

        order.with_user(self.salesman).action_approval_submit()
        self.assertEqual(order.approval_round, 2)
        current = order.approval_ids.filtered(lambda a: a.round == 2)
        self.assertEqual(current.mapped("state"), ["pending", "waiting", "waiting"])
        self._approve_all(order)
        self.assertEqual(order.approval_state, "approved")

    def test_price_change_cancels_approvals(self):
        order = self._create_contract()
        order.with_user(self.salesman).action_approval_submit()
        self._approve(order, self.sales_manager)
        self._approve(order, self.biz_reviewer)
        # Writing the same value changes nothing.
        order.order_line.with_user(self.salesman).write({"price_unit": 100.0})
        self.assertEqual(order.approval_state, "waiting")

        order.with_context(tracking_disable=False).order_line.with_user(
            self.salesman
        ).write({"price_unit": 90.0})
        self.assertEqual(order.approval_state, "to_submit")
        self.assertEqual(set(order.approval_ids.mapped("state")), {"cancelled"})
        self.assertIn("Unit Price", order.approval_ids[0].cancel_reason)
        self.assertIn("Unit Price", str(order.message_ids[:1].body))
        with self.assertRaises(UserError):
            order.with_user(self.salesman).action_confirm()

        order.with_user(self.salesman).action_approval_submit()
        self._approve_all(order)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_other_commercial_changes_cancel_approvals(self):
        order = self._create_contract()
        changes = [
            lambda o: o.write({"payment_term_id": self.term_immediate.id}),
            lambda o: o.write(
                {"commitment_date": fields.Datetime.now() + timedelta(days=9)}
            ),
            lambda o: o.write(
                {
                    "order_line": [
                        (0, 0, {"product_id": self.product.id, "product_uom_qty": 1.0})
                    ]
                }
            ),
            lambda o: o.order_line[:1].unlink(),
            lambda o: o.order_line[:1].write({"discount": 5.0}),
        ]
        for change in changes:
            order.with_user(self.salesman).action_approval_submit()
            self._approve(order, self.sales_manager)
            change(order.with_user(self.salesman))
            self.assertEqual(order.approval_state, "to_submit")
        # Contract wording is not a commercial term: it keeps the approvals.
        order.with_user(self.salesman).action_approval_submit()
        self._approve(order, self.sales_manager)
        order.with_user(self.salesman).write({"note": "Thank you"})
        self.assertEqual(order.approval_state, "waiting")

    def test_out_of_order_refused(self):
        order = self._create_contract()
        order.with_user(self.salesman).action_approval_submit()
        with self.assertRaisesRegex(UserError, "only after"):
            self._approve(order, self.biz_reviewer)
        with self.assertRaises(UserError):
            self._approve(order, self.executive)
        self.assertEqual(
            order.approval_ids.mapped("state"), ["pending", "waiting", "waiting"]
        )

    def test_same_person_two_levels(self):
        order = self._create_contract()
        order.with_user(self.salesman).action_approval_submit()
        self._approve(order, self.gov_admin)
        with self.assertRaisesRegex(UserError, "two levels"):
            self._approve(order, self.gov_admin)
        self.company.approval_allow_same_approver = True
        self._approve(order, self.gov_admin)
        self._approve(order, self.gov_admin)
        self.assertEqual(order.approval_state, "approved")

    def test_salesperson_never_approves(self):
        order = self._create_contract(user=self.sales_manager)
        order.with_user(self.sales_manager).action_approval_submit()
        with self.assertRaisesRegex(UserError, "salesperson"):
            self._approve(order, self.sales_manager)
        self.assertFalse(order.with_user(self.sales_manager).approval_can_act)
        other = self._create_contract()
        other.with_user(self.salesman).action_approval_submit()
        with self.assertRaises(UserError):
            self._approve(other, self.salesman)
        with self.assertRaises(UserError):
            self._approve(other, self.credit_ctrl)

    def test_confirm_refused_before_full_approval(self):
        order = self._create_contract()
        order.require_signature = True
        with self.assertRaisesRegex(UserError, "submit it for approval"):
            order.with_user(self.salesman).action_confirm()
        order.with_user(self.salesman).action_approval_submit()
        self.assertFalse(order._has_to_be_signed(), "the portal does not offer signing")
        self._approve(order, self.sales_manager)
        self._approve(order, self.biz_reviewer)
        with self.assertRaisesRegex(UserError, "Executive in Charge"):
            order.with_user(self.salesman).action_confirm()
        with self.assertRaises(UserError):
            order.with_user(self.salesman).write({"state": "sale"})
        with self.assertRaises(UserError):
            order.sudo()._validate_order()  # the portal's signature / payment path
        self.assertEqual(order.state, "draft")
        self._approve(order, self.executive)
        self.assertTrue(order._has_to_be_signed())
        order.sudo()._validate_order()
        self.assertEqual(order.state, "sale")

    def test_rpc_writes_refused(self):
        order = self._create_contract()
        order.with_user(self.salesman).action_approval_submit()
        attack = {
            "sale_governance_internal_write": True,
            "sale_governance_bypass": True,
        }
        for user in (self.salesman, self.sales_manager, self.gov_admin):
            with (
                self.assertUnchanged(order, ["approval_state", "approval_round"]),
                self.assertRaisesRegex(UserError, "Contract Approval"),
            ):
                order.with_user(user).with_context(**attack).write(
                    {"approval_state": "approved"}
                )
        approval = order.approval_ids.sorted("sequence")[:1]
        for user in (self.salesman, self.sales_manager, self.gov_admin):
            with (
                self.assertUnchanged(approval, ["state", "user_id"]),
                self.assertRaises(UserError),
            ):
                approval.with_user(user).with_context(**attack).write(
                    {"state": "approved"}
                )
        with self.assertRaises(UserError):
            self.env["sale.governance.approval"].with_user(self.sales_manager).create(
                {
                    "order_id": order.id,
                    "level_id": approval.level_id.id,
                    "group_id": approval.group_id.id,
                    "state": "approved",
                }
            )
        with self.assertRaises(AccessError):
            approval.with_user(self.sales_manager).unlink()
        with self.assertRaises(UserError):
            order.with_user(self.salesman).write({"approval_snapshot": {}})
        self.assertEqual(order.approval_state, "waiting")
        # Salespeople read the trail of their own orders.
        self.assertEqual(
            self._level_names(order.with_user(self.salesman).approval_ids),
            self.LEVEL_NAMES,
        )

    def test_thresholds_and_conditions_decide_levels(self):
        self._set_thresholds(1000.0, 5000.0, 10000.0)
        levels = lambda order: order._sg_approval_required_levels()[order.id].mapped(  # noqa: E731
            "sequence"
        )
        self.assertEqual(
            levels(self._create_contract(lines=[(self.product, 5.0, 100.0)])), []
        )
        self.assertEqual(
            levels(self._create_contract(lines=[(self.product, 60.0, 100.0)])), [10, 20]
        )
        self.assertEqual(
            levels(self._create_contract(lines=[(self.product, 200.0, 100.0)])),
            [10, 20, 30],
        )

        discounted = self._create_contract(lines=[(self.product, 2.0, 100.0)])
        discounted.order_line.discount = 15.0
        self.assertEqual(levels(discounted), [])
        self.company.write(
            {"approval_check_discount": True, "approval_max_discount": 10.0}
        )
        self.assertEqual(levels(discounted), [10])
        discounted.order_line.discount = 10.0
        self.assertEqual(levels(discounted), [])

        cheap = self._create_contract(lines=[(self.product, 2.0, 80.0)])
        self.assertEqual(levels(cheap), [])
        self.company.approval_check_pricelist = True
        self.assertEqual(levels(cheap), [10])
        self.assertEqual(
            levels(self._create_contract(lines=[(self.product, 2.0, 100.0)])), []
        )

        self.customer.property_payment_term_id = self.term_immediate
        long_term = self._create_contract()
        self.assertEqual(levels(long_term), [])
        self.company.approval_check_payment_term = True
        self.assertEqual(levels(long_term), [10])
        long_term.payment_term_id = self.term_immediate
        self.assertEqual(levels(long_term), [])

        # Level 1 only, then it is approved and the order confirms.
        long_term.payment_term_id = self.term_30
        long_term.with_user(self.salesman).action_approval_submit()
        self.assertEqual(long_term.approval_ids.mapped("sequence"), [10])
        self._approve(long_term, self.sales_manager)
        long_term.with_user(self.salesman).action_confirm()
        self.assertEqual(long_term.state, "sale")

    def test_substitute_decides_on_behalf(self):
        order = self._create_contract()
        order.with_user(self.salesman).action_approval_submit()
        self._approve(order, self.sales_manager)
        self._approve(order, self.biz_reviewer)
        with self.assertRaises(UserError):
            self._approve(order, self.deputy)
        today = fields.Date.today()
        Substitute = self.env["sale.governance.approval.substitute"].with_user(
            self.executive
        )
        Substitute.create(
            {
                "substitute_id": self.deputy.id,
                "date_from": today - timedelta(days=10),
                "date_to": today - timedelta(days=1),
            }
        )
        with self.assertRaises(UserError):
            self._approve(order, self.deputy)
        Substitute.create(
            {
                "substitute_id": self.deputy.id,
                "date_from": today,
                "date_to": today + timedelta(days=7),
            }
        )
        self.assertTrue(order.with_user(self.deputy).approval_can_act)
        self.assertIn(
            order,
            self.env["sale.order"]
            .with_user(self.deputy)
            .search([("approval_to_approve", "=", True)]),
        )
        self._approve(order, self.deputy, "On holiday cover")
        line3 = order.approval_ids.filtered(lambda a: a.sequence == 30)
        self.assertEqual(line3.user_id, self.deputy)
        self.assertEqual(line3.on_behalf_of_id, self.executive)
        self.assertEqual(order.approval_state, "approved")

    def test_substitute_access(self):
        today = fields.Date.today()
        with self.assertRaises(AccessError):
            self.env["sale.governance.approval.substitute"].with_user(
                self.salesman
            ).create(
                {"substitute_id": self.deputy.id, "date_from": today, "date_to": today}
            )
        with self.assertRaises(AccessError):
            self.env["sale.governance.approval.substitute"].with_user(
                self.executive
            ).create(
                {
                    "user_id": self.biz_reviewer.id,
                    "substitute_id": self.deputy.id,
                    "date_from": today,
                    "date_to": today,
                }
            )
        with self.assertRaisesRegex(Exception, "ends before it starts"):
            self.env["sale.governance.approval.substitute"].with_user(
                self.executive
            ).create(
                {
                    "substitute_id": self.deputy.id,
                    "date_from": today,
                    "date_to": today - timedelta(days=1),
                }
            )

    def test_to_approve_filter_and_batch_approval(self):
        orders = self._create_contract() | self._create_contract()
        orders.with_user(self.salesman).action_approval_submit()
        SaleOrder = self.env["sale.order"]
        domain = [("approval_to_approve", "=", True)]
        self.assertEqual(
            SaleOrder.with_user(self.sales_manager).search(domain) & orders, orders
        )
        self.assertFalse(SaleOrder.with_user(self.biz_reviewer).search(domain) & orders)
        self.assertFalse(SaleOrder.with_user(self.salesman).search(domain) & orders)

        wizard = Form(
            self.env["sale.governance.approval.wizard"]
            .with_user(self.sales_manager)
            .with_context(active_model="sale.order", active_ids=orders.ids)
        )
        wizard.comment = "Both fine"
        wizard.save().action_apply()
        self.assertEqual(
            orders.mapped("approval_ids")
            .filtered(lambda a: a.sequence == 10)
            .mapped("state"),
            ["approved", "approved"],
        )
        self.assertFalse(
            SaleOrder.with_user(self.sales_manager).search(domain) & orders
        )
        self.assertEqual(
            SaleOrder.with_user(self.biz_reviewer).search(domain) & orders, orders
        )

        wizard = Form(
            self.env["sale.governance.approval.wizard"]
            .with_user(self.biz_reviewer)
            .with_context(active_model="sale.order", active_ids=orders.ids)
        )
        wizard.decision = "reject"
        wizard.comment = "Delivery date unrealistic"
        wizard.save().action_apply()
        self.assertEqual(set(orders.mapped("approval_state")), {"rejected"})

    def test_change_while_cancelled_requires_new_approval(self):
        order = self._create_contract()
        order.with_user(self.salesman).action_approval_submit()
        self._approve_all(order)
        order.with_user(self.salesman)._action_cancel()
        order.order_line.with_user(self.salesman).write({"product_uom_qty": 5.0})
        order.with_user(self.salesman).action_draft()
        self.assertEqual(order.approval_state, "to_submit")
        with self.assertRaises(UserError):
            order.with_user(self.salesman).action_confirm()

    def test_form_view_as_salesperson(self):
        order = self._create_contract()
        with Form(order.with_user(self.salesman)) as form:
            self.assertEqual(form.approval_state, "to_submit")
            self.assertTrue(form.approval_needed)
            form.contract_signing_place = "Shanghai"
        self.assertEqual(order.contract_signing_place, "Shanghai")
        self.assertEqual(order.approval_state, "to_submit")
