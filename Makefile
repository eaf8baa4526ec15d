# The two commands of the README: `make serve` and `make test`. Each creates its own virtual
# environment (.venv) with a plain, non-editable install of the package.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: serve test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

serve: $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	HTKG_ANONYMOUS_READ=$${HTKG_ANONYMOUS_READ:-true} $(BIN)/htkg serve

test: $(BIN)/python
	$(BIN)/python -m pip install --quiet '.[test]'
	$(BIN)/ruff check .
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build *.egg-info
