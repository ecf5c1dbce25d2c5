from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class SaleGovernanceApprovalSubstitute(models.Model):
    """An approver names a substitute who decides in their name for a date range (holidays)."""

    _name = "sale.governance.approval.substitute"
    _description = "Approval Substitute"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users", string="Approver", required=True, index=True, tracking=True,
        default=lambda self: self.env.user,
    )
    substitute_id = fields.Many2one(
        "res.users", string="Substitute", required=True, index=True, tracking=True,
        domain="[('share', '=', False)]",
    )
    date_from = fields.Date(string="From", required=True, default=fields.Date.context_today,
                            tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    note = fields.Char(help="E.g. annual leave.")

    @api.depends("user_id", "substitute_id")
    def _compute_display_name(self):
        for sub in self:
            sub.display_name = _(
                "%(substitute)s for %(approver)s",
                substitute=sub.substitute_id.name or "",
                approver=sub.user_id.name or "",
            )

    @api.constrains("user_id", "substitute_id", "date_from", "date_to")
    def _check_substitute(self):
        for sub in self:
            if sub.user_id == sub.substitute_id:
                raise ValidationError(_("An approver cannot be their own substitute."))
            if sub.date_to < sub.date_from:
                raise ValidationError(
                    _("The substitution of %(approver)s ends before it starts: set a date To "
                      "on or after the date From.", approver=sub.user_id.name)
                )

    @api.model
    def _substituted_users(self, substitute, company, day=None):
        """The approvers that ``substitute`` stands in for on ``day`` (default: today)."""
        day = day or fields.Date.context_today(self)
        return self.sudo().search([
            ("substitute_id", "=", substitute.id),
            ("company_id", "=", company.id),
            ("date_from", "<=", day),
            ("date_to", ">=", day),
        ]).user_id
