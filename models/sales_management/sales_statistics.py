"""The policy's periodic reports, computed from :mod:`sales_figures` (a fixed number of
queries).

``_salesperson_rows`` weekly / monthly sales statistics per salesperson (规定 16,
销售统计报表) ``_daily_rows`` daily sales statistics: confirmed, delivered, invoiced,
collected per day
                       and salesperson, and per product category (第十八条 3)
``_collection_rows`` collection rate (상환율) per salesperson and customer, with overdue
ageing ``_reseller_rows`` monthly reseller summary per reseller and product vs the
previous month ``_trend`` 12-month trend of confirmed sales and targets (charts)
"""

import calendar
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, models
from odoo.tools import SQL

from .sales_figures import add_months, month_start, to_datetime


def _pct(part, whole):
    return 100.0 * part / whole if whole else 0.0


class SaleGovernanceStatistics(models.AbstractModel):
    _name = "sale.governance.statistics"
    _description = "Sales Governance: the policy's sales statistics"

    # ------------------------------------------------------------------ targets of a
    # period
    @api.model
    def _targets_for_period(self, company, date_from, date_to, keys=("user",)):
        """Sales targets of the period per key, pro rata of the days of each month
        covered.

        A weekly report gets 7/30 (or 7/31) of the month's target. One query.
        """
        Target = self.env["sale.governance.sales.target"].sudo()
        target_type = "team" if keys == ("team",) else "user"
        field = "team_id" if target_type == "team" else "user_id"
        rows = Target._read_group(
            [
                ("company_id", "=", company.id),
                ("target_type", "=", target_type),
                ("month", ">=", month_start(date_from)),
                ("month", "<", date_to),
            ],
            [field, "month:day"],
            ["amount_sales:sum"],
        )
        result = defaultdict(float)
        for record, month, amount in rows:
            days_in_month = calendar.monthrange(month.year, month.month)[1]
            start = max(month, date_from)
            end = min(add_months(month, 1), date_to)
            covered = (end - start).days
            if covered > 0:
                result[(record.id,)] += amount * covered / days_in_month
        return result

    # ------------------------------------------------------------------ per salesperson
    @api.model
    def _salesperson_rows(self, company, date_from, date_to, team=None):
        """One row per salesperson with sales or a target in the period (fixed query
        count)."""
        Figures = self.env["sale.governance.sales.figures"].sudo()
        length = date_to - date_from
        prev_from = date_from - length
        if (
            date_from.day == 1 and date_to.day == 1
        ):  # whole months: previous months alike
            months = (
                (date_to.year - date_from.year) * 12 + date_to.month - date_from.month
            )
            prev_from = add_months(date_from, -months)
        keys = ("user", "team")
        extra = [("team_id", "=", team.id)] if team else None
        sales = Figures._confirmed_sales(
            company, date_from, date_to, ("user",), extra_domain=extra
        )
        previous = Figures._confirmed_sales(
            company, prev_from, date_from, ("user",), extra_domain=extra
        )
        targets = self._targets_for_period(company, date_from, date_to)
        won = Figures._order_counts(company, date_from, date_to, keys)
        quotations = Figures._order_counts(
            company, date_from, date_to, keys, quotations=True
        )
        visits = Figures._visits(company, date_from, date_to, keys)
        new_customers = Figures._new_customers(company, date_from, date_to, keys)

        def by_user(figures):
            out = defaultdict(float)
            for (user, team_id), value in figures.items():
                if not team or team_id == team.id:
                    out[user] += value
            return out

        won, quotations, visits, new_customers = map(
            by_user, (won, quotations, visits, new_customers)
        )
        user_ids = {u for (u,) in sales} | set(won) | set(quotations) | set(visits)
        if team:
            user_ids |= set(team.member_ids.ids) | set(team.user_id.ids)
            user_ids |= {
                u for (u,), amount in targets.items() if u in team.member_ids.ids
            }
        else:
            user_ids |= {u for (u,) in targets}
        user_ids.discard(False)
        users = self.env["res.users"].sudo().browse(sorted(user_ids))
        rows = []
        for user in users.sorted("name"):
            actual = sales.get((user.id,), 0.0)
            before = previous.get((user.id,), 0.0)
            target = targets.get((user.id,), 0.0)
            rows.append(
                {
                    "user": user,
                    "user_name": user.name,
                    "target": target,
                    "actual": actual,
                    "achievement": _pct(actual, target),
                    "previous": before,
                    "growth": _pct(actual - before, before),
                    "new_customers": int(new_customers.get(user.id, 0)),
                    "visits": int(visits.get(user.id, 0)),
                    "quotations": int(quotations.get(user.id, 0)),
                    "orders_won": int(won.get(user.id, 0)),
                }
            )
        return rows

    @api.model
    def _tier_rows(self, company, date_from, date_to, team=None):
        """Per customer tier: customers, confirmed sales and visits of the period (fixed
        queries)."""
        Figures = self.env["sale.governance.sales.figures"].sudo()
        extra = [("team_id", "=", team.id)] if team else None
        sales = Figures._confirmed_sales(
            company, date_from, date_to, ("partner",), extra_domain=extra
        )
        visits = Figures._visits(company, date_from, date_to, ("partner", "team"))
        partner_ids = {p for (p,) in sales} | {
            p for (p, t) in visits if not team or t == team.id
        }
        partners = (
            self.env["res.partner"].sudo().browse(sorted(p for p in partner_ids if p))
        )
        profiles = partners._sg_customer_profiles()
        rows = defaultdict(lambda: {"customers": set(), "sales": 0.0, "visits": 0})
        for partner in partners:
            tier = profiles[partner.id]["tier_label"] or self.env._("No tier")
            row = rows[tier]
            row["customers"].add(partner.commercial_partner_id.id)
            row["sales"] += sales.get((partner.id,), 0.0)
        for (partner_id, team_id), count in visits.items():
            if partner_id and (not team or team_id == team.id):
                tier = profiles[partner_id]["tier_label"] or self.env._("No tier")
                rows[tier]["visits"] += count
        return [
            {
                "tier": tier,
                "customers": len(v["customers"]),
                "sales": v["sales"],
                "visits": v["visits"],
            }
            for tier, v in sorted(rows.items())
        ]

    # ------------------------------------------------------------------ target
    # customers
    @api.model
    def _target_customer_rows(self, company, date_to, team=None):
        """Target-customer basic information (대상 고객 기본 정보): one row per customer
        company.

        The customers with a salesperson (of ``team`` when given): profile and tier (key
        accounts), last visit, confirmed sales of the 12 months before ``date_to``, open
        receivables. A fixed number of queries.
        """
        Partner = self.env["res.partner"].sudo()
        domain = [
            ("is_company", "=", True),
            ("user_id", "!=", False),
            ("company_id", "in", (company.id, False)),
        ]
        if team:
            domain.append(("user_id", "in", (team.member_ids | team.user_id).ids))
        partners = Partner.search(domain, order="name")
        if not partners:
            return []
        Figures = self.env["sale.governance.sales.figures"].sudo()
        Order = self.env["sale.order"].sudo()
        sales = defaultdict(float)
        for partner, currency, amount in Order._read_group(
            Figures._order_domain(company, add_months(date_to, -12), date_to)
            + [("partner_id.commercial_partner_id", "in", partners.ids)],
            ["partner_id", "currency_id"],
            ["amount_untaxed:sum"],
        ):
            if currency != company.currency_id:
                amount = currency._convert(
                    amount, company.currency_id, company, date_to
                )
            sales[partner.commercial_partner_id.id] += amount
        receivables = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("commercial_partner_id", "in", partners.ids),
                ],
                ["commercial_partner_id"],
                ["amount_residual_signed:sum"],
            )
        )
        profiles = partners._sg_customer_profiles()
        rows = []
        for partner in partners:
            profile = profiles[partner.id]
            rows.append(
                dict(
                    profile,
                    partner_id=partner.id,
                    partner_name=partner.name,
                    user_name=partner.user_id.name,
                    sales_12m=sales.get(partner.id, 0.0),
                    receivable=receivables.get(partner, 0.0),
                )
            )
        return rows

    @api.model
    def _totals(self, rows, fields_):
        return {f: sum(r[f] for r in rows) for f in fields_}

    # ------------------------------------------------------------------ daily
    # statistics
    @api.model
    def _daily_rows(self, company, date_from, date_to, team=None):
        """Per day and salesperson: confirmed, delivered, invoiced, collected; and per
        category.

        Four queries whatever the volume. Returns ``(by_day_user, by_category)``, lists
        of dicts.
        """
        for model in (
            "sale.order",
            "sale.order.line",
            "stock.move",
            "account.move",
            "account.move.line",
            "account.partial.reconcile",
            "crm.team",
            "product.product",
            "product.template",
        ):
            self.env[model].flush_model()
        team_id = team.id if team else None
        params = {
            "company": company.id,
            "date_from": to_datetime(date_from),
            "date_to": to_datetime(date_to),
            "team": team_id,
            "day_from": date_from,
            "day_to": date_to,
        }
        cr = self.env.cr
        queries = {
            "confirmed": SQL(
                """SELECT so.date_order::date, so.user_id, pt.categ_id,
                          SUM(sol.price_subtotal
                              / COALESCE(NULLIF(so.currency_rate, 0), 1))
                     FROM sale_order_line sol
                     JOIN sale_order so ON so.id = sol.order_id
                     JOIN product_product pp ON pp.id = sol.product_id
                     JOIN product_template pt ON pt.id = pp.product_tmpl_id
                    WHERE so.state = 'sale' AND so.governed
                      AND so.company_id = %(company)s
                      AND so.date_order >= %(date_from)s AND so.date_order < %(date_to)s
                      AND (%(team)s::int IS NULL OR so.team_id = %(team)s)
                 GROUP BY 1, 2, 3""",
                **params,
            ),
            "delivered": SQL(
                """SELECT sm.date::date, so.user_id, pt.categ_id,
                          SUM(CASE WHEN dest.usage = 'customer' THEN 1 ELSE -1 END
                              * sm.quantity * sol.price_unit
                              * (1 - COALESCE(sol.discount, 0) / 100)
                              / COALESCE(NULLIF(so.currency_rate, 0), 1))
                     FROM stock_move sm
                     JOIN stock_location dest ON dest.id = sm.location_dest_id
                     JOIN sale_order_line sol ON sol.id = sm.sale_line_id
                     JOIN sale_order so ON so.id = sol.order_id
                     JOIN product_product pp ON pp.id = sm.product_id
                     JOIN product_template pt ON pt.id = pp.product_tmpl_id
                    WHERE sm.state = 'done' AND so.governed
                      AND so.company_id = %(company)s
                      AND sm.date >= %(date_from)s AND sm.date < %(date_to)s
                      AND (%(team)s::int IS NULL OR so.team_id = %(team)s)
                 GROUP BY 1, 2, 3""",
                **params,
            ),
            "invoiced": SQL(
                """SELECT am.invoice_date, am.invoice_user_id, pt.categ_id,
                          SUM(-aml.balance)
                     FROM account_move_line aml
                     JOIN account_move am ON am.id = aml.move_id
                LEFT JOIN crm_team team ON team.id = am.team_id
                LEFT JOIN product_product pp ON pp.id = aml.product_id
                LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
                    WHERE am.state = 'posted'
                      AND am.move_type IN ('out_invoice', 'out_refund')
                      AND aml.display_type = 'product' AND am.company_id = %(company)s
                      AND (am.team_id IS NULL OR team.governed)
                      AND am.invoice_date >= %(day_from)s
                      AND am.invoice_date < %(day_to)s
                      AND (%(team)s::int IS NULL OR am.team_id = %(team)s)
                 GROUP BY 1, 2, 3""",
                **params,
            ),
        }
        cells = defaultdict(
            lambda: {
                "confirmed": 0.0,
                "delivered": 0.0,
                "invoiced": 0.0,
                "collected": 0.0,
            }
        )
        categories = defaultdict(
            lambda: {"confirmed": 0.0, "delivered": 0.0, "invoiced": 0.0}
        )
        for measure, query in queries.items():
            cr.execute(query)
            for day, user_id, categ_id, amount in cr.fetchall():
                cells[(day, user_id or False)][measure] += amount or 0.0
                categories[categ_id or False][measure] += amount or 0.0
        collected = (
            self.env["sale.governance.sales.figures"]
            .sudo()
            ._collected(company, date_from, date_to, ("user", "team"), by_day=True)
        )
        for (user_id, team_key, day), amount in collected.items():
            if not team or team_key == team.id:
                cells[(day, user_id or False)]["collected"] += amount
        users = self.env["res.users"].sudo().browse([u for (_d, u) in cells if u])
        names = {u.id: u.name for u in users}
        categs = (
            self.env["product.category"].sudo().browse([c for c in categories if c])
        )
        categ_names = {c.id: c.display_name for c in categs}
        by_day = [
            dict(values, day=day, user_id=user_id, user_name=names.get(user_id, "-"))
            for (day, user_id), values in sorted(
                cells.items(), key=lambda kv: (kv[0][0], names.get(kv[0][1], ""))
            )
        ]
        by_category = [
            dict(values, categ_id=categ_id, categ_name=categ_names.get(categ_id, "-"))
            for categ_id, values in sorted(
                categories.items(), key=lambda kv: categ_names.get(kv[0], "")
            )
        ]
        return by_day, by_category

    # ------------------------------------------------------------------ collection rate
    @api.model
    def _collection_rows(self, company, date_from, date_to, team=None):
        """Per salesperson and customer: collected / due in the period, and the overdue
        ageing."""
        Figures = self.env["sale.governance.sales.figures"].sudo()
        keys = ("user", "team", "partner")
        collected = Figures._collected(company, date_from, date_to, keys)
        due = Figures._due(company, date_from, date_to, keys)
        ageing = Figures._overdue_ageing(company, date_to - timedelta(days=1), keys)
        rows = defaultdict(
            lambda: {
                "collected": 0.0,
                "due": 0.0,
                "current": 0.0,
                "1_30": 0.0,
                "31_60": 0.0,
                "61_90": 0.0,
                "90_plus": 0.0,
            }
        )
        for source, apply in ((collected, "collected"), (due, "due")):
            for (user_id, team_id, partner_id), amount in source.items():
                if not team or team_id == team.id:
                    rows[(user_id or False, partner_id)][apply] += amount or 0.0
        for (user_id, team_id, partner_id), buckets in ageing.items():
            if not team or team_id == team.id:
                for bucket, amount in buckets.items():
                    rows[(user_id or False, partner_id)][bucket] += amount
        users = self.env["res.users"].sudo().browse([u for (u, _p) in rows if u])
        partners = self.env["res.partner"].sudo().browse([p for (_u, p) in rows if p])
        user_names = {u.id: u.name for u in users}
        partner_names = {p.id: p.display_name for p in partners}
        result = []
        for (user_id, partner_id), values in rows.items():
            values = dict(values)
            values.update(
                user_id=user_id,
                partner_id=partner_id,
                user_name=user_names.get(user_id, "-"),
                partner_name=partner_names.get(partner_id, "-"),
                rate=_pct(values["collected"], values["due"]),
                overdue=sum(values[b] for b in ("1_30", "31_60", "61_90", "90_plus")),
            )
            result.append(values)
        result.sort(key=lambda r: (r["user_name"], r["partner_name"]))
        return result

    # ------------------------------------------------------------------ reseller
    # summary
    @api.model
    def _reseller_rows(self, company, month):
        """Per reseller and product: quantity and amount of the month vs the previous
        month."""
        Line = self.env["sale.order.line"].sudo()
        month = month_start(month)
        result = defaultdict(
            lambda: {"qty": 0.0, "amount": 0.0, "prev_qty": 0.0, "prev_amount": 0.0}
        )
        for start, prefix in ((month, ""), (add_months(month, -1), "prev_")):
            domain = [
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
                ("order_id.governed", "=", True),
                ("order_id.date_order", ">=", to_datetime(start)),
                ("order_id.date_order", "<", to_datetime(add_months(start, 1))),
                ("order_partner_id.commercial_partner_id.sg_reseller", "=", True),
                ("display_type", "=", False),
            ]
            for partner, product, qty, amount in Line._read_group(
                domain,
                ["order_partner_id", "product_id"],
                ["product_uom_qty:sum", "price_subtotal:sum"],
            ):
                row = result[(partner.commercial_partner_id.id, product.id)]
                row[prefix + "qty"] += qty
                row[prefix + "amount"] += amount
        partners = self.env["res.partner"].sudo().browse({p for (p, _x) in result})
        products = self.env["product.product"].sudo().browse({x for (_p, x) in result})
        pnames = {p.id: p.display_name for p in partners}
        xnames = {x.id: x.display_name for x in products}
        rows = [
            dict(
                values,
                partner_id=p,
                product_id=x,
                partner_name=pnames[p],
                product_name=xnames[x],
                growth=_pct(
                    values["amount"] - values["prev_amount"], values["prev_amount"]
                ),
            )
            for (p, x), values in result.items()
        ]
        rows.sort(key=lambda r: (r["partner_name"], r["product_name"]))
        return rows

    # ------------------------------------------------------------------ trend and
    # charts
    @api.model
    def _trend(self, company, last_month, team=None):
        """Confirmed sales and targets of the 12 months ending with ``last_month``."""
        Figures = self.env["sale.governance.sales.figures"].sudo()
        first = add_months(last_month, -11)
        extra = [("team_id", "=", team.id)] if team else None
        sales = Figures._confirmed_sales(
            company,
            first,
            add_months(last_month, 1),
            (),
            by_month=True,
            extra_domain=extra,
        )
        Target = self.env["sale.governance.sales.target"].sudo()
        domain = [
            ("company_id", "=", company.id),
            ("target_type", "=", "user"),
            ("month", ">=", first),
            ("month", "<=", last_month),
        ]
        if team:
            domain.append(("team_id", "=", team.id))
        targets = dict(Target._read_group(domain, ["month:day"], ["amount_sales:sum"]))
        return [
            {
                "month": add_months(first, i),
                "actual": sales.get((add_months(first, i),), 0.0),
                "target": targets.get(add_months(first, i), 0.0),
            }
            for i in range(12)
        ]

    @api.model
    def _sg_svg_frame(self, width, height, left, bottom, top, top_y):
        """The opening of a chart's SVG: the root element, the x axis and the top
        value."""
        return [
            Markup(
                '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
                'font-family="sans-serif" font-size="9">'
            )
            % (width, height),
            Markup('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#888"/>')
            % (left, height - bottom, width - 10, height - bottom),
            Markup('<text x="2" y="%d">%s</text>') % (top_y, f"{top:,.0f}"),
        ]

    @api.model
    def _svg_bars(self, labels, series, width=680, height=220):
        """Grouped bar chart as inline SVG (rendered in the PDF by wkhtmltopdf, no
        JavaScript).

        ``series``: list of ``(name, colour, values)``.
        """
        n = max(len(labels), 1)
        top = max([v for _n, _c, values in series for v in values] + [1.0])
        left, bottom, plot_h = 50, 40, height - 60
        group_w = (width - left - 10) / n
        bar_w = max(group_w / (len(series) + 1), 2)
        parts = self._sg_svg_frame(width, height, left, bottom, top, 20)
        for i, label in enumerate(labels):
            x0 = left + i * group_w
            for j, (_name, colour, values) in enumerate(series):
                h = plot_h * (values[i] / top) if top else 0
                parts.append(
                    Markup(
                        '<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>'
                    )
                    % (
                        x0 + (j + 0.5) * bar_w,
                        height - bottom - h,
                        bar_w * 0.9,
                        h,
                        colour,
                    )
                )
            parts.append(
                Markup('<text x="%.1f" y="%d" transform="rotate(30 %.1f %d)">%s</text>')
                % (
                    x0 + 2,
                    height - bottom + 12,
                    x0 + 2,
                    height - bottom + 12,
                    escape(str(label)[:14]),
                )
            )
        for j, (name, colour, _values) in enumerate(series):
            parts.append(
                Markup(
                    '<rect x="%d" y="4" width="10" height="10" fill="%s"/>'
                    '<text x="%d" y="13">%s</text>'
                )
                % (left + 10 + j * 140, colour, left + 24 + j * 140, escape(name))
            )
        parts.append(Markup("</svg>"))
        return Markup("").join(parts)

    @api.model
    def _svg_line(self, labels, series, width=680, height=200):
        """Line chart (12-month trend) as inline SVG."""
        n = max(len(labels), 2)
        top = max([v for _n, _c, values in series for v in values] + [1.0])
        left, bottom, plot_h = 50, 30, height - 50
        step = (width - left - 20) / (n - 1)
        parts = self._sg_svg_frame(width, height, left, bottom, top, 24)
        for i, label in enumerate(labels):
            parts.append(
                Markup('<text x="%.1f" y="%d">%s</text>')
                % (left + i * step - 10, height - bottom + 14, escape(str(label)))
            )
        for j, (name, colour, values) in enumerate(series):
            points = " ".join(
                "%.1f,%.1f" % (left + i * step, height - bottom - plot_h * (v / top))
                for i, v in enumerate(values)
            )
            dash = (
                "" if j == 0 else "5,3"
            )  # the target dashed: visible where the lines meet
            parts.append(
                Markup(
                    '<polyline fill="none" stroke="%s" stroke-width="2" '
                    'stroke-dasharray="%s" points="%s"/>'
                )
                % (colour, dash, points)
            )
            parts.append(
                Markup(
                    '<rect x="%d" y="4" width="10" height="10" fill="%s"/>'
                    '<text x="%d" y="13">%s</text>'
                )
                % (left + 10 + j * 140, colour, left + 24 + j * 140, escape(name))
            )
        parts.append(Markup("</svg>"))
        return Markup("").join(parts)
