# make demo: create .venv, install radgraph, run the main job on the shipped graph (a path whose total is a range).
# make test: create .venv if needed, install with the test extras, run the whole suite (on every core).
# make test-quick: the same without the slow families (hostile inputs, browser, wheel build, oracle).
# make docs: redraw the README's career ladder (docs/ladder.svg, its Mermaid block, the HTML page and its screenshots).
PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
MERMAID := tests/mermaid

.PHONY: demo test test-quick bench lint clean queries-readme docs mermaid-parser js-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/radgraph path "Radiologic Technologist" Radiologist

# -n auto: one pytest-xdist worker per core; --dist worksteal: a worker that runs out of tests takes some
# of the other's, so both finish together; -rs lists every skip, with its reason, at the end.
# PYTHONDONTWRITEBYTECODE= (empty: off): pytest keeps its rewritten test modules in __pycache__, so a
# second run collects in about 2 s instead of 4.5 (a machine that sets it rewrote them on every run).
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -rs -n auto --dist worksteal

# compileall: the suite runs radgraph in hundreds of subprocesses; with PYTHONDONTWRITEBYTECODE set, each
# would compile the editable source again (an installed wheel, like every dependency, has its bytecode).
# What the suite needs is installed two at a time (pip's packages beside npm's Mermaid parser): on a fresh
# clone that is about 10 s less before the first test.
test:
	@$(MAKE) --no-print-directory -j2 $(VENV)/.installed-test mermaid-parser js-check
	$(BIN)/python -m compileall -q src
	$(PYTEST) src tests

# Unit tests and the CLI's happy and error paths: the families left out here are in make test (and CI).
QUICK_SKIP := tests/test_hostile_*.py tests/test_export_html.py tests/test_packaging.py tests/test_planner_oracle.py

test-quick:
	@$(MAKE) --no-print-directory -j2 $(VENV)/.installed-test mermaid-parser js-check
	$(BIN)/python -m compileall -q src
	$(PYTEST) src tests $(foreach f,$(wildcard $(QUICK_SKIP)),--ignore=$(f))

# Mermaid's own parser, run by tests/test_export.py in Node (no browser). Without npm the
# tests that need it skip (CI fails them instead; .ci/run installs Node.js and npm).
mermaid-parser: $(MERMAID)/node_modules/.installed

$(MERMAID)/node_modules/.installed: $(MERMAID)/package.json $(MERMAID)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd $(MERMAID) && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else \
		echo "npm not found: the Mermaid parser tests will skip (apt-get install nodejs npm)"; \
	fi

# The HTML page's script (a real .js file, inlined at export time), checked by Node's parser.
js-check:
	@if command -v node >/dev/null 2>&1; then \
		node --check src/radgraph/export/page.js && echo "node --check: src/radgraph/export/page.js is valid JavaScript"; \
	else \
		echo "node not found: the HTML page's script is not checked (apt-get install nodejs)"; \
	fi

# make docs: the README's pictures are real output; tests/test_export.py checks they are current.
# The page's screenshots need Chromium and selenium (make .venv/.installed-test; .ci/run installs Chromium).
docs: $(VENV)/.installed-test
	$(BIN)/radgraph export --roles-only --format svg -o docs/ladder.svg
	$(BIN)/python tools/write_readme_mermaid.py README.md
	$(BIN)/python tools/screenshot_page.py docs

# make queries-readme: rewrite the query index in queries/README.md from the .rq files.
queries-readme: $(VENV)/.installed
	$(BIN)/python -c "from radgraph.sparql import write_query_index; write_query_index('src/radgraph/queries/README.md')"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests tools

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache $(MERMAID)/node_modules

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py
