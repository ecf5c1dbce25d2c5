from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from ...hooks import pre_init_hook
from ..common import SaleGovernanceCase

ROLE_GROUPS = [
    "group_sales_manager",
    "group_business_reviewer",
    "group_executive",
    "group_credit_controller",
    "group_quality_inspector",
    "group_technical_support",
    "group_governance_admin",
]


@tagged("post_install", "-at_install")
class TestFoundation(SaleGovernanceCase):
    def test_groups_and_category(self):
        category = self.env.ref("sale_governance.module_category_sale_governance")
        for xmlid in ROLE_GROUPS:
            group = self.env.ref(f"sale_governance.{xmlid}")
            self.assertEqual(group.category_id, category, xmlid)
        admin_group = self.env.ref("sale_governance.group_governance_admin")
        implied = admin_group.trans_implied_ids
        for xmlid in ROLE_GROUPS[:-1]:
            self.assertIn(self.env.ref(f"sale_governance.{xmlid}"), implied)
        # Approvers see every order of the company; the credit controller can invoice.
        self.assertTrue(
            self.sales_manager.has_group("sales_team.group_sale_salesman_all_leads")
        )
        self.assertTrue(self.credit_ctrl.has_group("account.group_account_invoice"))
        self.assertTrue(self.qc_inspector.has_group("stock.group_stock_user"))
        self.assertFalse(self.salesman.has_group("sale_governance.group_sales_manager"))

    def test_menus_exist(self):
        for xmlid in (
            "menu_sale_governance_root",
            "menu_sale_governance_orders",
            "menu_sale_governance_config",
            "menu_sale_governance_settings",
            "menu_sale_governance_policy_scope",
        ):
            menu = self.env.ref(f"sale_governance.{xmlid}")
            self.assertTrue(menu.exists(), xmlid)
        config_menu = self.env.ref("sale_governance.menu_sale_governance_config")
        visible = self.env["ir.ui.menu"].with_user(self.salesman)._visible_menu_ids()
        self.assertNotIn(
            config_menu.id,
            visible,
            "salespeople do not see the governance configuration",
        )
        visible = self.env["ir.ui.menu"].with_user(self.gov_admin)._visible_menu_ids()
        self.assertIn(config_menu.id, visible)

    def test_default_approval_levels(self):
        groups = [
            self.env.ref(f"sale_governance.{xmlid}")
            for xmlid in (
                "group_sales_manager",
                "group_business_reviewer",
                "group_executive",
            )
        ]
        levels = self.company._sg_approval_levels()
        self.assertEqual(
            levels.mapped("name"),
            [
                "Sales Department",
                "Business Management Department",
                "Executive in Charge",
            ],
        )
        self.assertEqual(levels.group_id.ids, [g.id for g in groups])
        self.assertEqual(levels.mapped("condition_discount"), [True, False, False])
        new_company = self.env["res.company"].create({"name": "Second Co"})
        self.assertEqual(
            new_company._sg_approval_levels().group_id.ids, [g.id for g in groups]
        )
        # The first level's approvers, for other features (after-sales escalation).
        self.assertIn(self.sales_manager, self.company._sg_first_level_approvers())
        self.assertNotIn(self.biz_reviewer, self.company._sg_first_level_approvers())

    def test_admin_edits_levels(self):
        custom = self.env["res.groups"].create({"name": "Board of Directors"})
        Level = self.env["sale.governance.approval.level"].with_user(self.gov_admin)
        general_manager = Level.create(
            {
                "name": "General Manager",
                "sequence": 40,
                "group_id": custom.id,
                "amount_threshold": 2e9,
                "company_id": self.company.id,
            }
        )
        self.assertEqual(self.company._sg_approval_levels()[-1], general_manager)
        self.company._sg_approval_levels()[1].with_user(self.gov_admin).active = False
        self.assertEqual(len(self.company._sg_approval_levels()), 3)

    def test_thresholds_do_not_decrease(self):
        levels = self.company._sg_approval_levels()
        with self.assertUnchanged(levels, ["amount_threshold"]):
            with self.assertRefused(ValidationError, "must not decrease"):
                levels[1].with_user(self.gov_admin).amount_threshold = 1000.0
            with self.assertRefused(ValidationError, "cannot be negative"):
                levels.with_user(self.gov_admin).write({"amount_threshold": -1.0})

    def test_salesperson_cannot_change_levels(self):
        level = self.company._sg_approval_levels()[:1]
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.salesman).create({})
        for user in (self.salesman, self.sales_manager):
            with (
                self.assertUnchanged(level, ["group_id", "amount_threshold"]),
                self.assertRaises(AccessError),
            ):
                level.with_user(user).write(
                    {"group_id": self.env.ref("base.group_user").id}
                )
            with self.assertRaises(AccessError):
                self.env["sale.governance.approval.level"].with_user(user).create(
                    {"name": "Rogue", "group_id": self.env.ref("base.group_user").id}
                )

    def test_governed_follows_team_at_creation(self):
        governed = self._create_order()
        free = self._create_order(team=self.team_free)
        self.assertTrue(governed.governed)
        self.assertFalse(free.governed)
        self.assertEqual(governed._sg_governed(), governed)
        self.assertFalse((governed | free)._sg_governed() - governed)
        # Switching the team off affects only orders created afterwards.
        self.team.governed = False
        self.assertTrue(governed.governed)
        self.assertFalse(self._create_order().governed)
        # Moving a quotation to a governed team puts it under the policy.
        free.team_id = self.team_free.copy({"governed": True})
        self.assertTrue(free.governed)

    def test_preexisting_orders_not_governed(self):
        order = self._create_order()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_order SET governed = NULL WHERE id = %s", [order.id]
        )
        order.invalidate_recordset(["governed"])
        pre_init_hook(self.env)
        order.invalidate_recordset(["governed"])
        self.assertFalse(order.governed)
        self.assertFalse(order._sg_governed())

    def test_demo_users_roles(self):
        rep = self.env.ref("sale_governance.user_sales_rep", raise_if_not_found=False)
        if not rep:
            self.skipTest("demo data not loaded")
        expected = {
            "user_sales_manager": "sale_governance.group_sales_manager",
            "user_biz_reviewer": "sale_governance.group_business_reviewer",
            "user_executive": "sale_governance.group_executive",
            "user_credit_ctrl": "sale_governance.group_credit_controller",
            "user_qc_inspector": "sale_governance.group_quality_inspector",
            "user_tech_support": "sale_governance.group_technical_support",
        }
        for xmlid, group in expected.items():
            user = self.env.ref(f"sale_governance.{xmlid}")
            self.assertTrue(user.has_group(group), xmlid)
            self.assertFalse(
                user.has_group("sale_governance.group_governance_admin"), xmlid
            )
        self.assertTrue(rep.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(rep.has_group("sales_team.group_sale_salesman_all_leads"))
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(rep).create({})
