"""A bulk run keeps the participant search in a tab of its own (issue 23): the results page
keeps the search form, so the next record searches there and opens its case in the work tab by
the name link's address, 4 page loads a record instead of 5. Every check stays, a name link
that posts back falls back to one tab, and an expired session signs in again; the sandbox's
counters and stored state are the judge."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bulk_jobs import outcomes_per_application, run
from job_files import job_yaml
from playwright.sync_api import Page, Route

from caljobs_bot.cli import SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.pages.participant_search import NoCaseAddress, ParticipantSearch
from caljobs_bot.running.run import RunOptions
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.outcome_bot import OutcomeBot, RunPolicy, SiteAccess
from caljobs_bot.steps.results import Status

pytestmark = pytest.mark.browser

# The bulk run's policy (RunOptions.policy turns the search tab on), with short pauses.
POLICY = RunPolicy(search_tab=True, backoff_seconds=0.1)
# A name link in the results (the sandbox's is a plain link to the case's address).
CASE_LINK = re.compile(r'<a href="([^"]*CaseProfile\.aspx[^"]*)"')
# A WebForms LinkButton's click, as the route below makes it: no address to go to, and a
# click that still opens the case (the address rides in the postback's argument). Defined so
# that the site's own script, loaded later, cannot replace it.
POSTBACK_SCRIPT = """<script>
Object.defineProperty(window, "__doPostBack", {configurable: true, set: function () {},
  get: function () { return function (target, argument) { location.assign(argument); }; }});
</script>"""


def records_for(tmp_path: Path, people: list[dict]) -> list[Record]:
    """One bare record per generated participant (the sandbox's defaults)."""
    body = "".join(f"- participant: {{state_id: '{p['state_id']}', name: '{p['name']}'}}\n"
                   f"  exit_date: 2021-06-24\n  exit_reason: Deceased\n" for p in people)
    path = tmp_path / "job.yaml"
    path.write_text(job_yaml(body), encoding="utf-8")
    return load_job(path).records


def make_bot(page: Page, server: Sandbox, policy: RunPolicy = POLICY) -> OutcomeBot:
    page.context.set_default_timeout(10_000)
    return OutcomeBot(page, SiteAccess(server.sign_in_url,
                                       Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD)),
                      policy=policy)


def loads_of(sandbox: SandboxClient, bot: OutcomeBot, records: list[Record],
             between: Callable[[int], None] = lambda _number: None) -> list[int]:
    """Process the records one by one (each saved), and the page loads each cost; `between`
    is called with a record's number (0 first) before it."""
    loads = []
    for number, record in enumerate(records):
        between(number)
        before = sandbox.stats()["page_loads"]
        result = bot.process(record)
        assert result.status is Status.SAVED, result
        loads.append(sandbox.stats()["page_loads"] - before)
    return loads


def run_new_people(page: Page, sandbox: SandboxClient, server: Sandbox, tmp_path: Path,
                   count: int, between: Callable[[int], None] = lambda _number: None,
                   ) -> tuple[list[dict], OutcomeBot, list[int]]:
    """`count` new participants, a bot signed in with the bulk run's policy, and the page loads
    each of their records cost (see loads_of)."""
    people = sandbox.add_participants(count)
    bot = make_bot(page, server)
    bot.start()
    return people, bot, loads_of(sandbox, bot, records_for(tmp_path, people), between)


def assert_saved_once(sandbox: SandboxClient, people: list[dict]) -> None:
    stored = outcomes_per_application(sandbox)
    attempts = sandbox.save_attempts()
    for person in people:
        assert stored[person["application"]] == 1, person
        assert attempts.get(person["application"]) == 1, (person, attempts)


def postback_links(route: Route) -> None:
    """The search results with every name link a postback (javascript:__doPostBack)."""
    response = route.fetch()
    body = CASE_LINK.sub(lambda m: f'<a href="javascript:__doPostBack(\'lnkName\',\'{m[1]}\')"',
                         response.text())
    route.fulfill(response=response, body=body.replace("</body>", POSTBACK_SCRIPT + "</body>"))


def test_the_bulk_run_turns_the_search_tab_on_and_nothing_else_does() -> None:
    assert RunOptions("https://example.org/", Credentials("u", "p")).policy.search_tab
    assert not RunPolicy().search_tab  # guides, practice, walkthrough, audit: one tab


# The markup seed draws the screens anew (fixtures/sandbox README): the name link's address is
# read as the click finds the link, never by an id.
@pytest.mark.parametrize(("markup", "markup_seed"), [
    ("plain", None), ("plain", 5), ("accessible", None), ("accessible", 23)])
def test_records_after_the_first_cost_four_page_loads_with_every_check(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path, markup: str,
    markup_seed: int | None,
) -> None:
    sandbox.configure(markup=markup, markup_seed=markup_seed)
    people, bot, loads = run_new_people(page, sandbox, sandbox_server, tmp_path, 4)
    # The first record searches on the screen the sign-in ended on; then its results page,
    # kept in the first tab, serves the next search: search, case, Create, Save.
    assert loads == [4, 4, 4, 4], loads
    assert_saved_once(sandbox, people)
    assert page.context.pages == [page, bot.page] and ParticipantSearch.is_shown(page)
    stats = sandbox.stats()
    assert stats["sign_ins"] == 1
    # One GET of the search screen, the sign-in's menu, for the four records: the rest are its
    # searches (posts).
    assert sum(entry == {"method": "GET", "path": "/vosnet/Individual/AssistIndividual.aspx"}
               for entry in sandbox.request_log()) == 1


def test_a_bulk_run_saves_each_record_once_at_four_page_loads(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    # What signing in costs here, measured in this test's own browser (run_job opens its own).
    before = sandbox.stats()["page_loads"]
    make_bot(page, sandbox_server).start()
    signing_in = sandbox.stats()["page_loads"] - before
    people = sandbox.add_participants(5)
    job_path = tmp_path / "run" / "job.yaml"
    job_path.parent.mkdir()
    job_path.write_text(job_yaml("".join(
        f"- participant: {{state_id: '{p['state_id']}', name: '{p['name']}'}}\n"
        f"  exit_date: 2021-06-24\n  exit_reason: Deceased\n" for p in people)),
        encoding="utf-8")
    before = sandbox.stats()["page_loads"]
    outcome = run(load_job(job_path), sandbox_server, tmp_path / "runs")
    assert [r.status for r in outcome.results] == [Status.SAVED] * 5, outcome.results
    assert sandbox.stats()["page_loads"] - before == signing_in + 4 * 5
    assert_saved_once(sandbox, people)


def test_a_name_link_that_posts_back_keeps_one_tab_and_five_loads(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    # The sandbox's results always link to the case's address (no markup seed makes them a
    # postback); a real WebForms grid may use LinkButtons, as this route does.
    page.context.route("**/AssistIndividual.aspx*", postback_links)
    people, bot, loads = run_new_people(page, sandbox, sandbox_server, tmp_path, 3)
    assert loads == [4, 5, 5], loads
    assert_saved_once(sandbox, people)
    assert bot.page is page and page.context.pages == [page]


def test_links_that_turn_into_postbacks_mid_run_move_the_work_to_the_search_tab(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    def second_record_posts_back(number: int) -> None:
        if number == 1:
            page.context.route("**/AssistIndividual.aspx*", postback_links)

    people, bot, loads = run_new_people(page, sandbox, sandbox_server, tmp_path, 3,
                                        second_record_posts_back)
    # The second record searches in the search tab, finds no address and clicks there: the
    # search tab becomes the one tab; the third goes the plain way.
    assert loads == [4, 4, 5], loads
    assert_saved_once(sandbox, people)
    assert bot.page is page and page.context.pages == [page]


def test_a_session_that_expired_while_the_search_tab_waited_signs_in_again(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    def forget_the_session(number: int) -> None:
        if number == 2:
            page.context.clear_cookies()  # the site forgets the session, as after a timeout

    people, _bot, loads = run_new_people(page, sandbox, sandbox_server, tmp_path, 4,
                                         forget_the_session)
    # Record 3 searches in the search tab and lands on the sign-in page (1 load); its retry
    # goes the plain way, signing in again; record 4 makes a search tab anew (5: the search
    # screen by its address first).
    assert loads[:2] == [4, 4] and loads[3] == 5, loads
    assert_saved_once(sandbox, people)
    assert sandbox.stats()["sign_ins"] == 2
    assert len(page.context.pages) == 2


# A session lasts N requests from its sign-in. After a sign-in the bot spends them the same
# way each time, so each N meets the expiry at one request of a search-tab record: 9 at the
# search posted from the search tab, 10 at the case's address, 11 at Create, 12 at Save (read
# from the sandbox's request log). Below 8 a session is too short for one record at all (7
# fails every record). Each N is one less than before the first record stopped loading the
# search screen a second time after the sign-in.
@pytest.mark.parametrize("expire_after", [9, 10, 11, 12])
def test_a_run_whose_session_keeps_expiring_saves_every_record_exactly_once(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path, expire_after: int
) -> None:
    people = sandbox.add_participants(4)
    sandbox.set_faults(expire_after_requests=expire_after, accept_duplicates=True)
    job_path = tmp_path / "job" / "job.yaml"
    job_path.parent.mkdir()
    job_path.write_text(job_yaml("".join(
        f"- participant: {{state_id: '{p['state_id']}', name: '{p['name']}'}}\n"
        f"  exit_date: 2021-06-24\n  exit_reason: Deceased\n" for p in people)),
        encoding="utf-8")
    outcome = run(load_job(job_path), sandbox_server, tmp_path / "runs", retries=3)
    assert [r.status for r in outcome.results] == [Status.SAVED] * 4, outcome.results
    stats = sandbox.stats()
    assert stats["faults"]["injected"]["expire_after_requests"] >= 1
    assert stats["sign_ins"] >= 2
    stored = outcomes_per_application(sandbox)
    assert all(stored[p["application"]] == 1 for p in people), stored


def test_a_case_showing_another_participant_is_still_refused(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    # The form opened from a case reached by its address (the search tab's way) must still
    # show the record's participant: another State ID there stops the record before anything
    # is typed or saved (as tests/test_bot.py checks for the plain way).
    people = sandbox.add_participants(2)
    records = records_for(tmp_path, people)
    bot = make_bot(page, sandbox_server, RunPolicy(search_tab=True, retries=0))
    bot.start()
    assert bot.process(records[0]).status is Status.SAVED
    shown = people[1]["state_id"]

    def other_participant(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace(shown, "99999"))

    page.context.route("**/Outcome.aspx*", other_participant)
    result = bot.process(records[1])
    assert result.status is Status.FAILED, result.reason
    assert "the outcome form shows a different participant" in result.reason, result.reason
    assert outcomes_per_application(sandbox)[people[1]["application"]] == 0
    assert bot.page is not page  # the case was opened in the work tab, by its address


def test_a_fresh_work_tab_every_few_records_takes_a_fresh_search_tab_too(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every RECORDS_PER_TAB records (2 here) the bot moves to a fresh tab for memory; the
    # search tab, which grows as fast, is closed with the old tab and made anew.
    monkeypatch.setattr("caljobs_bot.steps.outcome_bot.RECORDS_PER_TAB", 2)
    people, bot, loads = run_new_people(page, sandbox, sandbox_server, tmp_path, 5)
    assert loads == [4, 4, 5, 4, 5], loads
    assert_saved_once(sandbox, people)
    assert page.is_closed() and len(bot.page.context.pages) == 2
    assert sandbox.stats()["sign_ins"] == 1


def test_a_record_that_fails_in_the_search_tab_shows_it_as_its_evidence(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    [person] = sandbox.add_participants(1)
    known, unknown = records_for(tmp_path, [person, {**person, "state_id": "99999"}])
    bot = make_bot(page, sandbox_server)
    bot.start()
    assert bot.process(known).status is Status.SAVED
    result = bot.process(unknown)
    assert result.status is Status.FAILED
    assert "no participant found with State ID 99999" in result.reason, result.reason
    # The run screenshots the page the record failed on: the search tab's results, not the
    # work tab's case of the record before.
    assert bot.current_page is page and bot.page is not page
    assert ParticipantSearch.is_shown(page)


@pytest.mark.parametrize(("link", "opens_by_address"), [
    (None, True),  # the sandbox's own: href="/vosnet/Individual/CaseProfile.aspx?enc=..."
    ('<a href="javascript:__doPostBack(\'lnkName\',\'\')"', False),  # a LinkButton
    ('<a href="#" onclick="return false;"', False),  # script on the click, no address
    ('<a role="link"', False),  # a link by its role, no href at all
])
def test_the_case_address_is_read_only_from_a_link_that_has_one(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, link: str | None,
    opens_by_address: bool,
) -> None:
    def rewrite(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=CASE_LINK.sub(link or r"\g<0>", response.text()))

    page.route("**/AssistIndividual.aspx*", rewrite)
    make_bot(page, sandbox_server, RunPolicy()).start()
    search = ParticipantSearch(page)
    [found] = search.search(state_id="34712")
    address = search.case_address(found)
    if opens_by_address:
        assert address is not None
        assert address.startswith(sandbox_server.root_url + "/vosnet/Individual/CaseProfile")
        case = search.open_participant_in(found, page.context.new_page())
        assert case.page is not page and ParticipantSearch.is_shown(page)
    else:
        assert address is None
        with pytest.raises(NoCaseAddress):
            search.open_participant_in(found, page.context.new_page())


def test_a_site_that_refuses_the_search_tabs_postback_ends_the_search_tab(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    # ASP.NET answers a postback it will not take from a page left standing (a view state it
    # no longer accepts) with a server error page. The record is tried again the plain way,
    # and the run goes on with one tab: 5 loads a record, never a refused search again.
    searches: list[str] = []  # each search posted, "refused" or "taken"

    def refuse_the_second_search(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
        elif len(searches) == 1:  # the first made from the search tab
            searches.append("refused")
            route.fulfill(status=500, content_type="text/html",
                          body="<h1>Server Error</h1><p>Validation of viewstate MAC failed.</p>")
        else:
            searches.append("taken")
            route.continue_()

    page.context.route("**/AssistIndividual.aspx*", refuse_the_second_search)
    people, _bot, loads = run_new_people(page, sandbox, sandbox_server, tmp_path, 3)
    assert loads == [4, 5, 5], loads
    assert searches == ["taken", "refused", "taken", "taken"]
    assert_saved_once(sandbox, people)
    assert len(page.context.pages) == 1
