# Two commands on a fresh clone: `make run` and `make test`. Everything else is a helper.
PY ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
# Re-sync only when the lock or the project definition changed.
STAMP := $(VENV)/.touchstone-synced
HOST ?= 127.0.0.1
PORT ?= 8000

export UV_PYTHON_DOWNLOADS := never

.PHONY: install run test lint format migrate messages bench-scoring bench-lists bench clean

$(UV):
	$(PY) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python $(PY)
	@touch $@

install: $(STAMP)

run: install
	./scripts/ensure-pdf-libraries
	$(BIN)/touchstone migrate
	$(BIN)/touchstone serve --host $(HOST) --port $(PORT) --with-worker

test: lint
	./scripts/ensure-chromium
	./scripts/ensure-pdf-libraries
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy app
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: install
	$(BIN)/touchstone migrate

# Refresh the translation catalogues after changing texts in templates or code.
messages: install
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --project Touchstone -o app/locale/messages.pot .
	$(BIN)/python scripts/messages.py

# Engine speed: results per second on one core.
bench-scoring: install
	$(BIN)/python benchmarks/bench_scoring.py

# Candidates list on 1,000 vs 100,000 rows (SQLite); fails when p99 grows more than 1.5x.
bench-lists: install
	$(BIN)/python benchmarks/bench_lists.py

# Ratios against a bare FastAPI app and an idiomatic reference (wrk, installed here when missing and run as root),
# simultaneous candidates on SQLite and PostgreSQL (locust), then the engine alone.
bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && (apt-get install -y wrk || (apt-get update && apt-get install -y wrk)); } || { echo "wrk is missing: apt-get install wrk"; exit 1; }
	$(BIN)/python benchmarks/run_all.py
	$(BIN)/python benchmarks/bench_scoring.py

clean:
	rm -rf $(VENV) $(TOOLS) build .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .grimp_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
