#!/usr/bin/env bash
# Start or stop the private PostgreSQL cluster by hand (serve/test start it themselves and stop
# it again only when they started it): tools/pg.sh start|stop|status
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_odoo
case "${1:-status}" in
    start) pg_start ;;
    stop) ensure_postgresql; resolve_state_dir; SG_STARTED_PG=1; pg_stop ;;
    status) ensure_postgresql; resolve_state_dir; as_pg_owner "$PG_BIN/pg_ctl" -D "$SG_STATE/pg/data" status ;;
    *) die "usage: tools/pg.sh start|stop|status" ;;
esac
