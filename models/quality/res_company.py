import secrets

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    sg_spot_check_count = fields.Integer(
        string="Products per Spot Check",
        default=5,
        help="How many products with stock on hand each spot check picks.",
    )
    sg_spot_checks_per_month = fields.Integer(
        string="Spot Checks per Month",
        default=2,
        help="The month is split into this many periods (2: the two halves); one spot "
        "check happens on a day drawn at random in each period.",
    )
    sg_spot_check_seed = fields.Char(
        copy=False,
        groups="base.group_system",
        help="Secret of the company's spot-check draw: the dates cannot be guessed "
        "without it.",
    )
    sg_inspect_customer_returns = fields.Boolean(
        string="Inspect Customer Returns",
        help="Goods returned by customers into stock wait for a quality inspection, "
        "like vendor receipts (when the product needs inspection).",
    )
    sg_joint_sign_multiple = fields.Boolean(
        string="One Person for Several Departments",
        help="Allow one representative to sign an inspection for two departments of "
        "the joint inspection group.",
    )
    sg_receipt_summary_cutoff_day = fields.Integer(
        string="Receipt Summary Cut-off Day",
        default=26,
        help="Day of the month that closes the monthly finished-goods receipt summary "
        "(the policy's default: the 26th).",
    )

    @api.constrains(
        "sg_spot_checks_per_month",
        "sg_receipt_summary_cutoff_day",
        "sg_spot_check_count",
    )
    def _check_sg_quality_settings(self):
        for company in self:
            if (
                not 1 <= company.sg_spot_checks_per_month <= 4
                or company.sg_spot_check_count < 0
            ):
                raise ValidationError(
                    _(
                        "Spot checks: between 1 and 4 per month, and the number of "
                        "products cannot be negative."
                    )
                )
            if not 1 <= company.sg_receipt_summary_cutoff_day <= 28:
                raise ValidationError(
                    _(
                        "The cut-off day of the receipt summary is a day between 1 "
                        "and 28."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["sale.governance.inspection.department"]._sg_ensure_defaults(companies)
        return companies

    def _sg_ensure_spot_check_seed(self):
        for company in self.sudo():
            if not company.sg_spot_check_seed:
                company.sg_spot_check_seed = secrets.token_hex(16)
