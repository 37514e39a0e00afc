# Two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
INSTALLED = $(VENV)/.installed

.PHONY: install build conformance serve test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(INSTALLED)

build: install
	$(BIN)/kg build

# The W3C SPARQL 1.1 Protocol suite against this server (a few seconds): dist/conformance/earl.ttl,
# which the server publishes at /conformance. A failure is reported but does not stop `make serve`.
conformance: install
	-$(BIN)/kg conformance

serve: build conformance
	$(BIN)/kg serve

test: install
	$(BIN)/python -m pytest

bench: build
	$(BIN)/python -m bench

clean:
	rm -rf dist
