"""The bot follows the help sheet for each record; the sandbox's stored state is the judge."""

from __future__ import annotations

from pathlib import Path

import pytest
from job_files import job_yaml
from playwright.sync_api import Page, Route

from caljobs_bot.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.pages.participant_search import ParticipantSearch
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.definitions import STEPS, Step
from caljobs_bot.steps.outcome_bot import (
    DEFAULT_POLICY,
    NO_OBSERVERS,
    Observers,
    OutcomeBot,
    RunPolicy,
    SiteAccess,
)
from caljobs_bot.steps.results import Status

pytestmark = pytest.mark.browser

def records_from(tmp_path: Path, body: str) -> list[Record]:
    """Records of a job file written from YAML text (records only; the sandbox's defaults)."""
    path = tmp_path / "job.yaml"
    path.write_text(job_yaml(body), encoding="utf-8")
    return load_job(path).records


def make_bot(page: Page, server: Sandbox, *, policy: RunPolicy = DEFAULT_POLICY,
             observers: Observers = NO_OBSERVERS) -> OutcomeBot:
    return OutcomeBot(page, SiteAccess(server.sign_in_url,
                                       Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD)),
                      policy=policy, observers=observers)


def outcomes_for(sandbox: SandboxClient, application: str) -> list[dict]:
    return [o for o in sandbox.outcomes() if o["application_number"] == application]


# Markup seeds shuffle ids, element order within sections and wrappers, and on the plain
# markup draw each screen's markup anew (fixtures/sandbox README): the page objects must not
# lean on the sandbox's markup. Plain is the suite's default; two cases use the accessible one.
# The shuffled (seeded) cases are slow: `make test-all` runs them.
@pytest.mark.parametrize(("ui", "markup_seed", "markup"), [
    pytest.param(*case, marks=[pytest.mark.slow] * (case[1] is not None)) for case in [
        ("2021", None, "plain"), ("2016", None, "plain"), ("2021", 5, "plain"),
        ("2016", 23, "plain"), ("2021", 101, "plain"), ("2016", 7, "plain"), ("2021", 12, "plain"),
        ("2021", None, "accessible"), ("2016", 23, "accessible"),
    ]])
def test_example_job_saves_every_step_of_the_help_sheet(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, ui: str,
    markup_seed: int | None, markup: str,
) -> None:
    sandbox.configure(ui=ui, markup_seed=markup_seed, markup=markup)
    job = load_job(EXAMPLE_JOB)
    bot = make_bot(page, sandbox_server)
    results = [bot.process(record) for record in job.records]
    assert [r.status for r in results] == [Status.SAVED] * len(job.records), results

    for record in job.records:
        who = record.participant.state_id or record.participant.user_id or ""  # one is given
        number = record.application or {"34801": "2244301", "37802": "2244302"}[who]
        stored = outcomes_for(sandbox, number)
        assert len(stored) == 1, f"{record.label()}: {stored}"
        assert stored[0]["exit_reason"] == record.exit_reason.label
        assert stored[0]["exit_date"] == record.exit_date.isoformat()
        assert stored[0]["office_location"] == record.office_location
        assert stored[0]["staff_position"] == record.staff_position

    karen = sandbox.participant("37762")
    note = karen["case_notes"][-1]
    assert note["subject"].startswith("Global exclusion")
    attachment = EXAMPLE_JOB.parent / "verification.pdf"
    assert note["attachment_name"] == "verification.pdf"
    assert note["attachment_size"] == attachment.stat().st_size
    assert karen["case_manager"] == "Nguyen, Mai"
    assert any(c["first_name"] == "Ana" and c["last_name"] == "James" for c in karen["contacts"])

    jose = sandbox.participant("37801")
    assert jose["case_manager"] in (None, "")
    maria = [c for c in jose["contacts"] if c["first_name"] == "María"]
    assert len(maria) == 1, "the existing contact was edited, not added again"
    wanted = next(r for r in job.records if r.participant.state_id == "34801")
    assert maria[0]["phone"] == wanted.alternate_contacts[0].phone
    assert maria[0]["relationship"] == "Spouse", "fields the job leaves out stay as they were"
    assert maria[0]["email"] == "maria.alvarez@example.org"


# Captions (label or cell) are the accessible markup's knob; plain always has cell captions.
@pytest.mark.parametrize(("captions", "popup", "markup"), [
    ("cell", "dialog", "accessible"), ("cell", "window", "accessible"),
    ("label", "dialog", "accessible"), ("label", "window", "accessible"),
    ("cell", "dialog", "plain")])
def test_bot_works_without_labels_and_with_an_in_page_dialog(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path,
    captions: str, popup: str, markup: str,
) -> None:
    sandbox.configure(captions=captions, popup=popup, markup=markup)
    [record] = records_from(tmp_path, """\
        - participant: {state_id: "34712", name: Karen James}
          exit_date: 06/24/2021
          exit_reason: deceased
          office_location: 2710 - Sunny Hills AJCC
          alternate_contacts:
            - {first_name: Ana, last_name: James, relationship: Sister, phone: "213-555-0100"}
          case_note: {subject: Global exclusion - Deceased, comments: Death certificate seen.}
        """)
    result = make_bot(page, sandbox_server).process(record)
    assert result.status is Status.SAVED, result.reason
    [stored] = outcomes_for(sandbox, "2244266")
    assert stored["exit_reason"] == "Deceased"
    assert stored["office_location"] == "2710 - Sunny Hills AJCC"
    karen = sandbox.participant("37762")
    assert [c["phone"] for c in karen["contacts"]] == ["213-555-0100"]
    assert karen["case_notes"][-1]["subject"] == "Global exclusion - Deceased"


@pytest.mark.smoke  # `make check`'s one browser test: a record saved end to end, and not twice
def test_a_record_is_never_saved_twice(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    [record] = records_from(tmp_path, """\
        - participant: {user_id: "37762"}
          exit_date: 2021-06-24
          exit_reason: Institutionalized
        """)
    # A careless site would store a second one: only the bot's own check prevents it.
    sandbox.set_faults(accept_duplicates=True)
    bot = make_bot(page, sandbox_server)
    first, second = bot.process(record), bot.process(record)
    assert first.status is Status.SAVED, first.reason
    assert second.status is Status.SKIPPED
    assert "already has an Exit/Outcome" in second.reason
    assert len(outcomes_for(sandbox, "2244266")) == 1


def test_one_bad_record_does_not_stop_the_others(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    records = records_from(tmp_path, """\
        - participant: {state_id: "34712", name: Karin James}
          exit_date: 2021-06-24
          exit_reason: Deceased
        - participant: {state_id: "99999"}
          exit_date: 2021-06-24
          exit_reason: Deceased
        - participant: {state_id: "34804", name: Marcus Lee}
          exit_date: 2021-06-24
          exit_reason: Deceased
        - participant: {state_id: "34805", name: Dana Whitfield}
          exit_date: 2021-06-24
          exit_reason: Deceased
        - participant: {state_id: "34803", name: Li Wei}
          exit_date: 2021-06-24
          exit_reason: Deceased
        - participant: {state_id: "34802", name: Shauna O'Connor}
          exit_date: 2021-06-24
          exit_reason: Health/Medical
        """)
    before = len(sandbox.outcomes())
    results = [make_bot(page, sandbox_server).process(r) for r in records]
    expected = [
        (Status.FAILED, "name in the job file does not match"),
        (Status.FAILED, "no participant found with State ID 99999"),
        (Status.FAILED, "no WIOA application"),
        (Status.SKIPPED, "already has an Exit/Outcome"),
        (Status.FAILED, "several open WIOA applications (2244303, 2244304)"),
        (Status.SAVED, ""),
    ]
    for result, (status, words) in zip(results, expected, strict=True):
        assert result.status is status, result
        assert words in result.reason
    assert len(sandbox.outcomes()) == before + 1
    assert len(outcomes_for(sandbox, "2244302")) == 1


def test_the_application_number_picks_one_of_two(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    [record] = records_from(tmp_path, """\
        - participant: {state_id: "34803", name: Li Wei}
          application: "2244304"
          exit_date: 2021-06-24
          exit_reason: Reservist called to Active Duty
        """)
    assert make_bot(page, sandbox_server).process(record).status is Status.SAVED
    assert len(outcomes_for(sandbox, "2244304")) == 1
    assert outcomes_for(sandbox, "2244303") == []


def test_site_validation_errors_fail_the_record_with_the_sites_words(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    [record] = records_from(tmp_path, """\
        - participant: {state_id: "34712"}
          exit_date: 2020-12-31
          exit_reason: Deceased
        """)
    result = make_bot(page, sandbox_server).process(record)
    assert result.status is Status.FAILED
    assert "Exit Date cannot be before the application date" in result.reason
    assert outcomes_for(sandbox, "2244266") == []


def test_foster_care_is_refused_on_an_adult_application_before_any_form(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    [record] = records_from(tmp_path, """\
        - participant: {state_id: "34712"}
          exit_date: 2021-06-24
          exit_reason: "05"
        """)
    result = make_bot(page, sandbox_server).process(record)
    assert result.status is Status.FAILED
    assert "only valid on a Youth application" in result.reason
    assert outcomes_for(sandbox, "2244266") == []


def test_an_office_the_site_does_not_offer_is_reported(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    [record] = records_from(tmp_path, """\
        - participant: {state_id: "34712"}
          exit_date: 2021-06-24
          exit_reason: Deceased
          office_location: 9999 - Nowhere
        """)
    result = make_bot(page, sandbox_server).process(record)
    assert result.status is Status.FAILED
    assert "Office Location '9999 - Nowhere' is not offered" in result.reason
    assert "2703 - LAO Community and Senior Services" in result.reason


def test_dry_run_fills_the_form_and_stores_nothing(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox
) -> None:
    job = load_job(EXAMPLE_JOB)
    before = sandbox.state()
    dry = RunPolicy(dry_run=True)
    results = [make_bot(page, sandbox_server, policy=dry).process(r) for r in job.records]
    assert {r.status for r in results} == {Status.DRY_RUN}, results
    assert sandbox.state() == before


def test_steps_are_announced_in_help_sheet_order(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox
) -> None:
    seen: list[Step] = []
    karen = load_job(EXAMPLE_JOB).records[0]
    bot = make_bot(page, sandbox_server,
                   observers=Observers(step=lambda s, _record: seen.append(s)))
    assert bot.process(karen).status is Status.SAVED
    assert seen == list(STEPS), [s.key for s in seen]


def test_an_expired_session_signs_in_again(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    records = records_from(tmp_path, """\
        - participant: {state_id: "34712"}
          exit_date: 2021-06-24
          exit_reason: Deceased
        - participant: {state_id: "34802"}
          exit_date: 2021-06-24
          exit_reason: Deceased
        """)
    bot = make_bot(page, sandbox_server)
    assert bot.process(records[0]).status is Status.SAVED
    page.context.clear_cookies()  # the site forgets the session, as after a timeout
    assert bot.process(records[1]).status is Status.SAVED
    assert len(outcomes_for(sandbox, "2244302")) == 1


def test_a_server_error_at_the_first_sign_in_is_tried_again(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox
) -> None:
    answered: list[int] = []

    def first_sign_in_fails(route: Route) -> None:
        if not answered:
            answered.append(503)
            route.fulfill(status=503, body="<h1>Service Unavailable</h1>",
                          content_type="text/html")
        else:
            route.continue_()

    page.route("**/vosnet/Default.aspx", first_sign_in_fails)
    bot = make_bot(page, sandbox_server, policy=RunPolicy(backoff_seconds=0.1))
    page.set_default_timeout(3_000)
    bot.start()
    assert answered == [503]
    assert ParticipantSearch.is_shown(page)


def test_a_long_run_moves_to_a_fresh_tab_without_signing_in_again(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A tab grows with every page it shows; the bot changes tabs every RECORDS_PER_TAB
    # records (2 here, so that 5 records change tabs twice).
    monkeypatch.setattr("caljobs_bot.steps.outcome_bot.RECORDS_PER_TAB", 2)
    people = sandbox.add_participants(5)
    records = records_from(tmp_path, "".join(
        f"- participant: {{state_id: '{p['state_id']}'}}\n"
        f"  exit_date: 2021-06-24\n  exit_reason: Deceased\n" for p in people))
    bot = make_bot(page, sandbox_server)
    tabs = []
    for record in records:
        result = bot.process(record)
        assert result.status is Status.SAVED, result
        tabs.append(bot.page)
    assert [tabs.index(tab) for tab in tabs] == [0, 0, 2, 2, 4]
    assert page.is_closed() and tabs[2].is_closed()
    assert page.context.pages == [bot.page]
    assert sandbox.stats()["sign_ins"] == 1
    for person in people:
        assert len(outcomes_for(sandbox, person["application"])) == 1


def test_a_screen_without_the_create_button_fails_naming_step_and_element(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    def rename_create(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response,
                      body=response.text().replace("Create Exit/Outcome", "Add Exit/Outcome"))

    page.route("**/CaseProfile.aspx*", rename_create)
    page.set_default_timeout(3_000)
    [record] = records_from(tmp_path, """\
        - participant: {state_id: "34712"}
          exit_date: 06/24/2021
          exit_reason: deceased
        """)
    result = make_bot(page, sandbox_server, policy=RunPolicy(retries=0)).process(record)
    # Neither an outcome listed nor a Create button: not "already exited", a screen that differs.
    assert result.status is Status.FAILED, result.reason
    assert result.reason.startswith("step 3 'Create the Exit/Outcome': on the"), result.reason
    assert ("on the Case Management Profile, no 'Create Exit/Outcome' or 'Create Outcome' "
            "button or link under application 2244266's Exit / Outcome section (wording key "
            "case.create_button)") in result.reason, result.reason
    assert outcomes_for(sandbox, "2244266") == []


@pytest.mark.parametrize(("shown", "instead"), [("34712", "34799"), ("Karen", "Sharon")])
def test_a_form_showing_another_participant_stops_the_record(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path,
    shown: str, instead: str,
) -> None:
    # The General Information lines are read in one read of the section (issue 23): another
    # State ID or name there must still stop the record before anything is typed or saved.
    def other_participant(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace(shown, instead))

    page.route("**/Outcome.aspx*", other_participant)
    [record] = records_from(tmp_path, """\
        - participant: {state_id: "34712", name: Karen James}
          exit_date: 06/24/2021
          exit_reason: deceased
        """)
    result = make_bot(page, sandbox_server, policy=RunPolicy(retries=0)).process(record)
    assert result.status is Status.FAILED, result.reason
    assert "the outcome form shows a different participant" in result.reason, result.reason
    assert outcomes_for(sandbox, "2244266") == []
