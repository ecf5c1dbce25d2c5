from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    approval_use_thresholds = fields.Boolean(
        string="Approval Thresholds",
        help="Off: every governed quotation goes through the three approval levels. On: a level "
        "applies only when the untaxed amount exceeds its threshold (or a condition below "
        "requires it).",
    )
    approval_threshold_l1 = fields.Monetary(
        string="Level 1 above",
        currency_field="currency_id",
        help="Untaxed amount above which level 1 (Sales Dept) reviews the contract.",
    )
    approval_threshold_l2 = fields.Monetary(
        string="Level 2 above",
        currency_field="currency_id",
        help="Untaxed amount above which level 2 (Business Management) reviews the contract.",
    )
    approval_threshold_l3 = fields.Monetary(
        string="Level 3 above",
        currency_field="currency_id",
        help="Untaxed amount above which level 3 (Executive in charge) reviews the contract.",
    )
    approval_check_discount = fields.Boolean(
        string="Discount Above Maximum",
        help="A line with a discount above the maximum requires level 1 at least.",
    )
    approval_max_discount = fields.Float(
        string="Maximum Discount (%)",
        digits="Discount",
    )
    approval_check_pricelist = fields.Boolean(
        string="Price Below Pricelist",
        help="A unit price below the pricelist price requires level 1 at least.",
    )
    approval_check_payment_term = fields.Boolean(
        string="Longer Payment Term",
        help="A payment term longer than the customer's standard one requires level 1 at least.",
    )
    approval_allow_same_approver = fields.Boolean(
        string="One Person on Several Levels",
        help="Allow one person to approve two levels of the same order. Off by default "
        "(segregation of duties).",
    )
    contract_quality_standard = fields.Text(
        string="Default Quality Standard",
        help="Proposed on new quotations; the quality standard the goods comply with.",
    )
    contract_acceptance_method = fields.Text(string="Default Acceptance Method")
    contract_settlement_method = fields.Char(string="Default Settlement Method")
    contract_signing_place = fields.Char(string="Default Place of Signing")
    contract_dispute_resolution = fields.Text(
        string="Default Dispute Resolution",
        help="Place and method of dispute resolution, e.g. arbitration at a named commission.",
    )

    @api.constrains(
        "approval_threshold_l1", "approval_threshold_l2", "approval_threshold_l3",
        "approval_max_discount",
    )
    def _check_approval_thresholds(self):
        for company in self:
            if min(company.approval_threshold_l1, company.approval_threshold_l2,
                   company.approval_threshold_l3) < 0:
                raise ValidationError(
                    _("Approval thresholds cannot be negative (company %(company)s).",
                      company=company.name)
                )
            if not 0 <= company.approval_max_discount <= 100:
                raise ValidationError(
                    _("The maximum discount must be between 0 and 100%% (company %(company)s).",
                      company=company.name)
                )
