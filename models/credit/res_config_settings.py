from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_sale_allow_over_limit = fields.Boolean(
        related="company_id.credit_sale_allow_over_limit", readonly=False
    )
    credit_sale_escalation_days = fields.Integer(
        related="company_id.credit_sale_escalation_days", readonly=False
    )
