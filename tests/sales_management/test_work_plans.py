from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SalesManagementCase


@tagged("post_install", "-at_install")
class TestWorkPlans(SalesManagementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visit_type = cls.env.ref(
            "sale_governance.mail_activity_type_customer_visit"
        )
        cls.monday = cls.today - timedelta(days=cls.today.weekday())

    def _plan(self, user=None, **kw):
        user = user or self.salesman
        vals = {
            "user_id": user.id,
            "period_type": "week",
            "date_start": self.monday + timedelta(days=2),
            "objectives": "Win two quotations",
            "line_ids": [
                Command.create(
                    {
                        "line_type": "visit",
                        "partner_id": self.customer.id,
                        "date": self.monday,
                        "purpose": "Present CP-200",
                    }
                ),
                Command.create(
                    {
                        "line_type": "visit",
                        "partner_id": self.customer2.id,
                        "date": self.monday + timedelta(days=1),
                    }
                ),
                Command.create(
                    {
                        "line_type": "quotation",
                        "partner_id": self.customer.id,
                        "date": self.monday + timedelta(days=3),
                    }
                ),
            ],
        }
        vals.update(kw)
        return self.Plan.with_user(user).create(vals)

    def test_plan_period(self):
        plan = self._plan()
        self.assertEqual(plan.date_start, self.monday)
        self.assertEqual(plan.date_end, self.monday + timedelta(days=6))
        self.assertEqual(plan.team_id, self.team)
        monthly = self._plan(period_type="month", date_start=self.today, line_ids=[])
        self.assertEqual(monthly.date_start, self.this_month)
        with self.assertRefused(ValidationError, "must fall between"):
            self._plan(
                line_ids=[
                    Command.create(
                        {
                            "partner_id": self.customer.id,
                            "date": self.monday + timedelta(days=9),
                        }
                    )
                ]
            )

    def test_submit_approve_schedules_visits(self):
        plan = self._plan()
        plan.with_user(self.salesman).action_submit()
        self.assertEqual(plan.state, "submitted")
        self.assertEqual(plan.activity_ids.user_id, self.sales_manager)
        plan.with_user(self.sales_manager).action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.reviewed_by_id, self.sales_manager)
        visits = plan.line_ids.filtered(lambda line: line.line_type == "visit")
        self.assertEqual(len(visits.activity_id), 2)
        activity = visits[0].activity_id
        self.assertEqual(activity.activity_type_id, self.visit_type)
        self.assertEqual(activity.res_model, "res.partner")
        self.assertEqual(activity.res_id, self.customer.id)
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(activity.date_deadline, self.monday)
        self.assertFalse(
            plan.line_ids.filtered(
                lambda line: line.line_type == "quotation"
            ).activity_id
        )
        # approved: the salesperson can no longer change it
        with (
            self.assertUnchanged(plan, ["objectives"]),
            self.assertRefused(UserError, "can no longer"),
        ):
            plan.with_user(self.salesman).write({"objectives": "nothing"})
        with self.assertRefused(UserError, "can no longer"):
            plan.line_ids[0].with_user(self.salesman).write({"purpose": "x"})
        with self.assertRefused(UserError, "can no longer"):
            plan.line_ids[0].with_user(self.salesman).unlink()

    def test_return_with_comment(self):
        plan = self._plan()
        plan.with_user(self.salesman).action_submit()
        wizard = (
            self.env["sale.governance.work.plan.review"]
            .with_user(self.sales_manager)
            .create({"plan_id": plan.id, "comment": "Visit Northwind too"})
        )
        with self.assertRefused(UserError, "mandatory"):
            plan.with_user(self.sales_manager).action_return("  ")
        wizard.action_return()
        self.assertEqual(plan.state, "returned")
        self.assertEqual(plan.review_comment, "Visit Northwind too")
        self.assertIn(self.salesman, plan.activity_ids.user_id)
        # the salesperson edits and resubmits
        plan.with_user(self.salesman).objectives = "Win three quotations"
        plan.with_user(self.salesman).action_submit()
        self.assertEqual(plan.state, "submitted")

    def test_refusals_per_role(self):
        plan = self._plan()
        ctx = {"sale_governance_internal_write": True}
        with (
            self.assertRefused(UserError, "submitted"),
            self.assertUnchanged(plan, ["state"]),
        ):
            plan.with_user(self.sales_manager).action_approve()
        plan.with_user(self.salesman).action_submit()
        with self.assertUnchanged(plan, ["state", "reviewed_by_id"]):
            # the salesperson approves their own plan: refused, whatever the context
            with self.assertRefused(UserError, "sales manager"):
                plan.with_user(self.salesman).with_context(**ctx).action_approve()
            with self.assertRefused(UserError):
                plan.with_user(self.salesman).with_context(**ctx).write(
                    {"state": "approved"}
                )
            with self.assertRefused(UserError, "sales manager"):
                plan.with_user(self.salesman).action_return("no")
            # another salesperson does not even see it
            with self.assertRefused(AccessError):
                plan.with_user(self.salesman2).read(["state"])
            self.assertFalse(
                self.Plan.with_user(self.salesman2).search([("id", "=", plan.id)])
            )
            plan.invalidate_recordset()
            self.assertEqual(plan.state, "submitted")
            self.assertFalse(plan.line_ids.activity_id)
        # a manager's own plan goes to another manager
        own = self._plan(user=self.sales_manager, line_ids=[])
        own.with_user(self.sales_manager).action_submit()
        with self.assertRefused(UserError, "your own work plan"):
            own.with_user(self.sales_manager).action_approve()
        own.with_user(self.gov_admin).action_approve()
        self.assertEqual(own.state, "approved")

    def test_manager_outside_team_cannot_review(self):
        other_team = self.env["crm.team"].create({"name": "Far Team", "governed": True})
        outsider = self.env["res.users"].create(
            {
                "name": "Other Manager",
                "login": "t_other_mgr",
                "groups_id": [
                    Command.link(self.env.ref("sale_governance.group_sales_manager").id)
                ],
            }
        )
        other_team.user_id = outsider
        plan = self._plan()
        plan.with_user(self.salesman).action_submit()
        with self.assertRefused(AccessError), self.assertUnchanged(plan, ["state"]):
            plan.with_user(outsider).action_approve()

    def test_realisation(self):
        plan = self._plan()
        plan.with_user(self.salesman).action_submit()
        plan.with_user(self.sales_manager).action_approve()
        # the visit to the first customer is done (activity marked done -> visit log)
        plan.line_ids[0].activity_id.with_user(self.salesman).action_feedback(
            feedback="Met the buyer"
        )
        # one quotation made and one order won by the salesperson this week
        self._create_order(lines=[(self.service, 1, 100.0)])
        self._sell(self.salesman, 250.0, self.today)
        plan.invalidate_recordset()
        self.assertEqual(plan.planned_visit_count, 2)
        self.assertEqual(plan.visited_count, 1)
        self.assertAlmostEqual(plan.visit_realisation_pct, 50.0)
        self.assertEqual(plan.visit_count, 1)
        self.assertEqual(plan.quotation_count, 2)
        self.assertEqual(plan.order_count, 1)
        self.assertAlmostEqual(plan.order_amount, 250.0)
        self.assertEqual(plan.visit_log_ids.discussion, "Met the buyer")


@tagged("post_install", "-at_install")
class TestVisitLogs(SalesManagementCase):
    def _log(self, user=None, **kw):
        vals = {
            "partner_id": self.customer.id,
            "visit_datetime": fields.Datetime.now() - timedelta(days=2),
            "purpose": "Quarterly review",
            "discussion": "Prices for next year",
            "result": "Asked for a quotation",
        }
        vals.update(kw)
        return self.Log.with_user(user or self.salesman).create(vals)

    def test_log_sets_last_visit_and_next_activity(self):
        visit_day = self.today - timedelta(days=2)
        log = self._log(
            next_step="Send the quotation",
            next_step_date=self.today + timedelta(days=3),
        )
        self.assertEqual(log.user_id, self.salesman)
        self.assertEqual(log.team_id, self.team)
        self.assertEqual(self.customer.ka_last_visit_date, visit_day)
        activity = log.next_activity_id
        self.assertTrue(activity)
        self.assertEqual(activity.res_id, self.customer.id)
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(activity.summary, "Send the quotation")
        self.assertEqual(activity.date_deadline, self.today + timedelta(days=3))
        # an older visit logged later does not move Last Visit backwards
        self._log(visit_datetime=fields.Datetime.now() - timedelta(days=10))
        self.assertEqual(self.customer.ka_last_visit_date, visit_day)
        # a contact's visit counts for its company
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.customer.id}
        )
        self._log(contact_id=contact.id, visit_datetime=fields.Datetime.now())
        self.assertEqual(self.customer.ka_last_visit_date, self.today)
        self.assertEqual(self.customer.sg_visit_log_count, 3)

    def test_log_checks(self):
        with self.assertRefused(ValidationError, "future"):
            self._log(visit_datetime=fields.Datetime.now() + timedelta(days=2))
        with self.assertRefused(ValidationError, "before the visit"):
            self._log(next_step="x", next_step_date=self.today - timedelta(days=5))
        with self.assertRefused(ValidationError, "Describe the next step"):
            self._log(next_step_date=self.today)

    def test_visit_activity_done_creates_log(self):
        visit_type = self.env.ref("sale_governance.mail_activity_type_customer_visit")
        activity = self.customer.activity_schedule(
            act_type_xmlid="sale_governance.mail_activity_type_customer_visit",
            user_id=self.salesman.id,
            summary="Annual visit",
        )
        self.assertEqual(activity.activity_type_id, visit_type)
        activity.with_user(self.salesman).action_feedback(feedback="All good")
        log = self.Log.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(log), 1)
        self.assertEqual(log.user_id, self.salesman)
        self.assertEqual(log.visit_kind, "planned")
        self.assertEqual(log.purpose, "Annual visit")
        self.assertEqual(log.discussion, "All good")
        self.assertEqual(self.customer.ka_last_visit_date, self.today)

    def test_access(self):
        mine = self._log()
        theirs = self._log(user=self.salesman2, partner_id=self.customer2.id)
        self.assertEqual(self.Log.with_user(self.salesman).search([]), mine)
        with self.assertRefused(AccessError):
            theirs.with_user(self.salesman).write({"result": "changed"})
        with self.assertRefused(AccessError):
            self.Log.with_user(self.salesman).create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.salesman2.id,
                    "purpose": "x",
                }
            )
        self.assertEqual(
            self.Log.with_user(self.sales_manager).search([]), mine | theirs
        )
        self.assertEqual(
            self.Log.with_user(self.executive).search([]) & (mine | theirs),
            mine | theirs,
        )


@tagged("post_install", "-at_install")
class TestHandOver(SalesManagementCase):
    def test_salesperson_cannot_hand_over_or_link_activities(self):
        log = self.Log.with_user(self.salesman).create(
            {
                "partner_id": self.customer.id,
                "purpose": "Visit",
                "visit_datetime": fields.Datetime.now(),
            }
        )
        plan = self.Plan.with_user(self.salesman).create(
            {
                "line_ids": [
                    Command.create(
                        {
                            "partner_id": self.customer.id,
                            "date": fields.Date.context_today(self.Plan)
                            + timedelta(days=7),
                        }
                    )
                ],
            }
        )
        other_activity = self.customer2.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.salesman2.id
        )
        with (
            self.assertUnchanged(log, ["user_id", "next_activity_id"]),
            self.assertUnchanged(plan, ["user_id"]),
        ):
            with self.assertRefused(UserError, "hands work plans and visit logs over"):
                log.with_user(self.salesman).write({"user_id": self.salesman2.id})
            with self.assertRefused(UserError, "hands work plans and visit logs over"):
                plan.with_user(self.salesman).write({"user_id": self.salesman2.id})
            with self.assertRefused(UserError, "linked by the visit log"):
                log.with_user(self.salesman).write(
                    {"next_activity_id": other_activity.id}
                )
            with self.assertRefused(UserError, "set by the plan's approval"):
                plan.line_ids.with_user(self.salesman).write(
                    {"activity_id": other_activity.id}
                )
        # the manager may reassign
        log.with_user(self.sales_manager).write({"user_id": self.salesman2.id})
        self.assertEqual(log.user_id, self.salesman2)
