from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# The four quadrants of the key-account matrix, and "not classified".
QUADRANTS = [
    ("star", "Star"),
    ("question", "Question"),
    ("cash_cow", "Cash Cow"),
    ("dog", "Dog"),
]
QUADRANTS_ALL = QUADRANTS + [("unclassified", "Not Classified")]


class SaleGovernanceTierPolicy(models.Model):
    _name = "sale.governance.tier.policy"
    _description = "Key-Account Tier Policy"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    quadrant = fields.Selection(QUADRANTS, required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty for the policy of every company; a company-specific policy "
        "of the same quadrant takes precedence.",
    )
    visit_interval_days = fields.Integer(
        string="Visit Interval (days)",
        required=True,
        default=30,
        tracking=True,
        help="When the customer's last completed visit is older than this, its "
        "salesperson gets a 'Customer visit' activity. 0 disables visit reminders for "
        "this quadrant.",
    )
    visit_guidance = fields.Text(
        translate=True, help="How salespeople treat customers of this quadrant."
    )
    promotion_type_ids = fields.Many2many(
        "sale.governance.promotion.type",
        string="Recommended Promotions",
        help="Promotion types suggested on the quotations of customers of this "
        "quadrant.",
    )
    color = fields.Integer()

    @api.constrains("visit_interval_days")
    def _check_visit_interval_days(self):
        for policy in self:
            if policy.visit_interval_days < 0:
                raise ValidationError(
                    _(
                        "Tier policy %(policy)s: the visit interval cannot be "
                        "negative; enter 0 to disable visit reminders.",
                        policy=policy.name,
                    )
                )

    @api.constrains("quadrant", "company_id")
    def _check_one_per_quadrant(self):
        groups = self._read_group(
            [("quadrant", "in", self.mapped("quadrant"))],
            ["quadrant", "company_id"],
            ["__count"],
        )
        for quadrant, company, count in groups:
            if count > 1:
                label = dict(self._fields["quadrant"]._description_selection(self.env))[
                    quadrant
                ]
                raise ValidationError(
                    _(
                        "There is already a tier policy for the quadrant %(quadrant)s "
                        "(%(company)s); edit that one instead of creating another.",
                        quadrant=label,
                        company=company.name if company else _("all companies"),
                    )
                )

    @api.model
    def _by_quadrant(self, company):
        """{quadrant: policy} for ``company``: its own policies before the shared
        ones."""
        result = {}
        for policy in self.search(
            [("company_id", "in", [False, company.id])], order="id"
        ):
            if policy.company_id or policy.quadrant not in result:
                result[policy.quadrant] = policy
        return result
