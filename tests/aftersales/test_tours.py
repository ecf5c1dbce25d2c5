"""Browser tour: the technician a service ticket was routed to starts and resolves it
in its form; the salesperson closes it and records the follow-up's satisfaction
(static/tests/tours/)."""

from odoo.tests import HttpCase, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install", "is_tour")
class TestAftersalesTours(AftersalesCase, HttpCase):
    def test_technician_resolves_salesperson_closes(self):
        ticket = self._ticket()
        # routed to the team of its product, taken by its least loaded technician
        self.assertEqual(ticket.team_id, self.team_pumps)
        self.assertEqual(ticket.technician_id, self.tech_support)
        self.assertEqual(ticket.stage, "assigned")
        url = f"/odoo/sale.governance.service.ticket/{ticket.id}"
        self._sg_run_tour(url, "sale_governance_ticket_resolve", "t_tech_support")
        self.assertEqual(ticket.stage, "resolved")
        self.assertEqual(ticket.technician_id, self.tech_support)
        self.assertIn("Replaced the shaft seal", ticket.resolution)
        self._sg_run_tour(url, "sale_governance_ticket_close", "t_sales_rep")
        self.assertEqual(ticket.stage, "closed")
        self.assertEqual(ticket.satisfaction_rating, 5)
        self.assertEqual(ticket.satisfaction_comment, "Very quick service")
        followup = self.env.ref("sale_governance.mail_activity_type_service_followup")
        # the follow-up to-do the closing gave the salesperson is done with the rating
        self.assertFalse(
            ticket.activity_ids.filtered(lambda a: a.activity_type_id == followup)
        )
        done = self.env["mail.message"].search(
            [
                ("model", "=", ticket._name),
                ("res_id", "=", ticket.id),
                ("mail_activity_type_id", "=", followup.id),
            ]
        )
        self.assertTrue(done)
