from odoo import api, fields, models

from .sales_figures import month_start


class CrmTeam(models.Model):
    _inherit = "crm.team"

    sg_my_target_amount = fields.Monetary(
        string="My Sales Target",
        compute="_compute_sg_my_target",
        help="The current user's sales target of this month in this team.",
    )
    sg_my_target_actual = fields.Monetary(
        string="My Confirmed Sales", compute="_compute_sg_my_target"
    )

    @api.depends_context("uid")
    def _compute_sg_my_target(self):
        """The user's own target of the month on the Sales dashboard (two queries for
        all teams)."""
        targets = self.env["sale.governance.sales.target"].search(
            [
                ("target_type", "=", "user"),
                ("user_id", "=", self.env.uid),
                ("team_id", "in", self.ids),
                ("month", "=", month_start(fields.Date.context_today(self))),
            ]
        )
        by_team = {target.team_id.id: target for target in targets}
        for team in self:
            target = by_team.get(team.id)
            team.sg_my_target_amount = target.amount_sales if target else 0.0
            team.sg_my_target_actual = target.actual_sales if target else 0.0
