from odoo import fields, models

from ...models.key_accounts.tier_policy import QUADRANTS


class SaleGovernanceTierOverride(models.TransientModel):
    _name = "sale.governance.tier.override"
    _description = "Override Key-Account Quadrant"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True
    )
    current_quadrant = fields.Selection(
        related="partner_id.ka_quadrant", string="Current Quadrant"
    )
    computed_quadrant = fields.Selection(
        related="partner_id.ka_computed_quadrant", string="Computed Quadrant"
    )
    quadrant = fields.Selection(QUADRANTS, string="New Quadrant", required=True)
    reason = fields.Text(
        required=True, help="Why the computed quadrant does not fit; kept and logged."
    )

    def action_apply(self):
        self.ensure_one()
        self.partner_id._sg_ka_set_override(self.quadrant, self.reason)
        return {"type": "ir.actions.act_window_close"}
