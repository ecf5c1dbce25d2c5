"""Key Accounts screens (issue 14): matrix order, customers only, the matrix data and
picture."""

import ast

from lxml import html

from odoo.tests import tagged

from .test_tiering import TieringCase

MATRIX_ORDER = ["star", "question", "cash_cow", "dog", "unclassified"]


@tagged("post_install", "-at_install")
class TestTieringScreens(TieringCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.all_customers.action_ka_recompute()
        cls.action = cls.env.ref("sale_governance.res_partner_action_key_accounts")

    def _key_accounts(self, user=None):
        Partner = self.env["res.partner"].with_user(user or self.env.user)
        return Partner.search(ast.literal_eval(self.action.domain))

    def test_columns_in_matrix_order_even_when_empty(self):
        self.assertFalse(
            self.env["res.partner"].search_count(
                [("ka_quadrant", "=", "star"), ("id", "=", 0)]
            )
        )
        groups = self.env["res.partner"].read_group(
            [("id", "in", self.dog.ids)], ["ka_quadrant"], ["ka_quadrant"]
        )
        self.assertEqual(
            [g["ka_quadrant"] for g in groups],
            MATRIX_ORDER,
            "every quadrant, empty ones too",
        )
        self.assertEqual([g["ka_quadrant_count"] for g in groups], [0, 0, 0, 1, 0])

    def test_customers_only(self):
        accounts = self._key_accounts()
        self.assertIn(self.star, accounts)
        self.assertNotIn(
            self.star_contact, accounts, "contact persons are not key accounts"
        )
        self.assertNotIn(
            self.company.partner_id, accounts, "nor the company's own partner"
        )
        self.assertNotIn(self.salesman.partner_id, accounts, "nor the users")
        views = dict((mode, view) for view, mode in self.action.views)
        self.assertEqual(
            views["kanban"],
            self.env.ref("sale_governance.res_partner_view_kanban_ka").id,
        )
        self.assertNotIn(
            "group_by", self.action.context, "the pivot keeps its salesperson rows"
        )

    def test_new_customers_are_scored_without_chatter_noise(self):
        newcomer = self.env["res.partner"].create(
            {"name": "Just Registered", "is_company": True}
        )
        messages = len(newcomer.message_ids)
        self.env["res.partner"]._cron_ka_recompute()
        self.assertEqual(newcomer.ka_quadrant, "unclassified")
        self.assertEqual(
            len(newcomer.message_ids), messages, "nothing to score is not worth a note"
        )

    def test_matrix_data_for_the_view(self):
        data = self.env["res.partner"].with_user(self.salesman).ka_matrix_data()
        points = {p["id"]: p for p in data["points"]}
        self.assertEqual(
            set(points) & set(self.all_customers.ids),
            set((self.all_customers - self.unclassified).ids),
        )
        star = points[self.star.id]
        self.assertEqual(
            (star["attract"], star["position"]),
            (
                round(self.star.ka_attract_score, 1),
                round(self.star.ka_position_score, 1),
            ),
        )
        self.assertEqual(star["quadrant"], "star")
        self.assertEqual(data["attract_threshold"], 50.0)
        self.assertGreater(
            star["radius"],
            points[self.dog.id]["radius"],
            "the dot grows with invoiced sales",
        )
        # Another salesperson's customers stay out of sight.
        self.all_customers.user_id = self.salesman2
        restricted = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .ka_matrix_data([("user_id", "=", self.salesman.id)])
        )
        self.assertFalse(
            {p["id"] for p in restricted["points"]} & set(self.all_customers.ids)
        )

    def test_matrix_shows_customers_only(self):
        self.company.partner_id._sg_protected_write({"ka_quadrant": "dog"})
        points = {p["id"] for p in self.env["res.partner"].ka_matrix_data()["points"]}
        self.assertIn(self.star.id, points)
        self.assertNotIn(self.company.partner_id.id, points)
        self.assertNotIn(self.star_contact.id, points)
        action_domain = ast.literal_eval(self.action.domain)
        self.assertEqual(
            action_domain, self.env["res.partner"]._sg_ka_customer_domain()
        )

    def test_matrix_query_count_independent_of_customers(self):
        Partner = self.env["res.partner"]
        Partner._sg_ka_matrix_points(
            self.question, self.company
        )  # warm-up (labels, company)
        with self.count_queries() as small:
            Partner._sg_ka_matrix_points(self.star | self.dog, self.company)
        with self.count_queries() as large:
            Partner._sg_ka_matrix_points(self.all_customers, self.company)
        self.assertEqual(small.count, large.count)

    def test_matrix_picture_in_the_pdf(self):
        content, _type = self.env["ir.actions.report"]._render_qweb_html(
            "sale_governance.action_report_ka_matrix", self.all_customers.ids
        )
        tree = html.fromstring(content)
        circles = tree.xpath("//svg//circle")
        self.assertEqual(
            sorted(int(c.get("data-partner-id")) for c in circles),
            sorted((self.all_customers - self.unclassified).ids),
        )
        self.assertEqual(
            len(tree.xpath("//svg//line[contains(@class, 'o_ka_threshold')]")), 2
        )
        self.assertEqual(
            sorted(
                r.get("data-quadrant")
                for r in tree.xpath("//svg//rect[@data-quadrant]")
            ),
            sorted(["star", "question", "cash_cow", "dog"]),
        )
        self.assertIn("KA Star", tree.xpath("//svg")[0].text_content())
