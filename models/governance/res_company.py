from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

APPROVAL_LEVELS = (1, 2, 3)
GOVERNANCE_ADMIN = "sale_governance.group_governance_admin"


class ResCompany(models.Model):
    _inherit = "res.company"

    def _default_approval_group(self, level):
        xmlid = {
            1: "sale_governance.group_sales_manager",
            2: "sale_governance.group_business_reviewer",
            3: "sale_governance.group_executive",
        }[level]
        return self.env.ref(xmlid, raise_if_not_found=False)

    approval_group_l1_id = fields.Many2one(
        "res.groups",
        string="Level 1 Approvers (Sales Dept)",
        default=lambda self: self._default_approval_group(1),
        help="Members of this group decide approval level 1 (销售部) of sales contracts.",
    )
    approval_group_l2_id = fields.Many2one(
        "res.groups",
        string="Level 2 Approvers (Business Management)",
        default=lambda self: self._default_approval_group(2),
        help="Members of this group decide approval level 2 (企管部) of sales contracts.",
    )
    approval_group_l3_id = fields.Many2one(
        "res.groups",
        string="Level 3 Approvers (Executive in Charge)",
        default=lambda self: self._default_approval_group(3),
        help="Members of this group decide approval level 3 (公司分管领导) of sales contracts.",
    )

    policy_default_governed = fields.Boolean(
        string="New Teams under the Sales Policy",
        default=False,
        help="Off (the default): installing the addon changes nothing; new sales teams and "
        "quotations without a sales team stay outside the policy until a Governance "
        "Administrator puts a team under it. On: new sales teams of this company start under the "
        "policy, and so do quotations created without a sales team.",
    )

    @api.constrains("approval_group_l1_id", "approval_group_l2_id", "approval_group_l3_id")
    def _check_approval_groups(self):
        for company in self:
            groups = [company[f"approval_group_l{level}_id"] for level in APPROVAL_LEVELS]
            if not all(groups):
                raise ValidationError(
                    _(
                        "Company %(company)s: each of the three approval levels needs an approver "
                        "group. Set them in Sales > Configuration > Settings > Sales Governance.",
                        company=company.name,
                    )
                )

    def write(self, vals):
        if "policy_default_governed" in vals and not self.env.user.has_group(GOVERNANCE_ADMIN):
            new = bool(vals["policy_default_governed"])
            if any(company.policy_default_governed != new for company in self.sudo()):
                raise UserError(
                    _(
                        "Only a Governance Administrator decides whether new sales teams and "
                        "quotations without a team start under the sales policy."
                    )
                )
        return super().write(vals)

    def _approval_group(self, level):
        """The group that decides approval ``level`` (1, 2 or 3) for this company."""
        self.ensure_one()
        return self.sudo()[f"approval_group_l{level}_id"]
