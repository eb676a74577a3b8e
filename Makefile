# Two entry points for a fresh machine: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint eval bench mcp-lowest clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/escalate brief "API returning 500 errors intermittently for Acme Corp"

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

eval: $(STAMP)
	$(BIN)/escalate eval

# The MCP server against the lowest mcp SDK the pin allows: the names it imports exist there.
mcp-lowest:
	$(PYTHON) -m venv $(VENV)-mcp-lowest
	$(VENV)-mcp-lowest/bin/python -m pip install --quiet -e '.[dev]' 'mcp==2.1.0'
	$(VENV)-mcp-lowest/bin/python -m pytest tests/mcp/test_sdk_pin.py tests/mcp/test_server.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_brief.py

clean:
	rm -rf $(VENV) $(VENV)-mcp-lowest .pytest_cache .mypy_cache .ruff_cache
