from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# The policy's three levels (004 第五条): 销售部 → 企管部 → 公司分管领导. Created for
# every company (post-init hook, migration, new companies); each company edits, adds or
# removes its own.
DEFAULT_APPROVAL_LEVELS = (
    # (sequence, name, group xml id, conditions of the first level)
    (10, "Sales Department", "sale_governance.group_sales_manager", True),
    (
        20,
        "Business Management Department",
        "sale_governance.group_business_reviewer",
        False,
    ),
    (30, "Executive in Charge", "sale_governance.group_executive", False),
)


class SaleGovernanceApprovalLevel(models.Model):
    """One level of the contract review of a company (sequence, approvers, when it
    applies)."""

    _name = "sale.governance.approval.level"
    _description = "Contract Approval Level"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10, required=True)
    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    group_id = fields.Many2one(
        "res.groups",
        string="Approver Group",
        required=True,
        ondelete="restrict",
        help="Members of this group decide this level.",
    )
    amount_threshold = fields.Monetary(
        string="Above Amount",
        currency_field="currency_id",
        help="With approval thresholds on, this level reviews contracts whose untaxed "
        "amount (company currency) exceeds this amount, or that meet one of the "
        "conditions below.",
    )
    condition_discount = fields.Boolean(
        string="Discount Above Maximum",
        help="A line with a discount above the company's maximum requires this level.",
    )
    condition_pricelist = fields.Boolean(
        string="Price Below Pricelist",
        help="A unit price below the pricelist price requires this level.",
    )
    condition_payment_term = fields.Boolean(
        string="Longer Payment Term",
        help="A payment term longer than the customer's standard one requires this "
        "level.",
    )
    active = fields.Boolean(default=True)

    @api.constrains("sequence", "amount_threshold", "company_id", "active")
    def _check_thresholds_increase(self):
        for company in self.company_id:
            levels = company._sg_approval_levels()
            previous = None
            for level in levels:
                if company.currency_id.compare_amounts(level.amount_threshold, 0) < 0:
                    raise ValidationError(
                        _(
                            "The approval threshold of %(level)s cannot be negative "
                            "(company %(company)s).",
                            level=level.name,
                            company=company.name,
                        )
                    )
                if (
                    previous
                    and company.currency_id.compare_amounts(
                        level.amount_threshold, previous.amount_threshold
                    )
                    < 0
                ):
                    raise ValidationError(
                        _(
                            "Company %(company)s: the threshold of %(level)s "
                            "(%(amount)s) is below the threshold of the level before "
                            "it, %(previous)s (%(previous_amount)s). Thresholds must "
                            "not decrease along the sequence of levels.",
                            company=company.name,
                            level=level.name,
                            amount=level.amount_threshold,
                            previous=previous.name,
                            previous_amount=previous.amount_threshold,
                        )
                    )
                previous = level

    @api.model
    def _sg_default_levels_vals(self, companies):
        """Values of the policy's three default levels for each of ``companies`` that
        has none."""
        existing = (
            self.with_context(active_test=False)
            .sudo()
            ._read_group(
                [("company_id", "in", companies.ids)], ["company_id"], ["__count"]
            )
        )
        configured = {company for company, _count in existing}
        vals_list = []
        for company in companies - self.env["res.company"].browse(
            c.id for c in configured
        ):
            for sequence, name, group_xmlid, first in DEFAULT_APPROVAL_LEVELS:
                group = self.env.ref(group_xmlid, raise_if_not_found=False)
                if not group:
                    continue
                vals_list.append(
                    {
                        "company_id": company.id,
                        "sequence": sequence,
                        "name": name,
                        "group_id": group.id,
                        "condition_discount": first,
                        "condition_pricelist": first,
                        "condition_payment_term": first,
                    }
                )
        return vals_list
