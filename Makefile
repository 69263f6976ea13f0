# The few commands a newcomer needs. `make run` and `make test` work on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
STAMP := $(VENV)/.installed
JS := tests/calendar/js

.PHONY: run test test-postgres install lint format bench bench-quick clean screenshots

$(STAMP): requirements.txt requirements-dev.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==0.13.9
	$(UV) pip install --quiet --compile-bytecode -p $(BIN)/python -r requirements.txt -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)
	@$(BIN)/python -m compileall -q oncall alertaudit >/dev/null  # commands start faster (PYTHONDONTWRITEBYTECODE is common)
	@# npm ci only when the lock file changed since the last install: it empties node_modules first,
	@# which must not happen under a test run that uses them (.ci/run runs two passes at once).
	@if command -v npm >/dev/null 2>&1 && [ -f $(JS)/package.json ] \
		&& ! [ $(JS)/node_modules/.package-lock.json -nt $(JS)/package-lock.json ]; then \
		npm ci --prefix $(JS) --silent --no-audit --no-fund >/dev/null 2>&1 || npm install --prefix $(JS) --silent --no-audit --no-fund; fi

# Start the service with the demo configuration (SQLite, console notifier) on HOST:PORT,
# 127.0.0.1:8080 unless given: `make run PORT=8081`, `make run HOST=0.0.0.0` (every interface).
# `:=`, not `?=`: many shells export HOST (the machine's name), which is not where to listen.
HOST := 127.0.0.1
PORT := 8080
# The address to open in a browser: a wildcard HOST is reached on the loopback address.
OPEN_URL = http://$(if $(filter 0.0.0.0 :: [::],$(HOST)),127.0.0.1,$(HOST)):$(PORT)/
run: install
	@mkdir -p var
	@$(BIN)/python -m oncall token list >/dev/null
	@$(BIN)/python -m oncall token list | grep -q '^demo ' || $(BIN)/python -m oncall token create demo | tail -1 > var/demo-token
	@$(BIN)/python -m oncall audit sample --if-empty  # something to see at /audit until real alerts arrive
	@echo "Demo API token in var/demo-token. Open $(OPEN_URL)"
	ONCALL_PUBLIC_URL="$${ONCALL_PUBLIC_URL:-$(patsubst %/,%,$(OPEN_URL))}" \
		$(BIN)/python -m oncall serve --host $(HOST) --port $(PORT) --workers 1

# Install everything, check lint and format, and run the whole suite.
test: install
	$(BIN)/ruff check oncall alertaudit tests bench wsgi.py
	$(BIN)/ruff format --check --quiet oncall alertaudit tests bench wsgi.py
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -q

# The folders that touch the database, again on PostgreSQL: every test gets a fresh database on
# the server named by ONCALL_TEST_POSTGRES_URL (.ci/run starts one; see tests/conftest.py).
PG_TESTS := tests/alerts tests/escalation tests/web tests/audit_flow tests/audit tests/calendar \
	tests/ui tests/metrics tests/test_migrations.py tests/cli tests/heartbeats tests/slack
test-postgres: install
	@test -n "$$ONCALL_TEST_POSTGRES_URL" || { \
		echo "set ONCALL_TEST_POSTGRES_URL, e.g. postgresql://postgres@127.0.0.1:55432/postgres" >&2; exit 2; }
	ONCALL_TEST_DATABASE_URL="$$ONCALL_TEST_POSTGRES_URL" $(BIN)/pytest -q $(PG_TESTS)

# Refresh the page screenshots in docs/screenshots (the browser tests take them).
screenshots: install
	ONCALL_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q tests/ui/test_ui_browser.py tests/ui/test_ui_incidents_browser.py

lint:
	$(BIN)/ruff check oncall alertaudit tests bench wsgi.py
	$(BIN)/ruff format --check oncall alertaudit tests bench wsgi.py
	$(BIN)/lint-imports --no-cache

format:
	$(BIN)/ruff format oncall alertaudit tests bench wsgi.py

# The performance targets on the served process (bench/run_all.py): SQLite, then PostgreSQL with one
# and two instances when installed; a summary table and bench/results/latest.json. About 10 minutes.
bench: install
	$(BIN)/python -m bench.run_all --db all
	$(BIN)/python -m bench.scale

# The same rows with fewer POSTs and smaller seeds, SQLite only: about a minute.
bench-quick: install
	$(BIN)/python -m bench.run_all --quick

clean:
	rm -rf $(VENV) var .pytest_cache
