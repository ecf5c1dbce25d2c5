"""Browser tour: a sales manager overrides a customer's quadrant on its form and finds
it in the Key Accounts matrix view, filtered by the search (static/tests/tours/)."""

from odoo.tests import HttpCase, tagged

from ..common import SaleGovernanceCase


@tagged("post_install", "-at_install", "is_tour")
class TestKeyAccountTours(SaleGovernanceCase, HttpCase):
    def test_manager_overrides_and_sees_it_in_the_matrix(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Tour Pumps Ltd",
                "is_company": True,
                "user_id": self.salesman.id,
                "ka_potential": 100000.0,
            }
        )
        partner.action_ka_recompute()
        self.assertNotEqual(partner.ka_quadrant, "star")
        self._sg_run_tour(
            f"/odoo/res.partner/{partner.id}",
            "sale_governance_ka_override",
            "t_sales_manager",
        )
        self.assertEqual(partner.ka_quadrant, "star")
        self.assertEqual(partner.ka_quadrant_override, "star")
        self._sg_run_tour(
            "/odoo/action-sale_governance.res_partner_action_ka_matrix",
            "sale_governance_ka_matrix",
            "t_sales_manager",
        )
