# Masterplan — the two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
# Parallel test processes (pytest-xdist); the machines here have 2 cores.
TEST_WORKERS ?= 2
# The PostgreSQL run moves the clock this many days ahead, so that a test assuming today's
# date fails today rather than next year (see docs/testing.md).
TEST_CLOCK_OFFSET_DAYS ?= 400
# worksteal: a worker that runs out of tests takes some of the other's, so a long test near
# the end does not leave a core idle.
PYTEST := $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist worksteal --durations=25
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run setup test lint check test-sqlite test-postgres bench vendor lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(TEST_STAMP): $(STAMP) requirements-test.lock
	$(BIN)/pip install --quiet -r requirements-test.lock
	touch $@

setup: $(STAMP)
	$(BIN)/masterplan setup

run: setup
	$(BIN)/masterplan serve

test: $(TEST_STAMP)
	@bash scripts/ensure-chromium.sh
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports
	MASTERPLAN_VAR=$(CURDIR)/var/test $(BIN)/masterplan makemigrations --check --dry-run
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: $(TEST_STAMP)
	MASTERPLAN_VAR=$(CURDIR)/var/test DATABASE_URL=sqlite:///$(CURDIR)/var/test/test.sqlite3 \
		$(PYTEST)

test-postgres: $(TEST_STAMP)
	@if $(BIN)/python scripts/db_reachable.py "$(TEST_DATABASE_URL)"; then \
		MASTERPLAN_VAR=$(CURDIR)/var/test DATABASE_URL="$(TEST_DATABASE_URL)" \
			$(PYTEST) -m "not browser" --clock-offset-days=$(TEST_CLOCK_OFFSET_DAYS); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at $(TEST_DATABASE_URL) is required in CI but not reachable." >&2; exit 1; \
	else \
		echo "PostgreSQL not reachable at $(TEST_DATABASE_URL): skipping the PostgreSQL run."; \
	fi

# City scale (1 masterplan) against state scale (100) in fresh SQLite files under var/bench/,
# about 5-10 minutes; e.g. `make bench BENCH_ARGS=--quick` or `BENCH_ARGS="--reuse"` (see
# docs/benchmarks.md).
bench: $(STAMP)
	$(BIN)/masterplan bench $(BENCH_ARGS)

# Refresh the committed front-end assets from the npm registry (needs Node.js and npm).
vendor:
	bash scripts/vendor.sh

# Re-pin the dependencies after changing pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet .
	.lock-venv/bin/pip freeze --exclude masterplan > requirements.lock
	.lock-venv/bin/pip install --quiet ".[test]"
	.lock-venv/bin/pip freeze --exclude masterplan | grep -v -x -F -f requirements.lock > requirements-test.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) var/test
