from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

TICKET_MODEL = "sale.governance.service.ticket"


class ServiceRequestPortal(CustomerPortal):
    """Customers follow their service requests and submit new ones at
    /my/service-requests."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "service_request_count" in counters:
            Ticket = request.env[TICKET_MODEL]
            values["service_request_count"] = (
                Ticket.search_count(self._service_request_domain())
                if Ticket.has_access("read")
                else 0
            )
        return values

    def _service_request_domain(self):
        partner = request.env.user.partner_id
        return [("commercial_partner_id", "=", partner.commercial_partner_id.id)]

    @http.route(
        ["/my/service-requests", "/my/service-requests/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_service_requests(self, page=1, **kw):
        Ticket = request.env[TICKET_MODEL]
        domain = self._service_request_domain()
        pager = portal_pager(
            url="/my/service-requests",
            total=Ticket.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        tickets = Ticket.search(
            domain, limit=self._items_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "tickets": tickets,
                "page_name": "service_request",
                "pager": pager,
                "default_url": "/my/service-requests",
            }
        )
        return request.render("sale_governance.portal_my_service_requests", values)

    @http.route(
        ["/my/service-requests/<int:ticket_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_service_request_page(self, ticket_id, access_token=None, **kw):
        try:
            ticket_sudo = self._document_check_access(
                TICKET_MODEL, ticket_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            ticket_sudo,
            access_token,
            {"ticket": ticket_sudo, "page_name": "service_request"},
            "my_service_requests_history",
            False,
        )
        return request.render("sale_governance.portal_service_request_page", values)

    @http.route(
        ["/my/service-requests/new"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_service_request_new(self, **post):
        Ticket = request.env[TICKET_MODEL]
        partner = request.env.user.partner_id
        error = None
        if request.httprequest.method == "POST":
            try:
                ticket = Ticket._portal_create_request(partner, post)
            except (UserError, ValidationError) as exc:
                error = exc.args[0]
            else:
                return request.redirect(ticket.get_portal_url())
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "service_request_new",
                "products": Ticket._portal_products(partner),
                "orders": Ticket._portal_orders(partner),
                "error": error,
                "post": post,
            }
        )
        return request.render("sale_governance.portal_service_request_new", values)
