from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    def _default_aftersales_executive_group(self):
        return self.env.ref("sale_governance.group_executive", raise_if_not_found=False)

    aftersales_default_team_id = fields.Many2one(
        "sale.governance.technical.team",
        string="Default Technical Team",
        help="Service tickets that no routing rule matches go to this technical team.",
    )
    aftersales_executive_group_id = fields.Many2one(
        "res.groups",
        string="Executive in Charge of Serious Cases",
        default=lambda self: self._default_aftersales_executive_group(),
        help="Members of this group receive an activity when a serious service ticket "
        "is created.",
    )
    aftersales_deadline_normal = fields.Float(
        string="Deadline for Normal Tickets (hours)", default=72.0
    )
    aftersales_deadline_urgent = fields.Float(
        string="Deadline for Urgent Tickets (hours)", default=24.0
    )
    aftersales_deadline_serious = fields.Float(
        string="Deadline for Serious Tickets (hours)", default=8.0
    )
    aftersales_second_escalation_hours = fields.Float(
        string="Escalate to Sales Manager after (hours)",
        default=24.0,
        help="Hours after the deadline (and the escalation to the team leader) after "
        "which a ticket still open is escalated to the sales manager.",
    )

    @api.constrains(
        "aftersales_deadline_normal",
        "aftersales_deadline_urgent",
        "aftersales_deadline_serious",
        "aftersales_second_escalation_hours",
    )
    def _check_aftersales_deadlines(self):
        for company in self:
            hours = (
                company.aftersales_deadline_normal,
                company.aftersales_deadline_urgent,
                company.aftersales_deadline_serious,
                company.aftersales_second_escalation_hours,
            )
            if any(h <= 0 for h in hours):
                raise ValidationError(
                    _(
                        "Company %(company)s: after-sales deadlines and the "
                        "escalation delay must be positive numbers of hours.",
                        company=company.name,
                    )
                )

    def _sg_aftersales_deadline_hours(self, severity):
        self.ensure_one()
        severity = severity or "normal"
        if severity not in ("normal", "urgent", "serious"):
            raise ValidationError(
                _(
                    "%(severity)s is not a severity of service tickets: choose "
                    "normal, urgent or serious.",
                    severity=repr(severity),
                )
            )
        return self[f"aftersales_deadline_{severity}"]
