# The two set-up commands of the README: `make run` (the main job) and `make test` (the whole test suite).
# Each creates the .venv when it is missing or when pyproject.toml has changed.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
WEB := web/node_modules/.installed

.PHONY: run test lint clean

$(STAMP): pyproject.toml | $(WEB)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The SPARQL editor's CodeMirror (pinned in web/package-lock.json); without npm the editor is a plain textarea.
$(WEB): web/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix web --ignore-scripts --no-audit --no-fund --silent \
	&& touch $(WEB); else echo "npm not found: the SPARQL editor will be a plain textarea (no CodeMirror)"; fi

run: $(STAMP) $(WEB)
	$(VENV)/bin/imri-kg serve

test: $(STAMP) $(WEB)
	$(VENV)/bin/python -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests

clean:
	rm -rf $(VENV) web/node_modules build src/*.egg-info .pytest_cache
