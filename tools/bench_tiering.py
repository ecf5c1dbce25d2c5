# Benchmark of the key-account recomputation (run with tools/bench.sh; `env` is given by
# `odoo-bin shell`). Generates 20,000 customers with 40,000 confirmed orders (200,000 order lines)
# and 20,000 posted invoices by SQL, then times the nightly recomputation and the visit scheduling.
# Everything is rolled back at the end.
import os
import time

from odoo import Command, fields
from odoo.tools import SQL

CUSTOMERS = 20000
ORDERS_PER_CUSTOMER = 2
LINES_PER_ORDER = 5

cr = env.cr  # noqa: F821 (given by odoo-bin shell)
env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True))  # noqa: F821
company = env.company
# Contract approval is not what this benchmark measures: orders stay below its thresholds.
company.approval_use_thresholds = True
company._sg_approval_levels().write({"amount_threshold": 1e12})


def columns(table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id'",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def clone(table, template_id, count, overrides):
    """INSERT ``count`` copies of row ``template_id`` of ``table``; ``overrides`` maps a column to
    an SQL expression of the series index ``g`` (1..count). Returns the new ids in order."""
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
product = env["product.product"].create({"name": "Bench Service", "type": "service"})
order = env["sale.order"].create(
    {
        "partner_id": template.id,
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
        "user_id": SQL("(%s::int[])[mod(g, 10) + 1]", salespeople.ids),
        "ka_potential": SQL(
            "jsonb_build_object(%s, mod(g::bigint * 7919, 100) * 20000.0)",
            str(company.id),
        ),
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
        "name": SQL("'BENCH/' || g"),
        "partner_id": SQL("(%s::int[])[mod(g - 1, %s) + 1]", partner_ids, CUSTOMERS),
        "partner_invoice_id": SQL(
            "(%s::int[])[mod(g - 1, %s) + 1]", partner_ids, CUSTOMERS
        ),
        "partner_shipping_id": SQL(
            "(%s::int[])[mod(g - 1, %s) + 1]", partner_ids, CUSTOMERS
        ),
        "date_order": SQL("now() - mod(g::bigint * 37, 700) * interval '1 day'"),
        "amount_untaxed": SQL("mod(g::bigint * 104729, 5000) * 10.0"),
        "amount_total": SQL("mod(g::bigint * 104729, 5000) * 10.0"),
    },
)
line_ids = [line.id for line in order.order_line]
for position, line_id in enumerate(line_ids):
    clone(
        "sale_order_line",
        line_id,
        order_count,
        {"order_id": SQL("(%s::int[])[g]", order_ids), "sequence": SQL("%s", position)},
    )
invoice = env["account.move"].create(
    {
        "move_type": "out_invoice",
        "partner_id": template.id,
        "invoice_date": fields.Date.today(),
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
        "name": SQL("'BENCH/INV/' || g"),
        "partner_id": SQL("(%s::int[])[g]", partner_ids),
        "commercial_partner_id": SQL("(%s::int[])[g]", partner_ids),
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
    f"data: {len(partner_ids)} customers, {len(order_ids)} confirmed orders, {lines} order lines, "
    f"{CUSTOMERS} posted invoices (generated in {time.perf_counter() - started:.1f} s)"
)


def _backend_cpu():
    """CPU seconds used so far by this cursor's PostgreSQL backend (same machine), else 0."""
    try:
        cr.execute("SELECT pg_backend_pid()")
        with open(f"/proc/{cr.fetchone()[0]}/stat") as stat:
            ticks = stat.read().rsplit(")", 1)[1].split()
        return (int(ticks[11]) + int(ticks[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def measure(label, func):
    """Queries, wall time and CPU time (Odoo + its PostgreSQL backend): on a machine shared with
    other runs the wall time mostly measures the others; the CPU time is this job's work."""
    env.invalidate_all()
    queries = cr.sql_log_count
    start = time.perf_counter()
    start_cpu, start_pg = time.process_time(), _backend_cpu()
    func()
    env.flush_all()
    cpu = time.process_time() - start_cpu
    pg = _backend_cpu() - start_pg
    print(
        f"{label}: {time.perf_counter() - start:.2f} s wall, {cpu + pg:.2f} s CPU (Odoo {cpu:.2f}"
        f" + PostgreSQL {pg:.2f}), {cr.sql_log_count - queries} queries"
    )


Partner = env["res.partner"]
measure(
    "nightly recompute, first run (every customer changes quadrant, chatter logged)",
    Partner._cron_ka_recompute,
)
measure("nightly recompute, second run (no change)", Partner._cron_ka_recompute)
some = Partner.browse(partner_ids[:1000])
measure("recompute of 1,000 selected customers", some.action_ka_recompute)
cr.execute(
    "SELECT ka_quadrant->>%s, count(*) FROM res_partner WHERE id = ANY(%s) GROUP BY 1 ORDER BY 1",
    [str(company.id), partner_ids],
)
print("quadrants:", dict(cr.fetchall()))
measure(
    "visit scheduling (one activity per due customer)", Partner._cron_ka_schedule_visits
)
measure("visit scheduling again (nothing new)", Partner._cron_ka_schedule_visits)
cr.rollback()
