# rapport: social media reports from platform exports.  `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := rapport
CLIENT ?=
PERIOD ?=
REPORT ?=
JOBS ?=
RAPPORT := $(BIN)/rapport

# Options passed on to the rapport command only when given.
opts = $(if $(PERIOD),--period '$(PERIOD)') $(if $(REPORT),--report '$(REPORT)') $(if $(JOBS),--jobs '$(JOBS)') $(if $(FORCE),--force)
need-client = @test -n '$(CLIENT)' || { echo "make $@: name the client, e.g. make $@ CLIENT=demo" >&2; exit 2; }

## help: list the targets (this page)
.PHONY: help
help:
	@echo "rapport: social media reports from platform exports"
	@echo
	@awk -F': ' '/^## /{sub(/^## /, ""); printf "  make %-11s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "  Variables: CLIENT=slug  PERIOD=YYYY-MM (activity: YYYY-MM-DD)  REPORT=audit|goals|monthly|activity|exceptions  JOBS=n  FORCE=1  CLUSTER=tcp://host:8786"
	@echo "             AUDIENCE=management|team  DRY_RUN=1  AGAIN=1 (send)"

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "rapport needs Python 3.11 or newer ($(PYTHON) is $$($(PYTHON) --version))" >&2; exit 1; }
	@echo "Setting up $(VENV) (first run only)..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt -e .
	@$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (rapport)" >/dev/null
	@touch $@

## install: create .venv with the pinned dependencies and the project kernel
.PHONY: install
install: $(STAMP)

## report: CLIENT=x [PERIOD=YYYY-MM] [REPORT=name] [FORCE=1]  ingest new exports, build the reports whose inputs changed
.PHONY: report
report: $(STAMP)
	$(need-client)
	@$(RAPPORT) report '$(CLIENT)' $(opts)

## reports: [PERIOD=YYYY-MM] [JOBS=n] [FORCE=1] [CLUSTER=tcp://host:8786]  the same for every client in params/, in parallel (or on a Dask cluster)
.PHONY: reports
reports: $(STAMP)
	@$(RAPPORT) reports $(opts) $(if $(CLUSTER),--cluster '$(CLUSTER)')

## exceptions: CLIENT=x [FAIL_ON=warning|critical]  the exception report; fails when something needs action (the command exits 3)
.PHONY: exceptions
exceptions: $(STAMP)
	$(need-client)
	@$(RAPPORT) exceptions '$(CLIENT)' $(if $(PERIOD),--period '$(PERIOD)') $(if $(FAIL_ON),--fail-on '$(FAIL_ON)')

## ingest: CLIENT=x  import new files from data/x/raw/ into the warehouse
.PHONY: ingest
ingest: $(STAMP)
	$(need-client)
	@$(RAPPORT) ingest '$(CLIENT)'

## sources: CLIENT=x  what the warehouse holds per platform: dates, rows, gaps, last import
.PHONY: sources
sources: $(STAMP)
	$(need-client)
	@$(RAPPORT) sources '$(CLIENT)'

## check: CLIENT=x  validate params and data, print every problem, change nothing
.PHONY: check
check: $(STAMP)
	$(need-client)
	@$(RAPPORT) check '$(CLIENT)'

## new-client: CLIENT=x  scaffold params/x.yaml and data/x/ from the template
.PHONY: new-client
new-client: $(STAMP)
	$(need-client)
	@$(RAPPORT) new-client '$(CLIENT)'

## pdf: CLIENT=x [PERIOD=YYYY-MM]  print the period's HTML reports to PDF with headless Chromium
.PHONY: pdf
pdf: $(STAMP) chromium
	$(need-client)
	@$(RAPPORT) pdf '$(CLIENT)' $(if $(PERIOD),--period '$(PERIOD)')

## send: CLIENT=x [PERIOD=YYYY-MM] [AUDIENCE=management|team] [DRY_RUN=1] [AGAIN=1]  e-mail the period's reports
.PHONY: send
send: $(STAMP)
	$(need-client)
	@$(RAPPORT) send '$(CLIENT)' $(if $(PERIOD),--period '$(PERIOD)') $(if $(AUDIENCE),--audience '$(AUDIENCE)') $(if $(DRY_RUN),--dry-run) $(if $(AGAIN),--again)

## slides: CLIENT=x [PERIOD=YYYY-MM]  a PPTX deck per report of the period, for the meeting
.PHONY: slides
slides: $(STAMP)
	$(need-client)
	@$(RAPPORT) slides '$(CLIENT)' $(if $(PERIOD),--period '$(PERIOD)')

## demo: (re)write the demo client's data into data/demo/
.PHONY: demo
demo: $(STAMP)
	@$(RAPPORT) demo

## lab: [LAB_ARGS=]  JupyterLab with the project kernel on the workspace (notebooks/, outputs/…/explore/); LAB_ARGS go to jupyter lab, e.g. --port=8890
.PHONY: lab
lab: $(STAMP)
	@if [ "$$(id -u)" = 0 ]; then echo "make lab: running as root (as in many containers); JupyterLab is safer run as a normal user" >&2; fi
	@JUPYTER_PATH=$(VENV)/share/jupyter $(BIN)/jupyter lab --ServerApp.root_dir="$${RAPPORT_ROOT:-.}" --LabApp.default_url=/lab/tree/notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS)

## prepare: CLIENT=x REPORT=name [PERIOD=]  a parameterised copy of a notebook to explore
.PHONY: prepare
prepare: $(STAMP)
	$(need-client)
	@$(RAPPORT) prepare '$(CLIENT)' $(opts)

## test: the code checks (make lint), then the whole test suite on every core (installs Chromium for the browser tests if missing)
.PHONY: test
test: lint chromium
	@$(BIN)/python -m pytest -n auto

## lint: the stages import one way (import-linter), ruff's lint and format check, mypy on lib/
.PHONY: lint
lint: $(STAMP)
	@$(BIN)/lint-imports --no-cache
	@$(BIN)/ruff check lib tests bench
	@$(BIN)/ruff format --check lib tests bench
	@$(BIN)/mypy

## mutation: [MODULES="analysis/metrics.py …"]  mutation testing of the data and analysis stages (slow, not in make test; writes docs/mutation.md)
.PHONY: mutation
mutation: $(STAMP)
	@$(BIN)/python bench/mutation.py $(MODULES)

## bench: the benchmarks of bench/ (report chain, ingest of 1M rows, the month and the five reports on 5 years, a batch of 40 clients); figures in bench/README.md
.PHONY: bench
bench: $(STAMP)
	@$(BIN)/python bench/report_chain.py
	@$(BIN)/python bench/monthly.py
	@$(BIN)/python bench/ingest.py
	@$(BIN)/python bench/five_years.py
	@$(BIN)/python bench/batch.py

## docs: regenerate docs/metrics.md from the metric catalogue
.PHONY: docs
docs: $(STAMP)
	@mkdir -p docs && $(BIN)/python -m rapport.catalog > docs/metrics.md

## lock: re-pin every transitive dependency into constraints.txt
.PHONY: lock
lock: $(STAMP)
	@{ echo "# Every package rapport installs, pinned (pip install -c). Regenerate with: make lock"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' | sort -f; } > constraints.txt

## clean: remove generated reports and caches (keeps .venv and data/)
.PHONY: clean
clean:
	rm -rf outputs .pytest_cache bench/results
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

## distclean: clean, and remove .venv
.PHONY: distclean
distclean: clean
	rm -rf $(VENV)

# Debian's Chromium for the browser tests (Playwright's own browser download is not used).
.PHONY: chromium
chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else \
	    echo "The browser tests need Chromium at /usr/bin/chromium: sudo apt-get install chromium chromium-driver" >&2; exit 1; \
	  fi; }
