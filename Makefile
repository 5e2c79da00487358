# The two commands: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench train lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,dask]'
	touch $(STAMP)

demo: $(STAMP)
	rm -f demo.duckdb
	$(BIN)/communique ingest src/communique/samples/*.json --db demo.duckdb
	$(BIN)/communique events --db demo.duckdb --format table

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

# Retrain the event models on corpus/passages (fixed seed; about a minute on 2 cores) into
# src/communique/events/data/. The trained files are committed: make test does not retrain.
train: $(STAMP)
	$(BIN)/python -m communique.training.corpus check
	$(BIN)/python -m communique.training.train

bench: $(STAMP)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/bench_store.py
	$(BIN)/python bench/bench_clusters.py
	$(BIN)/python bench/bench_dask.py

clean:
	rm -rf $(VENV) demo.duckdb .pytest_cache .mypy_cache .ruff_cache
