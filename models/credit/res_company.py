from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_sale_allow_over_limit = fields.Boolean(
        string="Approve over the Credit Limit",
        help="Credit controllers may approve a credit-sale application over the "
        "customer's credit limit or despite overdue applications, with a mandatory "
        "justification (logged).",
    )
    credit_sale_escalation_days = fields.Integer(
        string="Escalate Overdue after (days)",
        default=7,
        help="Days after the payment due date before the sales manager also gets an "
        "activity for an overdue credit-sale application.",
    )
