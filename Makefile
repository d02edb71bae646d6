# make demo: create .venv, install radgraph, run the main job on the shipped graph.
# make test: create .venv if needed, install with the test extras, run the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test bench lint clean queries-readme

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
	$(BIN)/radgraph path "Radiology Assistant" "Interventional Radiology Technologist"

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q src tests

# make queries-readme: rewrite the query index in queries/README.md from the .rq files.
queries-readme: $(VENV)/.installed
	$(BIN)/python -c "from radgraph.sparql import write_query_index; write_query_index('src/radgraph/queries/README.md')"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py
