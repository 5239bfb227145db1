"""The session-timeout warning: the sandbox shows it on demand (README: Faults), and the bot
answers it with its Continue wherever it covers the page, never signing out, and never
pressing a Continue that is not on such a warning.

Also the contacts pop-up that never appears: its own reason reaches the record's result.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Page
from sandbox_http import sign_in, token
from test_pages import open_form, participant

from caljobs_bot.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.__main__ import parse_args
from caljobs_bot.fixtures.sandbox.app import create_app
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.pages import contacts_popup
from caljobs_bot.pages.contacts_popup import Contact
from caljobs_bot.pages.session_warning import guard_context
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.outcome_bot import (
    DEFAULT_POLICY,
    NO_OBSERVERS,
    Observers,
    OutcomeBot,
    RunPolicy,
    SiteAccess,
)
from caljobs_bot.steps.results import Status

WARNING = "Your session is about to expire"


# --- the sandbox's knobs (no browser) ------------------------------------------------------------


def pages_with_warning(client: FlaskClient, loads: int) -> list[bool]:
    return ["data-session-warning" in client.get("/vosnet/Dashboard.aspx").get_data(as_text=True)
            for _ in range(loads)]


def test_every_nth_signed_in_page_carries_the_warning_counted_from_when_it_was_set() -> None:
    app = create_app(markup="plain")
    client = app.test_client()
    sign_in(client)
    assert pages_with_warning(client, 2) == [False, False], "off by default"
    response = client.post("/__sandbox__/config", json={"faults": {"session_warning_every": 3}})
    assert response.get_json()["faults"]["session_warning_every"] == 3
    assert pages_with_warning(client, 6) == [False, False, True, False, False, True]
    client.post("/__sandbox__/config", json={
        "faults": {"session_warning_every": None, "session_warning_after_ms": 250}})
    assert pages_with_warning(client, 3) == [True, True, True], "only a delay: every page"
    page = client.get("/vosnet/Dashboard.aspx").get_data(as_text=True)
    panel = page[page.index("data-session-warning"):]
    assert 'data-session-warning="250"' in page and WARNING in panel
    assert 'value="Continue"' in panel and 'value="Sign Out"' in panel
    assert "role=" not in panel and "aria-" not in panel, "plain markup: no ARIA"
    stats = client.get("/__sandbox__/stats").get_json()
    assert stats["faults"]["injected"]["session_warning"] == 6


def test_signed_out_pages_never_carry_it_and_continue_keeps_the_session(
    app: Flask, client: FlaskClient
) -> None:
    client.post("/__sandbox__/config", json={"faults": {"session_warning_every": 1}})
    assert "data-session-warning" not in client.get("/vosnet/Default.aspx").get_data(as_text=True)
    sign_in(client)
    assert client.post("/vosnet/KeepAlive.aspx").status_code == 204
    client.get("/vosnet/SignOut.aspx")
    stats = client.get("/__sandbox__/stats").get_json()
    assert (stats["keep_alives"], stats["sign_ins"], stats["sign_outs"]) == (1, 1, 1)


def test_the_ajax_contacts_content_can_carry_it_too(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    client.post("/__sandbox__/config", json={"faults": {"session_warning_every": 1}})
    url = f"/vosnet/Individual/AltContacts.aspx?enc={token(app, 'p', '37801')}"
    fragment = client.get(url, headers={"X-Requested-With": "XMLHttpRequest"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "Add New Contact" in text and WARNING in text


@pytest.mark.parametrize("value", [-1, "soon", True])
def test_bad_values_are_refused(client: FlaskClient, value: object) -> None:
    for knob in ("session_warning_after_ms", "session_warning_every"):
        response = client.post("/__sandbox__/config", json={"faults": {knob: value}})
        assert response.status_code == 400 and knob in response.get_json()["error"]


def test_the_command_line_sets_them() -> None:
    args = parse_args(["--session-warning-after-ms", "400", "--session-warning-every", "5"])
    assert args.faults == {"session_warning_after_ms": 400, "session_warning_every": 5}


# --- the handler, on pages of our own ------------------------------------------------------------

OVERLAY = """<div style="position: fixed; inset: 0; background: #0006; z-index: 900"></div>
<div style="position: fixed; top: 30%; left: 30%; z-index: 1000; background: #fff">
  <span>{words}</span>
  <input type="button" value="Sign Out" onclick="window.pressed.push('sign out')">
  <input type="button" value="{button}" onclick="window.pressed.push('continue');
    this.parentElement.previousElementSibling.remove(); this.parentElement.remove()">
</div>"""
PAGE = """<script>window.pressed = []</script>
<p>Your session will expire when you close the browser.</p>
<form><input id="box"> <input type="button" value="Continue"
  onclick="window.pressed.push('form continue')"></form>{overlay}"""


@pytest.mark.browser
@pytest.mark.parametrize("button", ["Continue", "Stay Signed In", "Keep working"])
def test_the_warning_over_the_page_is_answered_with_its_continue(page: Page, button: str) -> None:
    guard_context(page.context)
    page.set_content(PAGE.format(overlay=OVERLAY.format(words=WARNING + ".", button=button)))
    page.locator("#box").fill("typed")  # a fill would not be blocked, but runs the handler
    page.get_by_role("button", name="Continue").last.click()  # a click would be blocked
    assert page.evaluate("window.pressed") == ["continue", "form continue"]


@pytest.mark.browser
def test_a_page_that_merely_mentions_a_session_is_left_alone(page: Page) -> None:
    guard_context(page.context)
    page.set_content(PAGE.format(overlay=""))
    page.locator("#box").fill("typed")
    page.get_by_role("button", name="Continue").click()
    assert page.evaluate("window.pressed") == ["form continue"]


# --- the bot with the warning on, on the sandbox -------------------------------------------------


def make_bot(page: Page, server: Sandbox, *, policy: RunPolicy = DEFAULT_POLICY,
             observers: Observers = NO_OBSERVERS) -> OutcomeBot:
    return OutcomeBot(page, SiteAccess(server.sign_in_url,
                                       Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD)),
                      policy=policy, observers=observers)


# Every other page at once (it covers the case page, the form and the pop-up as they load), or
# every page some time after it loaded (it comes while the bot fills the form).
@pytest.mark.browser
@pytest.mark.parametrize(("markup", "popup", "faults"), [
    ("plain", "window", {"session_warning_every": 2}),
    # an AJAX pop-up meets the warning in test_contacts_are_added_while_the_warning_covers_the_popup
    pytest.param("plain", "ajax", {"session_warning_after_ms": 150}, marks=pytest.mark.slow),
    ("accessible", "dialog", {"session_warning_every": 3, "session_warning_after_ms": 50}),
])
def test_example_job_saves_every_record_through_the_warning_and_never_signs_out(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, markup: str, popup: str,
    faults: dict[str, int],
) -> None:
    sandbox.configure(markup=markup, popup=popup, faults=faults)
    job = load_job(EXAMPLE_JOB)
    bot = make_bot(page, sandbox_server)
    results = [bot.process(record) for record in job.records]
    assert [r.status for r in results] == [Status.SAVED] * len(job.records), results
    assert len(sandbox.outcomes()) >= len(job.records)
    karen = sandbox.participant("37762")
    assert any(c["first_name"] == "Ana" for c in karen["contacts"])
    stats = sandbox.stats()
    assert stats["faults"]["injected"]["session_warning"] >= 3
    assert stats["keep_alives"] >= 1, "the warning was answered with its Continue"
    assert (stats["sign_ins"], stats["sign_outs"]) == (1, 0), "never signed out"


@pytest.mark.browser
@pytest.mark.parametrize("popup", ["window", "dialog", "ajax"])
def test_contacts_are_added_while_the_warning_covers_the_popup(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, popup: str
) -> None:
    sandbox.configure(popup=popup)
    guard_context(page.context)
    form = open_form(page, sandbox_server, "37762", "2244266")
    sandbox.set_faults(session_warning_every=1)  # every page from now on: the pop-up's too
    contacts = form.contacts.manage()
    contacts.add(Contact(first_name="Pat", last_name="James", relationship="Parent"))
    contacts.close()
    assert [c["first_name"] for c in participant(sandbox, "37762")["contacts"]] == ["Pat"]
    stats = sandbox.stats()
    assert stats["keep_alives"] >= 1 and stats["sign_outs"] == 0


# --- a pop-up that never appears: the page object's reason is the record's ---------------------


@pytest.mark.browser
@pytest.mark.parametrize(("markup", "popup"), [("plain", "window"), ("accessible", "ajax"),
                                               ("plain", "ajax")])
def test_the_reason_of_a_popup_that_never_opens_reaches_the_result(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, markup: str, popup: str,
) -> None:
    sandbox.configure(markup=markup, popup=popup)
    monkeypatch.setattr(contacts_popup, "OPEN_TIMEOUT_MS", 1_500)
    if popup == "window":
        page.add_init_script("window.open = () => null")  # the browser blocks the window
    else:
        page.route(re.compile(r"AltContacts\.aspx"), lambda route: route.abort())  # fails
    job = tmp_path / "job.yaml"
    job.write_text(textwrap.dedent("""\
        version: 1
        records:
          - participant: {state_id: "34712", name: Karen James}
            exit_date: 06/24/2021
            exit_reason: deceased
            lwia_region: Los Angeles County WDACS
            office_location: 2703 - LAO Community and Senior Services
            staff_position: Staff
            alternate_contacts:
              - {first_name: Ana, last_name: James, relationship: Sister}
        """), encoding="utf-8")
    [record] = load_job(job).records
    result = make_bot(page, sandbox_server, policy=RunPolicy(retries=0)).process(record)
    assert result.status is Status.FAILED
    assert "on the Exit/Outcome form, no Alternate Contacts pop-up after pressing " \
           "'Manage Alternate Contacts'" in result.reason, result.reason
    assert "a new window, an in-page dialog or iframe" in result.reason
    assert "timed out" not in result.reason and "did not show what" not in result.reason
    assert not [o for o in sandbox.outcomes() if o["application_number"] == "2244266"]
