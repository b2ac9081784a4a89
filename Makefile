# The front door. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installe
NODE_STAMP := node_modules/.package-lock.json
PORT   ?= 8000
SETTINGS ?= pelicanconf.py

.DEFAULT_GOAL := help
.PHONY: help install html serve test validate nouveau rapport import sync lint clean bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund

install: $(STAMP) $(NODE_STAMP) ## Create .venv and node_modules with the pinned dependencies

html: $(STAMP) $(NODE_STAMP) ## Build the site into output/ (validates first)
	$(BIN)/python -m annuaire build --settings $(SETTINGS)

serve: html ## Build, then serve on http://localhost:8000
	@echo "Annuaire servi sur http://localhost:$(PORT) (Ctrl+C pour arrêter)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory output

validate: $(STAMP) $(NODE_STAMP) ## Check every entry: errors as file:line: field: message, warnings by kind [DETAILS=1: each one]
	$(BIN)/python -m annuaire validate $(if $(DETAILS),--details)

nouveau: $(STAMP) ## Scaffold an entry: make nouveau NOM="Nom du lieu" [COMMUNE=… CP=… ADRESSE=…]
	@test -n "$(NOM)" || { echo 'Indiquez le nom : make nouveau NOM="Nom du lieu"'; exit 2; }
	$(BIN)/python -m annuaire nouveau "$(NOM)" --commune "$(COMMUNE)" --code-postal "$(CP)" --adresse "$(ADRESSE)"

rapport: $(STAMP) ## Quality report: completeness, freshness, duplicates (also /rapport/ on the site)
	$(BIN)/python -m annuaire rapport

import: $(STAMP) $(NODE_STAMP) ## Import a file in the national standard (or data·inclusion structures.json): make import FILE=chemin [SOURCE=nom] [ARGS=--hors-perimetre]
	@test -n "$(FILE)" || { echo 'Indiquez le fichier : make import FILE=chemin/vers/fichier.json'; exit 2; }
	$(BIN)/python -m annuaire import "$(FILE)" $(if $(SOURCE),--source "$(SOURCE)") $(ARGS)

sync: $(STAMP) ## Refresh the federated sources' snapshots (the only command that uses the network)
	$(BIN)/python -m annuaire sync

lint: $(STAMP) ## ruff on the Python code (lint and format)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP) $(NODE_STAMP) lint ## Run every test (unit, build, browser)
	$(BIN)/pytest

bench: $(STAMP) $(NODE_STAMP) ## Benchmark 1,000, 10,000 and 30,000 places, then the agenda at 30,000 (tables in bench/resultats/)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/agenda.py --lieux 30000 --par-mois 20000

clean: ## Remove build products (keeps .venv)
	rm -rf output output.nouveau output.ancien output.ancien-* output.*.ancien-* .cache .pytest_cache node_modules
