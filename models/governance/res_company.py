from odoo import _, api, fields, models
from odoo.exceptions import UserError

GOVERNANCE_ADMIN = "sale_governance.group_governance_admin"


class ResCompany(models.Model):
    _inherit = "res.company"

    approval_level_ids = fields.One2many(
        "sale.governance.approval.level",
        "company_id",
        string="Contract Approval Levels",
        help="The levels that review sales contracts, in their order (by default: "
        "sales department, business management department, executive in charge).",
    )

    policy_default_governed = fields.Boolean(
        string="New Teams under the Sales Policy",
        default=False,
        help="Off (the default): installing the addon changes nothing; new sales "
        "teams and quotations without a sales team stay outside the policy until a "
        "Governance Administrator puts a team under it. On: new sales teams of this "
        "company start under the policy, and so do quotations created without a sales "
        "team.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._sg_create_default_approval_levels()
        return companies

    def write(self, vals):
        if "policy_default_governed" in vals and not self.env.user.has_group(
            GOVERNANCE_ADMIN
        ):
            new = bool(vals["policy_default_governed"])
            if any(company.policy_default_governed != new for company in self.sudo()):
                raise UserError(
                    _(
                        "Only a Governance Administrator decides whether new sales "
                        "teams and quotations without a team start under the sales "
                        "policy."
                    )
                )
        return super().write(vals)

    @api.model
    def _sg_install_default_approval_levels(self):
        """Install / data: the default levels for every company that has none."""
        self.with_context(active_test=False).search(
            []
        )._sg_create_default_approval_levels()

    def _sg_create_default_approval_levels(self):
        """The policy's three levels for each company of ``self`` that has no level
        yet."""
        Level = self.env["sale.governance.approval.level"].sudo()
        vals_list = Level._sg_default_levels_vals(self)
        if vals_list:
            Level.create(vals_list)

    def _sg_approval_levels(self):
        """This company's active approval levels, in their order (superuser:
        configuration)."""
        self.ensure_one()
        return self.sudo().approval_level_ids.sorted(
            lambda level: (level.sequence, level.id)
        )

    def _sg_set_approval_thresholds(self, amount):
        """Every approval level of these companies at ``amount`` (demo data,
        benchmarks)."""
        self.env["sale.governance.approval.level"].sudo().search(
            [("company_id", "in", self.ids)]
        ).write({"amount_threshold": amount})

    def _sg_first_level_approvers(self):
        """Internal users of this company who decide its first approval level (the sales
        department): other features (after-sales escalation) call on them."""
        self.ensure_one()
        root = self.env.ref("base.user_root")
        return self._sg_approval_levels()[:1].group_id.users.filtered(
            lambda user: not user.share and self in user.company_ids and user != root
        )
