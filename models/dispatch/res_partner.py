from collections import defaultdict

from odoo import api, fields, models

STATEMENT_GROUPS = (
    "sale_governance.group_invoicing_clerk,"
    "sale_governance.group_sales_accountant,"
    "account.group_account_invoice"
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    sg_prepaid_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_sg_prepaid_statement",
        string="Statement Currency",
    )
    sg_prepaid_payments = fields.Monetary(
        groups=STATEMENT_GROUPS,
        string="Payments Received",
        compute="_compute_sg_prepaid_statement",
        currency_field="sg_prepaid_currency_id",
        help="Posted customer payments (net of refunds paid out) in the current "
        "company.",
    )
    sg_prepaid_invoiced = fields.Monetary(
        groups=STATEMENT_GROUPS,
        string="Invoiced",
        compute="_compute_sg_prepaid_statement",
        currency_field="sg_prepaid_currency_id",
        help="Posted customer invoices net of credit notes, tax included.",
    )
    sg_prepaid_delivered = fields.Monetary(
        groups=STATEMENT_GROUPS,
        string="Goods Delivered, not Invoiced",
        compute="_compute_sg_prepaid_statement",
        currency_field="sg_prepaid_currency_id",
        help="Goods delivered on orders under the sales policy and not invoiced yet, "
        "at the orders' prices tax included.",
    )
    sg_prepaid_balance = fields.Monetary(
        groups=STATEMENT_GROUPS,
        string="Prepaid Balance",
        compute="_compute_sg_prepaid_statement",
        currency_field="sg_prepaid_currency_id",
        help="Payments received - invoiced - goods delivered not invoiced: what the "
        "customer has paid for and not received yet (negative: the customer owes it).",
    )

    @api.depends_context("company")
    def _compute_sg_prepaid_statement(self):
        statements = self.filtered("id")._sg_prepaid_statement()
        currency = self.env.company.currency_id
        for partner in self:
            figures = statements.get(partner.commercial_partner_id, {})
            partner.sg_prepaid_currency_id = currency
            partner.sg_prepaid_payments = figures.get("payments", 0.0)
            partner.sg_prepaid_invoiced = figures.get("invoiced", 0.0)
            partner.sg_prepaid_delivered = figures.get("delivered", 0.0)
            partner.sg_prepaid_balance = figures.get("balance", 0.0)

    def _sg_prepaid_statement(self):
        """{commercial partner: {payments, invoiced, delivered, balance}} in the current
        company (its currency), read with three grouped queries whatever the number of
        partners."""
        partners = self.commercial_partner_id
        if not partners:
            return {}
        company = self.env.company
        currency = company.currency_id
        owner = {}
        for partner in (
            self.env["res.partner"].sudo().search([("id", "child_of", partners.ids)])
        ):
            owner[partner.id] = partner.commercial_partner_id
        payments, invoiced, delivered = (
            defaultdict(float),
            defaultdict(float),
            defaultdict(float),
        )
        for partner, amount in (
            self.env["account.payment"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", list(owner)),
                    ("company_id", "=", company.id),
                    ("partner_type", "=", "customer"),
                    ("state", "in", ("in_process", "paid")),
                ],
                ["partner_id"],
                ["amount_company_currency_signed:sum"],
            )
        ):
            payments[owner[partner.id]] += amount
        for partner, amount in (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", list(owner)),
                    ("company_id", "=", company.id),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                ],
                ["partner_id"],
                ["amount_total_signed:sum"],
            )
        ):
            invoiced[owner[partner.id]] += amount
        lines = (
            self.env["sale.order.line"]
            .sudo()
            .search(
                [
                    ("order_partner_id", "in", list(owner)),
                    ("company_id", "=", company.id),
                    ("order_id.governed", "=", True),
                    ("state", "=", "sale"),
                    ("qty_delivered", ">", 0),
                ]
            )
        )
        today = fields.Date.context_today(self)
        for line in lines:
            qty = line.qty_delivered - line.qty_invoiced
            if qty > 0:
                amount = qty * line.price_reduce_taxinc
                if line.currency_id != currency:
                    amount = line.currency_id._convert(amount, currency, company, today)
                delivered[owner[line.order_partner_id.id]] += amount
        return {
            partner: {
                "payments": payments[partner],
                "invoiced": invoiced[partner],
                "delivered": delivered[partner],
                "balance": currency.round(
                    payments[partner] - invoiced[partner] - delivered[partner]
                ),
            }
            for partner in partners
        }
