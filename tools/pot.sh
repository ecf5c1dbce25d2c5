#!/usr/bin/env bash
# Regenerates i18n/sale_governance.pot from a fresh install (translators start from it).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_odoo
POT_DB="sgpot_$(date +%Y%m%d%H%M%S)_$$"
cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    [ -n "${PGPORT:-}" ] && drop_db "$POT_DB"
    pg_stop
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pg_start
tpl=$(ensure_template nodemo) || die "no template database"
copy_db "$tpl" "$POT_DB"
odoo_batch "$SG_RUN/$POT_DB.log" -d "$POT_DB" -i sale_governance || die "Installing the addon failed."
mkdir -p "$SG_ROOT/i18n"
odoo_batch "$SG_RUN/$POT_DB-export.log" -d "$POT_DB" --modules=sale_governance \
    --i18n-export="$SG_ROOT/i18n/sale_governance.pot" || die "Export failed."
rm -f "$SG_RUN/$POT_DB.log" "$SG_RUN/$POT_DB-export.log"
log "Wrote i18n/sale_governance.pot ($(grep -c '^msgid' "$SG_ROOT/i18n/sale_governance.pot") strings)."
