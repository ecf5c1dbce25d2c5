from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sg_target_growth_pct = fields.Float(
        related="company_id.sg_target_growth_pct", readonly=False
    )
    sg_statistics_group_ids = fields.Many2many(
        related="company_id.sg_statistics_group_ids", readonly=False
    )
