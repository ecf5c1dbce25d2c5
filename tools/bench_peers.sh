#!/usr/bin/env bash
# make bench-peers: the same scenarios, in one run, in three databases copied from the same
# template (no demo data):
#   D0 core  — Odoo alone
#   D1 addon — Odoo + sale_governance
#   D2 oca   — Odoo + the OCA 18.0 peers (base/sale_tier_validation, account/sale/stock_financial_risk,
#              quality_control_oca + quality_control_stock_oca, helpdesk_mgmt)
# The peers are downloaded as wheels from PyPI into the harness cache and unzipped onto an addons
# path of their own: they are for this benchmark only, never a dependency of the addon.
# Prints the table (queries / median ms, ratios D1/D0 and D1/D2). Options (environment):
#   SG_BENCH_REPS (5), SG_BENCH_SIZES (10,100).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OCA_PEERS=(base_tier_validation sale_tier_validation account_financial_risk sale_financial_risk
           stock_financial_risk quality_control_oca quality_control_stock_oca helpdesk_mgmt)
check_odoo
CACHE=${SG_CACHE_DIR:-$SG_STATE/cache}/oca-18.0
RUN_ID="$(date +%Y%m%d%H%M%S)_$$"
DBS=(sgpeer_core_$RUN_ID sgpeer_addon_$RUN_ID sgpeer_oca_$RUN_ID)
OUT="$SG_RUN/bench_peers_$RUN_ID.jsonl"

cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    if [ -n "${PGPORT:-}" ]; then
        for db in "${DBS[@]}"; do drop_db "$db"; done
    fi
    pg_stop
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the peers, from PyPI, into the cache
mkdir -p "$CACHE/wheels" "$CACHE/root"
for module in "${OCA_PEERS[@]}"; do
    if [ ! -f "$CACHE/root/odoo/addons/$module/__manifest__.py" ]; then
        dist="odoo-addon-${module//_/-}"
        log "Downloading $dist (18.0) from PyPI ..."
        "$ODOO_PYTHON" -m pip download -q --no-deps -d "$CACHE/wheels" "$dist>=18.0,<18.1" 2>"$SG_RUN/pip.log" \
            || die "Could not download $dist from PyPI."
        wheel=$(ls -t "$CACHE/wheels"/odoo_addon_${module}-18.0*.whl | head -1)
        "$ODOO_PYTHON" -m zipfile -e "$wheel" "$CACHE/root"
    fi
done
OCA_ADDONS="$CACHE/root/odoo/addons"

pg_start
tpl=$(ensure_template nodemo) || die "no template database"
core_db=${DBS[0]} addon_db=${DBS[1]} oca_db=${DBS[2]}
for db in "${DBS[@]}"; do copy_db "$tpl" "$db"; done
log "Installing sale_governance into $addon_db and the OCA peers into $oca_db ..."
odoo_batch "$SG_RUN/$addon_db.log" -d "$addon_db" -i sale_governance &
addon_pid=$!
odoo_batch "$SG_RUN/$oca_db.log" -d "$oca_db" -i "$(IFS=,; echo "${OCA_PEERS[*]}")" \
    --addons-path="$ODOO_PATH/addons,$SG_ADDONS,$OCA_ADDONS" || die "Installing the OCA peers failed."
wait $addon_pid || die "Installing sale_governance failed."
rm -f "$SG_RUN/$addon_db.log" "$SG_RUN/$oca_db.log"

# --- the same scenarios in each, one after the other (no two measured at once)
: >"$OUT"
for flavour in core addon oca; do
    case $flavour in
        core) db=$core_db; extra=() ;;
        addon) db=$addon_db; extra=() ;;
        oca) db=$oca_db; extra=(--addons-path="$ODOO_PATH/addons,$SG_ADDONS,$OCA_ADDONS") ;;
    esac
    log "Running the scenarios in $db ($flavour) ..."
    SG_BENCH_FLAVOUR=$flavour SG_BENCH_OUT=$OUT \
        odoo_bin shell -d "$db" --no-http --log-level=error "${extra[@]}" \
        <"$SG_ROOT/tools/bench_peers.py" >"$SG_RUN/bench_peers_$flavour.log" 2>&1 \
        || { tail -30 "$SG_RUN/bench_peers_$flavour.log" >&2; die "The $flavour run failed."; }
done
"$ODOO_PYTHON" "$SG_ROOT/tools/bench_table.py" "$OUT"
