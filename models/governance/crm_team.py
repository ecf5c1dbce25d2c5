from odoo import _, api, fields, models
from odoo.exceptions import UserError

GOVERNANCE_ADMIN = "sale_governance.group_governance_admin"


class CrmTeam(models.Model):
    _inherit = ["crm.team", "sale.governance.protected.mixin"]
    _name = "crm.team"

    governed = fields.Boolean(
        string="Under the Sales Policy",
        default=lambda self: self.env.company.sudo().policy_default_governed,
        tracking=True,
        help="Orders created in this team follow the sales management policy "
        "(approvals, credit, delivery gate). Off by default: a Governance "
        "Administrator turns it on per team. Changing it affects orders created "
        "afterwards; an order keeps the scope it was created with.",
    )

    # ------------------------------------------------------------------ scope switch
    def _sg_protected_fields(self):
        # Who acts decides, never the context: only a Governance Administrator moves a
        # team in or out of the policy (the switch in Policy Scope or on the team's
        # form).
        fields_ = super()._sg_protected_fields()
        if self.env.user.has_group(GOVERNANCE_ADMIN):
            return fields_
        return fields_ | {"governed"}

    def _sg_refuse_protected(self, field_names):
        if "governed" in field_names:
            raise UserError(
                _(
                    "Only a Governance Administrator can put a sales team under the "
                    "sales policy or take it out (Sales > Configuration > Sales "
                    "Governance > Policy Scope). Ask them to change it."
                )
            )
        return super()._sg_refuse_protected(field_names)

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        # Teams created by a module's data files (eCommerce, point of sale ...) start
        # outside the policy, whatever the company default: the administrator decides
        # for them. Only the server's own module loading runs as superuser in install
        # mode; no caller gets here.
        from_module = self.env.su and self.env.context.get("install_mode")
        default_company = self.env.company
        to_fix = {True: [], False: []}
        for team, vals in zip(teams, vals_list, strict=False):
            if "governed" in vals:
                continue
            company = team.company_id or default_company
            wanted = False if from_module else company.sudo().policy_default_governed
            if team.governed != wanted:
                to_fix[wanted].append(team.id)
        for wanted, ids in to_fix.items():
            if ids:
                self.browse(ids)._sg_protected_write({"governed": wanted})
        return teams
