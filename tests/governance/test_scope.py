"""Policy scope: opt-in at install, per team and per company, decided once per order.

Every refusal is tried as the real role (``with_user``, not superuser) with the context
keys an attacker would send, and the test asserts that nothing changed.
"""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from ...hooks import pre_init_hook
from ..common import ATTACK_CONTEXT, SaleGovernanceCase


class ScopeCase(SaleGovernanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's Sales: Administrator (creates and edits teams) without the governance
        # role.
        cls.sale_admin = new_test_user(
            cls.env,
            login="t_sale_admin",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
        )


@tagged("post_install", "-at_install")
class TestScopeOptIn(ScopeCase):
    """Installing changes nothing until a Governance Administrator turns it on."""

    def test_new_team_and_company_start_outside(self):
        team = (
            self.env["crm.team"]
            .with_user(self.sale_admin)
            .create({"name": "New Channel"})
        )
        self.assertFalse(team.governed)
        self.assertFalse(self.company.policy_default_governed)
        company = self.env["res.company"].create({"name": "New Subsidiary"})
        self.assertFalse(company.policy_default_governed)
        team2 = self.env["crm.team"].create(
            {"name": "Subsidiary Sales", "company_id": company.id}
        )
        self.assertFalse(team2.governed)

    def test_order_without_team_outside_by_default(self):
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create({"partner_id": self.customer.id, "team_id": False})
        )
        self.assertFalse(order.team_id)
        self.assertFalse(order.governed)

    def test_company_setting_decides_new_teams_and_teamless_orders(self):
        self.company.with_user(self.gov_admin).policy_default_governed = True
        team = (
            self.env["crm.team"]
            .with_user(self.sale_admin)
            .create({"name": "New Channel"})
        )
        self.assertTrue(team.governed)
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create({"partner_id": self.customer.id, "team_id": False})
        )
        self.assertTrue(order.governed)
        # A team created for another company follows that company's setting.
        other = self.env["res.company"].create({"name": "Outside Co"})
        team_other = self.env["crm.team"].create(
            {"name": "Outside Sales", "company_id": other.id}
        )
        self.assertFalse(team_other.governed)

    def test_teams_of_installed_modules_start_outside(self):
        """Teams loaded from a module's data (eCommerce, POS ...) stay out, whatever the
        default.
        """
        self.company.policy_default_governed = True
        team = (
            self.env["crm.team"]
            .with_context(install_mode=True)
            .create({"name": "Website"})
        )
        self.assertFalse(team.governed)
        # The same context key sent by a user relaxes nothing.
        team = (
            self.env["crm.team"]
            .with_user(self.sale_admin)
            .with_context(install_mode=True)
            .create({"name": "Shop"})
        )
        self.assertTrue(team.governed)

    def test_install_leaves_existing_teams_and_orders_outside(self):
        team = self.env["crm.team"].create({"name": "Old Team", "governed": True})
        order = self._create_order(team=team)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_team SET governed = NULL WHERE id = %s", [team.id]
        )
        self.env.cr.execute(
            "UPDATE sale_order SET governed = NULL WHERE id = %s", [order.id]
        )
        self.env.invalidate_all()
        pre_init_hook(self.env)
        self.env.invalidate_all()
        self.assertFalse(team.governed)
        self.assertFalse(order.governed)

    def test_only_governance_admin_changes_company_default(self):
        admin = self.env["res.users"].create(
            {
                "name": "Plain Settings Admin",
                "login": "t_plain_admin",
                "groups_id": [(6, 0, [self.env.ref("base.group_system").id])],
            }
        )
        for user in (admin, self.sales_manager):
            with self.assertUnchanged(self.company, ["policy_default_governed"]):
                with self.assertRefused(UserError):
                    self.company.with_user(user).with_context(**ATTACK_CONTEXT).write(
                        {"policy_default_governed": True}
                    )
        settings = self.env["res.config.settings"].with_user(self.gov_admin).create({})
        settings.policy_default_governed = True
        settings.execute()
        self.assertTrue(self.company.policy_default_governed)

    def test_settings_form_turns_default_on(self):
        """The Settings form (checklist, scope setting) as Governance Administrator."""
        form = Form(self.env["res.config.settings"].with_user(self.gov_admin))
        self.assertFalse(form.policy_default_governed)
        # The checklist counts what exists (the test's governed team, credit controller)
        self.assertGreaterEqual(form.sg_governed_team_count, 1)
        self.assertGreaterEqual(form.sg_credit_controller_count, 1)
        form.policy_default_governed = True
        form.save().execute()
        self.assertTrue(self.company.policy_default_governed)

    def test_checklist_counts(self):
        settings = self.env["res.config.settings"].with_user(self.gov_admin).create({})
        governed = settings.sg_governed_team_count
        self.assertGreaterEqual(governed, 1)  # the test's governed team
        self.assertGreater(settings.sg_team_count, governed)
        self.assertGreaterEqual(settings.sg_credit_controller_count, 1)
        action = settings.action_sg_open_credit_controllers()
        self.assertEqual(
            action["res_id"], self.env.ref("sale_governance.group_credit_controller").id
        )


@tagged("post_install", "-at_install")
class TestTeamSwitch(ScopeCase):
    """Only a Governance Administrator moves a team in or out of the policy."""

    def test_sales_admin_cannot_switch_team(self):
        for user, team, value in (
            (self.sale_admin, self.team, False),
            (self.sale_admin, self.team_free, True),
            (self.sales_manager, self.team, False),
            (self.salesman, self.team, False),
        ):
            with self.assertUnchanged(team, ["governed"]):
                with self.assertRefused(UserError):
                    team.with_user(user).with_context(**ATTACK_CONTEXT).write(
                        {"governed": value}
                    )

    def test_sales_admin_cannot_create_governed_team(self):
        count = self.env["crm.team"].search_count([])
        with self.assertRefused(UserError, "Governance Administrator"):
            self.env["crm.team"].with_user(self.sale_admin).with_context(
                **ATTACK_CONTEXT
            ).create({"name": "Sneaky", "governed": True})
        self.assertEqual(self.env["crm.team"].search_count([]), count)

    def test_sales_admin_still_edits_other_team_fields(self):
        self.team.with_user(self.sale_admin).write(
            {"name": "Renamed", "governed": True}
        )
        self.assertEqual(self.team.name, "Renamed")

    def test_governance_admin_switches_team(self):
        self.team_free.with_user(self.gov_admin).governed = True
        self.assertTrue(self.team_free.governed)
        self.team_free.with_user(self.gov_admin).governed = False
        self.assertFalse(self.team_free.governed)
        team = (
            self.env["crm.team"]
            .with_user(self.gov_admin)
            .create({"name": "In", "governed": True})
        )
        self.assertTrue(team.governed)


@tagged("post_install", "-at_install")
class TestStickyScope(ScopeCase):
    """An order's scope is decided once; the salesperson it binds cannot change it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Every governed quotation needs the three approval levels here, so confirming
        # one that escaped the policy would succeed and one still under it is refused.
        cls.company.approval_use_thresholds = False

    def test_salesperson_writes_governed_false(self):
        order = self._create_order()
        self.assertTrue(order.governed)
        as_rep = order.with_user(self.salesman).with_context(**ATTACK_CONTEXT)
        with self.assertUnchanged(order, ["governed", "state", "team_id"]):
            with self.assertRefused(UserError, "Governance Administrator"):
                as_rep.write({"governed": False})
            with self.assertRefused(UserError, "Governance Administrator"):
                as_rep.write({"governed": False, "note": "x"})
            with self.assertRefused(UserError, "cannot be confirmed"):
                order.with_user(self.salesman).action_confirm()

    def test_salesperson_moves_order_to_ungoverned_team(self):
        order = self._create_order()
        order.with_user(self.salesman).with_context(**ATTACK_CONTEXT).write(
            {"team_id": self.team_free.id}
        )
        self.assertEqual(order.team_id, self.team_free)
        self.assertTrue(
            order.governed, "an order stays under the policy through team changes"
        )
        with self.assertUnchanged(order, ["governed", "state"]):
            with self.assertRefused(UserError, "cannot be confirmed"):
                order.with_user(self.salesman).with_context(
                    **ATTACK_CONTEXT
                ).action_confirm()
        self.assertEqual(order.state, "draft")

    def test_form_move_keeps_scope(self):
        order = self._create_order()
        with Form(order.with_user(self.salesman)) as form:
            form.team_id = self.team_free
        self.assertTrue(order.governed)

    def test_governed_team_switched_off_later(self):
        order = self._create_order()
        self.team.with_user(self.gov_admin).governed = False
        self.assertTrue(order.governed)
        self.assertFalse(self._create_order().governed)

    def test_salesperson_cannot_create_or_copy_out_of_scope(self):
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .with_context(**ATTACK_CONTEXT)
            .create(
                {
                    "partner_id": self.customer.id,
                    "team_id": self.team.id,
                    "governed": False,
                }
            )
        )
        self.assertTrue(order.governed, "the team decides, not the value sent")
        copied = (
            order.with_user(self.salesman)
            .with_context(**ATTACK_CONTEXT)
            .copy({"governed": False})
        )
        self.assertTrue(copied.governed)
        with self.assertRefused(UserError):
            order.with_user(self.salesman).copy(
                {"team_id": self.team_free.id, "governed": True}
            )

    def test_quotation_moved_into_governed_team_comes_under_policy(self):
        order = self._create_order(team=self.team_free)
        self.assertFalse(order.governed)
        order.with_user(self.salesman).team_id = self.team
        self.assertTrue(order.governed)
        order.with_user(self.salesman).team_id = self.team_free
        self.assertTrue(order.governed)

    def test_confirmed_ungoverned_order_stays_outside_when_moved(self):
        self.company.approval_use_thresholds = True
        order = self._create_order(team=self.team_free)
        order.action_confirm()
        order.team_id = self.team
        self.assertFalse(
            order.governed, "only quotations come under the policy by a team move"
        )

    def test_ungoverned_order_confirms_as_core(self):
        order = self._create_order(team=self.team_free)
        self.assertFalse(order.governed)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")


@tagged("post_install", "-at_install")
class TestScopeWizard(ScopeCase):
    """Only a Governance Administrator takes an order out of the policy (a reason)."""

    def _wizard(self, user, orders, **vals):
        return (
            self.env["sale.governance.scope.wizard"]
            .with_user(user)
            .with_context(active_model="sale.order", active_ids=orders.ids)
            .create(dict({"reason": "Framework contract signed by the board"}, **vals))
        )

    def test_admin_takes_order_out_with_reason(self):
        order = self._create_order()
        action = order.with_user(self.gov_admin).action_sg_change_scope()
        self.assertEqual(action["res_model"], "sale.governance.scope.wizard")
        wizard = self._wizard(self.gov_admin, order)
        self.assertEqual(wizard.order_ids, order)
        self.assertFalse(wizard.governed, "proposes taking a governed order out")
        messages_before = order.message_ids
        wizard.action_apply()
        self.assertFalse(order.governed)
        note = order.message_ids - messages_before
        self.assertEqual(len(note), 1)
        self.assertIn("Framework contract signed by the board", note.body)
        self.assertIn(self.gov_admin.name, note.body)
        # And back in.
        self._wizard(self.gov_admin, order, governed=True).action_apply()
        self.assertTrue(order.governed)

    def test_reason_is_mandatory(self):
        order = self._create_order()
        with self.assertUnchanged(order, ["governed"]):
            with self.assertRefused(UserError):
                self._wizard(self.gov_admin, order, reason="   ").action_apply()
            with self.assertRefused(UserError):
                self._wizard(self.gov_admin, order, reason=False).action_apply()

    def test_others_cannot_use_the_wizard(self):
        order = self._create_order()
        for user in (self.salesman, self.sales_manager, self.executive):
            with self.assertUnchanged(order, ["governed"]):
                with self.assertRefused(AccessError):
                    order.with_user(user).with_context(
                        **ATTACK_CONTEXT
                    ).action_sg_change_scope()
                with self.assertRefused(AccessError):
                    self._wizard(user, order).action_apply()

    def test_context_prefills_nothing_for_others(self):
        order = self._create_order()
        fields_list = ["order_ids", "governed"]
        for user in (self.salesman, self.sales_manager, self.executive):
            defaults = (
                self.env["sale.governance.scope.wizard"]
                .with_user(user)
                .with_context(
                    **ATTACK_CONTEXT, active_model="sale.order", active_ids=order.ids
                )
                .default_get(fields_list)
            )
            self.assertFalse(defaults.get("order_ids"), user.login)
            self.assertNotIn("governed", defaults, user.login)
        defaults = (
            self.env["sale.governance.scope.wizard"]
            .with_user(self.gov_admin)
            .with_context(active_model="sale.order", active_ids=order.ids)
            .default_get(fields_list)
        )
        self.assertEqual(defaults["order_ids"], [Command.set(order.ids)])

    def test_admin_wizard_on_ungoverned_order_puts_it_in(self):
        order = self._create_order(team=self.team_free)
        wizard = self._wizard(self.gov_admin, order)
        self.assertTrue(wizard.governed)
        wizard.action_apply()
        self.assertTrue(order.governed)


@tagged("post_install", "-at_install")
class TestScopeQueries(ScopeCase):
    def test_scope_decision_does_not_grow_with_orders(self):
        """Deciding the scope of 2 or 20 orders costs the same queries (no query per
        order).
        """
        Order = self.env["sale.order"].with_user(self.salesman)
        for team in (self.team_free, self.team):
            small = Order.create(
                [{"partner_id": self.customer.id, "team_id": team.id}] * 2
            )
            large = Order.create(
                [{"partner_id": self.customer.id, "team_id": team.id}] * 20
            )
            with self.count_queries() as q_small:
                small._sg_scope_decision()
            with self.count_queries() as q_large:
                large._sg_scope_decision()
            self.assertEqual(q_small.count, q_large.count)
            self.assertLessEqual(q_large.count, 3)
