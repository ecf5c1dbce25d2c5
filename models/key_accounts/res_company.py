from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

# Company fields holding the key-account scoring parameters (thresholds and weights).
KA_SETTING_FIELDS = (
    "ka_potential_reference",
    "ka_weight_potential",
    "ka_weight_growth",
    "ka_weight_outlook",
    "ka_growth_floor",
    "ka_growth_ceiling",
    "ka_weight_share",
    "ka_weight_loyalty",
    "ka_loyalty_years",
    "ka_attract_threshold",
    "ka_position_threshold",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    ka_potential_reference = fields.Float(
        string="Reference Purchase Potential",
        default=1000000.0,
        help="Annual purchase potential (company currency) that earns the full "
        "potential score (100). Smaller potentials score proportionally.",
    )
    ka_weight_potential = fields.Float(
        string="Weight of Potential",
        default=50.0,
        help="Weight of the purchase potential in the attractiveness score.",
    )
    ka_weight_growth = fields.Float(
        string="Weight of Growth",
        default=30.0,
        help="Weight of the growth of confirmed orders (last 12 months against the 12 "
        "before) in the attractiveness score.",
    )
    ka_weight_outlook = fields.Float(
        string="Weight of Opportunities",
        default=20.0,
        help="Weight of the salesperson's judgement of future business opportunities "
        "in the attractiveness score.",
    )
    ka_growth_floor = fields.Float(
        string="Growth Scoring 0 (%)",
        default=-20.0,
        help="Order growth (in %) at or below which the growth score is 0.",
    )
    ka_growth_ceiling = fields.Float(
        string="Growth Scoring 100 (%)",
        default=30.0,
        help="Order growth (in %) at or above which the growth score is 100. A "
        "customer that bought nothing in the previous 12 months and bought this year "
        "scores 100.",
    )
    ka_weight_share = fields.Float(
        string="Weight of Share",
        default=70.0,
        help="Weight of our share of the customer's potential (invoiced sales of the "
        "last 12 months over the potential) in the position score.",
    )
    ka_weight_loyalty = fields.Float(
        string="Weight of Relationship Length",
        default=30.0,
        help="Weight of how long the customer has bought from us in the position "
        "score.",
    )
    ka_loyalty_years = fields.Float(
        string="Years for a Full Relationship Score",
        default=5.0,
        help="A customer whose first confirmed order is this many years old (or "
        "older) gets the full relationship-length score.",
    )
    ka_attract_threshold = fields.Float(
        string="Attractiveness Threshold",
        default=50.0,
        help="Customers whose attractiveness score (0-100) reaches this value are "
        "attractive (star or question).",
    )
    ka_position_threshold = fields.Float(
        string="Position Threshold",
        default=50.0,
        help="Customers whose position score (0-100) reaches this value are customers "
        "where our position is strong (star or cash cow).",
    )

    @api.constrains(*KA_SETTING_FIELDS)
    def _check_ka_settings(self):
        weights = (
            "ka_weight_potential",
            "ka_weight_growth",
            "ka_weight_outlook",
            "ka_weight_share",
            "ka_weight_loyalty",
        )
        for company in self:
            for fname in weights + ("ka_attract_threshold", "ka_position_threshold"):
                if company[fname] < 0:
                    raise ValidationError(
                        _(
                            "Key-account settings of %(company)s: %(setting)s cannot "
                            "be negative; enter 0 or a positive number.",
                            company=company.name,
                            setting=company._fields[fname].get_description(self.env)[
                                "string"
                            ],
                        )
                    )
            if company.ka_potential_reference <= 0 or company.ka_loyalty_years <= 0:
                raise ValidationError(
                    _(
                        "Key-account settings of %(company)s: the reference purchase "
                        "potential and the years for a full relationship score must "
                        "be greater than 0.",
                        company=company.name,
                    )
                )
            if not (
                company.ka_weight_potential
                + company.ka_weight_growth
                + company.ka_weight_outlook
            ) or not (company.ka_weight_share + company.ka_weight_loyalty):
                raise ValidationError(
                    _(
                        "Key-account settings of %(company)s: each score needs at "
                        "least one weight greater than 0.",
                        company=company.name,
                    )
                )
            if company.ka_growth_floor >= company.ka_growth_ceiling:
                raise ValidationError(
                    _(
                        "Key-account settings of %(company)s: the growth scoring 0 "
                        "(%(floor)s%%) must be lower than the growth scoring 100 "
                        "(%(ceiling)s%%).",
                        company=company.name,
                        floor=company.ka_growth_floor,
                        ceiling=company.ka_growth_ceiling,
                    )
                )
            for fname in ("ka_attract_threshold", "ka_position_threshold"):
                if not 0 < company[fname] <= 100:
                    raise ValidationError(
                        _(
                            "Key-account settings of %(company)s: the scores range "
                            "from 0 to 100, so %(setting)s must be above 0 and at "
                            "most 100 (it is %(value)s).",
                            company=company.name,
                            setting=company._fields[fname].get_description(self.env)[
                                "string"
                            ],
                            value=company[fname],
                        )
                    )

    def write(self, vals):
        if (
            any(fname in vals for fname in KA_SETTING_FIELDS)
            and not self.env.su
            and not self.env.user.has_group("sale_governance.group_governance_admin")
        ):
            raise AccessError(
                _(
                    "Only governance administrators may change the key-account "
                    "thresholds and weights."
                )
            )
        return super().write(vals)
