#!/usr/bin/env bash
# pylint-odoo's checks on the addon, at error level.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_odoo
if ! "$ODOO_PYTHON" -m pip show -q pylint-odoo >/dev/null 2>&1; then
    log "Installing pylint-odoo into $ODOO_PYTHON ..."
    "$ODOO_PYTHON" -m pip install -q pylint-odoo
fi
cd "$SG_ROOT"
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.py' | grep -v '^tools/')
# no-member is off: pylint cannot see the fields and methods a model gets through _inherit.
PYTHONPATH="$ODOO_PATH" "$ODOO_PYTHON" -m pylint --load-plugins=pylint_odoo --valid-odoo-versions=18.0 \
    --errors-only --disable=import-error,no-name-in-module,no-member --score=n "${files[@]}" \
    && log "pylint-odoo: no errors."
