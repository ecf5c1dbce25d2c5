from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sg_delivery_notice_required = fields.Boolean(
        related="company_id.sg_delivery_notice_required", readonly=False
    )
    sg_delivery_notice_validity_days = fields.Integer(
        related="company_id.sg_delivery_notice_validity_days", readonly=False
    )
