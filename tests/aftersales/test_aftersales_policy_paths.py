"""Policy paths of service tickets (issue 10, classes 1 and 8): every refusal as the
real role (``with_user``, no superuser), with the context keys an attacker would send,
and nothing changed."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..common import ATTACK_CONTEXT
from .common import AftersalesCase

WORKFLOW = [
    "stage",
    "date_assigned",
    "date_resolved",
    "date_closed",
    "escalation_level",
    "product_verified",
]
ASSIGNMENT = ["team_id", "technician_id", "deadline"]


@tagged("post_install", "-at_install")
class TestAftersalesPolicyPaths(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._ticket()
        cls.tech = cls.ticket.technician_id
        cls.other_tech = (cls.tech_support | cls.tech_support2) - cls.tech

    def _as(self, user, records=None):
        records = records or self.ticket
        return records.with_user(user).with_context(**ATTACK_CONTEXT)

    # ------------------------------------------------------------------ class 1:
    # context flags
    def test_technician_cannot_close_without_resolution(self):
        self.assertFalse(self.tech.has_group("base.group_system"))
        self.assertNotEqual(self.ticket.team_id.leader_id, self.tech)
        for vals in (
            {"stage": "closed"},
            {"stage": "closed", "date_closed": fields.Datetime.now()},
            {
                "stage": "resolved",
                "date_resolved": fields.Datetime.now(),
                "resolution": False,
            },
        ):
            with (
                self.subTest(vals=vals),
                self.assertUnchanged(self.ticket, WORKFLOW + ["resolution"]),
            ):
                with self.assertRefused(
                    UserError, "change only through the policy's own actions"
                ):
                    self._as(self.tech).write(vals)
        # The action itself still asks for the resolution.
        with (
            self.assertUnchanged(self.ticket, WORKFLOW),
            self.assertRefused(UserError, "no resolution"),
        ):
            self._as(self.tech).action_close()
        self.assertEqual(self.ticket.stage, "assigned")

    def test_workflow_fields_refused_to_every_role(self):
        cases = {
            "stage": "cancelled",
            "escalation_level": "2",
            "product_verified": True,
            "date_resolved": fields.Datetime.now(),
        }
        for user in (
            self.tech,
            self.tech_leader,
            self.salesman,
            self.sales_manager,
            self.executive,
        ):
            for fname, value in cases.items():
                with (
                    self.subTest(user=user.login, field=fname),
                    self.assertUnchanged(self.ticket, WORKFLOW),
                ):
                    with self.assertRefused(UserError, "policy's own actions"):
                        self._as(user).write({fname: value})

    def test_technician_cannot_move_deadline_or_reassign(self):
        later = self.ticket.deadline + timedelta(days=10)
        for vals in (
            {"deadline": later},
            {"deadline": False},
            {"technician_id": self.other_tech.id},
            {"team_id": self.team_default.id},
            {"severity": "normal", "deadline": later},
        ):
            for user in (self.tech, self.salesman, self.sales_manager):
                with (
                    self.subTest(vals=vals, user=user.login),
                    self.assertUnchanged(self.ticket, ASSIGNMENT + WORKFLOW),
                ):
                    with self.assertRefused(AccessError, "Only the leader of team"):
                        self._as(user).write(vals)
        # Sending the current values changes nothing and is accepted (a form saving them
        # back).
        self._as(self.tech).write(
            {"team_id": self.ticket.team_id.id, "name": "Pump leaks badly"}
        )
        self.assertEqual(self.ticket.name, "Pump leaks badly")
        # The team leader may.
        self.ticket.with_user(self.tech_leader).write({"deadline": later})
        self.assertEqual(self.ticket.deadline, later)

    def test_create_cannot_set_workflow_fields(self):
        before = self.Ticket.search_count([])
        for vals in (
            {"stage": "closed"},
            {"stage": "resolved"},
            {"escalation_level": "2"},
            {"product_verified": True},
            {"date_closed": fields.Datetime.now()},
        ):
            for user in (self.salesman, self.tech, self.tech_leader):
                with self.subTest(vals=vals, user=user.login):
                    with self.assertRefused(UserError, "policy's own actions"):
                        self.Ticket.with_user(user).with_context(
                            **ATTACK_CONTEXT
                        ).create(
                            {"name": "Forged", "partner_id": self.customer.id, **vals}
                        )
        self.assertEqual(self.Ticket.search_count([]), before)
        # "new" is where every ticket starts: sending it is harmless.
        ticket = self.Ticket.with_user(self.salesman).create(
            {
                "name": "Explicit new",
                "partner_id": self.customer.id,
                "product_id": self.product.id,
                "stage": "new",
            }
        )
        self.assertEqual(ticket.stage, "assigned", "routed to a technician")

    def test_create_with_later_deadline_or_outside_technician(self):
        before = self.Ticket.search_count([])
        far = fields.Datetime.now() + timedelta(days=60)
        with self.assertRefused(AccessError, "only the team leader grants more time"):
            self.Ticket.with_user(self.salesman).with_context(**ATTACK_CONTEXT).create(
                {
                    "name": "Slow",
                    "partner_id": self.customer.id,
                    "product_id": self.product.id,
                    "deadline": far,
                }
            )
        with self.assertRefused(AccessError, "outside the team"):
            self.Ticket.with_user(self.tech).with_context(**ATTACK_CONTEXT).create(
                {
                    "name": "Mine",
                    "partner_id": self.customer.id,
                    "product_id": self.product.id,
                    "technician_id": self.tech_other.id,
                }
            )
        self.assertEqual(self.Ticket.search_count([]), before)
        # An earlier deadline is stricter than the policy: fine. The leader grants more
        # time.
        soon = fields.Datetime.now() + timedelta(hours=1)
        early = self._ticket(deadline=soon)
        self.assertEqual(early.deadline, soon)
        granted = self._ticket(user=self.tech_leader, deadline=far)
        self.assertEqual(granted.deadline, far)

    # ------------------------------------------------------------------ class 8: clear
    # errors
    def test_unknown_severity_is_a_clear_error(self):
        before = self.Ticket.search_count([])
        for severity in ("catastrophic", "SERIOUS", 3):
            with self.subTest(severity=severity):
                with self.assertRefused(ValidationError, "not a valid Severity"):
                    self._ticket(severity=severity)
                with self.assertUnchanged(self.ticket, ["severity", "deadline"]):
                    with self.assertRefused(ValidationError, "not a valid Severity"):
                        self._as(self.salesman).write({"severity": severity})
        self.assertEqual(self.Ticket.search_count([]), before)
        with self.assertRefused(ValidationError, "choose normal, urgent or serious"):
            self.company._sg_aftersales_deadline_hours("catastrophic")

    def test_wrong_types_are_clear_errors(self):
        before = self.Ticket.search_count([])
        for vals in (
            {"product_id": "pump"},
            {"product_id": [self.product.id]},
            {"team_id": "Pumps Service"},
            {"technician_id": True},
            {"channel": "fax"},
            {"return_qty": "lots"},
            {"satisfaction_rating": "five"},
            {"deadline": "next week"},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRefused(ValidationError, "not a valid"),
            ):
                self._ticket(**vals)
            with (
                self.subTest(vals=vals),
                self.assertUnchanged(
                    self.ticket, ASSIGNMENT + WORKFLOW + ["product_id"]
                ),
            ):
                with self.assertRefused(ValidationError, "not a valid"):
                    self.ticket.with_user(self.tech_leader).write(vals)
        self.assertEqual(self.Ticket.search_count([]), before)

    # ------------------------------------------------------------------ the ORM's shape
    def test_deadline_and_technician_are_computed(self):
        self.company.aftersales_deadline_urgent = 10
        self.company.aftersales_deadline_serious = 2
        ticket = self._ticket(severity="urgent")
        self.assertAlmostEqual(
            (ticket.deadline - ticket.create_date).total_seconds() / 3600, 10, delta=0.1
        )
        # The salesperson changes the severity: the deadline follows (a computation, not
        # a move).
        ticket.with_user(self.salesman).severity = "serious"
        self.assertAlmostEqual(
            (ticket.deadline - ticket.create_date).total_seconds() / 3600, 2, delta=0.01
        )
        # The leader sets both at once: the leader's deadline wins.
        granted = ticket.create_date + timedelta(hours=48)
        ticket.with_user(self.tech_leader).write(
            {"severity": "urgent", "deadline": granted}
        )
        self.assertEqual(ticket.deadline, granted)
        # Moving to another team hands the ticket to that team's least-loaded
        # technician.
        ticket.with_user(self.tech_leader).team_id = self.team_default
        self.assertEqual(ticket.technician_id, self.tech_other)
        self.assertEqual(ticket.stage, "assigned")

    def test_batch_creation_balances_load_and_numbers_in_sequence(self):
        batch = self.Ticket.with_user(self.salesman).create(
            [
                {
                    "name": f"Batch {i}",
                    "partner_id": self.customer.id,
                    "product_id": self.product.id,
                }
                for i in range(6)
            ]
        )
        counts = [
            len(batch.filtered(lambda t, u=u: t.technician_id == u))
            for u in self.team_pumps.member_ids
        ]
        self.assertLessEqual(
            max(counts) - min(counts), 1, "the batch is spread over the technicians"
        )
        self.assertTrue(all(t.stage == "assigned" and t.date_assigned for t in batch))
        numbers = [int(ref.rsplit("/", 1)[1]) for ref in batch.mapped("reference")]
        self.assertEqual(len(set(numbers)), 6)
        self.assertEqual(sorted(numbers), list(range(min(numbers), min(numbers) + 6)))

    def test_reference_numbers_cost_one_query_per_ticket(self):
        Ticket = self.Ticket.with_user(self.salesman)
        vals = {
            "name": "Leak",
            "partner_id": self.customer.id,
            "product_id": self.product.id,
        }
        Ticket.create([dict(vals)])  # warm-up

        def creation(n):
            with self.count_queries() as counter:
                Ticket.create([dict(vals) for _i in range(n)])
            return counter.count

        small, large = creation(5), creation(25)
        # One nextval per ticket (ir.sequence has no public batch call); the rest is
        # bounded.
        self.assertLessEqual(large - small, 20 * 4, (small, large))

    def test_actions_still_work_for_their_roles(self):
        ticket = self.ticket.with_user(self.tech).with_context(**ATTACK_CONTEXT)
        ticket.action_start()
        ticket.write({"resolution": "<p>Seal replaced</p>", "result": "repaired"})
        ticket.action_resolve()
        self.assertEqual(self.ticket.stage, "resolved")
        self.ticket.with_user(self.salesman).action_close()
        self.assertEqual(self.ticket.stage, "closed")
        self.assertTrue(self.ticket.date_closed)
