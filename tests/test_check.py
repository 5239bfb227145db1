"""`caljobs-bot check` walks every screen read-only and says what it found."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route

from caljobs_bot.cli import SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.preflight import Preflight

pytestmark = pytest.mark.browser
CREDENTIALS = Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD)


def check(page: Page, server: Sandbox, folder: Path, **who: str) -> list:
    return Preflight(page, server.sign_in_url, CREDENTIALS, folder).run(**who)


@pytest.mark.parametrize("settings", [{}, {"ui": "2016", "captions": "cell", "popup": "dialog"},
                                      {"markup_seed": 11}])
def test_every_screen_is_found_and_nothing_is_saved(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path,
    settings: dict,
) -> None:
    if settings:
        sandbox.configure(**settings)
    before = sandbox.state()
    findings = check(page, sandbox_server, tmp_path, state_id="34801")
    missing = [f for f in findings if not f.found]
    assert not missing, missing
    screens = [f.screen for f in findings]
    for screen in ("Staff Sign In", "Assist an Individual", "Outcome form: Exit Information",
                   "Alternate contacts pop-up", "Outcome form: Staff Information"):
        assert screen in screens
    popup = next(f for f in findings if f.element.startswith("Manage Alternate Contacts"))
    assert popup.detail == ("in-page dialog" if settings.get("popup") == "dialog"
                            else "separate window")
    assert sandbox.state() == before, "the check changed what the site stores"
    assert not list(tmp_path.iterdir()), "no screenshot when nothing is missing"


def test_a_screen_that_changed_is_reported_with_a_screenshot(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    def rename_the_button(route: Route) -> None:
        response = route.fetch()
        body = response.text().replace("Manage Alternate Contacts", "Other People")
        route.fulfill(response=response, body=body)

    page.route(re.compile(r"/Outcome\.aspx"), rename_the_button)
    page.set_default_timeout(5_000)  # the miss waits this long
    findings = check(page, sandbox_server, tmp_path, state_id="34712")
    [missing] = [f for f in findings if not f.found]
    assert missing.screen == "Alternate contacts pop-up"
    assert missing.screenshot and Path(missing.screenshot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert findings[-1].element == "Cancel (nothing saved)" and findings[-1].found


def test_a_participant_who_has_exited_is_reported_not_walked(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    findings = check(page, sandbox_server, tmp_path, state_id="34805")
    assert not findings[-1].found
    assert "pick another participant" in findings[-1].detail


def test_check_walks_on_after_a_miss_and_says_what_it_looked_for(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    def rename(route: Route) -> None:
        response = route.fetch()
        body = (response.text().replace("Manage Alternate Contacts", "Other People")
                .replace("Add a new Case Note", "New note"))
        route.fulfill(response=response, body=body)

    page.route(re.compile(r"/Outcome\.aspx"), rename)
    page.set_default_timeout(5_000)  # each miss waits this long
    findings = check(page, sandbox_server, tmp_path, state_id="34712")
    missing = [f for f in findings if not f.found]
    assert [f.screen for f in missing] == ["Alternate contacts pop-up",
                                           "Outcome form: Staff Information"]
    assert "'Manage Alternate Contacts' button" in missing[0].detail
    assert "'Add a new Case Note' link" in missing[1].detail
    # Everything after the first miss was still looked at, and the form was left by Cancel.
    assert any(f.element == "case notes list" and f.found for f in findings)
    assert findings[-1].element == "Cancel (nothing saved)" and findings[-1].found
