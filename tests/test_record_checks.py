"""Issue 23: every check the bot makes on a record still refuses a wrong page now that a bulk
run searches in a tab of its own and opens each case by its address.

Each case changes one answer of the sandbox on its way to the browser (a route), the way a
site that differs would show it, runs one record with the bulk run's policy, and asserts the
record ends with that check's reason and that nothing was saved. The checks proven elsewhere
are named in the issue's note (the search's name check, the form's participant, the Create
button, the site's own validation messages, an outcome listed already...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bulk_jobs import outcomes_per_application
from job_files import job_yaml
from playwright.sync_api import Page, Route

from caljobs_bot.cli import SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.outcome_bot import OutcomeBot, RunPolicy, SiteAccess
from caljobs_bot.steps.results import Status

pytestmark = pytest.mark.browser

# Karen James: one open Adult application, 2244266.
KAREN = ("- participant: {state_id: '34712', name: Karen James}\n"
         "  exit_date: 2021-06-24\n  exit_reason: Deceased\n")
SEARCH, CASE, FORM = "**/AssistIndividual.aspx*", "**/CaseProfile.aspx*", "**/Outcome.aspx*"


@dataclass(frozen=True)
class Change:
    """One answer of the site changed on its way to the browser: the pages at `url` (of one
    method, or every one), with `pattern` replaced by `by` in their text."""

    url: str
    pattern: str
    by: str
    method: str | None = None

    def install(self, page: Page) -> list[str]:
        """Route the pages; the list returned gets the address of each page changed (a
        change that found nothing to change would prove nothing)."""
        changed: list[str] = []

        def change(route: Route) -> None:
            if self.method and route.request.method != self.method:
                route.fallback()
                return
            response = route.fetch()  # a redirect's page too: the browser gets it at once
            body = re.sub(self.pattern, self.by, response.text(), flags=re.S)
            if body != response.text():
                changed.append(route.request.url)
            route.fulfill(response=response, body=body)

        page.context.route(self.url, change)
        return changed


@dataclass(frozen=True)
class Case:
    """A record, the change the site shows it, and the words its end must give."""

    record: str
    change: Change | None
    status: Status
    reason: tuple[str, ...]
    # Before the record: outcomes entered on the site by hand, (user id, application) each.
    exited: tuple[tuple[str, str], ...] = field(default=())
    # The page the sign-in left is not reused: the search screen is loaded for the record.
    search_screen_loaded: bool = False
    # Outcomes the record stores (only a check after Save comes too late to stop one).
    saves: int = 0


CASES = {
    "search screen without its State ID box": Case(
        KAREN, Change(SEARCH, r"State ID", "Region Code", method="GET"), Status.FAILED,
        ("State ID", "search box"), search_screen_loaded=True),
    "search answered without the list of people found": Case(
        KAREN, Change(SEARCH, r"State ID", "Region Code", method="POST"), Status.FAILED,
        ("list of people found",)),
    "search listing someone with other ids": Case(
        KAREN, Change(SEARCH, r"34712", "34713", method="POST"), Status.FAILED,
        ("no participant found with State ID 34712",)),
    "search listing two people with the record's ids": Case(
        KAREN, Change(SEARCH, r"(<tr[^>]*>(?:(?!</tr>).)*?34712(?:(?!</tr>).)*?</tr>)", r"\1\1",
                      method="POST"),
        Status.FAILED, ("several participants with these ids",)),
    "case page under another title": Case(
        KAREN, Change(CASE, r"Case Management Profile", "Case Summary"), Status.FAILED,
        ("Case Management Profile",)),
    "application the participant does not have": Case(
        KAREN + "  application: '2299999'\n", None, Status.FAILED,
        ("application 2299999 is not one of the participant's WIOA applications (2244266)",)),
    "every application exited already": Case(
        "- participant: {state_id: '34803', name: Li Wei}\n  exit_date: 2021-06-24\n"
        "  exit_reason: Deceased\n", None, Status.SKIPPED,
        ("every WIOA application of the participant has already exited",),
        exited=(("37803", "2244303"), ("37803", "2244304"))),
    "application without an Exit / Outcome section": Case(
        KAREN, Change(CASE, r"Exit / Outcome", "Follow-Ups"), Status.FAILED,
        ("case.exit_outcome_section",)),
    "application whose (+) opens nothing": Case(
        KAREN, Change(CASE, r"<script[^>]*sandbox\.js[^>]*>\s*</script>", ""), Status.FAILED,
        ("toggle",)),
    "outcome form without its Exit Reason": Case(
        KAREN, Change(FORM, r"Exit Reason", "Leave Cause", method="GET"), Status.FAILED,
        ("Exit Reason",)),
    "exit reason the form does not offer": Case(
        KAREN, Change(FORM, r"<option[^>]*>\s*Deceased\s*</option>", "", method="GET"),
        Status.FAILED, ("'Deceased' is not one of the options",)),
    # A site that never lists it: Save's answer (a redirect, which a route sees as the post's
    # answer) and the case page read again to settle what the Save did.
    "no outcome listed after Save": Case(
        KAREN, Change("**/{Outcome,CaseProfile}.aspx*",
                      r"(<(span|td|li|div)[^>]*>)[^<]*06/24/2021[^<]*(</\2>)",
                      r"\1No data found.\3"),
        Status.FAILED,
        ("after Save the site did not list an outcome under application 2244266",
         "check the case by hand"),
        saves=1),
}


def enter_by_hand(server: Sandbox, user_id: str, application: str) -> None:
    """An outcome staff entered on the site themselves (straight into the site's store)."""
    store = server.app.extensions["sandbox"].store
    assert store.save_outcome({
        "application_number": application, "participant_user_id": user_id,
        "exit_date": "2021-05-01", "exit_reason": "Health/Medical", "exit_reason_code": "02",
        "lwia_region": "Los Angeles County WDACS",
        "office_location": "2703 - LAO Community and Senior Services",
        "staff_position": "Staff", "saved_by": "sandbox", "saved_at": "2021-05-01T09:00:00"})


@pytest.mark.parametrize("name", CASES)
def test_each_check_still_refuses_a_wrong_page(
    name: str, page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    case = CASES[name]
    for user_id, application in case.exited:
        enter_by_hand(sandbox_server, user_id, application)
    job = tmp_path / "job.yaml"
    job.write_text(job_yaml(case.record), encoding="utf-8")
    [record] = load_job(job).records
    page.context.set_default_timeout(3_000)  # a check that waits for what is missing
    bot = OutcomeBot(page, SiteAccess(sandbox_server.sign_in_url,
                                      Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD)),
                     policy=RunPolicy(search_tab=True, retries=0))
    bot.start()
    if case.search_screen_loaded:
        page.goto("about:blank")
    before = outcomes_per_application(sandbox)
    changed = case.change.install(page) if case.change is not None else ["no change needed"]

    result = bot.process(record)

    assert changed, "the site's answer had nothing to change: the case proves nothing"
    assert result.status is case.status, result.reason
    for words in case.reason:
        assert words in result.reason, (words, result.reason)
    saved = outcomes_per_application(sandbox) - before
    assert saved == ({"2244266": case.saves} if case.saves else {}), saved

