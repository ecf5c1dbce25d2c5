from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sg_spot_check_count = fields.Integer(
        related="company_id.sg_spot_check_count", readonly=False
    )
    sg_spot_checks_per_month = fields.Integer(
        related="company_id.sg_spot_checks_per_month", readonly=False
    )
    sg_inspect_customer_returns = fields.Boolean(
        related="company_id.sg_inspect_customer_returns", readonly=False
    )
    sg_joint_sign_multiple = fields.Boolean(
        related="company_id.sg_joint_sign_multiple", readonly=False
    )
    sg_receipt_summary_cutoff_day = fields.Integer(
        related="company_id.sg_receipt_summary_cutoff_day", readonly=False
    )
