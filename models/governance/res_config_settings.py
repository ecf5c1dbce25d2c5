from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    approval_group_l1_id = fields.Many2one(
        related="company_id.approval_group_l1_id", readonly=False, required=True
    )
    approval_group_l2_id = fields.Many2one(
        related="company_id.approval_group_l2_id", readonly=False, required=True
    )
    approval_group_l3_id = fields.Many2one(
        related="company_id.approval_group_l3_id", readonly=False, required=True
    )
