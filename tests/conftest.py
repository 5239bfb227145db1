"""Shared fixtures: one sandbox server per test session, reset before every test.

Browsers come from pytest-playwright; we only tell it which executable to use, found the same
way the command line finds one (Playwright's own, else an installed Chrome/Edge/Chromium).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from editable_install import stale_links
from flask import Flask
from flask.testing import FlaskClient
from job_files import job_yaml

import caljobs_bot
from caljobs_bot.fixtures.sandbox.app import create_app
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.settings.browser import find_browser


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--markup", choices=("plain", "accessible"), default="plain",
        help="The sandbox's markup for the whole session: plain (default: WebForms-like, no "
             "ARIA, as the real site is assumed to be) or accessible (roles, labels, "
             "fieldsets): pytest --markup accessible",
    )
    parser.addoption(
        "--markup-seed", type=int, default=None,
        help="Serve the sandbox with its markup shuffled by this seed (ids, order within "
             "sections, wrappers), to show the page objects do not lean on markup: "
             "pytest tests/test_bot.py --markup-seed 7",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Stop at once, saying what to do, when the strict editable install is out of date.

    `make setup` installs a tree of links (build/__editable__.../caljobs_bot/...) that holds the
    files that existed then: a module added since would fail to import, deep in some test's
    traceback, and one deleted since would still import. `make` re-installs when the file list
    changes; this is for `pytest` run by hand after adding or deleting a file."""
    stale = stale_links(Path(caljobs_bot.__file__).parent)
    if stale:
        raise pytest.UsageError(
            "The editable install's link tree is out of date ("
            + ", ".join(stale[:5]) + (", ..." if len(stale) > 5 else "")
            + "): run `make setup` (or pip install -e '.[test,bench]' --config-settings "
            "editable_mode=strict) again.")


@pytest.fixture(scope="session")
def sandbox_server(pytestconfig: pytest.Config) -> Iterator[Sandbox]:
    """The mock CalJOBS site on a free localhost port, for the whole session (reset goes back
    to these start settings, so --markup and --markup-seed hold for every test)."""
    server = Sandbox(port=0, markup=pytestconfig.getoption("--markup"),
                     markup_seed=pytestconfig.getoption("--markup-seed")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sandbox(sandbox_server: Sandbox) -> SandboxClient:
    """The sandbox back at its seed data and default variants, for one test."""
    client = SandboxClient(sandbox_server.root_url)
    client.reset()
    return client


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], playwright: Any, pytestconfig: pytest.Config
) -> dict[str, Any]:
    """Launch whichever browser this machine has (unless --browser-channel picked one)."""
    if pytestconfig.getoption("--browser-channel"):
        return browser_type_launch_args
    choice = find_browser(playwright=playwright,
                          headless=not pytestconfig.getoption("--headed"))
    return {**browser_type_launch_args, **choice.launch_args()}


@pytest.fixture
def app() -> Flask:
    """The sandbox's Flask app in-process, at its seed data (for tests that need no browser)."""
    return create_app()


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    """A test client of `app`, keeping its cookies between requests like a browser."""
    with app.test_client() as test_client:
        yield test_client


@pytest.fixture
def write_job_file(tmp_path: Path) -> Callable[..., Path]:
    """Writes a job file into tmp_path: `write_job_file(records_yaml, name="job.yaml",
    **more_defaults)`, with the header every test job shares (tests/job_files.py)."""

    def write(records: str = "", name: str = "job.yaml", **more_defaults: str) -> Path:
        path = tmp_path / name
        path.write_text(job_yaml(records, **more_defaults), encoding="utf-8")
        return path

    return write
