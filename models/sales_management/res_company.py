from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    sg_target_growth_pct = fields.Float(
        string="Monthly Sales Growth (%)",
        default=10.0,
        help="The policy's growth rule (sales growth of 10 percent a month): next "
        "month's proposed targets are this month's actual sales × (1 + growth).",
    )
    sg_statistics_group_ids = fields.Many2many(
        "res.groups",
        "res_company_sg_statistics_group_rel",
        "company_id",
        "group_id",
        string="Monthly Statistics Recipients",
        help="Members of these groups (sales, finance, management) receive the "
        "monthly summary of the daily sales statistics on the 1st of each month.",
    )

    @api.constrains("sg_target_growth_pct")
    def _check_sg_target_growth_pct(self):
        for company in self:
            if company.sg_target_growth_pct <= -100:
                raise ValidationError(
                    _(
                        "The monthly sales growth must be above -100 %; the policy's "
                        "default is 10 %."
                    )
                )
