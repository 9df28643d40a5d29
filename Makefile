# Two commands on a fresh machine with Python 3.11+ and make: `make lab` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8866
# make workshop: which folder Voila serves and extra voila options (the browser tests use both).
LABS_DIR ?= notebooks/
VOILA_FLAGS ?=

.PHONY: lab test test-fast bench workshop install clean-outputs clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ccsim needs Python 3.11 or newer; this is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)  ## create .venv if missing and install the kit

# JupyterLab refuses to start as root without --allow-root (containers, CI-like machines).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)  ## open JupyterLab on the labs
	$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir=notebooks notebooks/00_start_here.ipynb

test: $(STAMP)  ## every test: unit, property, accuracy, notebooks (nbval), real browser
	$(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider

test-fast: $(STAMP)  ## everything but the real-browser tests
	$(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider -m "not browser"

bench: $(STAMP)  ## speed ratios against baselines run in the same process (see benchmarks/README.md)
	$(BIN)/python benchmarks/run.py

# No code, no tracebacks (a learner sees one sentence), light theme for projectors.
workshop: $(STAMP)  ## serve the labs in Voila (no code shown) for a projector or a UBT room
	$(BIN)/voila $(LABS_DIR) --port=$(PORT) --Voila.ip=127.0.0.1 --strip_sources=True --show_tracebacks=False --theme=light $(VOILA_FLAGS)

clean-outputs:  ## strip outputs from every notebook before committing
	$(BIN)/jupyter nbconvert --clear-output --inplace notebooks/*.ipynb

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
