# Dev harness of sale_governance. Needs Odoo 18.0 Community at $(ODOO_PATH) (default /opt/odoo).
.PHONY: serve serve-workers test test-core test-lifecycle lint bench bench-peers load pot

serve:            ## demo database at http://127.0.0.1:8069 (admin / admin); SERVE_ARGS="--http-port=8176"
	bash tools/serve.sh $(SERVE_ARGS)

serve-workers:    ## the same in Odoo's multi-process mode
	bash tools/serve.sh --workers=2 $(SERVE_ARGS)

test:             ## install into a fresh database and run tests/ with pytest-odoo
	bash tools/test.sh $(PYTEST_ARGS)

test-core:        ## Odoo's own sale tests with and without the addon (CORE_TAGS=wide, CORE_MODE=policy-on)
	bash tools/test_core.sh

test-lifecycle:   ## upgrade keeps the governed data; uninstall leaves Odoo working
	bash tools/test_lifecycle.sh

lint:             ## pylint-odoo, error level
	bash tools/lint.sh

bench:            ## performance figures (see README, Performance)
	bash tools/bench.sh

bench-peers:      ## core vs core + addon vs core + OCA peers, side by side (README, Performance)
	bash tools/bench_peers.sh

load:             ## N simulated users on the demo over JSON-RPC, invariants checked (LOAD_USERS=8)
	bash tools/load.sh

pot:              ## regenerate i18n/sale_governance.pot
	bash tools/pot.sh
