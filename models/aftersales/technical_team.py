from ast import literal_eval

from odoo import api, fields, models


class SaleGovernanceTechnicalTeam(models.Model):
    _name = "sale.governance.technical.team"
    _description = "After-sales Technical Team"
    _inherit = ["mail.thread", "mail.alias.mixin.optional"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    leader_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
        help="Receives overdue tickets of the team (first escalation step) and may "
        "reassign them.",
    )
    member_ids = fields.Many2many(
        "res.users",
        "sale_governance_technical_team_member_rel",
        "team_id",
        "user_id",
        string="Technicians",
        check_company=True,
        domain="[('share', '=', False)]",
        help="New tickets of the team go to the technician with the fewest open "
        "tickets.",
    )
    ticket_ids = fields.One2many(
        "sale.governance.service.ticket", "team_id", string="Tickets"
    )
    open_ticket_count = fields.Integer(compute="_compute_open_ticket_count")

    def _compute_open_ticket_count(self):
        Ticket = self.env["sale.governance.service.ticket"]
        counts = dict(
            Ticket._read_group(
                [("team_id", "in", self.ids), ("stage", "in", Ticket._OPEN_STAGES)],
                ["team_id"],
                ["__count"],
            )
        )
        for team in self:
            team.open_ticket_count = counts.get(team, 0)

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = (
            self.env["ir.model"]._get("sale.governance.service.ticket").id
        )
        if self.id:
            values["alias_defaults"] = defaults = literal_eval(
                self.alias_defaults or "{}"
            )
            defaults["team_id"] = self.id
            defaults["company_id"] = self.company_id.id
        return values

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        # The alias defaults need the id of the team.
        for team in teams.filtered("alias_id"):
            team.alias_id.sudo().alias_defaults = team._alias_get_creation_values()[
                "alias_defaults"
            ]
        return teams

    def action_view_open_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_governance.sale_governance_service_ticket_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id, "search_default_open": 1}
        return action
