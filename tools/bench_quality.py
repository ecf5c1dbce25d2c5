# Benchmark of the quality gate, run in `odoo-bin shell` (env available):
#   SG_STATE_DIR=/work/main/.run bash tools/bench.sh tools/bench_quality.py
# Creates a 200-line receipt of products that need inspection, measures the creation of its
# inspections and the gate check at validation, then rolls everything back.
import time

from odoo import Command


def _measure(label, func):
    env.flush_all()  # noqa: F821
    env.invalidate_all()  # noqa: F821
    queries = env.cr.sql_log_count  # noqa: F821
    start = time.perf_counter()
    func()
    env.flush_all()  # noqa: F821
    elapsed = time.perf_counter() - start
    count = env.cr.sql_log_count - queries  # noqa: F821
    print(f"{label}: {count} queries, {elapsed * 1000:.0f} ms")  # noqa: T201
    return count


def _run(lines):
    categ = env["product.category"].create(  # noqa: F821
        {"name": "Bench inspected", "sg_inspection_required": True, "sg_sample_size": 5,
         "sg_sample_mode": "percent"}
    )
    template = env["sale.governance.inspection.template"].create(  # noqa: F821
        {"name": "Bench checklist", "item_ids": [
            Command.create({"name": "Visual", "kind": "check"}),
            Command.create({"name": "Weight", "kind": "measure", "min_value": 1, "max_value": 2}),
        ]}
    )
    categ.sg_inspection_template_id = template
    products = env["product.product"].create(  # noqa: F821
        [{"name": f"Bench {i}", "is_storable": True, "categ_id": categ.id} for i in range(lines)]
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)  # noqa: F821
    supplier = env.ref("stock.stock_location_suppliers")  # noqa: F821
    picking = env["stock.picking"].create(  # noqa: F821
        {
            "picking_type_id": warehouse.in_type_id.id,
            "location_id": supplier.id,
            "location_dest_id": warehouse.lot_stock_id.id,
            "move_ids": [
                Command.create({"name": p.name, "product_id": p.id, "product_uom": p.uom_id.id,
                                "product_uom_qty": 10, "location_id": supplier.id,
                                "location_dest_id": warehouse.lot_stock_id.id})
                for p in products
            ],
        }
    )
    picking.move_ids._action_confirm()
    # the hook already created them at confirmation: measure a fresh creation
    picking.sg_inspection_ids.unlink()
    picking.activity_ids.unlink()
    created = _measure(f"{lines} lines: create inspections", picking._sg_create_inspections)
    assert len(picking.sg_inspection_ids) == lines
    picking.sg_inspection_ids.with_context(sg_inspection_internal=True).write(
        {"state": "done", "result": "pass", "qty_accepted": 10}
    )
    gate = _measure(f"{lines} lines: gate check", picking._sg_check_inspection_gate)
    return created, gate


_run(10)  # warm-up
for size in (20, 200):
    _run(size)
env.cr.rollback()  # noqa: F821
