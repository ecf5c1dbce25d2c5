#!/usr/bin/env bash
# Regenerates i18n/sale_governance.pot from a fresh install (translators start from it) and merges
# it into the translations (i18n/zh_CN.po, zh_TW.po, ko.po) with GNU gettext's msgmerge: new
# msgids arrive empty, changed ones as "fuzzy" with the old translation as a hint, removed ones
# are dropped. `tools/i18n_todo.py` then lists what a translator still has to do.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SG_LANGS="zh_CN zh_TW ko"
command -v msgmerge >/dev/null || die "msgmerge not found: install Debian's gettext package (apt-get install gettext)."
check_odoo
scratch_db sgpot
mkdir -p "$SG_ROOT/i18n"
POT="$SG_ROOT/i18n/sale_governance.pot"
odoo_batch "$SG_RUN/$SCRATCH_DB-export.log" -d "$SCRATCH_DB" --modules=sale_governance \
    --i18n-export="$POT" || die "Export failed."
rm -f "$SG_RUN/$SCRATCH_DB-export.log"
log "Wrote i18n/sale_governance.pot ($(grep -c '^msgid' "$POT") strings)."
for lang in $SG_LANGS; do
    po="$SG_ROOT/i18n/$lang.po"
    if [ -f "$po" ]; then
        msgmerge --quiet --previous --update --backup=none "$po" "$POT" || die "msgmerge failed on $po"
        msgattrib --no-obsolete --output-file="$po" "$po" || die "msgattrib failed on $po"
    else
        msginit --no-translator --no-wrap --locale="$lang" --input="$POT" --output-file="$po" 2>/dev/null \
            || die "msginit failed for $lang"
    fi
done
"$ODOO_PYTHON" "$SG_ROOT/tools/i18n_todo.py" --summary || true
