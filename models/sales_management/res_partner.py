from odoo import _, api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    sg_reseller = fields.Boolean(
        string="Reseller (Distributor)",
        help="Resellers appear in the monthly reseller summary of the sales "
        "statistics.",
    )
    sg_visit_log_ids = fields.One2many(
        "sale.governance.visit.log", "partner_id", string="Visit Logs"
    )
    sg_visit_log_count = fields.Integer(
        string="Visits", compute="_compute_sg_visit_log_count"
    )

    @api.depends_context("uid")
    def _compute_sg_visit_log_count(self):
        counts = dict(
            self.env["sale.governance.visit.log"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.sg_visit_log_count = counts.get(partner.commercial_partner_id, 0)

    def action_sg_visit_logs(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "name": _("Visit Logs"),
            "res_model": "sale.governance.visit.log",
            "view_mode": "list,calendar,form",
            "domain": [("partner_id", "=", partner.id)],
            "context": {
                "default_partner_id": partner.id,
                "default_contact_id": self.id if self != partner else False,
            },
        }
