from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError


class SaleGovernanceApprovalSubstitute(models.Model):
    """An approver names a substitute who decides in their name for a date range
    (holidays)."""

    _name = "sale.governance.approval.substitute"
    _description = "Approval Substitute"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users",
        string="Approver",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
    )
    substitute_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    date_from = fields.Date(
        string="From", required=True, default=fields.Date.context_today, tracking=True
    )
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
                    _(
                        "The substitution of %(approver)s ends before it starts: set "
                        "a date To on or after the date From.",
                        approver=sub.user_id.name,
                    )
                )

    @api.constrains("substitute_id")
    def _check_substitute_internal(self):
        for sub in self:
            if sub.substitute_id.share:
                raise ValidationError(
                    _(
                        "%(substitute)s is not an internal user: only employees stand "
                        "in for an approver.",
                        substitute=sub.substitute_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        subs = super().create(vals_list)
        subs._check_own_substitution()
        return subs

    def write(self, vals):
        self._check_own_substitution()
        res = super().write(vals)
        self._check_own_substitution()
        return res

    def _check_own_substitution(self):
        """On the final values: a user names substitutes only for themselves (as the
        absent approver); a Governance Administrator for anyone."""
        if self.env.su or self.env.user.has_group(
            "sale_governance.group_governance_admin"
        ):
            return
        others = self.filtered(lambda sub: sub.user_id != self.env.user)
        if others:
            raise AccessError(
                _(
                    "You can name a substitute only for yourself (%(user)s), not for "
                    "%(approver)s. Ask a Governance Administrator to do it for "
                    "another approver.",
                    user=self.env.user.name,
                    approver=others[0].user_id.name,
                )
            )

    @api.model
    def _substituted_users(self, substitute, company, day=None):
        """The approvers that ``substitute`` stands in for on ``day`` (default:
        today)."""
        day = day or fields.Date.context_today(self)
        return (
            self.sudo()
            .search(
                [
                    ("substitute_id", "=", substitute.id),
                    ("company_id", "=", company.id),
                    ("date_from", "<=", day),
                    ("date_to", ">=", day),
                ]
            )
            .user_id
        )
