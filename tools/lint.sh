#!/usr/bin/env bash
# The project's linters, as OCA's repositories run them: pre-commit with .pre-commit-config.yaml
# (ruff, pylint-odoo with OCA's rule set, prettier for XML, OCA's module checks, small fixers).
# pre-commit and its hooks' tools are installed from PyPI / npm into the harness cache
# (SG_CACHE_DIR, default ~/.cache/sale_governance), never into Odoo's interpreter.
# Usage: tools/lint.sh [hook-id ...]   (no hook: every hook on every file; fixers rewrite files)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SG_CACHE=${SG_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sale_governance}
VENV=$SG_CACHE/lint-venv
PRE_COMMIT_VERSION=4.0.1
export PRE_COMMIT_HOME=$SG_CACHE/pre-commit
mkdir -p "$SG_CACHE"
if [ "$("$VENV/bin/pre-commit" --version 2>/dev/null)" != "pre-commit $PRE_COMMIT_VERSION" ]; then
    log "Installing pre-commit $PRE_COMMIT_VERSION into $VENV ..."
    py=python3
    [ -x "$ODOO_PYTHON" ] && py=$ODOO_PYTHON
    "$py" -m venv "$VENV" || die "Could not create a virtualenv with $py (Debian: apt-get install python3-venv)."
    "$VENV/bin/pip" install -q "pre-commit==$PRE_COMMIT_VERSION" || die "Could not install pre-commit from PyPI."
fi
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
    || die "prettier needs Node.js and npm: apt-get install nodejs npm"
command -v git >/dev/null 2>&1 || die "pre-commit needs git: apt-get install git"
cd "$SG_ROOT"
git rev-parse --git-dir >/dev/null 2>&1 || die "$SG_ROOT is not a git checkout: pre-commit lints the files git knows."

rc=0
if [ $# -eq 0 ]; then
    "$VENV/bin/pre-commit" run --all-files --show-diff-on-failure --color=never || rc=$?
else
    for hook in "$@"; do
        "$VENV/bin/pre-commit" run "$hook" --all-files --color=never || rc=$?
    done
fi
[ $rc -eq 0 ] && log "lint: clean." || log "lint: findings above (fixers may have rewritten files: review with git diff)."
exit $rc
