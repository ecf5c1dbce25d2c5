from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    approval_use_thresholds = fields.Boolean(
        related="company_id.approval_use_thresholds", readonly=False
    )
    approval_check_discount = fields.Boolean(
        related="company_id.approval_check_discount", readonly=False
    )
    approval_max_discount = fields.Float(
        related="company_id.approval_max_discount", readonly=False
    )
    approval_check_pricelist = fields.Boolean(
        related="company_id.approval_check_pricelist", readonly=False
    )
    approval_check_payment_term = fields.Boolean(
        related="company_id.approval_check_payment_term", readonly=False
    )
    approval_allow_same_approver = fields.Boolean(
        related="company_id.approval_allow_same_approver", readonly=False
    )
    contract_quality_standard = fields.Text(
        related="company_id.contract_quality_standard", readonly=False
    )
    contract_acceptance_method = fields.Text(
        related="company_id.contract_acceptance_method", readonly=False
    )
    contract_settlement_method = fields.Char(
        related="company_id.contract_settlement_method", readonly=False
    )
    contract_signing_place = fields.Char(
        related="company_id.contract_signing_place", readonly=False
    )
    contract_dispute_resolution = fields.Text(
        related="company_id.contract_dispute_resolution", readonly=False
    )
