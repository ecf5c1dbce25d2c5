# Benchmark of the quality gate, run in `odoo-bin shell` (env available):
#   SG_STATE_DIR=/work/main/.run bash tools/bench.sh tools/bench_quality.py
# Creates a 200-line receipt of products that need inspection, measures the creation of
# its inspections and the gate check at validation, the recording of 100 results in one
# batch and the spot-check selection over 1,000 and 50,000 products with stock, then
# rolls everything back.
from odoo import Command

from odoo.addons.sale_governance.tools.bench_common import measure, receipt


def _measure(label, func):
    sample = measure(env, func)  # noqa: F821
    print(f"{label}: {sample.queries} queries, {sample.ms:.0f} ms")  # noqa: T201
    return sample.queries


def _run(lines):
    categ = env["product.category"].create(  # noqa: F821
        {
            "name": "Bench inspected",
            "sg_inspection_required": True,
            "sg_sample_size": 5,
            "sg_sample_mode": "percent",
        }
    )
    template = env["sale.governance.inspection.template"].create(  # noqa: F821
        {
            "name": "Bench checklist",
            "item_ids": [
                Command.create({"name": "Visual", "kind": "check"}),
                Command.create(
                    {
                        "name": "Weight",
                        "kind": "measure",
                        "min_value": 1,
                        "max_value": 2,
                    }
                ),
            ],
        }
    )
    categ.sg_inspection_template_id = template
    products = env["product.product"].create(  # noqa: F821
        [
            {"name": f"Bench {i}", "is_storable": True, "categ_id": categ.id}
            for i in range(lines)
        ]
    )
    picking = receipt(env, products, 10)  # noqa: F821
    picking.move_ids._action_confirm()
    # the hook already created them at confirmation: measure a fresh creation
    picking.sg_inspection_ids.unlink()
    picking.activity_ids.unlink()
    created = _measure(
        f"{lines} lines: create inspections", picking._sg_create_inspections
    )
    assert len(picking.sg_inspection_ids) == lines
    picking.sg_inspection_ids._sg_protected_write(
        {"state": "done", "result": "pass", "qty_accepted": 10}
    )
    gate = _measure(f"{lines} lines: gate check", picking._sg_check_inspection_gate)
    return created, gate


def _record_batch(count):
    """Record the results of ``count`` inspections at once (the inspectors' to-dos
    closed and the chatter posted in batch)."""
    categ = env["product.category"].create(  # noqa: F821
        {"name": "Bench batch", "sg_inspection_required": True}
    )
    products = env["product.product"].create(  # noqa: F821
        [
            {"name": f"Batch {i}", "is_storable": True, "categ_id": categ.id}
            for i in range(count)
        ]
    )
    picking = receipt(env, products, 2)  # noqa: F821
    picking.action_confirm()
    inspections = picking.sg_inspection_ids
    inspections.write({"qty_accepted": 2})
    return _measure(
        f"record the results of {count} inspections", inspections.action_done
    )


def _spot_checks(products_count):
    """Spot-check selection over ``products_count`` products with stock (quants inserted
    by SQL)."""
    company = env["res.company"].create({"name": f"Bench spot {products_count}"})  # noqa: F821
    env.user.company_ids |= company  # noqa: F821
    warehouse = env["stock.warehouse"].sudo().search([("company_id", "=", company.id)])  # noqa: F821
    if not warehouse:
        warehouse = (
            env["stock.warehouse"]
            .sudo()
            .create(  # noqa: F821
                {
                    "name": company.name,
                    "code": f"B{products_count % 10000}",
                    "company_id": company.id,
                }
            )
        )
    stock = warehouse.lot_stock_id
    # one product made by the ORM, copied by SQL (all columns but the id) products_count
    # times
    model = env["product.product"].create({"name": "Spot bench", "is_storable": True})  # noqa: F821
    cols = {}
    for table in ("product_template", "product_product"):
        env.cr.execute(  # noqa: F821
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND column_name NOT IN ('id', 'product_tmpl_id')",
            [table],
        )
        cols[table] = [r[0] for r in env.cr.fetchall()]  # noqa: F821
    tmpl_cols = ", ".join(f'"{c}"' for c in cols["product_template"])
    prod_cols = ", ".join(f'"{c}"' for c in cols["product_product"])
    env.cr.execute(  # noqa: F821
        f"""
        WITH tmpl AS (
            INSERT INTO product_template ({tmpl_cols})
            SELECT {tmpl_cols} FROM product_template, generate_series(1, %s) i
             WHERE id = %s
            RETURNING id
        ), prod AS (
            INSERT INTO product_product (product_tmpl_id, {prod_cols})
            SELECT tmpl.id, {", ".join(f'p."{c}"' for c in cols["product_product"])}
              FROM tmpl, product_product p WHERE p.id = %s
            RETURNING id
        )
        INSERT INTO stock_quant (product_id, location_id, company_id, quantity,
                                 reserved_quantity, in_date)
        SELECT id, %s, %s, 10, 0, now() FROM prod
        """,  # noqa: S608 (column names from the catalog, values as parameters)
        [products_count, model.product_tmpl_id.id, model.id, stock.id, company.id],
    )
    env.invalidate_all()  # noqa: F821
    Inspection = env["sale.governance.inspection"].with_company(company)  # noqa: F821
    return _measure(
        f"spot-check selection, {products_count:,} products with stock",
        lambda: Inspection._sg_create_spot_checks(company, 5),
    )


_run(10)  # warm-up
for size in (20, 200):
    _run(size)
_record_batch(5)  # warm-up
_record_batch(100)
_spot_checks(1000)
_spot_checks(50000)
env.cr.rollback()  # noqa: F821
