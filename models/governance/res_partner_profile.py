from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _sg_customer_profiles(self):
        """Hook: the key-account profile of each customer of ``self``, for reports and
        logs.

        Returns ``{partner id: {"tier": code or False, "tier_label": str,
        "company_nature": str, "target_market": str, "credit_days": int,
        "discount": float, "last_visit": date or False}}``,
        read in batch. Here every value is empty; the key-account feature overrides it
        with the customer's quadrant and profile.
        """
        return {
            partner.id: {
                "tier": False,
                "tier_label": "",
                "company_nature": "",
                "target_market": "",
                "credit_days": 0,
                "discount": 0.0,
                "last_visit": False,
            }
            for partner in self
        }

    @api.model
    def _sg_customer_tiers(self):
        """Hook: the customer tiers as ``[(code, label)]`` (none here; key accounts
        override)."""
        return []
