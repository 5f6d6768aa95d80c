# The two commands a newcomer needs: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
DASHBOARD := dashboard_extension
DASHBOARD_OUT := saleor_upsell_app/static/dashboard/index.html
# `make run PORT=8001` for a second instance; APP_URL follows the port unless it is set (env or .env).
PORT ?= 8000
HOST ?= 0.0.0.0

.PHONY: run test lint typecheck pytest dashboard dashboard-test install browser bench manifest clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

# Build the dashboard extension only when its sources changed.
$(DASHBOARD)/node_modules/.package-lock.json: $(DASHBOARD)/package-lock.json
	cd $(DASHBOARD) && npm ci --no-audit --no-fund

$(DASHBOARD_OUT): $(DASHBOARD)/node_modules/.package-lock.json $(shell find $(DASHBOARD)/src $(DASHBOARD)/index.html $(DASHBOARD)/vite.config.ts -type f 2>/dev/null)
	cd $(DASHBOARD) && npm run build

dashboard: $(DASHBOARD_OUT)

run: $(STAMP) dashboard
	$(BIN)/saleor-upsell serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# Typecheck, vitest, and src/api/generated.ts must be what graphql-codegen makes of graphql/api.graphql and
# the dashboard's operations (dashboard_extension/graphql/).
dashboard-test: dashboard
	cd $(DASHBOARD) && npm run typecheck && npm test
	cd $(DASHBOARD) && { npm run --silent codegen:check >/dev/null 2>&1 || \
	  { echo "src/api/generated.ts is stale: cd $(DASHBOARD) && npm run codegen"; exit 1; }; }

# Debian's chromium for the browser tests (installed when missing and we may install packages).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium not installed: browser tests will be skipped"; }

pytest: $(STAMP) dashboard browser
	$(BIN)/pytest -q

test: lint typecheck dashboard-test pytest

bench: $(STAMP)
	$(BIN)/python bench/engine_bench.py
	$(BIN)/python bench/mining_bench.py --orders 1000000 --products 50000
	$(BIN)/python bench/ingest_bench.py
	$(BIN)/python bench/e2e_bench.py --checkouts 1000

# Regenerate manifest.json (what the app serves for APP_URL=http://localhost:8000).
manifest: $(STAMP)
	$(BIN)/python -c "import json; from saleor_upsell_app.saleor.manifest import build_manifest; from saleor_upsell_app.webhooks import WEBHOOKS; print(json.dumps(build_manifest('http://localhost:8000', WEBHOOKS), indent=2))" > manifest.json

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache $(DASHBOARD)/node_modules saleor_upsell_app/static/dashboard
