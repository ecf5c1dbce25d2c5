from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_ticket_count = fields.Integer(compute="_compute_service_ticket_count")

    def _compute_service_ticket_count(self):
        counts = dict(
            self.env["sale.governance.service.ticket"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.service_ticket_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_service_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_governance.sale_governance_service_ticket_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {"default_partner_id": self.id}
        return action
