from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["res.company", "sale.governance.contract.terms.mixin"]

    approval_use_thresholds = fields.Boolean(
        string="Approval Thresholds",
        help="Off: every governed quotation goes through all the approval levels. On: "
        "a level applies only when the untaxed amount exceeds its threshold (or one "
        "of its conditions requires it).",
    )
    approval_check_discount = fields.Boolean(
        string="Discount Above Maximum",
        help="A line with a discount above the maximum requires the levels that have "
        "this condition (the first level by default).",
    )
    approval_max_discount = fields.Float(
        string="Maximum Discount (%)",
        digits="Discount",
    )
    approval_check_pricelist = fields.Boolean(
        string="Price Below Pricelist",
        help="A unit price below the pricelist price requires the levels that have "
        "this condition (the first level by default).",
    )
    approval_check_payment_term = fields.Boolean(
        string="Longer Payment Term",
        help="A payment term longer than the customer's standard one requires the "
        "levels that have this condition (the first level by default).",
    )
    approval_allow_same_approver = fields.Boolean(
        string="One Person on Several Levels",
        help="Allow one person to approve two levels of the same order. Off by default "
        "(segregation of duties).",
    )

    @api.constrains("approval_max_discount")
    def _check_approval_max_discount(self):
        for company in self:
            if not 0 <= company.approval_max_discount <= 100:
                raise ValidationError(
                    _(
                        "The maximum discount must be between 0 and 100%% (company "
                        "%(company)s).",
                        company=company.name,
                    )
                )
