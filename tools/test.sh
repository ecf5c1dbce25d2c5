#!/usr/bin/env bash
# Test command: installs sale_governance into a fresh copy of a cached template database (real Odoo,
# real PostgreSQL) and runs tests/ with pytest-odoo. Extra arguments go to pytest (e.g. -k credit).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_odoo
ensure_python_tools

# Browser tests (the tours of tests/*/test_tours.py, the Hoot unit test of the KA matrix) drive
# a headless Chromium through websocket-client in Odoo's interpreter. Odoo skips them silently
# when either is missing: check both, and install Debian's chromium when we may.
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 \
    && ! command -v google-chrome >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || die "The browser tests need Chromium: install Debian's 'chromium' package (sudo apt-get install chromium)."
    log "Installing Debian's chromium package (browser tests) ..."
    (apt-get install -y -q chromium >/dev/null 2>&1) || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null) \
        || die "Installing Debian's chromium package failed: the browser tests need it (apt-get install chromium)."
fi
"$ODOO_PYTHON" -c "import websocket" 2>/dev/null \
    || die "The browser tests need websocket-client in Odoo's interpreter: $ODOO_PYTHON -m pip install websocket-client"
TEST_DB="sgtest_$(date +%Y%m%d%H%M%S)_$$"
NODEMO_DB="${TEST_DB}_nodemo"
cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    [ -n "${LINT_PID:-}" ] && kill "$LINT_PID" 2>/dev/null
    if [ -n "${PGPORT:-}" ]; then
        drop_db "$TEST_DB"
        drop_db "$NODEMO_DB"
    fi
    pg_stop
    [ $rc -eq 0 ] && rm -f "$SG_RUN/$TEST_DB.log" "$SG_RUN/$NODEMO_DB.log"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pg_start

# pylint-odoo with OCA's mandatory checks (the pre-commit hook, read-only) runs beside the
# database work. SG_QUICK=1 (inner dev loop only) skips it and the install without demo data.
if [ -z "${SG_QUICK:-}" ]; then
    "$SG_ROOT/tools/lint.sh" pylint_odoo >"$SG_RUN/lint.log" 2>&1 &
    LINT_PID=$!
fi

# The two templates (with and without demo data) are built side by side on a cold cache, then
# the addon is installed into a copy of each, two processes at a time.
ensure_template nodemo >"$SG_RUN/.tpl_nodemo" &
tpl_nodemo_pid=$!
tpl_demo=$(ensure_template demo) || die "no template database"
wait $tpl_nodemo_pid || die "no template database"
tpl_nodemo=$(cat "$SG_RUN/.tpl_nodemo")
copy_db "$tpl_demo" "$TEST_DB"
if [ -z "${SG_QUICK:-}" ]; then
    copy_db "$tpl_nodemo" "$NODEMO_DB"
    log "Installing sale_governance into $TEST_DB (with demo data) and $NODEMO_DB (without) ..."
    odoo_batch "$SG_RUN/$NODEMO_DB.log" -d "$NODEMO_DB" -i sale_governance &
    nodemo_pid=$!
else
    log "Installing sale_governance into $TEST_DB (with demo data) ..."
fi
odoo_batch "$SG_RUN/$TEST_DB.log" -d "$TEST_DB" -i sale_governance || die "Installing the addon (with demo data) failed."
if [ -z "${SG_QUICK:-}" ]; then
    wait $nodemo_pid || die "Installing the addon without demo data failed."
    drop_db "$NODEMO_DB"
    lint_rc=0
    wait "$LINT_PID" || lint_rc=$?
    LINT_PID=
    cat "$SG_RUN/lint.log" >&2
    [ $lint_rc -eq 0 ] || die "pylint-odoo (OCA mandatory checks) found problems (see above)."
fi

log "Running the tests with pytest-odoo ..."
# The addon is reached through the addons-path symlink so that pytest-odoo maps the tests
# to odoo.addons.sale_governance.
cd "$SG_ADDONS"
PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}" "$ODOO_PYTHON" -m pytest -p no:cacheprovider -W ignore::DeprecationWarning --rootdir="$SG_ADDONS/sale_governance" \
    --odoo-config="$SG_RUN/odoo.conf" --odoo-database="$TEST_DB" --odoo-log-level=warn --odoo-http \
    "$SG_ADDONS/sale_governance/tests" "$@"
