from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ka_potential_reference = fields.Float(
        related="company_id.ka_potential_reference", readonly=False
    )
    ka_weight_potential = fields.Float(
        related="company_id.ka_weight_potential", readonly=False
    )
    ka_weight_growth = fields.Float(
        related="company_id.ka_weight_growth", readonly=False
    )
    ka_weight_outlook = fields.Float(
        related="company_id.ka_weight_outlook", readonly=False
    )
    ka_growth_floor = fields.Float(related="company_id.ka_growth_floor", readonly=False)
    ka_growth_ceiling = fields.Float(
        related="company_id.ka_growth_ceiling", readonly=False
    )
    ka_weight_share = fields.Float(related="company_id.ka_weight_share", readonly=False)
    ka_weight_loyalty = fields.Float(
        related="company_id.ka_weight_loyalty", readonly=False
    )
    ka_loyalty_years = fields.Float(
        related="company_id.ka_loyalty_years", readonly=False
    )
    ka_attract_threshold = fields.Float(
        related="company_id.ka_attract_threshold", readonly=False
    )
    ka_position_threshold = fields.Float(
        related="company_id.ka_position_threshold", readonly=False
    )
