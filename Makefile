# One entry point for routine tasks; the README shows `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= sitroom.db

.PHONY: setup setup-dev demo test lint typecheck bench bench-scale bench-workers eval train-geo clean

## What running sitroom needs (requirements.lock); `make test` adds the tools
## (requirements-dev.lock: pyproject's [dev], [web-tests], [ray] and [postgres] extras).
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

setup-dev: $(VENV)/.installed-dev

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $@

## The main job on the bundled example reports (embedded SQLite, no server).
demo: setup
	$(BIN)/sitroom analyze examples/reports --db $(DB)

## Lint, type-check and run every test (the quality gate included).
test: setup-dev lint typecheck
	$(BIN)/python -m pytest -q

lint: setup-dev
	$(BIN)/ruff check src tests scripts

typecheck: setup-dev
	$(BIN)/mypy

bench: setup
	$(BIN)/python scripts/benchmark.py

## Ledger, report and export times at 100 to 5,000 stored reports (docs/scaling.md);
## BENCH_DB=postgresql://... measures them on PostgreSQL.
bench-scale: setup
	$(BIN)/python scripts/bench_scale.py $(if $(SIZES),--sizes $(SIZES)) $(if $(BENCH_DB),--db $(BENCH_DB))

## Throughput of `sitroom analyze --workers 2` against one worker on 400 FNC-1 bodies.
bench-workers: setup
	$(BIN)/python scripts/bench_workers.py

## Score the pipeline on the gold sets in ../shared/data and check the pinned floors.
eval: setup
	$(BIN)/python scripts/evaluate.py

## Retrain the place ranker (src/sitroom/data/place_ranker.json) on the geoparsing tune halves.
train-geo: setup-dev
	$(BIN)/python scripts/train_geo.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DB) $(DB)-wal $(DB)-shm
