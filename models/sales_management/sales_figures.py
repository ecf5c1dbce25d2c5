"""The figures of the management cycle, computed once for a whole period and scope.

Every measure is one ``_read_group`` (or one parametrized SQL query for collections)
over the period, grouped by the keys the caller asks for; callers dispatch the result in
Python. The number of queries therefore never depends on the number of salespeople,
customers or orders. Targets, work plans, the statistics reports and the digest all read
their figures here, so the PDF, the pivot and the form always agree.
"""

from collections import defaultdict
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL


def month_start(day):
    """First day of the month of ``day`` (a date or datetime)."""
    if isinstance(day, datetime):
        day = day.date()
    return day.replace(day=1)


def add_months(day, months):
    return month_start(day) + relativedelta(months=months)


def to_datetime(day):
    return datetime.combine(day, time.min)


# the keys a caller may group by, per measure: name -> field of the underlying model
ORDER_KEYS = {"user": "user_id", "team": "team_id", "partner": "partner_id"}
INVOICE_KEYS = {
    "user": "invoice_user_id",
    "team": "team_id",
    "partner": "commercial_partner_id",
}


class SaleGovernanceSalesFigures(models.AbstractModel):
    _name = "sale.governance.sales.figures"
    _description = "Sales Governance: figures of the sales management cycle"

    # ------------------------------------------------------------------ helpers
    @api.model
    def _key(self, values, keys):
        """Normalise one result row: records to ids, dates to the first of their
        bucket."""
        out = []
        for value in values:
            if isinstance(value, models.BaseModel):
                value = value.id or False
            elif isinstance(value, datetime):
                value = value.date()
            out.append(value)
        return tuple(out)

    @api.model
    def _order_domain(self, company, date_from, date_to):
        return [
            ("company_id", "=", company.id),
            ("state", "=", "sale"),
            ("governed", "=", True),
            ("date_order", ">=", to_datetime(date_from)),
            ("date_order", "<", to_datetime(date_to)),
        ]

    @api.model
    def _invoice_domain(self, company, date_from, date_to):
        return [
            ("company_id", "=", company.id),
            ("state", "=", "posted"),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("invoice_date", ">=", date_from),
            ("invoice_date", "<", date_to),
            "|",
            ("team_id", "=", False),
            ("team_id.governed", "=", True),
        ]

    # ------------------------------------------------------------------ measures
    @api.model
    def _confirmed_sales(
        self,
        company,
        date_from,
        date_to,
        keys=("user",),
        by_month=False,
        extra_domain=None,
    ):
        """Untaxed amount of confirmed governed orders (company currency) per ``keys``.

        ``date_to`` is excluded. ``by_month`` adds the month (first day) as the last
        key. Returns ``{key tuple: amount}``; one query (plus one per foreign currency
        and month).
        """
        Order = self.env["sale.order"].with_context(tz="UTC")
        groupby = [ORDER_KEYS[k] for k in keys] + ["currency_id", "date_order:month"]
        domain = self._order_domain(company, date_from, date_to) + (extra_domain or [])
        result = defaultdict(float)
        for *values, currency, month, amount in Order._read_group(
            domain, groupby, ["amount_untaxed:sum"]
        ):
            month = month.date() if isinstance(month, datetime) else month
            if currency != company.currency_id:
                amount = currency._convert(
                    amount,
                    company.currency_id,
                    company,
                    min(month + relativedelta(months=1, days=-1), fields.Date.today()),
                )
            key = self._key(values, keys) + ((month,) if by_month else ())
            result[key] += amount
        return result

    @api.model
    def _order_counts(
        self, company, date_from, date_to, keys=("user",), quotations=False
    ):
        """Governed orders won (confirmed in the period) or quotations made (created in
        it)."""
        Order = self.env["sale.order"]
        if quotations:
            domain = [
                ("company_id", "=", company.id),
                ("governed", "=", True),
                ("create_date", ">=", to_datetime(date_from)),
                ("create_date", "<", to_datetime(date_to)),
            ]
        else:
            domain = self._order_domain(company, date_from, date_to)
        groupby = [ORDER_KEYS[k] for k in keys]
        return {
            self._key(values, keys): count
            for *values, count in Order._read_group(domain, groupby, ["__count"])
        }

    @api.model
    def _invoiced(self, company, date_from, date_to, keys=("user",), by_month=False):
        """Posted customer invoices minus credit notes (untaxed, company currency)."""
        Move = self.env["account.move"]
        groupby = [INVOICE_KEYS[k] for k in keys] + (
            ["invoice_date:month"] if by_month else []
        )
        result = defaultdict(float)
        for *values, amount in Move._read_group(
            self._invoice_domain(company, date_from, date_to),
            groupby,
            ["amount_untaxed_signed:sum"],
        ):
            result[self._key(values, keys + (("month",) if by_month else ()))] += amount
        return result

    @api.model
    def _collected(
        self, company, date_from, date_to, keys=("user",), by_month=False, by_day=False
    ):
        """Amounts of customer invoices settled by payments in the period (company
        currency).

        A collection is a reconciliation of an invoice's receivable line with a payment
        entry, dated by the later of the two (``max_date``); credit notes are not
        collections.
        """
        columns = {
            "user": "inv.invoice_user_id",
            "team": "inv.team_id",
            "partner": "inv.commercial_partner_id",
        }
        select = [SQL(columns[k]) for k in keys]
        if by_month:
            select.append(SQL("date_trunc('month', apr.max_date)::date"))
        elif by_day:
            select.append(SQL("apr.max_date"))
        select_sql = SQL(", ").join(select) if select else SQL("NULL")
        self.env["account.partial.reconcile"].flush_model()
        self.env["account.move.line"].flush_model(["move_id"])
        self.env["account.move"].flush_model(
            [
                "move_type",
                "state",
                "invoice_user_id",
                "team_id",
                "commercial_partner_id",
                "company_id",
            ]
        )
        self.env["crm.team"].flush_model(["governed"])
        query = SQL(
            """
            SELECT %(select)s, SUM(apr.amount)
              FROM account_partial_reconcile apr
              JOIN account_move_line dml ON dml.id = apr.debit_move_id
              JOIN account_move inv ON inv.id = dml.move_id
              JOIN account_move_line cml ON cml.id = apr.credit_move_id
              JOIN account_move pay ON pay.id = cml.move_id
         LEFT JOIN crm_team team ON team.id = inv.team_id
             WHERE inv.move_type = 'out_invoice' AND inv.state = 'posted'
               AND pay.move_type = 'entry'
               AND inv.company_id = %(company)s
               AND (inv.team_id IS NULL OR team.governed)
               AND apr.max_date >= %(date_from)s AND apr.max_date < %(date_to)s
          GROUP BY %(select)s
            """,
            select=select_sql,
            company=company.id,
            date_from=date_from,
            date_to=date_to,
        )
        self.env.cr.execute(query)
        return {tuple(row[:-1]): row[-1] for row in self.env.cr.fetchall()}

    @api.model
    def _due(self, company, date_from, date_to, keys=("user",)):
        """Amounts of posted customer invoices falling due in the period (company
        currency)."""
        Move = self.env["account.move"]
        domain = [
            ("company_id", "=", company.id),
            ("state", "=", "posted"),
            ("move_type", "=", "out_invoice"),
            ("invoice_date_due", ">=", date_from),
            ("invoice_date_due", "<", date_to),
            "|",
            ("team_id", "=", False),
            ("team_id.governed", "=", True),
        ]
        groupby = [INVOICE_KEYS[k] for k in keys]
        return {
            self._key(values, keys): amount
            for *values, amount in Move._read_group(
                domain, groupby, ["amount_total_signed:sum"]
            )
        }

    @api.model
    def _overdue_ageing(self, company, on_date, keys=("user",)):
        """Open receivables of governed invoices by ageing bucket on ``on_date``.

        Returns
        ``{key: {"current": x, "1_30": x, "31_60": x, "61_90": x, "90_plus": x}}``.
        """
        buckets = [
            ("current", on_date, None),
            ("1_30", on_date - relativedelta(days=30), on_date),
            (
                "31_60",
                on_date - relativedelta(days=60),
                on_date - relativedelta(days=30),
            ),
            (
                "61_90",
                on_date - relativedelta(days=90),
                on_date - relativedelta(days=60),
            ),
            ("90_plus", None, on_date - relativedelta(days=90)),
        ]
        Move = self.env["account.move"]
        groupby = [INVOICE_KEYS[k] for k in keys] + ["invoice_date_due:day"]
        domain = [
            ("company_id", "=", company.id),
            ("state", "=", "posted"),
            ("move_type", "=", "out_invoice"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("amount_residual_signed", "!=", 0),
            "|",
            ("team_id", "=", False),
            ("team_id.governed", "=", True),
        ]
        result = defaultdict(lambda: dict.fromkeys([b[0] for b in buckets], 0.0))
        for *values, due_day, amount in Move._read_group(
            domain, groupby, ["amount_residual_signed:sum"]
        ):
            due = due_day.date() if isinstance(due_day, datetime) else due_day
            for name, low, high in buckets:
                if name == "current":
                    if due >= on_date:
                        break
                    continue
                if (low is None or due >= low) and (high is None or due < high):
                    break
            result[self._key(values, keys)][name] += amount
        return result

    @api.model
    def _visits(self, company, date_from, date_to, keys=("user",)):
        """Logged customer visits in the period."""
        Log = self.env["sale.governance.visit.log"]
        domain = [
            ("company_id", "=", company.id),
            ("visit_datetime", ">=", to_datetime(date_from)),
            ("visit_datetime", "<", to_datetime(date_to)),
        ]
        groupby = [ORDER_KEYS[k] for k in keys]
        return {
            self._key(values, keys): count
            for *values, count in Log._read_group(domain, groupby, ["__count"])
        }

    @api.model
    def _new_customers(self, company, date_from, date_to, keys=("user",)):
        """Customers whose first confirmed governed order falls in the period, per
        ``keys``.

        Two queries: the first order date of every customer ordering in the period, then
        who sold to the new ones.
        """
        Order = self.env["sale.order"]
        period = self._order_domain(company, date_from, date_to)
        in_period = [p.id for (p,) in Order._read_group(period, ["partner_id"], [])]
        if not in_period:
            return {}
        firsts = Order._read_group(
            [
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
                ("governed", "=", True),
                ("partner_id", "in", in_period),
            ],
            ["partner_id"],
            ["date_order:min"],
        )
        new_ids = [p.id for p, first in firsts if first >= to_datetime(date_from)]
        result = defaultdict(int)
        if not new_ids:
            return result
        groupby = [ORDER_KEYS[k] for k in keys] + ["partner_id"]
        for *values, _partner in Order._read_group(
            period + [("partner_id", "in", new_ids)], groupby, []
        ):
            result[self._key(values, keys)] += 1
        return result
