"""Shared fixtures: one sandbox server per test session, reset before every test.

Browsers come from pytest-playwright; we only tell it which executable to use, found the same
way the command line finds one (Playwright's own, else an installed Chrome/Edge/Chromium).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

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
    choice = find_browser(playwright=playwright)
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
