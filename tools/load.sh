#!/usr/bin/env bash
# make load: a fresh demo database served in multi-process mode on loopback, driven by N simulated
# users over JSON-RPC (tools/load.py), then the policy's invariants are checked. Bounded: at most
# LOAD_SECONDS (60) and LOAD_FLOWS (200) flows. Options (environment): LOAD_USERS (8),
# LOAD_WORKERS (4), LOAD_PORT (8269). Exits non-zero when an invariant breaks.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

USERS=${LOAD_USERS:-8}
SECONDS_MAX=${LOAD_SECONDS:-60}
FLOWS=${LOAD_FLOWS:-200}
WORKERS=${LOAD_WORKERS:-4}
PORT=${LOAD_PORT:-8269}
check_odoo
DB="sgload_$(date +%Y%m%d%H%M%S)_$$"
SERVER_PID=
cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    if [ -n "$SERVER_PID" ]; then
        # odoo_bin runs Odoo in a subshell: stop Odoo (and its workers) as well as the subshell
        pkill -TERM -P "$SERVER_PID" 2>/dev/null
        kill "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    [ -n "${PGPORT:-}" ] && drop_db "$DB"
    pg_stop
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pg_start
tpl=$(ensure_template demo) || die "no template database"
copy_db "$tpl" "$DB"
log "Installing sale_governance with its demo data into $DB ..."
odoo_batch "$SG_RUN/$DB.log" -d "$DB" -i sale_governance || die "Installing the addon failed."
curl -s -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null \
    && die "Port $PORT is already in use by another server: choose another with LOAD_PORT=..."
log "Serving $DB with --workers=$WORKERS on http://127.0.0.1:$PORT ..."
odoo_bin -d "$DB" --db-filter="^$DB\$" --http-interface=127.0.0.1 --http-port="$PORT" \
    --gevent-port=$((PORT + 1)) --workers="$WORKERS" --max-cron-threads=0 --log-level=info \
    >"$SG_RUN/$DB.server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:$PORT/web/health" >/dev/null 2>&1 && break
    sleep 1
done
curl -fs "http://127.0.0.1:$PORT/web/health" >/dev/null || die "Odoo did not answer on port $PORT (see $SG_RUN/$DB.server.log)."
log "$USERS users, at most ${SECONDS_MAX}s and $FLOWS flows ..."
rc=0
"$ODOO_PYTHON" "$SG_ROOT/tools/load.py" --port "$PORT" --db "$DB" --users "$USERS" \
    --seconds "$SECONDS_MAX" --flows "$FLOWS" || rc=$?
retries=$(grep -c "SERIALIZATION_FAILURE\|serialize access\|retry" "$SG_RUN/$DB.server.log" || true)
echo "server: $retries serialization retries logged"
[ $rc -eq 0 ] && rm -f "$SG_RUN/$DB.log" "$SG_RUN/$DB.server.log"
exit $rc
