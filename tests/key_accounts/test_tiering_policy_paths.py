"""Policy paths of the key-account quadrant (issue 10, class 1): scores, quadrant and
override change only through the recomputation and the sales manager's override wizard,
whatever the context says. Every refusal as the real role, asserting nothing changed."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..common import ATTACK_CONTEXT
from .test_tiering import TieringCase

KA_FIELDS = [
    "ka_quadrant",
    "ka_computed_quadrant",
    "ka_quadrant_override",
    "ka_override_reason",
    "ka_attract_score",
    "ka_position_score",
]


@tagged("post_install", "-at_install")
class TestTieringPolicyPaths(TieringCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.all_customers.action_ka_recompute()
        # The salesperson may edit contacts (the attack of the issue needs contact
        # rights).
        cls.salesman.groups_id = [(4, cls.env.ref("base.group_partner_manager").id)]

    def _as(self, user, partner):
        return partner.with_user(user).with_context(**ATTACK_CONTEXT)

    def test_salesperson_cannot_forge_quadrant(self):
        self.assertEqual(self.dog.ka_quadrant, "dog")
        for vals in (
            {"ka_quadrant": "star"},
            {"ka_computed_quadrant": "star"},
            {"ka_attract_score": 99.0, "ka_position_score": 99.0},
        ):
            with (
                self.subTest(vals=vals),
                self.assertUnchanged(self.dog | self.star_contact, KA_FIELDS),
            ):
                with self.assertRefused(UserError, "computed from the sales data"):
                    self._as(self.salesman, self.dog).write(vals)
        with self.assertUnchanged(self.star_contact, KA_FIELDS):
            with self.assertRefused(UserError, "computed from the sales data"):
                self._as(self.salesman, self.star_contact).write({"ka_quadrant": "dog"})

    def test_salesperson_cannot_forge_override(self):
        vals = {
            "ka_quadrant_override": "star",
            "ka_override_reason": "I like them",
            "ka_quadrant": "star",
        }
        with self.assertUnchanged(self.dog, KA_FIELDS):
            with self.assertRefused(AccessError, "Only sales managers"):
                self._as(self.salesman, self.dog).write(vals)
        # Nothing forged survives the recomputation either.
        self.dog.with_user(self.salesman).action_ka_recompute()
        self.assertEqual(self.dog.ka_quadrant, "dog")
        self.assertFalse(self.dog.ka_quadrant_override)
        with self.assertRefused(AccessError, "Only sales managers"):
            self._as(self.salesman, self.dog).action_ka_clear_override()

    def test_manager_overrides_only_through_the_wizard(self):
        with self.assertUnchanged(self.dog, KA_FIELDS):
            with self.assertRefused(UserError, "Override Quadrant"):
                self._as(self.sales_manager, self.dog).write(
                    {
                        "ka_quadrant_override": "star",
                        "ka_override_reason": "direct",
                        "ka_quadrant": "star",
                    }
                )
        wizard = Form(
            self.env["sale.governance.tier.override"]
            .with_user(self.sales_manager)
            .with_context(default_partner_id=self.dog.id, **ATTACK_CONTEXT)
        )
        wizard.quadrant = "star"
        wizard.reason = "Reference customer for the new pump line"
        wizard.save().action_apply()
        self.assertEqual(self.dog.ka_quadrant, "star")
        self.all_customers.with_user(self.salesman).action_ka_recompute()
        self.assertEqual(
            self.dog.ka_quadrant,
            "star",
            "the manager's override survives recomputation",
        )
        self.assertEqual(self.dog.ka_computed_quadrant, "dog")

    def test_create_cannot_set_scores(self):
        Partner = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .with_context(**ATTACK_CONTEXT)
        )
        before = Partner.search_count([])
        for vals in (
            {"ka_quadrant": "star"},
            {"ka_quadrant_override": "star"},
            {"ka_attract_score": 80.0},
        ):
            with self.subTest(vals=vals), self.assertRefused(UserError):
                Partner.create({"name": "Forged Co", "is_company": True, **vals})
        self.assertEqual(Partner.search_count([]), before)
        # Empty scores (imports, duplicates) are harmless; a contact still inherits its
        # company's quadrant.
        plain = Partner.create(
            {"name": "Plain Co", "is_company": True, "ka_quadrant": False}
        )
        self.assertFalse(plain.ka_quadrant)
        contact = Partner.create({"name": "New Star Buyer", "parent_id": self.star.id})
        self.assertEqual(contact.ka_quadrant, "star")
        copy = self.star.with_user(self.salesman).copy()
        self.assertFalse(copy.ka_quadrant_override)

    def test_override_wizard_refuses_bad_quadrant(self):
        with (
            self.assertUnchanged(self.dog, KA_FIELDS),
            self.assertRefused(UserError, "Choose the quadrant"),
        ):
            self.dog.with_user(self.sales_manager)._sg_ka_set_override(
                "platinum", "because"
            )
