from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ...models.sales_management.sales_figures import add_months, month_start

REPORT_TYPES = [
    ("sales", "Sales Statistics per Salesperson"),
    ("daily", "Daily Sales Statistics"),
    ("collection", "Collection Rate"),
    ("reseller", "Monthly Reseller Summary"),
    ("customers", "Target-Customer Basic Information"),
]
BUCKETS = [
    ("current", "Not Due"),
    ("1_30", "1-30 days"),
    ("31_60", "31-60 days"),
    ("61_90", "61-90 days"),
    ("90_plus", "Over 90 days"),
]


class SaleGovernanceStatisticsReport(models.TransientModel):
    """The policy's reports for a chosen period and scope: PDF, or pivot and graph."""

    _name = "sale.governance.statistics.report"
    _description = "Sales Statistics Report"

    report_type = fields.Selection(REPORT_TYPES, required=True, default="sales")
    period_type = fields.Selection(
        [("day", "Day"), ("week", "Week"), ("month", "Month"), ("custom", "Custom")],
        string="Period",
        required=True,
        default="month",
    )
    date_from = fields.Date(
        string="From",
        required=True,
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_to = fields.Date(
        string="To",
        required=True,
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        help="Last day of the period (included).",
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", help="Empty: every team."
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.depends("period_type", "report_type")
    def _compute_dates(self):
        today = fields.Date.context_today(self)
        for report in self:
            period = "month" if report.report_type == "reseller" else report.period_type
            if period == "day":
                report.date_from = report.date_to = today
            elif period == "week":
                report.date_from = today - timedelta(days=today.weekday())
                report.date_to = report.date_from + timedelta(days=6)
            elif period == "month" or not report.date_from:
                report.date_from = month_start(today)
                report.date_to = add_months(today, 1) - timedelta(days=1)

    # ------------------------------------------------------------------ data
    def _check_period(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(_("The period ends before it starts; check the dates."))
        if not self.env.su and not self.env.user.has_group(
            "sale_governance.group_sales_manager"
        ):
            raise UserError(
                _("The sales statistics are for sales managers and management.")
            )

    def _report_data(self):
        """Everything the PDF shows: title, rows, totals and the charts."""
        self._check_period()
        return self._report_data_unchecked()

    def _report_data_unchecked(self):
        """:meth:`_report_data` for the scheduled e-mails (the job has checked the
        recipients)."""
        self.ensure_one()
        Stats = self.env["sale.governance.statistics"]
        company, team = self.company_id, self.team_id
        date_from, date_to = self.date_from, self.date_to + timedelta(days=1)
        data = {
            "title": dict(REPORT_TYPES)[self.report_type],
            "date_from": self.date_from,
            "date_to": self.date_to,
            "team": team.name or _("All teams"),
            "company": company,
            "currency": company.currency_id,
            "buckets": BUCKETS,
        }
        if self.report_type == "sales":
            rows = Stats._salesperson_rows(company, date_from, date_to, team or None)
            data["rows"] = rows
            data["totals"] = Stats._totals(
                rows,
                [
                    "target",
                    "actual",
                    "previous",
                    "new_customers",
                    "visits",
                    "quotations",
                    "orders_won",
                ],
            )
            data["chart"] = Stats._svg_bars(
                [r["user_name"] for r in rows],
                [
                    (_("Target"), "#9bbbd4", [r["target"] for r in rows]),
                    (_("Actual"), "#2e6da4", [r["actual"] for r in rows]),
                ],
            )
            data["tiers"] = Stats._tier_rows(company, date_from, date_to, team or None)
            trend = Stats._trend(company, month_start(self.date_to), team or None)
            data["trend"] = Stats._svg_line(
                [t["month"].strftime("%m/%y") for t in trend],
                [
                    (_("Confirmed sales"), "#2e6da4", [t["actual"] for t in trend]),
                    (_("Target"), "#d9534f", [t["target"] for t in trend]),
                ],
            )
        elif self.report_type == "daily":
            by_day, by_category = Stats._daily_rows(
                company, date_from, date_to, team or None
            )
            data["rows"] = by_day
            data["categories"] = by_category
            data["totals"] = Stats._totals(
                by_day, ["confirmed", "delivered", "invoiced", "collected"]
            )
            days = sorted({r["day"] for r in by_day})
            data["chart"] = Stats._svg_bars(
                [d.strftime("%m-%d") for d in days],
                [
                    (
                        _("Confirmed"),
                        "#2e6da4",
                        [
                            sum(r["confirmed"] for r in by_day if r["day"] == d)
                            for d in days
                        ],
                    ),
                    (
                        _("Collected"),
                        "#5cb85c",
                        [
                            sum(r["collected"] for r in by_day if r["day"] == d)
                            for d in days
                        ],
                    ),
                ],
            )
        elif self.report_type == "collection":
            rows = Stats._collection_rows(company, date_from, date_to, team or None)
            data["rows"] = rows
            data["totals"] = Stats._totals(
                rows, ["collected", "due", "overdue"] + [b for b, _l in BUCKETS]
            )
            data["totals"]["rate"] = (
                100.0 * data["totals"]["collected"] / data["totals"]["due"]
                if data["totals"]["due"]
                else 0.0
            )
            data["chart"] = Stats._svg_bars(
                [label for _b, label in BUCKETS],
                [
                    (
                        _("Open receivables"),
                        "#d9534f",
                        [data["totals"][b] for b, _l in BUCKETS],
                    )
                ],
            )
        elif self.report_type == "customers":
            rows = Stats._target_customer_rows(company, date_to, team or None)
            data["rows"] = rows
            data["totals"] = Stats._totals(rows, ["sales_12m", "receivable"])
            data["chart"] = False
        else:
            rows = Stats._reseller_rows(company, self.date_from)
            data["rows"] = rows
            data["totals"] = Stats._totals(
                rows, ["qty", "amount", "prev_qty", "prev_amount"]
            )
            data["chart"] = False
        return data

    # ------------------------------------------------------------------ actions
    def action_print(self):
        self._check_period()
        return self.env.ref(
            "sale_governance.action_report_sg_statistics"
        ).report_action(self)

    def action_analysis(self):
        """The same figures as lines for the pivot and graph views."""
        self.ensure_one()
        data = self._report_data()
        Line = self.env["sale.governance.statistics.line"]
        vals_list = []
        if self.report_type == "sales":
            for r in data["rows"]:
                vals_list.append(
                    {
                        "user_id": r["user"].id,
                        "target": r["target"],
                        "actual": r["actual"],
                        "previous": r["previous"],
                        "new_customers": r["new_customers"],
                        "visits": r["visits"],
                        "quotations": r["quotations"],
                        "orders_won": r["orders_won"],
                    }
                )
        elif self.report_type == "daily":
            for r in data["rows"]:
                vals_list.append(
                    {
                        "user_id": r["user_id"],
                        "date": r["day"],
                        "actual": r["confirmed"],
                        "delivered": r["delivered"],
                        "invoiced": r["invoiced"],
                        "collected": r["collected"],
                    }
                )
        elif self.report_type == "collection":
            for r in data["rows"]:
                vals_list.append(
                    {
                        "user_id": r["user_id"],
                        "partner_id": r["partner_id"],
                        "collected": r["collected"],
                        "due": r["due"],
                        "overdue": r["overdue"],
                    }
                )
        elif self.report_type == "customers":
            for r in data["rows"]:
                vals_list.append(
                    {
                        "partner_id": r["partner_id"],
                        "actual": r["sales_12m"],
                        "due": r["receivable"],
                        "customer_tier": r["tier_label"],
                    }
                )
        else:
            for r in data["rows"]:
                vals_list.append(
                    {
                        "partner_id": r["partner_id"],
                        "product_id": r["product_id"],
                        "quantity": r["qty"],
                        "actual": r["amount"],
                        "previous": r["prev_amount"],
                    }
                )
        for vals in vals_list:
            vals.update(report_id=self.id, company_id=self.company_id.id)
        lines = Line.create(vals_list)
        return {
            "type": "ir.actions.act_window",
            "name": data["title"],
            "res_model": "sale.governance.statistics.line",
            "view_mode": "pivot,graph,list",
            "domain": [("id", "in", lines.ids)],
            "context": {"sg_report_type": self.report_type},
        }


class SaleGovernanceStatisticsLine(models.TransientModel):
    _name = "sale.governance.statistics.line"
    _description = "Sales Statistics Figure"

    report_id = fields.Many2one("sale.governance.statistics.report", ondelete="cascade")
    company_id = fields.Many2one("res.company")
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Salesperson")
    partner_id = fields.Many2one("res.partner", string="Customer")
    product_id = fields.Many2one("product.product")
    date = fields.Date()
    customer_tier = fields.Char()
    target = fields.Monetary()
    actual = fields.Monetary(string="Confirmed Sales")
    previous = fields.Monetary(string="Previous Period")
    delivered = fields.Monetary()
    invoiced = fields.Monetary()
    collected = fields.Monetary()
    due = fields.Monetary(string="Due in Period")
    overdue = fields.Monetary()
    quantity = fields.Float()
    new_customers = fields.Integer()
    visits = fields.Integer()
    quotations = fields.Integer()
    orders_won = fields.Integer()
