# The two set-up commands are `make build` and `make test`; both work on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := $(PYTHON) -m uv
endif
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export UV_PYTHON_DOWNLOADS := never

.PHONY: build test lint format dev bench venv clean

venv: $(BIN)/envreports

# uv itself is bootstrapped from PyPI when the machine lacks it; the venv comes from the lock file.
# Bytecode is compiled once here: with PYTHONDONTWRITEBYTECODE set, every step process would
# otherwise recompile Dagster, GX and polars from source (seconds per step).
$(BIN)/envreports: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --user uv
	$(UV) sync --frozen --all-groups --all-extras --compile-bytecode
	@touch $@

$(DAGSTER_HOME):
	mkdir -p $@

build: venv $(DAGSTER_HOME)
	$(BIN)/envreports build

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/pytest -q

# the instance is created under the same lock as `envreports build`, so the two can start together
dev: venv $(DAGSTER_HOME)
	$(BIN)/python -c 'import sys; from pipelines.cli import init_instance; sys.exit(init_instance())'
	$(BIN)/dg dev --host 127.0.0.1 --port 3000

bench: venv
	$(BIN)/python -m bench.run

clean:
	rm -rf warehouse/envreports.duckdb warehouse/staging warehouse/data_docs warehouse/report
