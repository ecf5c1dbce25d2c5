#!/usr/bin/env bash
# Serve command: the demo database sale_governance_demo at http://127.0.0.1:8069 (admin / admin).
# Usage: tools/serve.sh [--workers=N] [--http-port=N] [other odoo-bin options]
# (make serve SERVE_ARGS="--http-port=8176")
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB=${SG_DEMO_DB:-sale_governance_demo}
check_odoo
# PDF reports: wkhtmltopdf, and CJK fonts for the policy's Chinese/Korean texts.
missing=()
command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        log "Installing Debian's ${missing[*]} (PDF reports) ..."
        apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
            || (apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null) \
            || log "Could not install ${missing[*]}: PDF reports may show as HTML or lack CJK glyphs."
    else
        log "Missing ${missing[*]}: PDF reports may show as HTML or lack CJK glyphs (sudo apt-get install ${missing[*]})."
    fi
fi
cleanup() {
    set +e
    trap - EXIT INT TERM
    pg_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pg_start

if db_exists "$DB"; then
    log "Upgrading sale_governance in $DB ..."
    odoo_batch "$SG_RUN/$DB-upgrade.log" -d "$DB" -u sale_governance || die "Upgrade failed."
else
    log "Creating $DB with Odoo's and sale_governance's demo data ..."
    tpl=$(ensure_template demo) || die "no template database"
    copy_db "$tpl" "$DB"
    odoo_batch "$SG_RUN/$DB-create.log" -d "$DB" -i sale_governance || { drop_db "$DB"; die "Creating $DB failed."; }
fi
# The port Odoo will really listen on: the last --http-port/-p given, else 8069.
port=8069
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[$i]}" in
        --http-port=*) port=${args[$i]#--http-port=} ;;
        --http-port|-p) port=${args[$((i + 1))]:-$port} ;;
    esac
done
log "Serving http://127.0.0.1:$port (login admin / admin; demo users: see README). Ctrl-C stops."
rc=0
odoo_bin -d "$DB" --db-filter="^$DB\$" --http-interface=127.0.0.1 --http-port=8069 "$@" || rc=$?
exit $rc
