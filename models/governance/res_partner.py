from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _sg_register_visits(self, dates_by_partner):
        """Hook: customer visits were logged on ``dates_by_partner`` ({partner id: date}).

        Does nothing here. The key-account feature overrides it to move the customer's *Last
        Visit* (and so the visit interval of its tier) forward; the visit logs of the sales
        management feature call it.
        """
        return None
