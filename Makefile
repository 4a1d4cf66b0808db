# Everything installs into a project-local virtual environment (.venv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench schema docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,documents,spreadsheets,names-source,purge,warehouse]'
	touch $(STAMP)

## demo: install, then lint the bundled demo store (records/) and show the action tracker
demo: $(STAMP)
	$(BIN)/kscb lint
	$(BIN)/kscb actions

## test: install, then check style (ruff lint and format) and types (mypy, strict), and run the whole test suite
test: $(STAMP)
	$(BIN)/ruff check kscb_cli tests bench
	$(BIN)/ruff format --check kscb_cli tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

## bench: time the commands on a synthetic 10,000-record store, the audit trail on 2,000 commits,
## and kscb lint beside check-jsonschema and yamale on 1,000, 10,000 and 50,000 records, then
## where the cold lint of 10,000 spends its time (docs/performance.md)
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py
	$(BIN)/python bench/git_history.py
	$(BIN)/python bench/compare.py
	$(BIN)/python bench/phases.py --store bench/out/compare-10000

## schema: regenerate schemas/ from the models
schema: $(STAMP)
	$(BIN)/kscb schema

## docs: regenerate the generated docs (rules, cli, lifecycles, clocks, loop, modules) from the code
docs: $(STAMP)
	$(BIN)/python -m kscb_cli.devtools.docs

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
