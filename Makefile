# One entry point for routine tasks; the README shows `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= sitroom.db

.PHONY: setup demo test lint typecheck bench eval train-geo clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

## The main job on the bundled example reports (embedded SQLite, no server).
demo: setup
	$(BIN)/sitroom analyze examples/reports --db $(DB)

## Lint, type-check and run every test (the quality gate included).
test: setup lint typecheck
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check src tests scripts

typecheck: setup
	$(BIN)/mypy

bench: setup
	$(BIN)/python scripts/benchmark.py

## Score the pipeline on the gold sets in ../shared/data and check the pinned floors.
eval: setup
	$(BIN)/python scripts/evaluate.py

## Retrain the place ranker (src/sitroom/data/place_ranker.json) on the geoparsing tune halves.
train-geo: setup
	$(BIN)/python scripts/train_geo.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DB) $(DB)-wal $(DB)-shm
