from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_default_team_id = fields.Many2one(
        related="company_id.aftersales_default_team_id", readonly=False
    )
    aftersales_executive_group_id = fields.Many2one(
        related="company_id.aftersales_executive_group_id", readonly=False
    )
    aftersales_deadline_normal = fields.Float(
        related="company_id.aftersales_deadline_normal", readonly=False
    )
    aftersales_deadline_urgent = fields.Float(
        related="company_id.aftersales_deadline_urgent", readonly=False
    )
    aftersales_deadline_serious = fields.Float(
        related="company_id.aftersales_deadline_serious", readonly=False
    )
    aftersales_second_escalation_hours = fields.Float(
        related="company_id.aftersales_second_escalation_hours", readonly=False
    )
    aftersales_alias_name = fields.Char(
        related="company_id.aftersales_default_team_id.alias_name",
        readonly=False,
        string="Email Alias",
    )
