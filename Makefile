# Two commands do all the set-up on a fresh machine (see README.md):
#   make demo   - install, find or install a browser, run the example job on the mock site
#   make test   - the same set-up, then the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test fast-test windows-sim-test lint bench setup browser clean

demo: setup
	$(BIN)/caljobs-bot demo

test: setup
	$(BIN)/pytest

fast-test: setup
	$(BIN)/pytest -m "not browser"

# The fast tests again with Windows simulated (tests/portability.py): a POSIX-only call fails.
windows-sim-test: setup
	$(BIN)/python -m pytest -p tests.portability -m "not browser"

# ruff, then mypy on the package under its installed names (scripts/typecheck says why).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/python scripts/typecheck

# The benchmark's default configuration (bench/README.md): 100 records, 1 worker, no latency,
# the bot against bench/minimal.py; then the command line's start-up and 10,000-record validate.
bench: setup
	$(BIN)/python -m bench
	$(BIN)/python -m bench.startup

setup: $(VENV)/.installed browser

$(VENV)/.installed: pyproject.toml
	scripts/ensure-python "$(PYTHON)" "$(VENV)"
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

browser: $(VENV)/.installed
	scripts/ensure-browser "$(BIN)/python"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache test-results
