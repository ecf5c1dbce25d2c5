from odoo import api, models

from .tier_policy import QUADRANTS_ALL


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _sg_customer_profiles(self):
        """The customer's quadrant and key-account profile (company-dependent fields of
        this company)."""
        profiles = super()._sg_customer_profiles()
        labels = dict(QUADRANTS_ALL)
        natures = dict(
            self._fields["ka_company_nature"]._description_selection(self.env)
        )
        tiers = dict(self._fields["ka_quadrant"]._description_selection(self.env))
        for partner in self.sudo():
            company = partner.commercial_partner_id
            profiles[partner.id].update(
                {
                    "tier": company.ka_quadrant or False,
                    "tier_label": tiers.get(company.ka_quadrant)
                    or labels.get(company.ka_quadrant, ""),
                    "company_nature": natures.get(company.ka_company_nature, ""),
                    "target_market": company.ka_target_market or "",
                    "credit_days": company.ka_credit_days,
                    "discount": company.ka_discount,
                    "last_visit": company.ka_last_visit_date,
                }
            )
        return profiles

    @api.model
    def _sg_customer_tiers(self):
        return list(self._fields["ka_quadrant"]._description_selection(self.env))
