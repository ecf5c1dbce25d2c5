from datetime import timedelta

from lxml import html

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ..common import SaleGovernanceCase


class TieringCase(SaleGovernanceCase):
    """Customers crafted to land in each quadrant with a reference potential of
    1,000."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "ka_potential_reference": 1000.0,
                "ka_weight_potential": 50.0,
                "ka_weight_growth": 30.0,
                "ka_weight_outlook": 20.0,
                "ka_growth_floor": -20.0,
                "ka_growth_ceiling": 30.0,
                "ka_weight_share": 70.0,
                "ka_weight_loyalty": 30.0,
                "ka_loyalty_years": 5.0,
                "ka_attract_threshold": 50.0,
                "ka_position_threshold": 50.0,
            }
        )
        cls.service = cls.env["product.product"].create(
            {
                "name": "KA Service",
                "type": "service",
                "list_price": 100.0,
                "invoice_policy": "order",
            }
        )
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        Partner = cls.env["res.partner"]
        cls.star = Partner.create(cls._ka_vals("KA Star", 1000.0, "many"))
        cls.question = Partner.create(cls._ka_vals("KA Question", 1000.0, "many"))
        cls.cash_cow = Partner.create(cls._ka_vals("KA Cash Cow", 200.0, "limited"))
        cls.dog = Partner.create(cls._ka_vals("KA Dog", 100.0, "limited"))
        cls.unclassified = Partner.create(cls._ka_vals("KA Nothing", 0.0, "moderate"))
        cls.star_contact = Partner.create(
            {"name": "Star Buyer", "parent_id": cls.star.id}
        )
        cls.all_customers = (
            cls.star | cls.question | cls.cash_cow | cls.dog | cls.unclassified
        )
        # star: growth +100 %, 80 % share, customer for 400 days
        cls._sell(cls.star, 800.0, 30)
        cls._sell(cls.star, 400.0, 400)
        cls._invoice(cls.star, 800.0, 30)
        # question: new customer, orders but nothing invoiced yet
        cls._sell(cls.question, 100.0, 10)
        # cash cow: shrinking orders (-20 %), everything it needs bought from us
        cls._sell(cls.cash_cow, 200.0, 30)
        cls._sell(cls.cash_cow, 250.0, 400)
        cls._invoice(cls.cash_cow, 200.0, 30)

    @classmethod
    def _ka_vals(cls, name, potential, outlook):
        return {
            "name": name,
            "is_company": True,
            "user_id": cls.salesman.id,
            "ka_potential": potential,
            "ka_outlook": outlook,
        }

    @classmethod
    def _sell(cls, partner, amount, days_ago, company=None, team=None):
        env = cls.env(
            context=dict(
                cls.env.context, allowed_company_ids=(company or cls.company).ids
            )
        )
        order = env["sale.order"].create(
            {
                "partner_id": partner.id,
                "company_id": (company or cls.company).id,
                "team_id": (team or cls.team_free).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.service.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": False,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return order

    @classmethod
    def _invoice(cls, partner, amount, days_ago, move_type="out_invoice"):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": cls.today - timedelta(days=days_ago),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.service.id,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": False,
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move


@tagged("post_install", "-at_install")
class TestTieringScores(TieringCase):
    def test_quadrants(self):
        self.all_customers.action_ka_recompute()
        self.assertEqual(self.star.ka_quadrant, "star")
        self.assertEqual(self.question.ka_quadrant, "question")
        self.assertEqual(self.cash_cow.ka_quadrant, "cash_cow")
        self.assertEqual(self.dog.ka_quadrant, "dog")
        self.assertEqual(self.unclassified.ka_quadrant, "unclassified")
        # the contact shares its company's quadrant
        self.assertEqual(self.star_contact.ka_quadrant, "star")

    def test_inputs_and_scores_shown(self):
        self.all_customers.action_ka_recompute()
        star = self.star
        self.assertAlmostEqual(star.ka_orders_12m, 800.0)
        self.assertAlmostEqual(star.ka_orders_prev_12m, 400.0)
        self.assertAlmostEqual(star.ka_growth_pct, 100.0)
        self.assertAlmostEqual(star.ka_invoiced_12m, 800.0)
        self.assertEqual(star.ka_first_order_date, self.today - timedelta(days=400))
        self.assertAlmostEqual(star.ka_attract_score, 100.0)
        self.assertAlmostEqual(star.ka_share_score, 80.0)
        self.assertGreater(star.ka_position_score, 50.0)
        self.assertEqual(star.ka_attract_threshold, 50.0)
        self.assertEqual(star.ka_position_threshold, 50.0)
        self.assertTrue(star.ka_score_date)
        self.assertAlmostEqual(self.cash_cow.ka_growth_pct, -20.0)
        self.assertAlmostEqual(self.cash_cow.ka_growth_score, 0.0)
        self.assertEqual(
            star.ka_tier_policy_id, self.env.ref("sale_governance.tier_policy_star")
        )

    def test_credit_note_reduces_invoiced_sales(self):
        self._invoice(self.star, 300.0, 5, move_type="out_refund")
        self.star.action_ka_recompute()
        self.assertAlmostEqual(self.star.ka_invoiced_12m, 500.0)

    def test_thresholds_move_customers(self):
        """The quadrant follows the thresholds of the company settings."""
        self.all_customers.action_ka_recompute()
        self.assertEqual(self.star.ka_quadrant, "star")
        self.company.ka_position_threshold = 70.0
        self.all_customers.action_ka_recompute()
        self.assertEqual(self.star.ka_quadrant, "question", "position about 62.6")
        self.assertEqual(self.cash_cow.ka_quadrant, "cash_cow", "position about 76.6")

    def test_quadrant_change_logged(self):
        self.dog.action_ka_recompute()
        self.dog.ka_potential = 1000.0
        self.dog.action_ka_recompute()
        self.assertEqual(self.dog.ka_quadrant, "question")
        bodies = self.dog.message_ids.mapped("body")
        self.assertTrue(
            any("Dog" in body and "Question" in body for body in bodies), bodies
        )

    def test_nightly_cron_all_customers(self):
        self.env["res.partner"]._cron_ka_recompute()
        self.assertEqual(self.star.ka_quadrant, "star")
        self.assertEqual(self.star_contact.ka_quadrant, "star")
        self.assertEqual(self.dog.ka_quadrant, "dog")
        self.assertEqual(self.unclassified.ka_quadrant, "unclassified")

    def test_new_contact_inherits_quadrant(self):
        self.star.action_ka_recompute()
        contact = self.env["res.partner"].create(
            {"name": "New Buyer", "parent_id": self.star.id}
        )
        self.assertEqual(contact.ka_quadrant, "star")

    def test_multi_company_uses_own_sales(self):
        company2 = self.env["res.company"].create({"name": "KA Second Company"})
        team2 = self.env["crm.team"].create(
            {"name": "Team 2", "company_id": company2.id, "governed": False}
        )
        self._sell(self.dog, 5000.0, 20, company=company2, team=team2)
        self.dog.action_ka_recompute()
        self.assertEqual(
            self.dog.ka_orders_12m, 0.0, "another company's orders do not count"
        )
        self.assertEqual(self.dog.ka_quadrant, "dog")
        dog2 = self.dog.with_company(company2)
        dog2.action_ka_recompute()
        self.assertAlmostEqual(dog2.ka_orders_12m, 5000.0)
        self.assertEqual(
            self.dog.ka_quadrant, "dog", "the first company's quadrant is untouched"
        )

    def test_sale_order_shows_quadrant_and_promotions(self):
        self.star.action_ka_recompute()
        order = self._create_order(partner=self.star_contact)
        self.assertEqual(order.ka_quadrant, "star")
        self.assertEqual(
            order.ka_promotion_type_ids,
            self.env.ref("sale_governance.tier_policy_star").promotion_type_ids,
        )
        self.assertTrue(order.ka_promotion_type_ids)

    def test_salesman_sees_scores(self):
        self.star.action_ka_recompute()
        star = self.star.with_user(self.salesman)
        self.assertEqual(star.ka_quadrant, "star")
        self.assertAlmostEqual(star.ka_attract_score, 100.0)
        # a salesperson may refresh the customers it can edit
        star.action_ka_recompute()


@tagged("post_install", "-at_install")
class TestTieringOverride(TieringCase):
    def test_override_survives_recompute_until_cleared(self):
        self.dog.action_ka_recompute()
        wizard_form = Form(
            self.env["sale.governance.tier.override"]
            .with_user(self.sales_manager)
            .with_context(default_partner_id=self.dog.id)
        )
        wizard_form.quadrant = "star"
        wizard_form.reason = "Strategic reference customer"
        wizard_form.save().action_apply()
        self.assertEqual(self.dog.ka_quadrant, "star")
        self.assertEqual(self.dog.ka_override_reason, "Strategic reference customer")
        self.all_customers.action_ka_recompute()
        self.assertEqual(self.dog.ka_quadrant, "star")
        self.assertEqual(self.dog.ka_computed_quadrant, "dog")
        self.dog.with_user(self.sales_manager).action_ka_clear_override()
        self.assertEqual(self.dog.ka_quadrant, "dog")
        self.assertFalse(self.dog.ka_quadrant_override)
        self.assertFalse(self.dog.ka_override_reason)
        bodies = " ".join(self.dog.message_ids.mapped("body"))
        self.assertIn("Strategic reference customer", bodies)
        self.assertIn("Override cleared", bodies)

    def test_override_needs_reason(self):
        with self.assertRaises(UserError):
            self.dog.with_user(self.sales_manager)._sg_ka_set_override("star", "  ")
        self.assertFalse(self.dog.ka_quadrant_override)

    def test_salesman_cannot_override(self):
        with self.assertRaises(AccessError):
            self.dog.with_user(self.salesman)._sg_ka_set_override("star", "I like them")
        with self.assertRaises(AccessError):
            self.dog.with_user(self.salesman).action_ka_open_override()
        with self.assertRaises(AccessError):
            self.env["sale.governance.tier.override"].with_user(self.salesman).create(
                {"partner_id": self.dog.id, "quadrant": "star", "reason": "x"}
            )
        with self.assertRaises(AccessError):
            self.dog.with_user(self.salesman).write(
                {"ka_quadrant_override": "star", "ka_override_reason": "x"}
            )
        with self.assertRaises(AccessError):
            self.dog.with_user(self.salesman).action_ka_clear_override()
        self.assertFalse(self.dog.ka_quadrant_override)

    def test_computed_fields_not_writable(self):
        with self.assertRaises(UserError):
            self.dog.with_user(self.salesman).write({"ka_quadrant": "star"})
        with self.assertRaises(UserError):
            self.dog.with_user(self.sales_manager).write({"ka_attract_score": 99.0})
        with self.assertRaises(UserError):
            # managers override through the action that asks for the reason
            self.dog.with_user(self.sales_manager).write(
                {"ka_quadrant_override": "star"}
            )
        with self.assertRaises(UserError):
            self.env["res.partner"].with_user(self.salesman).create(
                {"name": "X", "ka_quadrant": "star"}
            )


@tagged("post_install", "-at_install")
class TestTieringRules(TieringCase):
    def test_bad_profile_refused(self):
        with self.assertRaises(ValidationError):
            self.dog.ka_potential = -1.0
        with self.assertRaises(ValidationError):
            self.dog.ka_discount = 150.0
        with self.assertRaises(ValidationError):
            self.dog.ka_credit_days = -5

    def test_bad_settings_refused(self):
        company = self.company.with_user(self.gov_admin)
        for vals in (
            {"ka_weight_growth": -1.0},
            {"ka_attract_threshold": -5.0},
            {"ka_position_threshold": 0.0},
            {"ka_attract_threshold": 120.0},
            {"ka_growth_floor": 40.0, "ka_growth_ceiling": 10.0},
            {"ka_weight_share": 0.0, "ka_weight_loyalty": 0.0},
            {"ka_potential_reference": 0.0},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                company.write(vals)
        company.write({"ka_attract_threshold": 60.0})
        self.assertEqual(self.company.ka_attract_threshold, 60.0)

    def test_settings_through_config(self):
        settings = (
            self.env["res.config.settings"]
            .with_user(self.gov_admin)
            .create({"ka_position_threshold": 70.0})
        )
        settings.execute()
        self.assertEqual(self.company.ka_position_threshold, 70.0)

    def test_only_governance_admin_edits_thresholds(self):
        for user in (self.sales_manager, self.salesman, self.executive):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.company.with_user(user).write({"ka_attract_threshold": 70.0})
        self.assertEqual(self.company.ka_attract_threshold, 50.0)

    def test_tier_policy_access(self):
        policy = self.env.ref("sale_governance.tier_policy_star")
        self.assertTrue(policy.with_user(self.salesman).visit_guidance)
        for user in (self.salesman, self.sales_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                policy.with_user(user).write({"visit_interval_days": 5})
        policy.with_user(self.gov_admin).write({"visit_interval_days": 14})
        self.assertEqual(policy.visit_interval_days, 14)
        with self.assertRaises(ValidationError):
            policy.with_user(self.gov_admin).write({"visit_interval_days": -1})
        with self.assertRaises(AccessError):
            self.env["sale.governance.tier.policy"].with_user(self.gov_admin).create(
                {"name": "Another star", "quadrant": "star"}
            )

    def test_one_policy_per_quadrant(self):
        with self.assertRaises(ValidationError):
            self.env["sale.governance.tier.policy"].create(
                {"name": "Second star", "quadrant": "star"}
            )


@tagged("post_install", "-at_install")
class TestTieringVisits(TieringCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visit_type = cls.env.ref(
            "sale_governance.mail_activity_type_customer_visit"
        )
        cls.archived_star = cls.env["res.partner"].create(
            cls._ka_vals("KA Archived Star", 1000.0, "many")
        )
        cls._sell(cls.archived_star, 800.0, 30)
        cls._sell(cls.archived_star, 400.0, 400)
        cls._invoice(cls.archived_star, 800.0, 30)
        (cls.all_customers | cls.archived_star).action_ka_recompute()
        cls.archived_star.active = False
        cls.dog.user_id = False
        cls.star.ka_last_visit_date = cls.today - timedelta(
            days=10
        )  # star interval 30: not due
        cls.cash_cow.ka_last_visit_date = cls.today - timedelta(
            days=70
        )  # cash cow interval 60: due

    def _visits(self, partners):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                ("activity_type_id", "=", self.visit_type.id),
            ]
        )

    def test_visits_scheduled_once_when_due(self):
        Partner = self.env["res.partner"]
        everybody = self.all_customers | self.archived_star.with_context(
            active_test=False
        )
        Partner._cron_ka_schedule_visits()
        visits = self._visits(everybody)
        self.assertEqual(
            sorted(visits.mapped("res_id")), sorted((self.question | self.cash_cow).ids)
        )
        self.assertEqual(visits.user_id, self.salesman)
        Partner._cron_ka_schedule_visits()
        self.assertEqual(
            self._visits(everybody), visits, "no duplicate while a visit is open"
        )

        # the salesperson completes the visit: the date is recorded and no visit is due
        # any more
        cash_cow_visit = visits.filtered(lambda a: a.res_id == self.cash_cow.id)
        cash_cow_visit.with_user(self.salesman).action_feedback(
            feedback="Visited the plant"
        )
        self.assertEqual(self.cash_cow.ka_last_visit_date, self.today)
        Partner._cron_ka_schedule_visits()
        self.assertFalse(self._visits(self.cash_cow))
        self.assertEqual(len(self._visits(self.question)), 1)

    def test_visit_due_after_interval(self):
        self.env.ref("sale_governance.tier_policy_star").visit_interval_days = 7
        self.env["res.partner"]._cron_ka_schedule_visits()
        self.assertEqual(len(self._visits(self.star)), 1)
        self.assertFalse(self._visits(self.dog), "no salesperson: no visit")


@tagged("post_install", "-at_install")
class TestTieringReport(TieringCase):
    def test_ka_matrix(self):
        self.all_customers.action_ka_recompute()
        content, _type = self.env["ir.actions.report"]._render_qweb_html(
            "sale_governance.action_report_ka_matrix", self.all_customers.ids
        )
        tree = html.fromstring(content)
        for partner, quadrant in (
            (self.star, "star"),
            (self.question, "question"),
            (self.cash_cow, "cash_cow"),
            (self.dog, "dog"),
        ):
            cell = tree.xpath(f"//td[@data-quadrant='{quadrant}']")
            self.assertEqual(len(cell), 1)
            self.assertIn(partner.name, cell[0].text_content())
            others = self.all_customers - partner
            for other in others:
                self.assertNotIn(other.name, cell[0].text_content())
        self.assertIn("Not classified: 1", tree.text_content())


@tagged("post_install", "-at_install")
class TestTieringPerformance(TieringCase):
    def _customers(self, count, prefix):
        partners = self.env["res.partner"].create(
            [self._ka_vals(f"{prefix} {i}", 500.0 + i, "many") for i in range(count)]
        )
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "team_id": self.team_free.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.service.id,
                                "price_unit": 100.0 + i,
                                "tax_id": False,
                            }
                        )
                    ],
                }
                for i, partner in enumerate(partners)
            ]
        )
        orders.action_confirm()
        self.env["res.partner"].create(
            [{"name": f"{p.name} contact", "parent_id": p.id} for p in partners]
        )
        return partners

    def _count(self, partners):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        partners._sg_ka_recompute()
        return self.env.cr.sql_log_count - before

    def test_query_count_independent_of_customers(self):
        self._count(self._customers(3, "Warm-up"))
        small = self._customers(10, "Small")
        large = self._customers(60, "Large")
        count_small = self._count(small)
        count_large = self._count(large)
        self.assertEqual(count_small, count_large)
        self.assertLessEqual(count_large, 30)
        self.assertEqual(set(large.mapped("ka_quadrant")), {"question"})
        # a second run (nothing changes, no chatter) is bounded the same way
        self.assertLessEqual(self._count(large), count_large)
