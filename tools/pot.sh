#!/usr/bin/env bash
# Regenerates i18n/sale_governance.pot from a fresh install (translators start from it).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_odoo
scratch_db sgpot
mkdir -p "$SG_ROOT/i18n"
odoo_batch "$SG_RUN/$SCRATCH_DB-export.log" -d "$SCRATCH_DB" --modules=sale_governance \
    --i18n-export="$SG_ROOT/i18n/sale_governance.pot" || die "Export failed."
rm -f "$SG_RUN/$SCRATCH_DB-export.log"
log "Wrote i18n/sale_governance.pot ($(grep -c '^msgid' "$SG_ROOT/i18n/sale_governance.pot") strings)."
