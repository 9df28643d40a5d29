# Two commands on a fresh machine with Python 3.11+ and make: `make lab` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8866
# make lab / make workshop: which folder of labs to serve; make workshop: port and extra voila options
# (the browser tests use all three).
LABS_DIR ?= notebooks/
VOILA_FLAGS ?=

.PHONY: lab test test-fast mutation bench workshop install clean-outputs clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ccsim needs Python 3.11 or newer; this is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)  ## create .venv if missing and install the kit

# `ccsim lab` and `ccsim workshop` (see README) also work without make, e.g. on Windows after `pip install .`.
lab: $(STAMP)  ## open JupyterLab on the labs (adds --allow-root when run as root)
	$(BIN)/ccsim lab $(LABS_DIR)

test: $(STAMP)  ## every test: unit, property, accuracy, notebooks (nbval), real browser; branch coverage at least 95%
	$(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider --cov=ccsim --cov-branch --cov-report=term-missing:skip-covered --cov-fail-under=95

test-fast: $(STAMP)  ## everything but the real-browser tests
	$(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider -m "not browser"

# Mutation testing (slow, not part of `make test`; results of the last run in tests/MUTATION.md). Without
# MUTANTS every mutant not yet tried runs (mutmut keeps results in mutants/ and re-tries changed functions);
# MUTANTS names some again, e.g. make mutation MUTANTS='ccsim.analytics.* ccsim.metrics.kpis.*'.
# MUTATION_JOBS: test processes at once (keep a shared machine usable).
MUTANTS ?=
MUTATION_JOBS ?= 1

$(BIN)/mutmut: | $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'

mutation: $(STAMP) $(BIN)/mutmut  ## mutation testing (mutmut) of the analytics, the KPIs and the engine
	$(BIN)/mutmut run --max-children $(MUTATION_JOBS) $(foreach m,$(MUTANTS),'$(m)')
	$(BIN)/mutmut results

bench: $(STAMP)  ## speed ratios against baselines run in the same process (see benchmarks/README.md)
	$(BIN)/python benchmarks/run.py

# Voila with no code, no tracebacks (a learner sees one sentence), light theme for projectors, on 127.0.0.1.
workshop: $(STAMP)  ## serve the labs in Voila (no code shown) for a projector or a UBT room
	$(BIN)/ccsim workshop $(LABS_DIR) --port=$(PORT) $(VOILA_FLAGS)

clean-outputs:  ## strip outputs from every notebook before committing
	$(BIN)/jupyter nbconvert --clear-output --inplace notebooks/*.ipynb

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
