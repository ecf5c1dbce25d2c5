from odoo import api, fields, models

from .tier_policy import QUADRANTS_ALL


class SaleOrder(models.Model):
    _inherit = "sale.order"

    ka_quadrant = fields.Selection(
        QUADRANTS_ALL,
        string="KA Quadrant",
        compute="_compute_ka_quadrant",
        help="Key-account quadrant of the customer in the order's company.",
    )
    ka_promotion_type_ids = fields.Many2many(
        "sale.governance.promotion.type",
        string="Suggested Promotions",
        compute="_compute_ka_quadrant",
        help="Promotion types the tier policy recommends for customers of this "
        "quadrant.",
    )

    @api.depends("partner_id", "company_id")
    def _compute_ka_quadrant(self):
        Policy = self.env["sale.governance.tier.policy"]
        policies_by_company = {}
        for order in self:
            company = order.company_id or self.env.company
            customer = order.partner_id.commercial_partner_id.with_company(company)
            quadrant = customer.ka_quadrant if customer else False
            if company not in policies_by_company:
                policies_by_company[company] = Policy._by_quadrant(company)
            policy = policies_by_company[company].get(quadrant)
            order.ka_quadrant = quadrant
            order.ka_promotion_type_ids = policy.promotion_type_ids if policy else False
