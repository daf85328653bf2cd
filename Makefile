# OrderHub: `make run` serves the whole product with demo data; `make test` runs every test.
# Both set up what they need on a fresh machine and are quick when it is already there.

VENV       := .venv
BIN        := $(VENV)/bin
PYTHON     ?= python3
STAMP      := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
PG_URL     ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: setup run test test-sqlite test-postgres lint format screenshots clean

setup: $(STAMP) $(NODE_STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): $(wildcard package.json package-lock.json)
	@if [ -f package.json ]; then npm ci --no-audit --no-fund --loglevel=error; fi
	@mkdir -p node_modules && touch $(NODE_STAMP)

# The emulator, the demo store connected to it, a first import, then the desk on :8000.
run: setup
	$(BIN)/orderhub demo --host 127.0.0.1 --port 8000

test: setup test-sqlite test-postgres

test-sqlite:
	$(BIN)/python scripts/ensure_chromium.py
	$(BIN)/pytest -n 2

# The same tests on PostgreSQL; skipped, and said so, where no server is reachable.
test-postgres:
	@if $(BIN)/python scripts/postgres_reachable.py "$(PG_URL)"; then \
	  DATABASE_URL="$(PG_URL)" $(BIN)/pytest -n 2 -m "not browser" tests/unit tests/integration; \
	else echo "PostgreSQL run SKIPPED: $(PG_URL) is not reachable (set PG_URL to point at a server)."; fi

lint:
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

format:
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

# Pictures of every page for docs/ (builds its own demo database; needs Chromium).
screenshots: setup
	$(BIN)/python scripts/screenshots.py
	$(BIN)/python scripts/screenshots_salesforce.py

clean:
	rm -rf $(VENV) node_modules var
