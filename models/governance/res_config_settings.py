from odoo import _, api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    policy_default_governed = fields.Boolean(
        related="company_id.policy_default_governed", readonly=False
    )
    # First-run checklist (Settings > Sales > Sales Governance)
    sg_governed_team_count = fields.Integer(compute="_compute_sg_checklist")
    sg_team_count = fields.Integer(compute="_compute_sg_checklist")
    sg_credit_controller_count = fields.Integer(compute="_compute_sg_checklist")

    @api.depends("company_id")
    def _compute_sg_checklist(self):
        Team = self.env["crm.team"].sudo()
        controllers = self.env.ref(
            "sale_governance.group_credit_controller", raise_if_not_found=False
        )
        users = (
            controllers.sudo().users.filtered(lambda u: not u.share)
            if controllers
            else None
        )
        for settings in self:
            domain = [("company_id", "in", (False, settings.company_id.id))]
            counts = dict(Team._read_group(domain, ["governed"], ["__count"]))
            settings.sg_governed_team_count = counts.get(True, 0)
            settings.sg_team_count = sum(counts.values())
            company = settings.company_id
            settings.sg_credit_controller_count = (
                len(users.filtered_domain([("company_ids", "in", company.ids)]))
                if users
                else 0
            )

    def action_sg_open_credit_controllers(self):
        """Step 4 of the checklist: who the credit controllers are (the group)."""
        group = self.env.ref("sale_governance.group_credit_controller")
        return {
            "type": "ir.actions.act_window",
            "name": _("Credit Controllers"),
            "res_model": "res.groups",
            "res_id": group.id,
            "view_mode": "form",
            "target": "current",
        }
