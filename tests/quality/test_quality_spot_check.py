import random
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

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
        cls.warehouse2 = cls.env["stock.warehouse"].search([("company_id", "=", cls.company2.id)])
        cls.stock2 = cls.warehouse2.lot_stock_id
        cls.spot_products = cls.env["product.product"].create(
            [{"name": f"Spot {i}", "is_storable": True, "company_id": False} for i in range(6)]
        )
        Quant = cls.env["stock.quant"].with_company(cls.company2)
        for i, product in enumerate(cls.spot_products[:5]):
            Quant._update_available_quantity(product, cls.stock2, 10 + i)
        # product 6 has no stock; one product sits in quarantine only
        cls.quarantined = cls.env["product.product"].create({"name": "Only quarantined", "is_storable": True})
        Quant._update_available_quantity(cls.quarantined, cls.warehouse2.sg_quarantine_location_id, 3)

    def _spot(self, count, seed):
        return self.Inspection._sg_create_spot_checks(self.company2, count, rng=random.Random(seed))

    def test_spot_checks_created_for_stock_on_hand(self):
        checks = self._spot(3, 1)
        self.assertEqual(len(checks), 3)
        self.assertEqual(set(checks.mapped("kind")), {"spot"})
        self.assertEqual(set(checks.mapped("state")), {"todo"})
        self.assertEqual(checks.location_id, self.stock2)
        self.assertTrue(set(checks.product_id.ids) <= set(self.spot_products[:5].ids))
        for check in checks:
            self.assertEqual(check.quantity, 10 + self.spot_products.ids.index(check.product_id.id))
            self.assertEqual(check.sample_size, 1)
        self.assertIn(self.qc_inspector, checks.activity_ids.user_id)

    def test_randomness_bounds(self):
        # never more than asked, never more than candidates, never twice the same product, never
        # a product without stock or only in quarantine, no new check while one is open
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
        self.assertEqual(set(weights.values()), {181.0}, "never checked: maximum weight")
        recent = self._spot(1, 5)
        self.Inspection.browse(recent.ids).with_context(sg_inspection_internal=True).write(
            {"state": "cancel"}
        )
        weights = self.Inspection._sg_spot_check_weights(products)
        self.assertEqual(weights[recent.product_id], 1.0, "checked today: minimum weight")
        # over many draws of one product, the recently checked one is rarely picked
        rng = random.Random(42)
        picks = [self.Inspection._sg_pick_weighted(weights, 1, rng)[0] for _i in range(2000)]
        share = picks.count(recent.product_id) / len(picks)
        self.assertLess(share, 0.02)
        others = [picks.count(p) / len(picks) for p in products - recent.product_id]
        self.assertTrue(all(0.18 < s < 0.32 for s in others), others)
        # different seeds give different choices
        draws = {tuple(p.id for p in self.Inspection._sg_pick_weighted(weights, 2, random.Random(s)))
                 for s in range(20)}
        self.assertGreater(len(draws), 1)
        self.assertLess(fields.Datetime.now() - recent.create_date, timedelta(days=1))

    def test_failed_spot_check_to_quarantine_on_confirmation(self):
        check = self._spot(1, 7)
        product = check.product_id
        on_hand = check.quantity
        self.assertTrue(check.activity_ids)
        self._record(check, on_hand - 4, 4)
        self.assertFalse(check.activity_ids, "the inspectors' to-dos are done")
        self.assertEqual(self._qty(product, self.stock2), on_hand, "nothing moves before confirmation")
        with self.assertRaises(AccessError):
            check.with_user(self.warehouse_user).write({"quarantine_move_id": False})
        with self.assertRaises(UserError):
            check.with_user(self.warehouse_user).action_quarantine()
        check.with_user(self.qc_inspector).with_company(self.company2).action_quarantine()
        self.assertEqual(self._qty(product, self.stock2), on_hand - 4)
        self.assertEqual(self._qty(product, self.warehouse2.sg_quarantine_location_id), 4)
        self.assertEqual(check.quarantine_move_id.state, "done")
        with self.assertRaisesRegex(UserError, "already"):
            check.with_user(self.qc_inspector).action_quarantine()

    def test_cron_and_interval_setting(self):
        cron = self.env.ref("sale_governance.ir_cron_spot_checks")
        self.assertEqual((cron.interval_number, cron.interval_type), (15, "days"))
        settings = self.env["res.config.settings"].create({"sg_spot_check_interval": 10})
        settings.execute()
        self.assertEqual(cron.interval_number, 10)
        self.company2.sg_spot_check_count = 2
        before = self.Inspection.search_count([("company_id", "=", self.company2.id)])
        self.Inspection._cron_spot_checks()
        after = self.Inspection.search_count([("company_id", "=", self.company2.id)])
        self.assertEqual(after - before, 2)
