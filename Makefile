# The two commands: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench train gazetteer lint clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,analysis,serve,plot,gazetteer,dask]'
	touch $(STAMP)

demo: $(STAMP)
	rm -f demo.duckdb
	$(BIN)/communique ingest src/communique/samples/*.json --db demo.duckdb
	$(BIN)/communique events --db demo.duckdb --format table
	@echo "browse it: $(BIN)/communique serve --db demo.duckdb  (http://127.0.0.1:8000/)"

# The browser tests (tests/test_web.py) drive Debian's chromium: Playwright's own browser download
# does not work offline. As root, install it when it is missing; otherwise those tests skip and say why.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "make: installing Debian's chromium for the browser tests"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -q chromium >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; \
	  else \
	    echo "make: /usr/bin/chromium is missing and this is not root: the browser tests will be skipped"; \
	  fi; \
	fi

test: $(STAMP) browser
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/pytest -q

# Retrain the event models on corpus/passages (fixed seed; about a minute on 2 cores) into
# src/communique/events/data/. The trained files are committed: make test does not retrain.
train: $(STAMP)
	$(BIN)/python -m communique.training.corpus check
	$(BIN)/python -m communique.training.train

# Rebuild src/communique/places/data/geonames.tsv.gz (the GeoNames part of the gazetteer, committed) from the
# `gazetteer` extra's packages; make test checks that the committed file is what this builds.
gazetteer: $(STAMP)
	$(BIN)/python scripts/build_gazetteer.py

bench: $(STAMP)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/bench_store.py
	$(BIN)/python bench/bench_analyst.py
	$(BIN)/python bench/bench_serve.py
	$(BIN)/python bench/bench_clusters.py
	$(BIN)/python bench/bench_dask.py

clean:
	rm -rf $(VENV) demo.duckdb .pytest_cache .mypy_cache .ruff_cache
