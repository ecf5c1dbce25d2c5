#!/usr/bin/env bash
# Upgrade and uninstall with live governed data (issue 11):
#  1. a copy of the demo template with sale_governance and its demo data (governed team, orders
#     waiting for approval and on credit, a credit application, an inspection, tickets);
#  2. upgrading the addon (-u) keeps every approval, application, inspection and ticket and the
#     scope of every order;
#  3. uninstalling it leaves Odoo working: the formerly governed quotations confirm, their
#     deliveries and the receipt that waited for its inspection validate, as in core.
# Exits non-zero when a step fails. CORE_KEEP=1 keeps the database.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_odoo
DB="sglife_$(date +%Y%m%d%H%M%S)_$$"
OUT="$SG_RUN/$DB"
cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    [ -n "${PGPORT:-}" ] && [ -z "${CORE_KEEP:-}" ] && drop_db "$DB"
    pg_stop
    [ $rc -eq 0 ] && rm -rf "$OUT"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pg_start
mkdir -p "$OUT"
export SG_LIFECYCLE_STATE="$OUT/state.json"

shell_step() {  # $1: name; python on stdin, run in `odoo-bin shell` on $DB
    local name=$1
    if ! odoo_bin shell -d "$DB" --no-http --log-level=warn >"$OUT/$name.log" 2>&1; then
        cat "$OUT/$name.log" >&2
        die "Step '$name' failed (log: $OUT/$name.log)."
    fi
    grep -E '^(OK|FAIL)' "$OUT/$name.log" >&2 || true
    grep -q '^FAIL' "$OUT/$name.log" && die "Step '$name' failed (log: $OUT/$name.log)."
    grep -q '^OK' "$OUT/$name.log" || { cat "$OUT/$name.log" >&2; die "Step '$name' did not finish."; }
}

tpl=$(ensure_template demo) || die "no template database"
copy_db "$tpl" "$DB"
log "Installing sale_governance with its demo data into $DB ..."
odoo_batch "$OUT/install.log" -d "$DB" -i sale_governance || die "Installing the addon failed."

shell_step record <<'PY'
import json, os
MODELS = ["sale.governance.approval", "sale.governance.credit.application",
          "sale.governance.inspection", "sale.governance.service.ticket", "crm.team"]
counts = {m: env[m].sudo().with_context(active_test=False).search_count([]) for m in MODELS if m in env}
assert all(counts.values()), counts
# Live data of the company (not the addon's demo records, which go with the addon): governed
# quotations and a receipt of a product whose category needs an inspection.
team = env.ref("sale_governance.team_governed_direct")
categ = env.ref("sale_governance.product_category_instruments", raise_if_not_found=False)
partner = env["res.partner"].create({"name": "Lifecycle Customer"})
vendor = env["res.partner"].create({"name": "Lifecycle Vendor"})
product = env["product.product"].create({
    "name": "Lifecycle Gauge", "is_storable": True, "list_price": 100.0,
    "categ_id": (categ or env.ref("product.product_category_all")).id,
})
quotations = env["sale.order"].create([{
    "partner_id": partner.id, "team_id": team.id,
    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 2})],
} for _i in range(2)])
assert all(quotations.mapped("governed")), "quotations of the governed team are governed"
picking_type = env.ref("stock.picking_type_in")
receipt = env["stock.picking"].create({
    "partner_id": vendor.id, "picking_type_id": picking_type.id,
    "location_id": env.ref("stock.stock_location_suppliers").id,
    "location_dest_id": picking_type.default_location_dest_id.id,
    "move_ids": [(0, 0, {
        "name": product.name, "product_id": product.id, "product_uom_qty": 5,
        "product_uom": product.uom_id.id,
        "location_id": env.ref("stock.stock_location_suppliers").id,
        "location_dest_id": picking_type.default_location_dest_id.id,
    })],
})
receipt.action_confirm()
governed = env["sale.order"].search([("governed", "=", True)])
counts = {m: env[m].sudo().with_context(active_test=False).search_count([]) for m in MODELS if m in env}
state = {
    "counts": counts,
    "governed": governed.ids,
    "governed_teams": env["crm.team"].search([("governed", "=", True)]).ids,
    "quotations": quotations.ids,
    "receipt": receipt.id,
}
env.cr.commit()
json.dump(state, open(os.environ["SG_LIFECYCLE_STATE"], "w"))
print("OK recorded", counts, "governed orders:", len(governed))
PY

log "Upgrading sale_governance in $DB ..."
odoo_batch "$OUT/upgrade.log" -d "$DB" -u sale_governance || die "Upgrading the addon failed."
shell_step upgrade <<'PY'
import json, os
state = json.load(open(os.environ["SG_LIFECYCLE_STATE"]))
counts = {m: env[m].sudo().with_context(active_test=False).search_count([]) for m in state["counts"]}
governed = env["sale.order"].search([("governed", "=", True)]).ids
teams = env["crm.team"].search([("governed", "=", True)]).ids
if counts != state["counts"] or sorted(governed) != sorted(state["governed"]) or sorted(teams) != sorted(state["governed_teams"]):
    print("FAIL the upgrade changed governed data:", state["counts"], "->", counts)
else:
    print("OK upgrade kept", counts, "and the scope of", len(governed), "orders")
PY

log "Uninstalling sale_governance from $DB ..."
shell_step uninstall <<'PY'
module = env["ir.module.module"].search([("name", "=", "sale_governance")])
module.button_immediate_uninstall()
env.cr.commit()
print("OK uninstalled")
PY

shell_step after_uninstall <<'PY'
import json, os
state = json.load(open(os.environ["SG_LIFECYCLE_STATE"]))
state_mod = env["ir.module.module"].search([("name", "=", "sale_governance")]).state
assert state_mod == "uninstalled", state_mod
assert "governed" not in env["sale.order"]._fields


def validate(pickings):
    for picking in pickings.filtered(lambda p: p.state not in ("done", "cancel")):
        if picking.state == "draft":
            picking.action_confirm()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model"):
            wizard = env[result["res_model"]].with_context(result.get("context", {})).create({})
            wizard.process()
        assert picking.state == "done", (picking.name, picking.state)


receipt = env["stock.picking"].browse(state["receipt"])
assert receipt.exists(), "the company's receipt is kept"
validate(receipt)
orders = env["sale.order"].browse(state["quotations"])
assert len(orders.exists()) == len(state["quotations"]), "the company's orders are kept"
orders.action_confirm()
assert set(orders.mapped("state")) == {"sale"}, orders.mapped("state")
validate(orders.picking_ids)
# A new order behaves as core.
product = orders.order_line.product_id[:1]
order = env["sale.order"].create({
    "partner_id": orders[0].partner_id.id,
    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
})
order.action_confirm()
validate(order.picking_ids)
invoice = order._create_invoices()
invoice.action_post()
env.cr.rollback()
print("OK after uninstall:", len(orders), "former governed quotations confirmed and delivered,",
      "receipt", receipt.name, "validated, a new order confirmed, delivered and invoiced")
PY
log "Upgrade and uninstall: OK."
