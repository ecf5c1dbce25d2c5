from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ..common import ATTACK_CONTEXT
from .common import SalesManagementCase, add_months


@tagged("post_install", "-at_install")
class TestSalesTargets(SalesManagementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # last month: 1,000 + 500 for salesman, 300 for salesman2; this month: 600 for
        # salesman
        cls._sell(cls.salesman, 1000.0, cls._day(cls.last_month, 3))
        cls._sell(cls.salesman, 500.0, cls._day(cls.last_month, 20))
        cls._sell(
            cls.salesman2, 300.0, cls._day(cls.last_month, 5), partner=cls.customer2
        )
        cls._sell(cls.salesman, 600.0, cls._day(cls.this_month, 1))
        # same month last year: 400 for salesman
        cls._sell(cls.salesman, 400.0, cls._day(add_months(cls.this_month, -12), 2))
        # not counted: ungoverned team, quotation not confirmed
        cls._sell(cls.salesman, 9999.0, cls._day(cls.this_month, 1), team=cls.team_free)
        cls._create_order(lines=[(cls.service, 1, 7777.0)])

    def _target(self, user=None, amount=1000.0, month=None, **kw):
        vals = {
            "target_type": "user" if user else "team",
            "user_id": user.id if user else False,
            "team_id": self.team.id,
            "month": month or self.this_month,
            "amount_sales": amount,
        }
        vals.update(kw)
        return self.Target.with_user(self.sales_manager).create(vals)

    # ------------------------------------------------------------------ growth rule
    def test_growth_proposal_from_actuals(self):
        self.assertEqual(self.company.sg_target_growth_pct, 10.0)
        wizard = Form(
            self.env["sale.governance.target.proposal"].with_user(self.sales_manager)
        )
        wizard.team_id = self.team
        wizard.base_month = self.last_month
        self.assertEqual(wizard.growth_pct, 10.0)
        self.assertEqual(wizard.target_month, self.this_month)
        wizard.save().action_propose()
        targets = self.Target.search(
            [("team_id", "=", self.team.id), ("month", "=", self.this_month)]
        )
        amounts = {(t.target_type, t.user_id): t.amount_sales for t in targets}
        self.assertAlmostEqual(amounts[("user", self.salesman)], 1650.0)  # 1,500 × 1.1
        self.assertAlmostEqual(amounts[("user", self.salesman2)], 330.0)
        self.assertAlmostEqual(amounts[("user", self.sales_manager)], 0.0)
        self.assertAlmostEqual(
            amounts[("team", self.env["res.users"])], 1980.0
        )  # 1,800 × 1.1
        self.assertTrue(all(t.state == "draft" for t in targets))
        # the manager edits; proposing again with another growth updates draft targets
        # only
        mine = targets.filtered(lambda t: t.user_id == self.salesman)
        mine.with_user(self.sales_manager).action_submit()
        self.env["sale.governance.target.proposal"].with_user(
            self.sales_manager
        ).create(
            {"team_id": self.team.id, "base_month": self.last_month, "growth_pct": 20.0}
        ).action_propose()
        self.assertAlmostEqual(mine.amount_sales, 1650.0)
        self.assertAlmostEqual(
            targets.filtered(lambda t: t.user_id == self.salesman2).amount_sales, 360.0
        )
        self.assertEqual(
            len(
                self.Target.search(
                    [("team_id", "=", self.team.id), ("month", "=", self.this_month)]
                )
            ),
            4,
        )

    def test_growth_setting(self):
        self.company.sg_target_growth_pct = 5.0
        targets = self.Target._propose_targets(self.team, self.last_month, 5.0)
        self.assertAlmostEqual(
            targets.filtered(lambda t: t.user_id == self.salesman).amount_sales, 1575.0
        )
        with self.assertRefused(ValidationError, "above -100"):
            self.company.sg_target_growth_pct = -100.0

    def test_salesperson_cannot_propose(self):
        wizard = self.env["sale.governance.target.proposal"].create(
            {"team_id": self.team.id, "base_month": self.last_month}
        )
        with self.assertRefused(UserError, "sales manager"):
            wizard.with_user(self.salesman).action_propose()

    # ------------------------------------------------------------------ split
    def test_split_must_add_up(self):
        team_target = self._target(amount=2000.0)
        self._target(self.salesman, 1200.0)
        s2 = self._target(self.salesman2, 500.0)
        self.assertAlmostEqual(team_target.split_amount, 1700.0)
        self.assertAlmostEqual(team_target.split_difference, 300.0)
        s2.amount_sales = 800.0
        team_target.invalidate_recordset(["split_amount", "split_difference"])
        self.assertAlmostEqual(team_target.split_difference, 0.0)
        # another month's targets do not count
        self._target(self.salesman, 999.0, month=self.last_month)
        team_target.invalidate_recordset(["split_amount", "split_difference"])
        self.assertAlmostEqual(team_target.split_amount, 2000.0)

    def test_one_target_per_person_and_month(self):
        self._target(self.salesman)
        with self.assertRefused(ValidationError, "already has a target"):
            self._target(self.salesman, 5.0, month=self._day(self.this_month, 15))
        with self.assertRefused(ValidationError, "negative"):
            self._target(self.salesman2, -1.0)

    def test_month_stored_as_first_day(self):
        target = self._target(self.salesman, month=self._day(self.this_month, 17))
        self.assertEqual(target.month, self.this_month)

    # ------------------------------------------------------------------ achievement
    def test_achievement_from_confirmed_governed_orders(self):
        target = self._target(self.salesman, 1200.0)
        last = self._target(self.salesman, 1000.0, month=self.last_month)
        team_last = self._target(amount=2000.0, month=self.last_month)
        self.assertAlmostEqual(target.actual_sales, 600.0)
        self.assertAlmostEqual(target.achievement_pct, 50.0)
        self.assertAlmostEqual(target.last_month_sales, 1500.0)
        self.assertAlmostEqual(target.growth_month_pct, -60.0)
        self.assertAlmostEqual(target.last_year_sales, 400.0)
        self.assertAlmostEqual(target.growth_year_pct, 50.0)
        self.assertAlmostEqual(last.actual_sales, 1500.0)
        self.assertAlmostEqual(last.achievement_pct, 150.0)
        self.assertAlmostEqual(team_last.actual_sales, 1800.0)
        self.assertAlmostEqual(team_last.achievement_pct, 90.0)
        # the salesperson reads their own target and its achievement
        self.assertAlmostEqual(target.with_user(self.salesman).achievement_pct, 50.0)
        # stored copy for pivot and graph
        (target | last).action_refresh_figures()
        self.assertAlmostEqual(last.stat_actual_sales, 1500.0)
        self.assertAlmostEqual(last.stat_achievement_pct, 150.0)

    def test_achievement_invoiced_and_collected(self):
        target = self._target(
            self.salesman, 1000.0, amount_invoiced=800.0, amount_collected=400.0
        )
        self._invoice(self.salesman, 600.0, self._day(self.this_month, 1), pay=200.0)
        self._invoice(self.salesman, 200.0, self._day(self.this_month, 1))
        self._invoice(self.salesman2, 300.0, self._day(self.this_month, 1), pay=300.0)
        self.assertAlmostEqual(target.actual_invoiced, 800.0)
        self.assertAlmostEqual(target.invoiced_pct, 100.0)
        self.assertAlmostEqual(target.actual_collected, 200.0)
        self.assertAlmostEqual(target.collected_pct, 50.0)

    def test_achievement_query_count_independent_of_targets(self):
        users = [self.salesman, self.salesman2, self.sales_manager]
        small = self.Target.browse()
        for user in users[:1]:
            small |= self._target(user)
        many = small
        for month_offset in range(1, 6):
            for user in users:
                many |= self._target(
                    user, month=add_months(self.this_month, -month_offset)
                )
        with self.count_queries() as c_small:
            small.mapped("achievement_pct")
        with self.count_queries() as c_many:
            many.mapped("achievement_pct")
        self.assertEqual(len(many), 16)
        self.assertEqual(c_small.count, c_many.count)

    # ------------------------------------------------------------------ workflow and
    # roles
    def test_workflow_submit_approve_tracked(self):
        target = self._target(self.salesman)
        target.with_user(self.sales_manager).action_submit()
        self.assertEqual(target.state, "submitted")
        target.with_user(self.executive).action_approve()
        # the state and the decision are tracked fields of the chatter
        self.assertTrue(self.Target._fields["state"].tracking)
        self.assertTrue(self.Target._fields["approved_by_id"].tracking)

    def test_salesperson_reads_own_targets_only(self):
        mine = self._target(self.salesman)
        other = self._target(self.salesman2)
        team_target = self._target()
        visible = self.Target.with_user(self.salesman).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(other, visible)
        self.assertNotIn(team_target, visible)
        with (
            self.assertRefused(AccessError),
            self.assertUnchanged(mine, ["amount_sales"]),
        ):
            mine.with_user(self.salesman).write({"amount_sales": 1.0})
        with self.assertRefused(AccessError):
            self.Target.with_user(self.salesman).create(
                {
                    "user_id": self.salesman.id,
                    "team_id": self.team.id,
                    "amount_sales": 5.0,
                    "month": add_months(self.this_month, 3),
                }
            )

    def test_salesperson_cannot_approve(self):
        target = self._target(self.salesman)
        target.with_user(self.sales_manager).action_submit()
        ctx = ATTACK_CONTEXT
        with self.assertUnchanged(target, ["state", "approved_by_id"]):
            with self.assertRefused(UserError, "executive"):
                target.with_user(self.salesman).with_context(**ctx).action_approve()
            with self.assertRefused(UserError):
                target.with_user(self.salesman).with_context(**ctx).write(
                    {"state": "approved"}
                )
            with self.assertRefused(UserError, "executive"):
                target.with_user(self.sales_manager).action_approve()
            with self.assertRefused(UserError, "cannot be set directly"):
                target.with_user(self.sales_manager).with_context(**ctx).write(
                    {"state": "approved"}
                )

    def test_executive_cannot_approve_own_target(self):
        target = self.Target.with_user(self.executive).create(
            {
                "user_id": self.executive.id,
                "team_id": self.team.id,
                "amount_sales": 10.0,
            }
        )
        target.with_user(self.sales_manager).action_submit()
        with (
            self.assertRefused(UserError, "your own target"),
            self.assertUnchanged(target, ["state"]),
        ):
            target.with_user(self.executive).action_approve()

    def test_approved_target_frozen(self):
        target = self._target(self.salesman)
        target.with_user(self.sales_manager).action_submit()
        target.with_user(self.executive).action_approve()
        with self.assertUnchanged(target, ["amount_sales", "state", "user_id"]):
            with self.assertRefused(UserError, "no\\s+longer change"):
                target.with_user(self.sales_manager).write({"amount_sales": 1.0})
            with self.assertRefused(UserError, "no\\s+longer change"):
                target.with_user(self.sales_manager).with_context(
                    sale_governance_internal_write=True
                ).write({"amount_sales": 1.0})
            with self.assertRefused(UserError, "executive"):
                target.with_user(self.sales_manager).action_reset_draft()
            with self.assertRefused(UserError, "executive"):
                target.with_user(self.sales_manager).unlink()
        target.with_user(self.executive).action_reset_draft()
        self.assertEqual(target.state, "draft")
        target.with_user(self.sales_manager).amount_sales = 1.0
        self.assertEqual(target.amount_sales, 1.0)

    def test_manager_sees_own_team_only(self):
        other_team = self.env["crm.team"].create(
            {"name": "Other Team", "governed": True}
        )
        foreign = self.Target.create(
            {
                "user_id": self.salesman2.id,
                "team_id": other_team.id,
                "amount_sales": 10.0,
            }
        )
        own = self._target(self.salesman)
        visible = self.Target.with_user(self.sales_manager).search([])
        self.assertIn(own, visible)
        self.assertNotIn(foreign, visible)
        self.assertIn(foreign, self.Target.with_user(self.executive).search([]))


@tagged("post_install", "-at_install")
class TestDashboardTarget(SalesManagementCase):
    def test_own_target_on_sales_dashboard(self):
        self.Target.create(
            {
                "user_id": self.salesman.id,
                "team_id": self.team.id,
                "month": self.this_month,
                "amount_sales": 800.0,
            }
        )
        self._sell(self.salesman, 200.0, self.today)
        team = self.team.with_user(self.salesman)
        self.assertAlmostEqual(team.sg_my_target_amount, 800.0)
        self.assertAlmostEqual(team.sg_my_target_actual, 200.0)
        self.assertAlmostEqual(
            self.team.with_user(self.salesman2).sg_my_target_amount, 0.0
        )
