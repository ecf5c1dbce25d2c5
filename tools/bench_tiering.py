# Benchmark of the key-account recomputation (run with tools/bench.sh; `env` is given by
# `odoo-bin shell`). Generates 20,000 customers with 40,000 confirmed orders (200,000
# order lines) and 20,000 posted invoices by SQL, then times the nightly recomputation
# and the visit scheduling. The generated data is committed into the scratch database
# (see below); the measured jobs are rolled back.
import os
import time

from odoo import fields
from odoo.tools import SQL

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

# SG_BENCH_CUSTOMERS: fewer customers for a quick check of the script.
CUSTOMERS = int(os.environ.get("SG_BENCH_CUSTOMERS", "20000"))
ORDERS_PER_CUSTOMER = 2
LINES_PER_ORDER = 5

cr = env.cr  # noqa: F821 (given by odoo-bin shell)
env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True))  # noqa: F821
company = env.company
# Contract approval is not what this benchmark measures: orders stay below its
# thresholds.
approval_thresholds(company, 1e12)

started = time.perf_counter()
salespeople = env["res.users"].create(
    [{"name": f"Bench Rep {i}", "login": f"bench_rep_{i}"} for i in range(10)]
)
template = env["res.partner"].create(
    {
        "name": "Bench Template",
        "is_company": True,
        "user_id": salespeople[0].id,
        "ka_potential": 1.0,
    }
)
order, product = template_order(env, template, LINES_PER_ORDER)
partner_ids = clone_customers(
    cr,
    template.id,
    CUSTOMERS,
    {
        "name": SQL("'Bench Customer ' || g"),
        "complete_name": SQL("'Bench Customer ' || g"),
        "user_id": cycle(salespeople.ids, shift=0),
        "ka_potential": SQL(
            "jsonb_build_object(%s, mod(g::bigint * 7919, 100) * 20000.0)",
            str(company.id),
        ),
    },
)
order_count = CUSTOMERS * ORDERS_PER_CUSTOMER
order_ids = clone_orders(
    cr,
    order,
    order_count,
    {
        "name": SQL("'BENCH/' || g"),
        "partner_id": cycle(partner_ids),
        "partner_invoice_id": cycle(partner_ids),
        "partner_shipping_id": cycle(partner_ids),
        "date_order": SQL("now() - mod(g::bigint * 37, 700) * interval '1 day'"),
        "amount_untaxed": SQL("mod(g::bigint * 104729, 5000) * 10.0"),
        "amount_total": SQL("mod(g::bigint * 104729, 5000) * 10.0"),
    },
)
invoice = template_invoice(env, template, product, invoice_date=fields.Date.today())
clone_invoices(
    cr,
    invoice,
    partner_ids,
    {
        "name": SQL("'BENCH/INV/' || g"),
        "invoice_date": SQL(
            "(now() - mod(g::bigint * 13, 360) * interval '1 day')::date"
        ),
        "date": SQL("(now() - mod(g::bigint * 13, 360) * interval '1 day')::date"),
        "amount_untaxed_signed": SQL("mod(g::bigint * 7877, 20000) * 10.0"),
    },
)
env.invalidate_all()
cr.execute("SELECT count(*) FROM sale_order_line WHERE order_id = ANY(%s)", [order_ids])
lines = cr.fetchone()[0]
print(
    f"data: {len(partner_ids)} customers, {len(order_ids)} confirmed orders, {lines} "
    f"order lines, {CUSTOMERS} posted invoices (generated in "
    f"{time.perf_counter() - started:.1f} s)"
)
# The nightly job meets customers created by earlier transactions. PostgreSQL re-checks
# the foreign keys of a row updated by the transaction that inserted it (here
# res_partner's self-referencing commercial_partner_id: ~3 ms a row, 57 s for 20,000),
# which no real run pays: the generated data is committed in this scratch database
# (tools/bench.sh drops it).
cr.commit()


Partner = env["res.partner"]
report(
    env,
    "nightly recompute, first run (every customer changes quadrant, chatter logged)",
    Partner._cron_ka_recompute,
    cpu=True,
)
report(
    env,
    "nightly recompute, second run (no change)",
    Partner._cron_ka_recompute,
    cpu=True,
)
some = Partner.browse(partner_ids[:1000])
report(env, "recompute of 1,000 selected customers", some.action_ka_recompute, cpu=True)
cr.execute(
    "SELECT ka_quadrant->>%s, count(*) FROM res_partner WHERE id = ANY(%s) GROUP BY 1 "
    "ORDER BY 1",
    [str(company.id), partner_ids],
)
print("quadrants:", dict(cr.fetchall()))
report(
    env,
    "visit scheduling (one activity per due customer)",
    Partner._cron_ka_schedule_visits,
    cpu=True,
)
report(
    env,
    "visit scheduling again (nothing new)",
    Partner._cron_ka_schedule_visits,
    cpu=True,
)
cr.rollback()
