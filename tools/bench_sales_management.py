# Benchmark of the management cycle's figures (run with tools/bench.sh; `env` is given by
# `odoo-bin shell`). Generates 200 salespeople in one governed team, 20,000 customers, 40,000
# confirmed orders (200,000 order lines) over the last two months and 20,000 posted invoices by
# SQL, then times the monthly statistics, the digest, the achievement of 200 targets and the
# other reports. Everything is rolled back at the end.
import time
from datetime import timedelta

from odoo import Command, fields
from odoo.tools import SQL

from odoo.addons.sale_governance.models.sales_management.sales_figures import (
    add_months,
    month_start,
)

SALESPEOPLE = 200
CUSTOMERS = 20000
ORDERS_PER_CUSTOMER = 2
LINES_PER_ORDER = 5

cr = env.cr  # noqa: F821 (given by odoo-bin shell)
env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True))  # noqa: F821
company = env.company
company.approval_use_thresholds = True
company._sg_approval_levels().write({"amount_threshold": 1e12})


def columns(table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id'",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def clone(table, template_id, count, overrides):
    """INSERT ``count`` copies of row ``template_id`` of ``table`` (``overrides``: column -> SQL of g)."""
    cols = columns(table)
    exprs = [overrides.get(col, SQL("t.%s", SQL.identifier(col))) for col in cols]
    cr.execute(
        SQL(
            "INSERT INTO %(table)s (%(cols)s) SELECT %(exprs)s FROM %(table)s t, "
            "generate_series(1, %(count)s) g WHERE t.id = %(tid)s ORDER BY g RETURNING id",
            table=SQL.identifier(table),
            cols=SQL(", ").join(SQL.identifier(c) for c in cols),
            exprs=SQL(", ").join(exprs),
            count=count,
            tid=template_id,
        )
    )
    return [row[0] for row in cr.fetchall()]


started = time.perf_counter()
this_month = month_start(fields.Date.today())
last_month = add_months(this_month, -1)
manager = env["res.users"].create(
    {
        "name": "Bench Manager",
        "login": "bench_mgmt_manager",
        "email": "bench_manager@example.com",
    }
)
salespeople = env["res.users"].create(
    [
        {"name": f"Bench Rep {i}", "login": f"bench_mgmt_rep_{i}"}
        for i in range(SALESPEOPLE)
    ]
)
team = env["crm.team"].create(
    {
        "name": "Bench Team",
        "governed": True,
        "user_id": manager.id,
        "member_ids": [Command.set(salespeople.ids)],
    }
)
template = env["res.partner"].create(
    {"name": "Bench Template", "is_company": True, "user_id": salespeople[0].id}
)
product = env["product.product"].create({"name": "Bench Service", "type": "service"})
order = env["sale.order"].create(
    {
        "partner_id": template.id,
        "user_id": salespeople[0].id,
        "team_id": team.id,
        "order_line": [
            Command.create(
                {"product_id": product.id, "price_unit": 100.0, "tax_id": False}
            )
            for _i in range(LINES_PER_ORDER)
        ],
    }
)
order.action_confirm()
env.flush_all()
partner_ids = clone(
    "res_partner",
    template.id,
    CUSTOMERS,
    {
        "name": SQL("'Bench Customer ' || g"),
        "complete_name": SQL("'Bench Customer ' || g"),
        "user_id": SQL("(%s::int[])[mod(g, %s) + 1]", salespeople.ids, SALESPEOPLE),
    },
)
cr.execute(
    "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
    [partner_ids],
)
order_count = CUSTOMERS * ORDERS_PER_CUSTOMER
order_ids = clone(
    "sale_order",
    order.id,
    order_count,
    {
        "name": SQL("'BENCH/MGMT/' || g"),
        "partner_id": SQL("(%s::int[])[mod(g - 1, %s) + 1]", partner_ids, CUSTOMERS),
        "partner_invoice_id": SQL(
            "(%s::int[])[mod(g - 1, %s) + 1]", partner_ids, CUSTOMERS
        ),
        "partner_shipping_id": SQL(
            "(%s::int[])[mod(g - 1, %s) + 1]", partner_ids, CUSTOMERS
        ),
        "user_id": SQL("(%s::int[])[mod(g, %s) + 1]", salespeople.ids, SALESPEOPLE),
        "date_order": SQL(
            "%s::timestamp + mod(g::bigint * 37, 58) * interval '1 day'", last_month
        ),
        "create_date": SQL(
            "%s::timestamp + mod(g::bigint * 37, 58) * interval '1 day'", last_month
        ),
        "amount_untaxed": SQL("mod(g::bigint * 104729, 5000) * 10.0"),
        "amount_total": SQL("mod(g::bigint * 104729, 5000) * 10.0"),
    },
)
for position, line in enumerate(order.order_line):
    clone(
        "sale_order_line",
        line.id,
        order_count,
        {
            "order_id": SQL("(%s::int[])[g]", order_ids),
            "sequence": SQL("%s", position),
            "order_partner_id": SQL(
                "(%s::int[])[mod(g - 1, %s) + 1]", partner_ids, CUSTOMERS
            ),
            "salesman_id": SQL(
                "(%s::int[])[mod(g, %s) + 1]", salespeople.ids, SALESPEOPLE
            ),
        },
    )
invoice = env["account.move"].create(
    {
        "move_type": "out_invoice",
        "partner_id": template.id,
        "invoice_user_id": salespeople[0].id,
        "team_id": team.id,
        "invoice_date": last_month,
        "invoice_line_ids": [
            Command.create(
                {"product_id": product.id, "price_unit": 100.0, "tax_ids": False}
            )
        ],
    }
)
invoice.action_post()
env.flush_all()
clone(
    "account_move",
    invoice.id,
    CUSTOMERS,
    {
        "name": SQL("'BENCH/MGMT/INV/' || g"),
        "partner_id": SQL("(%s::int[])[g]", partner_ids),
        "commercial_partner_id": SQL("(%s::int[])[g]", partner_ids),
        "invoice_user_id": SQL(
            "(%s::int[])[mod(g, %s) + 1]", salespeople.ids, SALESPEOPLE
        ),
        "invoice_date": SQL("%s::date + mod(g::bigint * 13, 28)::int", last_month),
        "invoice_date_due": SQL("%s::date + mod(g::bigint * 13, 50)::int", last_month),
        "date": SQL("%s::date + mod(g::bigint * 13, 28)::int", last_month),
        "amount_untaxed_signed": SQL("mod(g::bigint * 7877, 20000) * 10.0"),
        "amount_residual_signed": SQL("mod(g::bigint * 7877, 20000) * 10.0"),
    },
)
Target = env["sale.governance.sales.target"]
targets = Target.create(
    [
        {
            "user_id": user.id,
            "team_id": team.id,
            "month": last_month,
            "amount_sales": 100000.0,
        }
        for user in salespeople
    ]
)
env.flush_all()
env.invalidate_all()
cr.execute("SELECT count(*) FROM sale_order_line WHERE order_id = ANY(%s)", [order_ids])
print(
    f"data: {SALESPEOPLE} salespeople, {len(partner_ids)} customers, {len(order_ids)} orders, "
    f"{cr.fetchone()[0]} order lines, {CUSTOMERS} invoices, {len(targets)} targets "
    f"(generated in {time.perf_counter() - started:.1f} s)"
)


def measure(label, func):
    env.invalidate_all()
    queries = cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    print(
        f"{label}: {time.perf_counter() - start:.2f} s, {cr.sql_log_count - queries} queries"
    )
    return result


Stats = env["sale.governance.statistics"]
month_end = add_months(last_month, 1)
measure("Achievement of 200 targets (live)", lambda: targets.mapped("achievement_pct"))
measure(
    "Achievement of 5 targets (live)", lambda: targets[:5].mapped("achievement_pct")
)
rows = measure(
    "Monthly statistics, all salespeople",
    lambda: Stats._salesperson_rows(company, last_month, month_end),
)
print(f"  rows: {len(rows)}")
measure(
    "Monthly statistics, the team",
    lambda: Stats._salesperson_rows(company, last_month, month_end, team),
)
measure(
    "Weekly statistics, the team",
    lambda: Stats._salesperson_rows(
        company, last_month, last_month + timedelta(days=7), team
    ),
)
measure(
    "Per-tier table", lambda: Stats._tier_rows(company, last_month, month_end, team)
)
measure(
    "Daily statistics of the month",
    lambda: Stats._daily_rows(company, last_month, month_end),
)
measure(
    "Collection rate of the month",
    lambda: Stats._collection_rows(company, last_month, month_end),
)
measure(
    "Target-customer table (20,000 customers)",
    lambda: Stats._target_customer_rows(company, month_end, team),
)
measure(
    "Monthly digest (every governed team's manager)",
    lambda: Stats._send_digests("month", today=month_end + timedelta(days=1)),
)
measure(
    "Refresh of the stored target figures (200)",
    lambda: targets.action_refresh_figures(),
)
cr.rollback()
