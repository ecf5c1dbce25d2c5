#!/usr/bin/env bash
# Benchmarks: installs sale_governance into a fresh copy of the template database (no demo
# data), then runs each benchmark script (default: every tools/bench_*.py) in `odoo-bin shell`.
# A script gets `env` and prints its own figures; it must not commit (the shell rolls back).
# Usage: tools/bench.sh [tools/bench_x.py ...]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_odoo
scratch_db sgbench
scripts=("$@")
[ ${#scripts[@]} -gt 0 ] || scripts=("$SG_ROOT"/tools/bench_*.py)
for script in "${scripts[@]}"; do
    [ -f "$script" ] || continue
    log "Benchmark $(basename "$script") ..."
    odoo_bin shell -d "$SCRATCH_DB" --no-http --log-level=warn <"$script"
done
