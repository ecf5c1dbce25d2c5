"""Jobs at scale (issue 13): visit scheduling and the recomputation's chatter notes cost
a number of queries that does not depend on the number of customers, and produce what
Odoo's own ``activity_schedule`` / ``_message_log_batch`` would."""

from datetime import timedelta

from odoo.tests import tagged

from .test_tiering import TieringCase

VISIT = "sale_governance.mail_activity_type_customer_visit"


@tagged("post_install", "-at_install")
class TestTieringJobs(TieringCase):
    def _due_customers(self, count, prefix):
        partners = self.env["res.partner"].create(
            [self._ka_vals(f"{prefix} {i}", 1000.0, "many") for i in range(count)]
        )
        # straight to a quadrant with a visit interval, never visited
        partners._sg_protected_write({"ka_quadrant": "question"})
        return partners

    def _visits(self, partners):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                ("activity_type_id", "=", self.env.ref(VISIT).id),
            ]
        )

    def test_visit_scheduling_queries_do_not_grow(self):
        Partner = self.env["res.partner"]
        today = self.today
        visit_type = self.env.ref(VISIT)
        Partner._sg_ka_schedule_visits(
            visit_type, today
        )  # warm-up: the customers of the setup
        counts = []
        for count, prefix in ((3, "Warm"), (10, "Small"), (60, "Large")):
            partners = self._due_customers(count, prefix)
            with self.count_queries() as counter:
                scheduled = Partner._sg_ka_schedule_visits(visit_type, today)
            self.assertEqual(scheduled, partners)
            counts.append(counter.count)
        self.assertEqual(counts[1], counts[2], "60 visits cost the queries of 10")
        self.assertLessEqual(counts[2], 25)

    def test_bulk_visits_are_real_activities(self):
        partners = self._due_customers(3, "Bulk")
        self.env["res.partner"]._cron_ka_schedule_visits()
        visits = self._visits(partners)
        self.assertEqual(len(visits), 3)
        policy = self.env.ref("sale_governance.tier_policy_question")
        for visit in visits:
            self.assertEqual(visit.user_id, self.salesman)
            self.assertEqual(visit.res_model, "res.partner")
            self.assertEqual(
                visit.res_name,
                self.env["res.partner"].browse(visit.res_id).display_name,
            )
            self.assertEqual(visit.date_deadline, self.today)
            self.assertIn(policy.name, visit.summary)
            self.assertIn("improve the relationship", str(visit.note))
            self.assertTrue(visit.automated)
        # the salesperson follows the customers (default subtypes), sees and completes
        # the visits
        partner = partners[0]
        follower = partner.message_follower_ids.filtered(
            lambda f: f.partner_id == self.salesman.partner_id
        )
        self.assertTrue(follower.subtype_ids)
        mine = (
            self.env["mail.activity"]
            .with_user(self.salesman)
            .search([("id", "in", visits.ids)])
        )
        self.assertEqual(mine, visits)
        self.assertEqual(
            partner.with_user(self.salesman).activity_ids,
            visits.filtered(lambda a: a.res_id == partner.id),
        )
        visited = self.env["res.partner"].browse(visits[0].res_id)
        visits[0].with_user(self.salesman).action_feedback(feedback="Visited")
        self.assertEqual(visited.ka_last_visit_date, self.today)
        # a customer visited yesterday is not due again
        self.env["res.partner"]._cron_ka_schedule_visits()
        self.assertEqual(len(self._visits(partners)), 2)

    def test_recompute_notes_are_chatter_notes(self):
        self.dog.ka_potential = 1000.0
        self.dog.action_ka_recompute()
        note = self.dog.message_ids[:1]
        self.assertEqual(note.message_type, "notification")
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual(note.author_id, self.env.user.partner_id)
        self.assertIn("Question", note.body)
        # the text is escaped, never interpreted
        self.dog._sg_log_notes({self.dog.id: "<script>alert(1)</script>"})
        self.assertIn("&lt;script&gt;", self.dog.message_ids[:1].body)

    def test_visit_due_after_the_interval_only(self):
        partners = self._due_customers(2, "Interval")
        partners[0].ka_last_visit_date = self.today - timedelta(days=5)
        scheduled = self.env["res.partner"]._sg_ka_schedule_visits(
            self.env.ref(VISIT), self.today
        )
        self.assertEqual(scheduled & partners, partners[1])
