#!/usr/bin/env bash
# Shared helpers of the dev harness (serve / test / lint).
# The harness only *uses* an Odoo 18.0 that is already installed: it never fetches,
# builds or installs Odoo itself.
set -euo pipefail

SG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_PATH=${ODOO_PATH:-/opt/odoo}
ODOO_PYTHON=${ODOO_PYTHON:-$ODOO_PATH/.venv/bin/python}
SG_RUN=$SG_ROOT/.run                      # this checkout's odoo.conf, logs
SG_STATE=${SG_STATE_DIR:-$SG_RUN}         # PostgreSQL cluster and Odoo filestore (shareable)
# Odoo finds the addon by its name through a link kept OUTSIDE the repository (a link inside it
# would contain itself, and Odoo's translation export walks links).
SG_ADDONS=${TMPDIR:-/tmp}/sale_governance_addons_$(printf '%s' "$SG_ROOT" | sha1sum | cut -c1-10)
SG_PGPORT=${SG_PGPORT:-55432}
SG_PGUSER=sale_governance          # dedicated role: Odoo refuses to run as "postgres"
SG_PGPASSWORD=sale_governance
SG_OS_USER=${SG_OS_USER:-sgdev}     # non-root owner of the private cluster when run as root
SG_DEPENDS_MODULES=""
SG_STARTED_PG=0

log() { printf '[sale_governance] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

check_odoo() {
    if [ ! -f "$ODOO_PATH/odoo-bin" ]; then
        die "Odoo 18.0 Community was not found: expected its source tree (holding odoo-bin) at '$ODOO_PATH'.
Install Odoo there by hand (see README.md, Prerequisites), or point ODOO_PATH at your Odoo source tree."
    fi
    if [ ! -x "$ODOO_PYTHON" ]; then
        die "Odoo's Python interpreter was not found at '$ODOO_PYTHON'.
Create Odoo's virtualenv there (python3.11 -m venv; pip install -r $ODOO_PATH/requirements.txt), or set ODOO_PYTHON."
    fi
    local version
    version=$(cd "$ODOO_PATH" && "$ODOO_PYTHON" -c 'import odoo.release as r; print(r.serie)' 2>/dev/null) \
        || die "'$ODOO_PYTHON' cannot import Odoo from '$ODOO_PATH': are Odoo's requirements installed in it?"
    [ "$version" = "18.0" ] || die "Odoo at '$ODOO_PATH' is version $version; sale_governance needs 18.0."
    SG_ODOO_VERSION=$(cd "$ODOO_PATH" && "$ODOO_PYTHON" -c 'import odoo.release as r; print(r.version)')
}

ensure_python_tools() {
    # pytest-odoo and pylint-odoo are the only things the addon's harness adds to Odoo's interpreter.
    if ! "$ODOO_PYTHON" -m pip show -q pytest-odoo >/dev/null 2>&1; then
        log "Installing pytest-odoo into $ODOO_PYTHON ..."
        "$ODOO_PYTHON" -m pip install -q pytest-odoo
    fi
}

as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then
        # from / : the current folder may be out of the owner's reach (a checkout under /root)
        (cd / && runuser -u "$SG_OS_USER" -- "$@")
    else
        "$@"
    fi
}

pg_bindir() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    return 1
}

ensure_postgresql() {
    if ! PG_BIN=$(pg_bindir); then
        [ "$(id -u)" = 0 ] || die "PostgreSQL server binaries are missing: install Debian's 'postgresql' package (sudo apt-get install postgresql)."
        log "Installing Debian's postgresql package ..."
        (apt-get install -y -q postgresql >/dev/null 2>&1) || (apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null)
        PG_BIN=$(pg_bindir) || die "PostgreSQL installation failed."
    fi
    if [ "$(id -u)" = 0 ] && ! id "$SG_OS_USER" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$SG_OS_USER"
    fi
}

# As root, the cluster runs as $SG_OS_USER, who must reach its folder. A checkout under a private
# folder (e.g. /root/...) is out of its reach: without SG_STATE_DIR, the cluster and filestore of
# such a checkout live in a per-checkout folder under /var/tmp instead.
resolve_state_dir() {
    mkdir -p "$SG_RUN"
    if [ -z "${SG_STATE_DIR:-}" ] && [ "$(id -u)" = 0 ] \
        && ! runuser -u "$SG_OS_USER" -- test -x "$SG_RUN" 2>/dev/null; then
        SG_STATE=/var/tmp/sale_governance_$(printf '%s' "$SG_ROOT" | sha1sum | cut -c1-10)
        mkdir -p "$SG_STATE"
        chmod 755 "$SG_STATE"
        log "$SG_RUN is out of reach of the cluster owner '$SG_OS_USER': cluster and filestore in $SG_STATE."
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pg_start() {
    ensure_postgresql
    resolve_state_dir
    # Everything of the cluster lives in $SG_STATE/pg, owned by the (non-root) cluster owner.
    local pg="$SG_STATE/pg"
    local data="$pg/data" sock="$pg/sock"
    mkdir -p "$pg"
    if [ "$(id -u)" = 0 ]; then
        chmod o+x "$SG_STATE"
        chown -R "$SG_OS_USER" "$pg"
    fi
    as_pg_owner mkdir -p "$sock"
    if [ ! -f "$data/PG_VERSION" ]; then
        log "Creating the private PostgreSQL cluster in $data ..."
        as_pg_owner bash -c "umask 077; echo '$SG_PGPASSWORD' > '$pg/.pw'"
        as_pg_owner "$PG_BIN/initdb" -D "$data" -U "$SG_PGUSER" --pwfile="$pg/.pw" \
            --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
        rm -f "$pg/.pw"
    fi
    if as_pg_owner "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        log "PostgreSQL cluster already running (port $SG_PGPORT); it will be left running."
    else
        if port_in_use "$SG_PGPORT"; then
            die "Port $SG_PGPORT is taken by another server (another checkout's cluster?). Use that cluster with SG_STATE_DIR=<its state folder>, or choose another port with SG_PGPORT=<port>."
        fi
        as_pg_owner "$PG_BIN/pg_ctl" -D "$data" -l "$pg/postgresql.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $SG_PGPORT -k $sock -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
            start >/dev/null || die "PostgreSQL did not start: see $pg/postgresql.log"
        SG_STARTED_PG=1
        log "PostgreSQL cluster started on 127.0.0.1:$SG_PGPORT."
    fi
    export PGHOST=127.0.0.1 PGPORT=$SG_PGPORT PGUSER=$SG_PGUSER PGPASSWORD=$SG_PGPASSWORD PGDATABASE=postgres
    write_odoo_conf
}

pg_stop() {
    if [ "$SG_STARTED_PG" = 1 ]; then
        as_pg_owner "$PG_BIN/pg_ctl" -D "$SG_STATE/pg/data" -m fast -w stop >/dev/null 2>&1 || true
        SG_STARTED_PG=0
        log "PostgreSQL cluster stopped."
    fi
}

write_odoo_conf() {
    mkdir -p "$SG_ADDONS" "$SG_STATE/data" "$SG_RUN"
    ln -sfn "$SG_ROOT" "$SG_ADDONS/sale_governance"
    cat >"$SG_RUN/odoo.conf" <<CONF
[options]
addons_path = $ODOO_PATH/addons,$SG_ADDONS
data_dir = $SG_STATE/data
db_host = 127.0.0.1
db_port = $SG_PGPORT
db_user = $SG_PGUSER
db_password = $SG_PGPASSWORD
admin_passwd = $SG_PGPASSWORD
list_db = False
http_port = ${SG_HTTP_PORT:-8069}
CONF
}

odoo_bin() {
    # A subcommand (shell, ...) must come before the options.
    local cmd=()
    case "${1:-}" in shell|scaffold|populate|cloc|deploy|neutralize|start|db) cmd=("$1"); shift ;; esac
    (cd "$ODOO_PATH" && "$ODOO_PYTHON" "$ODOO_PATH/odoo-bin" "${cmd[@]}" -c "$SG_RUN/odoo.conf" "$@")
}

db_exists() {
    [ "$(psql -XtAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

manifest_depends() {
    "$ODOO_PYTHON" -c 'import ast,sys; print(",".join(ast.literal_eval(open(sys.argv[1]).read())["depends"]))' \
        "$SG_ROOT/__manifest__.py"
}

# Copy a database and its filestore (attachments live on disk, not in the database).
copy_db() {
    local src=$1 dst=$2
    createdb -T "$src" "$dst"
    if [ -d "$SG_STATE/data/filestore/$src" ]; then
        rm -rf "$SG_STATE/data/filestore/$dst"
        cp -a "$SG_STATE/data/filestore/$src" "$SG_STATE/data/filestore/$dst"
    fi
}

drop_db() {
    dropdb --if-exists "$1" >/dev/null 2>&1 || true
    rm -rf "$SG_STATE/data/filestore/$1"
}

# Run odoo-bin with --stop-after-init, keep its log, fail on ERROR/CRITICAL lines.
odoo_batch() {
    local logfile=$1; shift
    local rc=0
    odoo_bin "$@" --stop-after-init --log-level=info >"$logfile" 2>&1 || rc=$?
    # Odoo only warns when demo data fail and installs without them: that is a failure here.
    if [ $rc -ne 0 ] || grep -qE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |demo data failed to install' "$logfile"; then
        grep -E ' (ERROR|CRITICAL|WARNING) ' -A 25 "$logfile" | head -150 >&2 || tail -50 "$logfile" >&2
        log "odoo-bin $* failed (exit $rc); full log: $logfile"
        return 1
    fi
    grep -E ' WARNING ' "$logfile" | grep -i 'sale_governance' | head -40 >&2 || true
    return 0
}

# Name of the template database with the addon's dependencies preinstalled, keyed on the Odoo
# version and the manifest's depends. $1: "demo" or "nodemo".
template_name() {
    local key
    key=$(printf '%s|%s|%s' "$SG_ODOO_VERSION" "$(manifest_depends)" "$1" | sha1sum | cut -c1-10)
    echo "sgtpl_${1}_${key}"
}

ensure_template() {
    local kind=$1 name
    name=$(template_name "$kind")
    if db_exists "$name"; then
        echo "$name"
        return 0
    fi
    local building="${name}_building"
    drop_db "$building"
    log "Building template database $name (dependencies: $(manifest_depends); $kind) ..."
    local demo_opt=()
    [ "$kind" = nodemo ] && demo_opt=(--without-demo=all)
    odoo_batch "$SG_RUN/$building.log" -d "$building" -i "$(manifest_depends)" "${demo_opt[@]}" \
        || die "Building the template database failed."
    psql -Xq -c "ALTER DATABASE \"$building\" RENAME TO \"$name\""
    [ -d "$SG_STATE/data/filestore/$building" ] && mv "$SG_STATE/data/filestore/$building" "$SG_STATE/data/filestore/$name"
    echo "$name"
}

# A scratch database: a copy of the no-demo template with the addon installed, dropped (and the
# cluster stopped, if this script started it) on exit. Sets SCRATCH_DB. $1: name prefix.
scratch_db() {
    SCRATCH_DB="${1}_$(date +%Y%m%d%H%M%S)_$$"
    trap scratch_db_cleanup EXIT
    trap 'exit 130' INT TERM
    pg_start
    local tpl
    tpl=$(ensure_template nodemo) || die "no template database"
    copy_db "$tpl" "$SCRATCH_DB"
    odoo_batch "$SG_RUN/$SCRATCH_DB.log" -d "$SCRATCH_DB" -i sale_governance || die "Installing the addon failed."
    rm -f "$SG_RUN/$SCRATCH_DB.log"
}

scratch_db_cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    [ -n "${PGPORT:-}" ] && drop_db "$SCRATCH_DB"
    pg_stop
    exit $rc
}
