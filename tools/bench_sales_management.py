# Benchmark of the management cycle's figures (run with tools/bench.sh; `env` is given
# by `odoo-bin shell`). Generates 200 salespeople in one governed team, 20,000
# customers, 40,000 confirmed orders (200,000 order lines) over the last two months and
# 20,000 posted invoices by SQL, then times the monthly statistics, the digest, the
# achievement of 200 targets and the other reports. Everything is rolled back at the
# end.
import os
import time
from datetime import timedelta

from odoo import Command, fields
from odoo.tools import SQL

from odoo.addons.sale_governance.models.sales_management.sales_figures import (
    add_months,
    month_start,
)
from odoo.addons.sale_governance.tools.bench_common import (
    approval_thresholds,
    clone_customers,
    clone_invoices,
    clone_orders,
    cycle,
    report,
    template_invoice,
    template_order,
)

SALESPEOPLE = 200
# SG_BENCH_CUSTOMERS: fewer customers for a quick check of the script.
CUSTOMERS = int(os.environ.get("SG_BENCH_CUSTOMERS", "20000"))
ORDERS_PER_CUSTOMER = 2
LINES_PER_ORDER = 5

cr = env.cr  # noqa: F821 (given by odoo-bin shell)
env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True))  # noqa: F821
company = env.company
# Contract approval is not what this benchmark measures: orders stay below it.
approval_thresholds(company, 1e12)


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
order, product = template_order(
    env, template, LINES_PER_ORDER, user_id=salespeople[0].id, team_id=team.id
)
partner_ids = clone_customers(
    cr,
    template.id,
    CUSTOMERS,
    {
        "name": SQL("'Bench Customer ' || g"),
        "complete_name": SQL("'Bench Customer ' || g"),
        "user_id": cycle(salespeople.ids, shift=0),
    },
)
order_count = CUSTOMERS * ORDERS_PER_CUSTOMER
order_ids = clone_orders(
    cr,
    order,
    order_count,
    {
        "name": SQL("'BENCH/MGMT/' || g"),
        "partner_id": cycle(partner_ids),
        "partner_invoice_id": cycle(partner_ids),
        "partner_shipping_id": cycle(partner_ids),
        "user_id": cycle(salespeople.ids, shift=0),
        "date_order": SQL(
            "%s::timestamp + mod(g::bigint * 37, 58) * interval '1 day'", last_month
        ),
        "create_date": SQL(
            "%s::timestamp + mod(g::bigint * 37, 58) * interval '1 day'", last_month
        ),
        "amount_untaxed": SQL("mod(g::bigint * 104729, 5000) * 10.0"),
        "amount_total": SQL("mod(g::bigint * 104729, 5000) * 10.0"),
    },
    {
        "order_partner_id": cycle(partner_ids),
        "salesman_id": cycle(salespeople.ids, shift=0),
    },
)
invoice = template_invoice(
    env,
    template,
    product,
    invoice_user_id=salespeople[0].id,
    team_id=team.id,
    invoice_date=last_month,
)
clone_invoices(
    cr,
    invoice,
    partner_ids,
    {
        "name": SQL("'BENCH/MGMT/INV/' || g"),
        "invoice_user_id": cycle(salespeople.ids, shift=0),
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
# A live database's tables have planner statistics (autovacuum analyzes them); rows
# generated in this uncommitted transaction are invisible to autovacuum, and with the
# template's statistics (a few dozen orders) the planner may nest a scan of the 200,000
# lines in a loop over the orders (once seen: the daily statistics ran for minutes
# instead of 0.4 s). ANALYZE in the transaction counts its own rows.
cr.execute(
    "ANALYZE res_partner, sale_order, sale_order_line, account_move, "
    "account_move_line, stock_move"
)
cr.execute("SELECT count(*) FROM sale_order_line WHERE order_id = ANY(%s)", [order_ids])
print(
    f"data: {SALESPEOPLE} salespeople, {len(partner_ids)} customers, {len(order_ids)} "
    f"orders, {cr.fetchone()[0]} order lines, {CUSTOMERS} invoices, {len(targets)} "
    f"targets (generated in {time.perf_counter() - started:.1f} s)"
)


Stats = env["sale.governance.statistics"]
month_end = add_months(last_month, 1)
report(
    env, "Achievement of 200 targets (live)", lambda: targets.mapped("achievement_pct")
)
report(
    env,
    "Achievement of 5 targets (live)",
    lambda: targets[:5].mapped("achievement_pct"),
)
rows = report(
    env,
    "Monthly statistics, all salespeople",
    lambda: Stats._salesperson_rows(company, last_month, month_end),
)
print(f"  rows: {len(rows)}")
report(
    env,
    "Monthly statistics, the team",
    lambda: Stats._salesperson_rows(company, last_month, month_end, team),
)
report(
    env,
    "Weekly statistics, the team",
    lambda: Stats._salesperson_rows(
        company, last_month, last_month + timedelta(days=7), team
    ),
)
report(
    env,
    "Per-tier table",
    lambda: Stats._tier_rows(company, last_month, month_end, team),
)
report(
    env,
    "Daily statistics of the month",
    lambda: Stats._daily_rows(company, last_month, month_end),
)
report(
    env,
    "Collection rate of the month",
    lambda: Stats._collection_rows(company, last_month, month_end),
)
report(
    env,
    "Target-customer table (20,000 customers)",
    lambda: Stats._target_customer_rows(company, month_end, team),
)
report(
    env,
    "Monthly digest (every governed team's manager)",
    lambda: Stats._send_digests("month", today=month_end + timedelta(days=1)),
)
report(
    env,
    "Refresh of the stored target figures (200)",
    lambda: targets.action_refresh_figures(),
)
cr.rollback()
