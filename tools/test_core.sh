#!/usr/bin/env bash
# Odoo's own test suites as a check: runs the tests of CORE_TAGS (default Odoo's sale, sale_stock
# and sale_management) in a database with sale_governance installed and in the same database
# without it, side by side, every test after all modules are loaded (tools/core_tests.py), and
# fails on any test that fails only with the addon (tools/core_compare.py).
#
#   CORE_TAGS=wide         the wider set that fits a run: Odoo's stock and purchase_stock
#                          tests and account's tests of invoices and payments (WIDE_TAGS)
#   CORE_TAGS=/stock,/purchase_stock,/account   the same with every account test (~1,600
#                          tests a side: over an hour on the shared 2-core machine)
#   CORE_MODE=default      the addon with its defaults: nothing is under the policy (CI)
#   CORE_MODE=policy-on    every sales team, company and new company under the policy: an extra
#                          failure is accepted only when it is an explicit refusal of the addon
#   CORE_TEMPLATE=nodemo   template database (nodemo or demo)
#   CORE_KEEP=1            keep the databases (sgcore_*) for a look afterwards
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CORE_TAGS=${CORE_TAGS:-/sale,/sale_stock,/sale_management}
# account's tests of what sales and payments produce: customer invoices, payments, their
# registration and the invoice's payments widget (141 of account's ~800 tests).
WIDE_TAGS=/stock,/purchase_stock,/account:TestAccountMoveOutInvoiceOnchanges
WIDE_TAGS+=,/account:TestAccountPayment,/account:TestAccountPaymentRegister
WIDE_TAGS+=,/account:TestAccountMovePaymentsWidget
[ "$CORE_TAGS" = wide ] && CORE_TAGS=$WIDE_TAGS
CORE_MODE=${CORE_MODE:-default}
CORE_TEMPLATE=${CORE_TEMPLATE:-nodemo}
case "$CORE_MODE" in default|policy-on) ;; *) die "CORE_MODE must be default or policy-on" ;; esac

check_odoo
STAMP="$(date +%Y%m%d%H%M%S)_$$"
BASE_DB="sgcore_base_$STAMP"
ADDON_DB="sgcore_addon_$STAMP"
OUT="$SG_RUN/core_$STAMP"
cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    # Stop the runs this script started (their own process ids) before dropping their databases.
    for pid in ${BASE_PID:-} ${ADDON_PID:-}; do
        pkill -TERM -P "$pid" 2>/dev/null
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if [ -n "${PGPORT:-}" ] && [ -z "${CORE_KEEP:-}" ]; then
        drop_db "$BASE_DB"
        drop_db "$ADDON_DB"
    fi
    pg_stop
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pg_start
mkdir -p "$OUT"

tpl=$(ensure_template "$CORE_TEMPLATE") || die "no template database"
copy_db "$tpl" "$BASE_DB"
# The modules whose tests run (e.g. purchase_stock for the wider set) are installed into both
# databases: Odoo's test loader would otherwise run their tests against a database without them.
TAG_MODULES=$(printf '%s' "$CORE_TAGS" | tr ',' '\n' | sed -n 's|^ *[a-z_]*/\([a-z0-9_]*\).*|\1|p' \
    | sort -u | paste -sd, -)
if [ -n "$TAG_MODULES" ]; then
    log "Installing the tested modules ($TAG_MODULES) into $BASE_DB ..."
    odoo_batch "$OUT/modules.log" -d "$BASE_DB" -i "$TAG_MODULES" \
        || die "Installing $TAG_MODULES failed."
fi
copy_db "$BASE_DB" "$ADDON_DB"
log "Installing sale_governance into $ADDON_DB ..."
odoo_batch "$OUT/install.log" -d "$ADDON_DB" -i sale_governance || die "Installing the addon failed."

if [ "$CORE_MODE" = policy-on ]; then
    log "Turning the policy on for every sales team and company of $ADDON_DB ..."
    odoo_bin shell -d "$ADDON_DB" --no-http --log-level=warn >"$OUT/policy-on.log" 2>&1 <<'PY' \
        || { cat "$OUT/policy-on.log" >&2; die "Could not turn the policy on."; }
env.cr.execute("UPDATE crm_team SET governed = TRUE")
env.cr.execute("UPDATE res_company SET policy_default_governed = TRUE")
# Companies created by the tests start under the policy too.
env["ir.default"].set("res.company", "policy_default_governed", True)
env.cr.commit()
PY
fi

run_suite() {  # $1: database, $2: result name
    (cd "$ODOO_PATH" && PYTHONPATH="$ODOO_PATH" "$ODOO_PYTHON" "$SG_ROOT/tools/core_tests.py" \
        -c "$SG_RUN/odoo.conf" -d "$1" --tags "$CORE_TAGS" \
        --out "$OUT/$2.json" --log "$OUT/$2.log")
}
log "Running Odoo's tests $CORE_TAGS with and without the addon, side by side (logs: $OUT) ..."
started=$(date +%s)
run_suite "$BASE_DB" base &
BASE_PID=$!
run_suite "$ADDON_DB" addon &
ADDON_PID=$!
wait "$BASE_PID" || die "The run without the addon crashed (see $OUT/base.log)."
BASE_PID=
wait "$ADDON_PID" || die "The run with the addon crashed (see $OUT/addon.log)."
ADDON_PID=
log "Both runs took $(( $(date +%s) - started )) s."
"$ODOO_PYTHON" "$SG_ROOT/tools/core_compare.py" --mode "$CORE_MODE" "$OUT/base.json" "$OUT/addon.json"
