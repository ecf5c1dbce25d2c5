from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ...models.sales_management.sales_figures import add_months, month_start


class SaleGovernanceTargetProposal(models.TransientModel):
    """The growth rule: next month's targets from this month's actual sales × (1 +
    growth)."""

    _name = "sale.governance.target.proposal"
    _description = "Propose Next Month's Sales Targets"

    team_id = fields.Many2one("crm.team", string="Sales Team", required=True)
    base_month = fields.Date(
        string="From the Actual Sales Of",
        required=True,
        default=lambda self: month_start(fields.Date.context_today(self)),
    )
    target_month = fields.Date(string="Targets For", compute="_compute_target_month")
    growth_pct = fields.Float(
        string="Growth (%)",
        default=lambda self: self.env.company.sg_target_growth_pct,
        help="Company setting by default (the policy: 10 % per month); edit it for "
        "this proposal.",
    )

    @api.depends("base_month")
    def _compute_target_month(self):
        for wizard in self:
            wizard.target_month = (
                add_months(wizard.base_month, 1) if wizard.base_month else False
            )

    def action_propose(self):
        self.ensure_one()
        if not self.env.user.has_group("sale_governance.group_sales_manager"):
            raise UserError(_("Only a sales manager proposes the targets of a team."))
        if self.growth_pct <= -100:
            raise UserError(_("The growth must be above -100 %."))
        targets = self.env["sale.governance.sales.target"]._propose_targets(
            self.team_id, self.base_month, self.growth_pct
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Proposed Targets"),
            "res_model": "sale.governance.sales.target",
            "view_mode": "list,form",
            "domain": [("id", "in", targets.ids)],
        }
