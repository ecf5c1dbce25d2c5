# Side-by-side benchmark, run by tools/bench_peers.sh in `odoo-bin shell` (env
# available) in three databases made from the same template: core alone (core), core +
# sale_governance (addon), core + the OCA 18.0 peers (oca). Every scenario builds its
# documents, then measures one step (queries and wall time) after a warm-up, REPS times,
# as one request: its commit-time work (tracking messages) included, what the
# preparation left pending dropped (bench_common.measure(commit=True)); the medians go
# to $SG_BENCH_OUT as JSON lines. Nothing is committed (the shell rolls back).
import json
import os
import statistics
import traceback

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.sale_governance.tools.bench_common import (
    approval_thresholds,
    measure,
)
from odoo.addons.sale_governance.tools.bench_common import receipt as incoming

FLAVOUR = os.environ["SG_BENCH_FLAVOUR"]  # core | addon | oca
OUT = os.environ["SG_BENCH_OUT"]
REPS = int(os.environ.get("SG_BENCH_REPS", "5"))
SIZES = [int(s) for s in os.environ.get("SG_BENCH_SIZES", "10,100").split(",")]
# SG_BENCH_ONLY: only the scenarios whose name contains one of these (comma-separated)
ONLY = [s for s in os.environ.get("SG_BENCH_ONLY", "").split(",") if s]

env = env(context=dict(env.context, tracking_disable=False))  # noqa: F821
cr = env.cr
company = env.company
installed = set(
    env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
)
stock_location = (
    env["stock.warehouse"]
    .search([("company_id", "=", company.id)], limit=1)
    .lot_stock_id
)
warehouse = stock_location.warehouse_id
supplier_location = env.ref("stock.stock_location_suppliers")
_seq = [0]


def uniq(prefix):
    _seq[0] += 1
    return f"{prefix}{_seq[0]}"


def user(groups):
    return new_test_user(env, login=uniq("bench_user_"), groups=groups)


def run(name, size, prepare, step):
    """Warm-up once, then REPS measured runs of ``step(prepare())``; medians to OUT."""
    if ONLY and not any(part in name for part in ONLY):
        return
    try:
        samples = []
        for rep in range(REPS + 1):
            ctx = prepare(size)
            sample = measure(env, lambda ctx=ctx: step(ctx), commit=True)
            if rep:
                samples.append((sample.queries, sample.ms))
        row = {
            "flavour": FLAVOUR,
            "scenario": name,
            "size": size,
            "queries": int(statistics.median(q for q, _ in samples)),
            "ms": round(statistics.median(m for _, m in samples), 1),
        }
    except Exception as exc:  # noqa: BLE001 - a scenario that cannot run here is reported, not fatal
        traceback.print_exc()
        row = {
            "flavour": FLAVOUR,
            "scenario": name,
            "size": size,
            "error": str(exc)[:200],
        }
    print(json.dumps(row))  # noqa: T201
    with open(OUT, "a", encoding="utf-8") as out:
        out.write(json.dumps(row) + "\n")


# ------------------------------------------------------------------ common data
salesman = user("base.group_user,sales_team.group_sale_salesman")
team = env["crm.team"].create({"name": uniq("Bench team ")})
if FLAVOUR == "addon":
    (team._sg_protected_write if hasattr(team, "_sg_protected_write") else team.write)(
        {"governed": True}
    )
customer = env["res.partner"].create(
    {
        "name": uniq("Bench customer "),
        "is_company": True,
        "street": "1 Bench Road",
        "city": "Hangzhou",
        "phone": "+86 571 0000",
        "vat": "BENCH-0001",
    }
)
if FLAVOUR == "addon":
    # a complete contract: both parties' details, as the approval requires
    company.partner_id.write(
        {
            "street": company.partner_id.street or "1 Plant Road",
            "city": company.partner_id.city or "Anji",
            "phone": company.partner_id.phone or "+86 572 0000",
            "vat": company.partner_id.vat or "CO-0001",
        }
    )
    env["res.partner.bank"].create(
        [
            {"partner_id": p.id, "acc_number": uniq("BENCH-ACC-")}
            for p in (customer, company.partner_id)
        ]
    )
if FLAVOUR == "oca":
    # the peers' risk checks run on every confirmation and delivery
    customer.write(
        {
            "credit_limit": 1e12,
            "risk_sale_order_include": True,
            "risk_invoice_unpaid_include": True,
        }
    )
tax_free = {"taxes_id": False}
products = env["product.product"].create(
    [
        {
            "name": uniq("Bench product "),
            "is_storable": True,
            "list_price": 10.0,
            **tax_free,
        }
        for _ in range(max(SIZES))
    ]
)
for product in products:
    env["stock.quant"]._update_available_quantity(product, stock_location, 1e6)


def addon_approval_thresholds(value):
    """Contract approval above ``value``: 1e12 keeps orders out of it, 0 needs every
    level."""
    if FLAVOUR != "addon":
        return
    approval_thresholds(company, value)


addon_approval_thresholds(1e12)
if FLAVOUR == "addon":
    # the delivery gate alone (credit / prepayment); the dispatch chain has its own
    # figures
    company.sg_delivery_notice_required = False


def order(size, **extra):
    vals = {
        "partner_id": customer.id,
        "team_id": team.id,
        "user_id": salesman.id,
        "order_line": [
            Command.create(
                {
                    "product_id": p.id,
                    "product_uom_qty": 2,
                    "price_unit": 10.0,
                    "tax_id": False,
                }
            )
            for p in products[:size]
        ],
    }
    vals.update(extra)
    return env["sale.order"].create(vals)


def customer_payment(amount):
    journal = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )
    payment = env["account.payment"].create(
        {
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": customer.id,
            "amount": amount,
            "journal_id": journal.id,
            "date": fields.Date.today(),
        }
    )
    payment.action_post()


# ------------------------------------------------------------------ confirm
def confirm_prepare(size):
    return order(size)


def confirm_step(so):
    so.action_confirm()
    assert so.state == "sale", so.state


# ------------------------------------------------------------------ delivery validation
credit_ctrl = (
    user("sale_governance.group_credit_controller") if FLAVOUR == "addon" else None
)
sales_mgr = user("sale_governance.group_sales_manager") if FLAVOUR == "addon" else None


def delivery_prepare(size, mode):
    extra = {"payment_mode": mode} if FLAVOUR == "addon" else {}
    so = order(size, **extra)
    if FLAVOUR == "addon" and mode == "credit":
        app = env["sale.governance.credit.application"].create(
            {
                "order_id": so.id,
                "responsible_id": sales_mgr.id,
                "line_ids": [
                    Command.create(
                        {
                            "sale_line_id": line.id,
                            "quantity": line.product_uom_qty,
                            "price_unit": line.price_unit,
                        }
                    )
                    for line in so.order_line
                ],
            }
        )
        app.with_user(sales_mgr).action_submit()
        app.with_user(credit_ctrl).action_approve()
    if FLAVOUR == "addon" and mode == "prepayment":
        customer_payment(so.amount_total)
    so.action_confirm()
    picking = so.picking_ids
    for move in picking.move_ids:
        move.quantity = move.product_uom_qty
    picking.move_ids.picked = True
    return picking


def delivery_step(picking):
    result = picking.with_context(skip_sms=True).button_validate()
    assert picking.state == "done", (picking.state, result)


# ------------------------------------------------------------------ three-level
# approval
approvers = []
if FLAVOUR == "addon":
    approvers = [
        user(g)
        for g in (
            "sale_governance.group_sales_manager",
            "sale_governance.group_business_reviewer",
            "sale_governance.group_executive",
        )
    ]
elif FLAVOUR == "oca":
    approvers = [
        user("base.group_user,sales_team.group_sale_salesman_all_leads")
        for _ in range(3)
    ]
    model = env["ir.model"]._get("sale.order")
    definitions = env["tier.definition"].create(
        [
            {
                "name": f"Level {i + 1}",
                "model_id": model.id,
                "review_type": "individual",
                "reviewer_id": approvers[i].id,
                "definition_domain": "[('client_order_ref', '=', 'bench approval')]",
                "sequence": 30 - i * 10,
                "approve_sequence": True,
            }
            for i in range(3)
        ]
    )


def oca_notify(on):
    definitions.write(
        {"notify_on_create": on, "notify_on_accepted": on, "notify_on_pending": on}
    )


def approval_prepare(size):
    extra = {"client_order_ref": "bench approval"}
    if FLAVOUR == "addon":
        addon_approval_thresholds(0)
        term = env.ref("account.account_payment_term_30days")
        extra.update(
            {
                "payment_term_id": term.id,
                "commitment_date": fields.Datetime.now(),
                "contract_settlement_method": "Bank transfer",
                "contract_quality_standard": "GB/T 1",
                "contract_acceptance_method": "On delivery",
                "contract_signing_place": "Anji",
                "contract_dispute_resolution": "Arbitration in Hangzhou",
            }
        )
    return order(size, **extra)


def approval_step(so):
    if FLAVOUR == "addon":
        so.with_user(salesman).action_approval_submit()
        for approver in approvers:
            wizard = (
                env["sale.governance.approval.wizard"]
                .with_user(approver)
                .create({"order_ids": [Command.set(so.ids)], "decision": "approve"})
            )
            wizard.action_apply()
        assert so.approval_state == "approved", so.approval_state
    else:
        so.with_user(salesman).request_validation()
        for approver in approvers:
            so.with_user(approver).validate_tier()
        assert so.validated, "not validated"


# ------------------------------------------------------------------ receipt inspections
if FLAVOUR == "addon":
    qc_categ = env["product.category"].create(
        {"name": uniq("Bench inspected "), "sg_inspection_required": True}
    )
    qc_template = env["sale.governance.inspection.template"].create(
        {
            "name": "Bench checklist",
            "item_ids": [
                Command.create({"name": "Visual", "kind": "check"}),
            ],
        }
    )
    qc_categ.sg_inspection_template_id = qc_template
    inspector = user("sale_governance.group_quality_inspector")
elif FLAVOUR == "oca":
    qc_categ = env["product.category"].create({"name": uniq("Bench inspected ")})
    question = {
        "name": "Visual",
        "type": "qualitative",
        "ql_values": [
            Command.create({"name": "OK", "ok": True}),
            Command.create({"name": "Not OK", "ok": False}),
        ],
    }
    qc_test = env["qc.test"].create(
        {"name": "Bench test", "test_lines": [Command.create(question)]}
    )
    trigger = env["qc.trigger"].search(
        [("picking_type_id", "=", warehouse.in_type_id.id)], limit=1
    )
    qc_categ.qc_triggers = [
        Command.create({"trigger": trigger.id, "test": qc_test.id, "timing": "before"})
    ]
    # a quality user, not the superuser: the addon's side runs as its inspector too
    inspector = user(
        "stock.group_stock_user,quality_control_oca.group_quality_control_user"
    )
else:
    qc_categ = env["product.category"].create({"name": uniq("Bench ")})
qc_products = env["product.product"].create(
    [
        {
            "name": uniq("Bench inspected product "),
            "is_storable": True,
            "categ_id": qc_categ.id,
        }
        for _ in range(max(SIZES))
    ]
)


def receipt(size):
    return incoming(env, qc_products[:size], 10, partner_id=customer.id)


def inspections_of(picking):
    if FLAVOUR == "addon":
        return picking.sg_inspection_ids
    return env["qc.inspection"].search([("picking_id", "=", picking.id)])


def create_insp_step(picking):
    picking.action_confirm()
    if FLAVOUR != "core":
        assert inspections_of(picking), "no inspection created"


def record_prepare(size):
    picking = receipt(size)
    picking.action_confirm()
    inspections = inspections_of(picking)
    assert len(inspections) == size, (len(inspections), size)
    # the records as a call over RPC receives them (browsed from their ids)
    inspections = inspections.browse(inspections.ids)
    if FLAVOUR == "oca":
        ok = qc_test.test_lines.ql_values.filtered("ok")
        return inspections, ok
    if FLAVOUR == "addon":
        # what the inspector enters: everything accepted, every check passed
        return inspections, {
            i.id: {
                "qty_accepted": i.quantity,
                "lines": {line.id: {"result": "pass"} for line in i.line_ids},
            }
            for i in inspections
        }
    return inspections, None


def record_step(ctx):
    inspections, ok = ctx
    if FLAVOUR == "addon":
        # quantities, checklist results and Record Result in one call (ok: the input)
        inspections.with_user(inspector).action_record_results(ok)
        assert set(inspections.mapped("state")) == {"done"}
    else:
        # the peer records no quantities, chatter or to-dos: its lines' values, then
        # Confirm, as its quality user
        inspections = inspections.with_user(inspector)
        inspections.inspection_lines.write({"qualitative_value": ok.id})
        inspections.action_confirm()
        assert set(inspections.mapped("state")) == {"success"}, set(
            inspections.mapped("state")
        )


# ------------------------------------------------------------------ service tickets
if FLAVOUR == "addon":
    Ticket = env["sale.governance.service.ticket"]
elif FLAVOUR == "oca":
    Ticket = env["helpdesk.ticket"]


def tickets_step(size):
    if FLAVOUR == "addon":
        vals = [
            {
                "name": f"Pump noise {i}",
                "partner_id": customer.id,
                "description": "Noise",
            }
            for i in range(size)
        ]
    else:
        vals = [
            {
                "name": f"Pump noise {i}",
                "partner_id": customer.id,
                "description": "<p>Noise</p>",
            }
            for i in range(size)
        ]
    Ticket.create(vals)


# ------------------------------------------------------------------ the runs
for size in SIZES:
    run("confirm", size, confirm_prepare, confirm_step)
    run(
        "validate delivery (credit)",
        size,
        lambda n: delivery_prepare(n, "credit"),
        delivery_step,
    )
    run(
        "validate delivery (prepaid)",
        size,
        lambda n: delivery_prepare(n, "prepayment"),
        delivery_step,
    )
    run("create inspections (confirm receipt)", size, receipt, create_insp_step)
    if FLAVOUR == "core":
        continue
    run("submit + 3 approvals", size, approval_prepare, approval_step)
    if FLAVOUR == "oca":
        oca_notify(True)
        run("submit + 3 approvals (notified)", size, approval_prepare, approval_step)
        oca_notify(False)
    addon_approval_thresholds(1e12)
    run("record inspection results", size, record_prepare, record_step)
    run("service tickets in one batch", size, lambda n: n, tickets_step)
cr.rollback()
