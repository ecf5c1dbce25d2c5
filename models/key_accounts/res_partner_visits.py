from collections import defaultdict

from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _sg_register_visits(self, dates_by_partner):
        """Logged visits move the customer's Last Visit forward (never backward), one
        write per date."""
        result = super()._sg_register_visits(dates_by_partner)
        partners = self.browse(list(dates_by_partner)).sudo()
        partners.fetch(["ka_last_visit_date"])
        by_date = defaultdict(list)
        for partner in partners:
            visit_date = dates_by_partner[partner.id]
            if (
                not partner.ka_last_visit_date
                or partner.ka_last_visit_date < visit_date
            ):
                by_date[visit_date].append(partner.id)
        for visit_date, partner_ids in by_date.items():
            self.browse(partner_ids).sudo().write({"ka_last_visit_date": visit_date})
        return result
