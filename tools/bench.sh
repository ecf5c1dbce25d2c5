#!/usr/bin/env bash
# Benchmarks: installs sale_governance into a fresh copy of the template database (no demo
# data), then runs each benchmark script (default: the features' tools/bench_<feature>.py, key
# accounts last) in `odoo-bin shell`. A script gets `env` and prints its own figures; the shell
# rolls back what it did. Only bench_tiering.py commits, its generated customers (see there),
# which is why it runs last; the scratch database is dropped at the end.
# Usage: tools/bench.sh [tools/bench_x.py ...]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_odoo
scratch_db sgbench
scripts=("$@")
[ ${#scripts[@]} -gt 0 ] || scripts=(
    "$SG_ROOT"/tools/bench_{aftersales,credit,quality,sales_management,tiering}.py
)
for script in "${scripts[@]}"; do
    [ -f "$script" ] || continue
    log "Benchmark $(basename "$script") ..."
    odoo_bin shell -d "$SCRATCH_DB" --no-http --log-level=warn <"$script"
done
