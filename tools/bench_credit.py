# Benchmark of the credit-sale feature, run in `odoo-bin shell` (env available); rolls
# back.
#   SG_STATE_DIR=... bash tools/bench.sh tools/bench_credit.py
# 1. The delivery gate on a 20- and a 200-line delivery: queries and time of the gate
#    itself and of the whole validation (button_validate).
# 2. The daily overdue job over 1,000 and 10,000 approved, unpaid, past-due
#    applications.
from datetime import timedelta

from odoo import fields

from odoo.addons.sale_governance.tools.bench_common import (
    approval_thresholds,
    measure,
)

cr = env.cr  # noqa: F821
company = env.company
# Contract approval is not what this benchmark measures: orders stay below its
# thresholds.
approval_thresholds(company, 1e12)
# Nor is the dispatch chain (its delivery notice): deliveries validate without it.
company.sg_delivery_notice_required = False
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
    gate = measure(env, lambda p=picking: p._sg_credit_gate_evaluate())
    assert not gate.result["errors"], gate.result["errors"]
    validation = measure(env, lambda p=picking: p.button_validate())
    assert picking.state == "done"
    print(
        f"{n:4d} lines: gate {gate.queries} queries, {gate.ms:.0f} ms; "
        f"whole validation {validation.queries} queries, {validation.ms:.0f} ms"
    )

print("== Delivery gate (prepayment, nothing paid: refused) ==")
for n in (20, 200):
    picking = credit_delivery(n)
    picking.sale_id._sg_protected_write({"payment_mode": "prepayment"})
    gate = measure(env, lambda p=picking: p._sg_credit_gate_evaluate())
    assert gate.result["errors"]
    print(f"{n:4d} lines: gate {gate.queries} queries, {gate.ms:.0f} ms")

print("== Daily overdue job (approved, unpaid, past due) ==")
template = credit_delivery(1).sale_id
template_app = template.credit_application_ids
env.flush_all()
for n in (1000, 10000):
    cr.execute(
        """
        INSERT INTO sale_governance_credit_application
            (name, company_id, currency_id, order_id, partner_id, team_id, amount_total,
             amount_invoiced, amount_paid, amount_unpaid, due_date, responsible_id,
             state, submitted_by_id, is_overdue, overdue_escalated, create_uid,
             write_uid, create_date, write_date)
        SELECT 'BENCH/' || g, %(company)s, %(currency)s, %(order)s, %(partner)s,
               %(team)s, 20, 0, 0, 20, %(due)s, %(user)s, 'approved', %(manager)s,
               FALSE, FALSE, %(user)s, %(user)s, now(), now()
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
    job = measure(env, lambda: Application._cron_credit_follow_up())
    overdue, escalated = job.result
    print(
        f"{n:6d} applications: {len(overdue)} marked overdue, "
        f"{len(escalated)} escalated, {job.queries} queries, {job.ms:.0f} ms"
    )
    cr.execute(
        "UPDATE sale_governance_credit_application SET state = 'settled' WHERE name "
        "LIKE 'BENCH/%%'"
    )
    env.invalidate_all()

env.cr.rollback()
