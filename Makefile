# The book's two commands are `make book` and `make test`; each sets itself up.
SHELL := /bin/bash
# The first of these that is Python 3.11 or newer (override: make PYTHON=/path/to/python).
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
# The environment is rebuilt only when the pins or the package metadata change.
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | sha256sum | cut -c1-16)
NOTEBOOKS := $(wildcard chapters/*.ipynb appendices/*.ipynb)
# The lab edition's copies of them (make lab).
LAB_NOTEBOOKS := $(addprefix _build/lab/,$(NOTEBOOKS))

.PHONY: book test lab lab-source env browser lock vendor execute clean bench repro new-source check-data check-quotes student

book: $(STAMP)  ## Check the data, re-execute the stale notebooks (code, data, utils, packages or outputs changed), then build _build/html (clean, strict).
	@set -o pipefail; $(BIN)/python scripts/check_data.py | tail -1
	$(BIN)/python scripts/execute_notebooks.py --stale $(NOTEBOOKS)
	rm -rf _build/html _build/.doctrees _build/jupyter_execute
	$(BIN)/jupyter-book build . -W -n --keep-going

test: $(STAMP) browser  ## Stored outputs current, a strict clean build, then unit tests, nbval on every notebook and browser tests.
	$(BIN)/python scripts/execute_notebooks.py --check $(NOTEBOOKS)
	$(MAKE) --no-print-directory book
	$(BIN)/python -m pytest tests chapters appendices --nbval --nbval-current-env -n auto --dist loadscope

lab: $(STAMP)  ## JupyterLab on the lab edition (_build/lab, scripts/lab_edition.py), for instructors: MyST rendered (jupyterlab-myst) with glued values, substitutions and folded solutions filled in, the copies trusted. Edit the text in chapters/.
	$(BIN)/python scripts/lab_edition.py --out _build/lab
	$(BIN)/jupyter trust $(LAB_NOTEBOOKS)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) _build/lab/chapters

lab-source: $(STAMP)  ## JupyterLab on the source notebooks (chapters/), trusted: for editing them; glue, substitutions and solutions show unrendered.
	$(BIN)/jupyter trust $(NOTEBOOKS)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) chapters

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || test -n "$(PYTHON)" || { echo "make: the book needs Python 3.11 or newer; none was found as python3, python3.13, python3.12 or python3.11. Install one, or run: make PYTHON=/path/to/python3.12"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	rm -f $(VENV)/.installed-* && touch $@

browser: $(STAMP)  ## A Chromium for the browser tests: $$BOOK_CHROMIUM or the system's, apt-get on Debian/Ubuntu, else Playwright's own.
	@bash scripts/install_chromium.sh $(BIN)/python

check-data: $(STAMP)  ## Validate every data table, coding and log alone (errors name file, line and column).
	$(BIN)/python scripts/check_data.py

check-quotes: $(STAMP)  ## Prove every excerpt verbatim in its source text: make check-quotes [TEXTS=folder] (default ../shared/seeds).
	$(BIN)/python scripts/check_quotes.py $(if $(TEXTS),--texts $(TEXTS))

execute: $(STAMP)  ## Re-run every notebook (or only NOTEBOOKS=chapters/x.ipynb) in place, storing outputs, widget state and inputs fingerprint.
	$(BIN)/python scripts/execute_notebooks.py $(NOTEBOOKS)

student: $(STAMP)  ## The student edition in _build/student: notebooks without solutions or instructor-only cells, re-executed, and student-edition.zip.
	$(BIN)/python scripts/student_edition.py --out _build/student

lock:  ## Regenerate requirements.txt from requirements.in in a scratch venv.
	bash scripts/lock.sh

vendor:  ## Refresh the vendored JavaScript from package-lock.json.
	bash scripts/vendor_js.sh

new-source: $(STAMP)  ## Start a chapter for a new source: make new-source ID=2025-08-slug
	@test -n "$(ID)" || { echo "usage: make new-source ID=YYYY-MM-slug"; exit 2; }
	$(BIN)/python scripts/new_source.py $(ID)

bench: $(STAMP) browser  ## Time the build, nbval, pages and widgets (not part of the tests).
	$(BIN)/python benchmarks/run.py $(ARGS)

#: The modules whose logic decides what students are told: the mutation report scores these.
SCORED_MODULES := analysis book data freshness render widgets

mutation: $(STAMP)  ## Mutation testing (mutmut, one child): utils/ against the unit tests; score and survivors of the scored modules (not part of the tests). MUTANTS='utils.analysis.*' reruns just those.
	$(BIN)/mutmut run --max-children 1 $(foreach m,$(MUTANTS),'$(m)')
	$(BIN)/python scripts/mutation_report.py $(foreach m,$(SCORED_MODULES),--module utils/$(m).py)

repro: $(STAMP)  ## Build twice from clean and list the files that differ.
	bash scripts/check_reproducible.sh

clean:
	rm -rf _build
