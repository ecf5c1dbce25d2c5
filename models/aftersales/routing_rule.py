from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .service_ticket import SEVERITIES


class SaleGovernanceRoutingRule(models.Model):
    _name = "sale.governance.routing.rule"
    _description = "After-sales Routing Rule"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    product_category_id = fields.Many2one(
        "product.category",
        help="Tickets about products of this category (or one of its subcategories). "
        "Empty: any.",
    )
    severity = fields.Selection(
        SEVERITIES, help="Tickets of this severity. Empty: any severity."
    )
    team_id = fields.Many2one(
        "sale.governance.technical.team",
        string="Technical Team",
        required=True,
        ondelete="cascade",
        check_company=True,
    )

    @api.depends("product_category_id", "severity", "team_id")
    def _compute_display_name(self):
        severities = dict(self._fields["severity"]._description_selection(self.env))
        for rule in self:
            rule.display_name = _(
                "%(category)s / %(severity)s → %(team)s",
                category=rule.product_category_id.display_name or _("Any category"),
                severity=severities.get(rule.severity) or _("Any severity"),
                team=rule.team_id.display_name,
            )

    @api.constrains(
        "product_category_id", "severity", "team_id", "company_id", "active"
    )
    def _check_contradiction(self):
        rules = self.search(
            [
                ("company_id", "in", self.company_id.ids),
                ("product_category_id", "in", self.product_category_id.ids + [False]),
            ]
        )
        for rule in self.filtered("active"):
            clash = rules.filtered(
                lambda r, rule=rule: r != rule
                and r.company_id == rule.company_id
                and r.product_category_id == rule.product_category_id
                and r.severity == rule.severity
                and r.team_id != rule.team_id
            )
            if clash:
                raise ValidationError(
                    _(
                        "Routing rules contradict each other: tickets of %(category)s "
                        "with severity %(severity)s would go both to %(team)s and to "
                        "%(other)s. Keep one rule for this combination, or make one "
                        "of them more specific.",
                        category=rule.product_category_id.display_name
                        or _("any category"),
                        severity=rule.severity or _("any"),
                        team=rule.team_id.display_name,
                        other=clash[0].team_id.display_name,
                    )
                )

    def _match_score(self, category, severity):
        """How specific this rule is for (category, severity); None when it does not
        match."""
        self.ensure_one()
        if self.severity and self.severity != severity:
            return None
        depth = 0
        if self.product_category_id:
            if not category or not category.parent_path.startswith(
                self.product_category_id.parent_path
            ):
                return None
            depth = len(self.product_category_id.parent_path.split("/"))
        return (depth, 1 if self.severity else 0)
