from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestAftersalesPortal(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_contact = cls.env["res.partner"].create(
            {
                "name": "Portal Buyer",
                "parent_id": cls.customer.id,
                "email": "portal.buyer@example.com",
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="t_portal",
            groups="base.group_portal",
            partner_id=cls.customer_contact.id,
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Competitor Ltd", "is_company": True}
        )

    def test_portal_sees_only_own_company_tickets(self):
        own = self._ticket()
        colleague = self._ticket(partner_id=self.customer_contact.id)
        foreign = self._ticket(partner_id=self.other_customer.id)
        Ticket = self.Ticket.with_user(self.portal_user)
        self.assertEqual(
            Ticket.search([("id", "in", (own | colleague | foreign).ids)]),
            own | colleague,
        )
        with self.assertRaises(AccessError):
            foreign.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            own.with_user(self.portal_user).write({"name": "changed"})
        with self.assertRaises(AccessError):
            Ticket.create({"name": "direct", "partner_id": self.customer_contact.id})

    def test_portal_request_creation(self):
        order = self._create_order()
        order.action_confirm()
        Ticket = self.Ticket.with_user(self.portal_user)
        ticket = Ticket._portal_create_request(
            self.portal_user.partner_id,
            {
                "name": "Pump noise",
                "description": "Loud",
                "severity": "urgent",
                "sale_order_id": str(order.id),
                "product_id": str(self.product.id),
            },
        )
        self.assertEqual(ticket.channel, "portal")
        self.assertEqual(ticket.partner_id, self.customer_contact)
        self.assertEqual(ticket.sale_order_id, order)
        self.assertEqual(ticket.team_id, self.team_pumps)
        self.assertEqual(ticket.salesperson_id, self.salesman)
        self.assertIn(self.customer_contact, ticket.message_partner_ids)
        self.assertEqual(
            ticket.with_user(self.portal_user).access_url,
            f"/my/service-requests/{ticket.id}",
        )
        with self.assertRaisesRegex(UserError, "subject"):
            Ticket._portal_create_request(self.portal_user.partner_id, {"name": " "})
        foreign_order = self._create_order(partner=self.other_customer)
        foreign_order.action_confirm()
        with self.assertRaisesRegex(UserError, "your own confirmed orders"):
            Ticket._portal_create_request(
                self.portal_user.partner_id,
                {"name": "x", "sale_order_id": str(foreign_order.id)},
            )

    def test_portal_pages_render_without_internal_notes(self):
        ticket = self._ticket(partner_id=self.customer_contact.id)
        internal, public = "INTERNAL-SECRET", "Public answer"
        ticket.message_post(body=internal, subtype_xmlid="mail.mt_note")
        ticket.message_post(
            body=public,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        portal_env = self.env(user=self.portal_user)
        self.assertTrue(
            ticket.with_user(self.portal_user)
            .get_portal_url()
            .startswith(f"/my/service-requests/{ticket.id}")
        )
        # What the portal chatter loads: public messages only.
        messages = portal_env["mail.message"].search(
            [("model", "=", ticket._name), ("res_id", "=", ticket.id)]
        )
        bodies = " ".join(str(m.body) for m in messages)
        self.assertIn("Public answer", bodies)
        self.assertNotIn("INTERNAL-SECRET", bodies)


@tagged("post_install", "-at_install")
class TestAftersalesReport(AftersalesCase):
    def test_service_request_form_report(self):
        ticket = self._ticket(description="<p>Seal is leaking</p>")
        html, _fmt = self.env["ir.actions.report"]._render_qweb_html(
            "sale_governance.action_report_service_ticket", ticket.ids
        )
        html = html.decode()
        self.assertIn(ticket.reference, html)
        self.assertIn("Seal is leaking", html)
        self.assertIn(self.team_pumps.name, html)
        self.assertIn(self.salesman.name, html)

    def test_analysis_groups_by_team_and_severity(self):
        first = self._ticket()
        self._ticket(severity="serious")
        first.with_user(first.technician_id).resolution = "<p>done</p>"
        first.with_user(first.technician_id).action_resolve()
        groups = self.Ticket._read_group(
            [("id", "in", self.Ticket.search([]).ids)],
            ["team_id", "severity"],
            ["__count", "resolve_hours:avg"],
        )
        keys = {(team, severity) for team, severity, _c, _h in groups}
        self.assertIn((self.team_pumps, "normal"), keys)
        self.assertIn((self.team_serious, "serious"), keys)


@tagged("post_install", "-at_install")
class TestAftersalesPortalHttp(HttpCase):
    def test_portal_routes(self):
        customer = self.env["res.partner"].create(
            {"name": "Http Customer", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "Http Buyer", "parent_id": customer.id}
        )
        new_test_user(
            self.env,
            login="t_portal_http",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        ticket = self.env["sale.governance.service.ticket"].create(
            {"name": "Http pump issue", "partner_id": contact.id}
        )
        other = self.env["sale.governance.service.ticket"].create({"name": "Not yours"})
        self.authenticate("t_portal_http", "t_portal_http")
        page = self.url_open("/my/service-requests")
        self.assertEqual(page.status_code, 200)
        self.assertIn(ticket.reference, page.text)
        self.assertNotIn(other.reference, page.text)
        detail = self.url_open(f"/my/service-requests/{ticket.id}")
        self.assertIn("Http pump issue", detail.text)
        refused = self.url_open(f"/my/service-requests/{other.id}")
        self.assertNotIn("Not yours", refused.text)
        form = self.url_open("/my/service-requests/new")
        self.assertEqual(form.status_code, 200)
        posted = self.url_open(
            "/my/service-requests/new",
            data={
                "name": "Posted from portal",
                "severity": "normal",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(posted.status_code, 200)
        created = self.env["sale.governance.service.ticket"].search(
            [("name", "=", "Posted from portal")]
        )
        self.assertEqual(created.partner_id, contact)
        self.assertEqual(created.channel, "portal")
