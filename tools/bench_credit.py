# Benchmark of the credit-sale feature, run in `odoo-bin shell` (env available); rolls back.
#   SG_STATE_DIR=... bash tools/bench.sh tools/bench_credit.py
# 1. The delivery gate on a 20- and a 200-line delivery: queries and time of the gate itself and of
#    the whole validation (button_validate).
# 2. The daily overdue job over 1,000 and 10,000 approved, unpaid, past-due applications.
import time
from datetime import timedelta

from odoo import fields

cr = env.cr  # noqa: F821
company = env.company
# Contract approval is not what this benchmark measures: orders stay below its thresholds.
company.approval_use_thresholds = True
company._sg_approval_levels().write({"amount_threshold": 1e12})
team = env["crm.team"].create({"name": "Bench governed team", "governed": True})
customer = env["res.partner"].create({"name": "Bench customer", "is_company": True})
manager = env["res.users"].create(
    {"name": "Bench manager", "login": "bench_credit_mgr"}
)
stock = (
    env["stock.warehouse"]
    .search([("company_id", "=", company.id)], limit=1)
    .lot_stock_id
)
Application = env["sale.governance.credit.application"]


def measure(func):
    env.flush_all()
    env.invalidate_all()
    queries = cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    return result, cr.sql_log_count - queries, (time.perf_counter() - start) * 1000


def credit_delivery(n_lines):
    products = env["product.product"].create(
        [
            {
                "name": f"Bench {n_lines}-{i}",
                "type": "consu",
                "is_storable": True,
                "taxes_id": False,
            }
            for i in range(n_lines)
        ]
    )
    for product in products:
        env["stock.quant"]._update_available_quantity(product, stock, 100)
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "team_id": team.id,
            "payment_mode": "credit",
            "order_line": [
                (
                    0,
                    0,
                    {
                        "product_id": p.id,
                        "product_uom_qty": 2,
                        "price_unit": 10,
                        "tax_id": False,
                    },
                )
                for p in products
            ],
        }
    )
    application = Application.create(
        {
            "order_id": order.id,
            "responsible_id": env.uid,
            "line_ids": [
                (0, 0, {"sale_line_id": line.id, "quantity": 2, "price_unit": 10})
                for line in order.order_line
            ],
        }
    )
    application._sg_protected_write({"state": "approved"})
    order.action_confirm()
    picking = order.picking_ids
    picking.move_ids.write({"quantity": 2, "picked": True})
    return picking


print("== Delivery gate (credit sale, every line within the approved quantity) ==")
for n in (20, 200):
    picking = credit_delivery(n)
    report, q_gate, ms_gate = measure(lambda p=picking: p._credit_gate_evaluate())
    assert not report["errors"], report["errors"]
    _res, q_all, ms_all = measure(lambda p=picking: p.button_validate())
    assert picking.state == "done"
    print(
        f"{n:4d} lines: gate {q_gate} queries, {ms_gate:.0f} ms; "
        f"whole validation {q_all} queries, {ms_all:.0f} ms"
    )

print("== Delivery gate (prepayment, nothing paid: refused) ==")
for n in (20, 200):
    picking = credit_delivery(n)
    picking.sale_id._sg_protected_write({"payment_mode": "prepayment"})
    report, q_gate, ms_gate = measure(lambda p=picking: p._credit_gate_evaluate())
    assert report["errors"]
    print(f"{n:4d} lines: gate {q_gate} queries, {ms_gate:.0f} ms")

print("== Daily overdue job (approved, unpaid, past due) ==")
template = credit_delivery(1).sale_id
template_app = template.credit_application_ids
env.flush_all()
for n in (1000, 10000):
    cr.execute(
        """
        INSERT INTO sale_governance_credit_application
            (name, company_id, currency_id, order_id, partner_id, team_id, amount_total,
             amount_invoiced, amount_paid, amount_unpaid, due_date, responsible_id, state,
             submitted_by_id, is_overdue, overdue_escalated, create_uid, write_uid, create_date,
             write_date)
        SELECT 'BENCH/' || g, %(company)s, %(currency)s, %(order)s, %(partner)s, %(team)s, 20,
               0, 0, 20, %(due)s, %(user)s, 'approved', %(manager)s, FALSE, FALSE, %(user)s,
               %(user)s, now(), now()
          FROM generate_series(1, %(n)s) g
        """,
        {
            "company": company.id,
            "currency": company.currency_id.id,
            "order": template.id,
            "partner": customer.id,
            "team": team.id,
            "due": fields.Date.today() - timedelta(days=30),
            "user": env.uid,
            "manager": manager.id,
            "n": n,
        },
    )
    (overdue, escalated), queries, ms = measure(
        lambda: Application._cron_credit_follow_up()
    )
    print(
        f"{n:6d} applications: {len(overdue)} marked overdue, {len(escalated)} escalated, "
        f"{queries} queries, {ms:.0f} ms"
    )
    cr.execute(
        "UPDATE sale_governance_credit_application SET state = 'settled' WHERE name LIKE 'BENCH/%%'"
    )
    env.invalidate_all()

env.cr.rollback()
