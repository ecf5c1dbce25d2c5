"""What the benchmark scripts share: measuring a step and generating data in SQL.

The scripts (``tools/bench_*.py``) run in ``odoo-bin shell`` (``tools/bench.sh``,
``tools/bench_peers.sh``), which gives them ``env`` but no ``__file__``; they import
this module through the addon, which is on the addons path wherever they run
(``tools/`` is a namespace package of it)::

    from odoo.addons.sale_governance.tools.bench_common import measure, report

Nothing here commits; the scripts roll back at the end.
"""

import os
import time
from dataclasses import dataclass
from typing import Any

from odoo import Command
from odoo.tools import SQL


# ---------------------------------------------------------------------- measuring
def backend_cpu(cr):
    """CPU seconds used so far by the PostgreSQL backend of ``cr`` (same machine),
    else 0."""
    try:
        cr.execute("SELECT pg_backend_pid()")
        with open(f"/proc/{cr.fetchone()[0]}/stat") as stat:
            ticks = stat.read().rsplit(")", 1)[1].split()
        return (int(ticks[11]) + int(ticks[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


@dataclass
class Sample:
    """One measured step: what it returned, its queries, wall and CPU time."""

    result: Any
    queries: int
    ms: float
    cpu_odoo: float = 0.0
    cpu_pg: float = 0.0

    @property
    def cpu(self):
        return self.cpu_odoo + self.cpu_pg


def measure(env, func, cpu=False, commit=False):
    """Run ``func()`` with a cold cache and count what it costs, its flush included.

    What came before is flushed first, so it is not counted. With ``cpu``, the CPU time
    of Odoo and of its PostgreSQL backend is taken too: on a machine shared with other
    runs the wall time mostly measures the others, the CPU time is this step's work.

    With ``commit``, the step is counted as one request of its own: the commit-time
    work that what came before left pending is dropped, as if it had been committed by
    an earlier request (so records created before count as existing ones: their changes
    are tracked), and the step's own commit-time work (``cr.precommit``: the tracking
    messages of tracked fields, one per changed record) is run and counted. Without it,
    changes to records created in the same transaction are not tracked and the
    tracking of the others is never posted.
    """
    cr = env.cr
    env.flush_all()
    if commit:
        cr.precommit.clear()
    env.invalidate_all()
    start_cpu, start_pg = (time.process_time(), backend_cpu(cr)) if cpu else (0, 0)
    queries = cr.sql_log_count  # the measurement's own queries are not counted
    start = time.perf_counter()
    result = func()
    env.flush_all()
    if commit:
        cr.flush()  # what a commit does first: the flush, then the precommit hooks
        env.flush_all()
    ms = (time.perf_counter() - start) * 1000
    sample = Sample(result, cr.sql_log_count - queries, ms)
    if cpu:
        sample.cpu_odoo = time.process_time() - start_cpu
        sample.cpu_pg = backend_cpu(cr) - start_pg
    return sample


def duration(ms):
    """``ms`` as the scripts print it: milliseconds below 10 s, seconds above."""
    return f"{ms:.0f} ms" if ms < 10000 else f"{ms / 1000:.2f} s"


def report(env, label, func, cpu=False):
    """Measure ``func`` and print one line ``label: N queries, time [, CPU]``.

    Returns what ``func`` returned.
    """
    sample = measure(env, func, cpu=cpu)
    line = f"{label}: {sample.queries} queries, {duration(sample.ms)} wall"
    if cpu:
        line += (
            f", {sample.cpu:.2f} s CPU (Odoo {sample.cpu_odoo:.2f}"
            f" + PostgreSQL {sample.cpu_pg:.2f})"
        )
    print(line)  # noqa: T201
    return sample.result


def approval_thresholds(company, amount):
    """Every contract approval level of ``company`` from ``amount`` on. With a huge
    amount, contract approval stays out of a benchmark that does not measure it."""
    company.approval_use_thresholds = True
    company._sg_approval_levels().write({"amount_threshold": amount})


# ---------------------------------------------------------------------- data in SQL
def columns(cr, table):
    """The columns of ``table`` but ``id``."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = %s AND column_name != 'id'",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def clone(cr, table, template_id, count, overrides):
    """INSERT ``count`` copies of row ``template_id`` of ``table``.

    ``overrides`` maps a column to an SQL expression of the series index ``g``
    (1..count). Returns the new ids in order.
    """
    cols = columns(cr, table)
    exprs = [overrides.get(col, SQL("t.%s", SQL.identifier(col))) for col in cols]
    cr.execute(
        SQL(
            "INSERT INTO %(table)s (%(cols)s) SELECT %(exprs)s FROM %(table)s t, "
            "generate_series(1, %(count)s) g WHERE t.id = %(tid)s ORDER BY g "
            "RETURNING id",
            table=SQL.identifier(table),
            cols=SQL(", ").join(SQL.identifier(c) for c in cols),
            exprs=SQL(", ").join(exprs),
            count=count,
            tid=template_id,
        )
    )
    return [row[0] for row in cr.fetchall()]


def cycle(ids, shift=1):
    """SQL picking the ids of ``ids`` in turn along ``g``: ``ids[(g - shift) % n]``."""
    return SQL("(%s::int[])[mod(g - %s, %s) + 1]", list(ids), shift, len(ids))


def clone_customers(cr, template_id, count, overrides):
    """``count`` copies of the company contact ``template_id``, each its own commercial
    partner. Returns their ids."""
    partner_ids = clone(cr, "res_partner", template_id, count, overrides)
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
        [partner_ids],
    )
    return partner_ids


def clone_orders(cr, order, count, overrides, line_overrides=None):
    """``count`` copies of the sale order ``order`` (flushed) and of each of its lines.

    ``overrides`` apply to the orders, ``line_overrides`` to every line (besides its
    order and sequence). Returns the ids of the new orders.
    """
    order_ids = clone(cr, "sale_order", order.id, count, overrides)
    for position, line in enumerate(order.order_line):
        clone(
            cr,
            "sale_order_line",
            line.id,
            count,
            {
                "order_id": SQL("(%s::int[])[g]", order_ids),
                "sequence": SQL("%s", position),
                **(line_overrides or {}),
            },
        )
    return order_ids


# ---------------------------------------------------------------------- documents
def receipt(env, products, qty, **vals):
    """A draft receipt of ``qty`` of each of ``products`` from the vendors into the
    stock of the company's first warehouse (``vals``: more fields of the picking)."""
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", env.company.id)], limit=1
    )
    supplier = env.ref("stock.stock_location_suppliers")
    stock = warehouse.lot_stock_id
    return env["stock.picking"].create(
        {
            "picking_type_id": warehouse.in_type_id.id,
            "location_id": supplier.id,
            "location_dest_id": stock.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom": product.uom_id.id,
                        "product_uom_qty": qty,
                        "location_id": supplier.id,
                        "location_dest_id": stock.id,
                    }
                )
                for product in products
            ],
            **vals,
        }
    )


def template_order(env, partner, lines, **vals):
    """A confirmed order of ``partner`` with ``lines`` lines of one service at 100.00
    without taxes, flushed: the row that :func:`clone_orders` copies."""
    product = env["product.product"].create(
        {"name": "Bench Service", "type": "service"}
    )
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [
                Command.create(
                    {"product_id": product.id, "price_unit": 100.0, "tax_id": False}
                )
                for _i in range(lines)
            ],
            **vals,
        }
    )
    order.action_confirm()
    env.flush_all()
    return order, product


def clone_invoices(cr, invoice, partner_ids, overrides):
    """One copy of the posted invoice ``invoice`` (flushed) per customer of
    ``partner_ids`` (its partner and commercial partner). Returns their ids."""
    return clone(
        cr,
        "account_move",
        invoice.id,
        len(partner_ids),
        {
            "partner_id": SQL("(%s::int[])[g]", partner_ids),
            "commercial_partner_id": SQL("(%s::int[])[g]", partner_ids),
            **overrides,
        },
    )


def template_invoice(env, partner, product, **vals):
    """A posted customer invoice of ``partner``: one line of ``product`` at 100.00
    without taxes, flushed: the row that :func:`clone_invoices` copies."""
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_line_ids": [
                Command.create(
                    {"product_id": product.id, "price_unit": 100.0, "tax_ids": False}
                )
            ],
            **vals,
        }
    )
    invoice.action_post()
    env.flush_all()
    return invoice
