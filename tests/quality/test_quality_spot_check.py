import random
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ...models.quality.spot_check import draw_dates, period_bounds
from .common import QualityGateCase


@tagged("post_install", "-at_install")
class TestQualitySpotCheck(QualityGateCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a company of our own: demo stock of other products does not disturb the draws
        cls.company2 = cls.env["res.company"].create({"name": "Spot Check Co."})
        cls.env.user.company_ids |= cls.company2
        cls.qc_inspector.company_ids |= cls.company2
        cls.warehouse2 = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company2.id)]
        )
        cls.stock2 = cls.warehouse2.lot_stock_id
        cls.spot_products = cls.env["product.product"].create(
            [
                {"name": f"Spot {i}", "is_storable": True, "company_id": False}
                for i in range(6)
            ]
        )
        Quant = cls.env["stock.quant"].with_company(cls.company2)
        for i, product in enumerate(cls.spot_products[:5]):
            Quant._update_available_quantity(product, cls.stock2, 10 + i)
        # product 6 has no stock; one product sits in quarantine only
        cls.quarantined = cls.env["product.product"].create(
            {"name": "Only quarantined", "is_storable": True}
        )
        Quant._update_available_quantity(
            cls.quarantined, cls.warehouse2.sg_quarantine_location_id, 3
        )

    def _spot(self, count, seed):
        return self.Inspection._sg_create_spot_checks(
            self.company2, count, rng=random.Random(seed)
        )

    def test_spot_checks_created_for_stock_on_hand(self):
        checks = self._spot(3, 1)
        self.assertEqual(len(checks), 3)
        self.assertEqual(set(checks.mapped("kind")), {"spot"})
        self.assertEqual(set(checks.mapped("state")), {"todo"})
        self.assertEqual(checks.location_id, self.stock2)
        self.assertTrue(set(checks.product_id.ids) <= set(self.spot_products[:5].ids))
        for check in checks:
            self.assertEqual(
                check.quantity, 10 + self.spot_products.ids.index(check.product_id.id)
            )
            self.assertEqual(check.sample_size, 1)
        self.assertIn(self.qc_inspector, checks.activity_ids.user_id)

    def test_spot_check_todos_for_the_joint_group(self):
        member = new_test_user(
            self.env,
            login="t_joint_member_spot",
            company_id=self.company2.id,
            company_ids=[(6, 0, (self.company | self.company2).ids)],
            groups="base.group_user,sale_governance.group_quality_joint_member",
        )
        checks = self._spot(2, 3)
        self.assertIn(member, checks.activity_ids.user_id)
        self.assertIn(self.qc_inspector, checks.activity_ids.user_id)

    def test_randomness_bounds(self):
        # never more than asked, never more than candidates, never twice the same
        # product, never a product without stock or only in quarantine, no new check
        # while one is open
        checks = self._spot(50, 2)
        self.assertEqual(len(checks), 5)
        self.assertEqual(len(checks.product_id), 5)
        self.assertNotIn(self.spot_products[5], checks.product_id)
        self.assertNotIn(self.quarantined, checks.product_id)
        self.assertFalse(self._spot(5, 3), "all products have an open spot check")
        self.assertFalse(self._spot(0, 4))

    def test_weighted_towards_not_recently_checked(self):
        products = self.spot_products[:5]
        weights = self.Inspection._sg_spot_check_weights(products)
        self.assertEqual(
            set(weights.values()), {181.0}, "never checked: maximum weight"
        )
        recent = self._spot(1, 5)
        self.Inspection.browse(recent.ids)._sg_protected_write({"state": "cancel"})
        weights = self.Inspection._sg_spot_check_weights(products)
        self.assertEqual(
            weights[recent.product_id], 1.0, "checked today: minimum weight"
        )
        # over many draws of one product, the recently checked one is rarely picked
        rng = random.Random(42)
        picks = [
            self.Inspection._sg_pick_weighted(weights, 1, rng)[0] for _i in range(2000)
        ]
        share = picks.count(recent.product_id) / len(picks)
        self.assertLess(share, 0.02)
        others = [picks.count(p) / len(picks) for p in products - recent.product_id]
        self.assertTrue(all(0.18 < s < 0.32 for s in others), others)
        # different seeds give different choices
        draws = {
            tuple(
                p.id
                for p in self.Inspection._sg_pick_weighted(weights, 2, random.Random(s))
            )
            for s in range(20)
        }
        self.assertGreater(len(draws), 1)
        self.assertLess(fields.Datetime.now() - recent.create_date, timedelta(days=1))

    def test_failed_spot_check_to_quarantine_on_confirmation(self):
        check = self._spot(1, 7)
        product = check.product_id
        on_hand = check.quantity
        self.assertTrue(check.activity_ids)
        self._record(check, on_hand - 4, 4)
        self.assertFalse(check.activity_ids, "the inspectors' to-dos are done")
        self.assertEqual(
            self._qty(product, self.stock2),
            on_hand,
            "nothing moves before confirmation",
        )
        with self.assertRaises(AccessError):
            check.with_user(self.warehouse_user).write({"quarantine_move_id": False})
        with self.assertRaises(UserError):
            check.with_user(self.warehouse_user).action_quarantine()
        check.with_user(self.qc_inspector).with_company(
            self.company2
        ).action_quarantine()
        self.assertEqual(self._qty(product, self.stock2), on_hand - 4)
        self.assertEqual(
            self._qty(product, self.warehouse2.sg_quarantine_location_id), 4
        )
        self.assertEqual(check.quarantine_move_id.state, "done")
        with self.assertRaisesRegex(UserError, "already"):
            check.with_user(self.qc_inspector).action_quarantine()

    # ------------------------------------------------------------ the irregular
    # schedule
    def test_draw_two_dates_per_month_within_each_half_reproducible(self):
        for month in range(1, 13):
            dates = draw_dates("seed-A", 2026, month, 2)
            self.assertEqual(len(dates), 2)
            (first_start, first_end), (second_start, second_end) = period_bounds(
                2026, month, 2
            )
            self.assertTrue(first_start <= dates[0] <= first_end, dates)
            self.assertTrue(second_start <= dates[1] <= second_end, dates)
            self.assertEqual(first_end.day, 15 if month != 2 else 14)
            self.assertEqual(
                dates, draw_dates("seed-A", 2026, month, 2), "reproducible"
            )
        year_a = [draw_dates("seed-A", 2026, m, 2) for m in range(1, 13)]
        year_b = [draw_dates("seed-B", 2026, m, 2) for m in range(1, 13)]
        self.assertNotEqual(year_a, year_b, "another company's seed draws other days")
        self.assertEqual(len(draw_dates("seed-A", 2026, 5, 3)), 3)

    def test_cron_creates_checks_on_the_drawn_day_only(self):
        Plan = self.env["sale.governance.spot.check.plan"]
        self.company2.sg_spot_check_count = 2
        day = date(2026, 3, 1)
        plans = Plan._sg_plan_month(self.company2, day)
        self.assertEqual(len(plans), 2)
        self.assertEqual(
            plans.sorted("period").mapped("planned_date"),
            draw_dates(self.company2.sudo().sg_spot_check_seed, 2026, 3, 2),
        )
        first = plans.sorted("period")[0]

        def count():
            return self.Inspection.search_count(
                [("company_id", "=", self.company2.id), ("kind", "=", "spot")]
            )

        if first.planned_date.day > 1:
            self.Inspection._cron_spot_checks(
                today=first.planned_date - timedelta(days=1)
            )
            self.assertEqual(count(), 0, "nothing before the drawn day")
            self.assertEqual(first.state, "planned")
        self.Inspection._cron_spot_checks(today=first.planned_date)
        self.assertEqual(count(), 2)
        self.assertEqual(first.state, "done")
        self.assertEqual(len(first.inspection_ids), 2)
        self.assertEqual(
            first.inspection_ids.activity_ids.user_id & self.qc_inspector,
            self.qc_inspector,
        )
        self.Inspection._cron_spot_checks(today=first.planned_date)
        self.assertEqual(count(), 2, "one run per drawn day")
        # next month: the second half's plan that never ran is history ("missed")
        second = plans - first
        self.Inspection._cron_spot_checks(today=date(2026, 4, 1))
        self.assertEqual(second.state, "missed")
        self.assertEqual(
            len(
                Plan.search(
                    [
                        ("company_id", "=", self.company2.id),
                        ("month", "=", date(2026, 4, 1)),
                    ]
                )
            ),
            2,
        )

    def test_schedule_settings_and_history_access(self):
        self.company2.sg_spot_checks_per_month = 3
        plans = self.env["sale.governance.spot.check.plan"]._sg_plan_month(
            self.company2, date(2026, 6, 10)
        )
        self.assertEqual(len(plans), 3)
        with self.assertRaises(ValidationError):
            self.company2.sg_spot_checks_per_month = 0
        for user in (self.qc_inspector, self.warehouse_user):
            with self.assertRaises(AccessError):
                plans.with_user(user).read(["planned_date"])
        with self.assertRaises(AccessError):
            self.company2.with_user(self.qc_inspector).read(["sg_spot_check_seed"])
        with self.assertRaises(UserError):
            plans[:1].with_user(self.gov_admin).write(
                {"planned_date": date(2026, 6, 1)}
            )

    def test_spot_check_selection_query_count_is_bounded(self):
        products = self.env["product.product"].create(
            [{"name": f"Bulk spot {i}", "is_storable": True} for i in range(60)]
        )
        company3 = self.env["res.company"].create({"name": "Spot Bulk Co."})
        self.env.user.company_ids |= company3
        stock3 = (
            self.env["stock.warehouse"]
            .search([("company_id", "=", company3.id)])
            .lot_stock_id
        )
        Quant = self.env["stock.quant"].with_company(company3)

        def run(count):
            for product in products[:count]:
                Quant._update_available_quantity(product, stock3, 5)
            self.Inspection.search(
                [("company_id", "=", company3.id)]
            )._sg_protected_write({"state": "cancel"})
            with self.count_queries() as queries:
                checks = self.Inspection.with_company(company3)._sg_create_spot_checks(
                    company3, 5, rng=random.Random(count)
                )
            self.assertEqual(len(checks), 5)
            return queries.count

        run(8)  # warm-up
        small, big = run(10), run(60)
        self.assertLessEqual(
            big, small + 2, f"spot-check selection: {small} vs {big} queries"
        )
