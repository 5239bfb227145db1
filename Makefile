# Two commands do all the set-up on a fresh machine (see README.md):
#   make demo   - install, find or install a browser, run the example job on the mock site
#   make test   - the same set-up, then the test suite (all but the `slow` tests), in parallel
# Before a commit: make check (lint, the tests without a browser, one browser smoke test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# One pytest worker per core (pytest-xdist); every worker starts its own sandbox and browser
# (tests/conftest.py). `--dist loadfile` keeps a module's tests on one worker, so the
# module-scoped fixtures (a guide built once, a wheel built once) are made once.
PARALLEL := -n auto --dist loadfile

.PHONY: demo test test-all check fast-test windows-sim-test lint bench setup browser clean

demo: setup
	$(BIN)/caljobs-bot demo

# Everything but the `slow` end-to-end tests; `make test-all` (and CI, .ci/run) runs those too.
test: setup
	$(BIN)/pytest $(PARALLEL) -m "not slow"

test-all: setup
	$(BIN)/pytest $(PARALLEL)

# What to run before a commit: lint, the tests without a browser, one browser smoke test.
check: lint
	$(BIN)/pytest $(PARALLEL) -m "not browser or smoke"

fast-test: setup
	$(BIN)/pytest $(PARALLEL) -m "not browser"

# The fast tests again with Windows simulated (tests/portability.py): a POSIX-only call fails.
windows-sim-test: setup
	$(BIN)/python -m pytest -p tests.portability -m "not browser"

# ruff; mypy on the installed package, tests/ and bench/ ([tool.mypy]); pyright as an editor
# reads the code ([tool.pyright]: it fails on an import it cannot resolve).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pyright --pythonpath $(BIN)/python

# The benchmark's default configuration (bench/README.md): 100 records, 1 worker, no latency,
# the bot against bench/minimal.py; then the command line's start-up and 10,000-record validate.
bench: setup
	$(BIN)/python -m bench
	$(BIN)/python -m bench.startup

setup: $(VENV)/.installed browser

# The install is editable in setuptools' strict mode: a tree of links in build/ named as the
# package is (caljobs_bot/pages/case.py -> pages/case.py), which mypy, pyright and editors
# read as it is; the default mode's import hook is invisible to them. A link tree holds the
# files that existed when it was made, so the list of the package's files is kept in
# $(VENV)/.package-files, rewritten only when a file is added, moved or deleted: then the next
# make re-installs. (An edit to an existing file needs nothing: the link shows it.)
PACKAGE_FILES := $(sort $(shell find bots pages fixtures -type f ! -path '*/__pycache__/*' \
	! -name '*.pyc' 2>/dev/null) $(wildcard jobs/*.py))
$(shell mkdir -p $(VENV) && printf '%s\n' $(PACKAGE_FILES) > $(VENV)/.package-files.new \
	&& { cmp -s $(VENV)/.package-files.new $(VENV)/.package-files \
	|| mv $(VENV)/.package-files.new $(VENV)/.package-files; }; rm -f $(VENV)/.package-files.new)

$(VENV)/.installed: pyproject.toml $(VENV)/.package-files
	scripts/ensure-python "$(PYTHON)" "$(VENV)"
	$(BIN)/python -m pip install --quiet --upgrade pip
	rm -rf build/__editable__.caljobs_bot-*  # an old version's link tree: mypy would read both
	$(BIN)/python -m pip install --quiet -e '.[test,bench]' --config-settings editable_mode=strict
	touch $@

browser: $(VENV)/.installed
	scripts/ensure-browser "$(BIN)/python"

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache .mypy_cache test-results
