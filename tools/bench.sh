#!/usr/bin/env bash
# Benchmarks: installs sale_governance into a fresh copy of the template database (no demo
# data), then runs each benchmark script (default: every tools/bench_*.py) in `odoo-bin shell`.
# A script gets `env` and prints its own figures; it must not commit (the shell rolls back).
# Usage: tools/bench.sh [tools/bench_x.py ...]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_odoo
BENCH_DB="sgbench_$(date +%Y%m%d%H%M%S)_$$"
cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    [ -n "${PGPORT:-}" ] && drop_db "$BENCH_DB"
    pg_stop
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pg_start
tpl=$(ensure_template nodemo) || die "no template database"
copy_db "$tpl" "$BENCH_DB"
odoo_batch "$SG_RUN/$BENCH_DB.log" -d "$BENCH_DB" -i sale_governance || die "Installing the addon failed."
rm -f "$SG_RUN/$BENCH_DB.log"
scripts=("$@")
[ ${#scripts[@]} -gt 0 ] || scripts=("$SG_ROOT"/tools/bench_*.py)
for script in "${scripts[@]}"; do
    [ -f "$script" ] || continue
    log "Benchmark $(basename "$script") ..."
    odoo_bin shell -d "$BENCH_DB" --no-http --log-level=warn <"$script"
done
