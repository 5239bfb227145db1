"""Performs the help-sheet steps for one record: the session, the tries, and the steps in order.

The steps themselves (what each does, which records need it) are their definitions
(steps/definitions.py lists them, one module per step); the bot runs them in order and keeps what
surrounds them: signing in, retrying what the site got wrong, never saving twice, stopping
for an outage. Each step is announced to an observer first, so the same code serves the bulk
run (which logs) and the trainers' walkthrough (which explains on screen).

It is built from a few typed values (SiteAccess, RunPolicy, Observers, a RecordJournal)
rather than a dozen parameters, so a caller states what it wants in one place and a new
setting is a field, not a parameter threaded through every caller.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from itertools import takewhile
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Response

from caljobs_bot.pages.login import LoginPage, SignedOutMeanwhile
from caljobs_bot.pages.notfound import ElementNotFound, raise_if_server_error
from caljobs_bot.pages.participant_search import ParticipantSearch, SearchResult
from caljobs_bot.pages.session_warning import guard_context
from caljobs_bot.pages.site_notice import outage_notice
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.definitions import STEPS, Step
from caljobs_bot.steps.results import (
    Interrupted,
    RecordFailed,
    RecordResult,
    RecordSkipped,
    SessionExpired,
    SignInOutage,
    SiteUnavailable,
    SiteUnreachable,
    Status,
)
from caljobs_bot.steps.state import (
    NO_JOURNAL,
    NO_OBSERVERS,
    Observers,
    PopupObserver,
    RecordJournal,
    RecordRun,
    ScreenObserver,
    StepObserver,
)

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.pages.case import CasePage

__all__ = ["DEFAULT_POLICY", "NO_JOURNAL", "NO_OBSERVERS", "Observers", "OutcomeBot",
           "PopupObserver", "RecordJournal", "RunPolicy", "ScreenObserver", "SiteAccess",
           "StepObserver"]


# How often, and how long each time, a site that refused a connection is asked again before
# the run stops as for an outage (about 3 x 5 s plus pauses: well under 30 s).
RECHECKS = 3
RECHECK_TIMEOUT_MS = 5_000
# What Chromium says when it cannot reach a site at all (as opposed to a slow or odd page).
CONNECTION_ERRORS = (
    "ERR_CONNECTION_REFUSED", "ERR_CONNECTION_RESET", "ERR_CONNECTION_CLOSED",
    "ERR_CONNECTION_ABORTED", "ERR_CONNECTION_FAILED", "ERR_CONNECTION_TIMED_OUT",
    "ERR_NAME_NOT_RESOLVED", "ERR_NAME_RESOLUTION_FAILED", "ERR_INTERNET_DISCONNECTED",
    "ERR_ADDRESS_UNREACHABLE", "ERR_TIMED_OUT", "ERR_EMPTY_RESPONSE", "ERR_NETWORK_CHANGED",
    "ERR_PROXY_CONNECTION_FAILED", "ERR_SSL_", "ERR_CERT_", "ERR_UNSAFE_PORT", "ECONNREFUSED",
    "ECONNRESET",
)


# What kind of request a server error counts for: pages (windows, iframes) and in-page calls.
SITE_ANSWERS = ("document", "xhr", "fetch")

# How many records one browser tab serves before the bot moves to a fresh one (see _renew_page).
RECORDS_PER_TAB = 50


@dataclass(frozen=True)
class SiteAccess:
    """Where and as whom the bot signs in."""

    sign_in_url: str
    credentials: Credentials
    untraced: Callable[[], AbstractContextManager[object]] = nullcontext
    """Wraps every sign-in, so the runner can keep the password out of its traces."""


@dataclass(frozen=True)
class RunPolicy:
    """How the bot treats the site: save or only fill, how often a transient fault is tried
    again and how long it waits between tries, and which help-sheet steps it performs."""

    dry_run: bool = False
    retries: int = 2
    backoff_seconds: float = 1.0
    steps: tuple[Step, ...] = STEPS
    """The help-sheet steps, in order (steps/definitions.py); a test may add one."""
    search_tab: bool = False
    """Keep the participant search in a tab of its own (the bulk run's): the results page
    keeps the search form, so the next record searches there and opens its case by the name
    link's address in the work tab, one page load fewer than going to the search screen
    first. Used once the first record's name link proved to have an address; one tab as
    before otherwise (the trainers watch one tab, the guide photographs it)."""


DEFAULT_POLICY = RunPolicy()


@dataclass
class _Progress:
    """Where one record has got to across its tries: the step announced last, and whether
    Save may have been pressed (by this run, or an earlier one that never heard back)."""

    step: Step
    save_pressed: bool


class OutcomeBot:
    """Creates Exit/Outcome records on one signed-in page, one record at a time (the bulk
    run's bot keeps the participant search in a second tab: RunPolicy.search_tab)."""

    def __init__(
        self,
        page: Page,
        site: SiteAccess,
        *,
        policy: RunPolicy = DEFAULT_POLICY,
        observers: Observers = NO_OBSERVERS,
        journal: RecordJournal = NO_JOURNAL,
        stop: threading.Event | None = None,
    ) -> None:
        self.page = page
        self._site = site
        self._observers = observers
        self._journal = journal
        self.steps = policy.steps
        self._dry_run = policy.dry_run
        self._retries, self._backoff_seconds = policy.retries, policy.backoff_seconds
        # Set by Ctrl-C: also cuts a backoff short, so stopping never waits out a retry delay.
        self._stop = stop or threading.Event()
        self._search_url: str | None = None
        # The search screen a sign-in has just opened, until a record takes it (see
        # _search_screen): the first record after a sign-in searches there, not on a second
        # load of the same screen.
        self._signed_in_search: ParticipantSearch | None = None
        self._server_error = False
        self._records_on_page = 0
        # The search tab (RunPolicy.search_tab): the participant search's results page, kept
        # in a tab of its own for the next record's search. Used on a record's first try only
        # (a retry goes the plain way: the search screen by its address, in self.page), and
        # given up for the rest of the run once a name link has no address to open it by, or
        # a search there met what the bot did not expect.
        self._search_tabs = policy.search_tab
        self._search_tab: Page | None = None
        self._first_try = False
        # Whether the record's latest step worked in the search tab (its search), not in
        # self.page: what the evidence of a failure must show (see current_page).
        self._in_search_tab = False
        # Whether the try is between using the search tab (or a case's address) and the case
        # page showing: a failure there other than an expired session ends the search tab's
        # use for the run (see _attempts).
        self._tab_on_trial = False
        # Every page of the context: a pop-up window, an iframe or an AJAX panel that meets a
        # server error is the site's fault as much as the main page is.
        page.context.on("response", self._watch_for_server_errors)
        # The session-timeout warning may cover any page of the record, a pop-up window too;
        # a context the session factory opened is guarded already (nothing is added twice).
        guard_context(page.context)

    # -- the session -------------------------------------------------------------------

    def sign_in(self) -> None:
        """Sign in and open the participant search; remembers its address for later records.

        Raises SiteUnavailable when the site shows its maintenance page, and SessionExpired
        when a saved session has run out and there is no password to sign in again with.
        """
        try:
            with self._site.untraced():
                login = LoginPage(self.page).open(self._site.sign_in_url)
                # The page has loaded: an outage notice is known now, not after a time-out.
                self._raise_if_site_down()
                dashboard = login.dashboard_if_signed_in()
                if dashboard is None:
                    credentials = self._site.credentials
                    if credentials.password is None:
                        raise SessionExpired(
                            "the saved CalJOBS session has expired. Run 'caljobs-bot login' "
                            "to sign in again, then run the same command: saved records are "
                            "not entered twice."
                        )
                    dashboard = login.sign_in(credentials.username, credentials.password)
            search = dashboard.assist_an_individual()
        except PlaywrightError as error:
            self._raise_if_site_down(error)
            raise
        self._search_url = self.page.url
        self._signed_in_search = search

    def start(self) -> None:
        """Sign in for the first record, trying again after a time-out or a server error
        (as each record does) so one flaky answer does not cost the whole run. A refused
        password, an outage page or an expired saved session end it at once; a sign-in that
        meets server errors or a session ending at once on every try is an outage
        (SignInOutage), not a screen that differs."""
        attempt = 0
        while True:
            attempt += 1
            self._server_error = False
            try:
                self.sign_in()
                return
            except PlaywrightError as error:
                failing = self._site_failing(error)
                if attempt > self._retries or self._stop.is_set():
                    if failing is not None:
                        tries = f"{attempt} tr{'y' if attempt == 1 else 'ies'}"
                        raise SignInOutage(f"{failing} ({tries})") from None
                    raise
            self._stop.wait(self._backoff_seconds * 2 ** (attempt - 1))

    def _site_failing(self, error: PlaywrightError) -> str | None:
        """What the site did wrong during a failed sign-in, if it was the site: a server
        error, or the sign-in form again right after signing in (the session ended at once).
        None when the site answered normally and something else went wrong."""
        if self._server_error:
            return "the site answered with server errors"
        if isinstance(error, SignedOutMeanwhile) or LoginPage(self.page).is_shown():
            return "the session ended as soon as it began, and the sign-in form came back"
        return None

    def _renew_page(self) -> None:
        """Go on in a new tab of the same browser context, and close the old tab.

        A tab keeps memory from every page it has shown: about 2.5 MB more per record here, so
        a 1,000-record run would end with a renderer of gigabytes (bench/RESULTS.md). A new tab
        in the same context starts small and keeps the session's cookies: no new sign-in.
        """
        old = self.page
        self.page = old.context.new_page()
        old.close()
        self._drop_search_tab()  # it grows as the work tab does; the next record makes anew
        self._records_on_page = 0

    def _raise_if_site_down(self, error: PlaywrightError | None = None) -> None:
        """Stop the whole run, politely, when the site shows a maintenance or outage page, or
        does not answer at all (after a short, bounded re-check: one refused connection may be
        a blip, a site that stays away is an outage)."""
        pages = [self.page, *self._live_search_tab()]
        if _is_connection_failure(error) or any(p.url.startswith("chrome-error:")
                                                for p in pages):
            problem = _connection_problem(error)
            if not self._site_answers():
                raise SiteUnreachable(problem)
            return
        for page in pages:
            notice = outage_notice(page)
            if notice is not None:
                raise SiteUnavailable(notice)

    def _site_answers(self) -> bool:
        """Whether the sign-in address answers at all (any HTTP status), tried up to
        RECHECKS times with a growing pause; a stop request cuts it short."""
        for attempt in range(RECHECKS):
            try:
                self.page.request.get(self._site.sign_in_url, timeout=RECHECK_TIMEOUT_MS,
                                      max_redirects=0)
                return True
            except PlaywrightError:
                if self._stop.wait(self._backoff_seconds * 2 ** attempt):
                    return False
        return False

    def _watch_for_server_errors(self, response: Response) -> None:
        """Remember a 5xx answer to a page load or an in-page call (an AJAX pop-up, a list
        that refreshes): the next failure is then the site's fault."""
        if response.status >= 500 and response.request.resource_type in SITE_ANSWERS:
            self._server_error = True

    def _close_leftovers(self, *, keep_search_tab: bool = False) -> None:
        """Close every other window of this browser context: a pop-up an earlier try or record
        left open (its page a server error, or a form cut short). The next click on the form
        would otherwise load the contacts page into that window, which a site names, and no
        new window would ever open. The next try reloads the main page from its address,
        which ends any dialog or panel that was open in it. The search tab is kept for a
        record's first try (`keep_search_tab`), and closed and forgotten before any other."""
        kept = self._search_tab if keep_search_tab else None
        if not keep_search_tab:
            self._search_tab = None
        for window in self.page.context.pages:
            if window is not self.page and window is not kept:
                with contextlib.suppress(PlaywrightError):  # closed already meanwhile
                    window.close()

    def _live_search_tab(self) -> list[Page]:
        """The search tab, when there is one still open (a list: empty otherwise)."""
        tab = self._search_tab
        return [tab] if tab is not None and not tab.is_closed() else []

    def _drop_search_tab(self) -> None:
        """Close the search tab, if any, and forget it."""
        for tab in self._live_search_tab():
            with contextlib.suppress(PlaywrightError):  # closed already meanwhile
                tab.close()
        self._search_tab = None

    @property
    def current_page(self) -> Page:
        """The page the record's latest step worked in: the search tab while the record's
        search was done there and its case not yet opened, else the work tab (self.page).
        What the evidence of a failed record shows."""
        tabs = self._live_search_tab()
        return tabs[0] if self._in_search_tab and tabs else self.page

    def _participant_search(self) -> ParticipantSearch:
        """The search screen: on a record's first try the search tab, when it still shows the
        search form (no page load: the last search's results keep it); else the search
        screen reached by its address (one page load) in self.page, signing in again if the
        session has expired meanwhile."""
        self._in_search_tab = self._tab_on_trial = False
        if self._first_try:
            for tab in self._live_search_tab():
                if ParticipantSearch.is_shown(tab):
                    self._in_search_tab = self._tab_on_trial = True
                    return ParticipantSearch(tab, shown=True)
        return self._search_screen()

    def _search_screen(self) -> ParticipantSearch:
        """The search screen, reached by its address (one page load), signing in again if the
        session has expired meanwhile; none is made right after a sign-in, which ends on it."""
        signed_in, self._signed_in_search = self._signed_in_search, None
        if (signed_in is not None and signed_in.page is self.page
                and self.page.url == self._search_url):
            return signed_in  # nothing has happened on this page since the sign-in
        if self._search_url is None:
            return self._signed_in_again()
        answer = self.page.goto(self._search_url)
        raise_if_server_error(answer, "participant search page")
        # A site sends an expired session to its sign-in page (another address: no need to
        # ask the page when the address is the search's own); one that shows the sign-in
        # form at the search's address is found when the search screen does not show.
        if self.page.url != self._search_url and LoginPage(self.page).is_shown():
            return self._signed_in_again()
        try:
            return ParticipantSearch(self.page)
        except ElementNotFound:
            if not LoginPage(self.page).is_shown():
                raise
        return self._signed_in_again()

    def _signed_in_again(self) -> ParticipantSearch:
        """Sign in, and the search screen the sign-in ends on."""
        self.sign_in()
        search, self._signed_in_search = self._signed_in_search, None
        return search or ParticipantSearch(self.page)

    def _open_case(self, search: ParticipantSearch, found: SearchResult) -> CasePage:
        """Open the case of the participant found, in self.page (where the rest of the record
        is worked), and keep a search tab when the policy asks for one (RunPolicy.search_tab).

        A search done in the search tab opens the case here by the name link's address, and
        the results stay there for the next record's search. A search done here, on a first
        try, makes this page the search tab and opens the case in a new tab of the same
        context (it shares the session), which becomes self.page. A name link without an
        address (a postback) is clicked as always, and no search tab is used again."""
        tab_wanted = self._search_tabs and self._first_try
        address = search.case_address(found) if tab_wanted else None
        self._in_search_tab = False
        if address is None:
            if tab_wanted:
                self._search_tabs = False
            if search.page is not self.page:  # the case opens where the link is clicked
                self._work_in_search_tab()
            self._tab_on_trial = False
            return search.open_participant(found)
        if search.page is self.page:
            self._drop_search_tab()
            self._search_tab = self.page
            self.page = self.page.context.new_page()
        self._tab_on_trial = True
        case = search.open_participant_in(found, self.page)
        self._tab_on_trial = False
        return case

    def _work_in_search_tab(self) -> None:
        """The search tab becomes the page the record is worked in (its name link has no
        address after all: the click opens the case there); the old work tab is closed."""
        old, tab = self.page, self._search_tab
        if tab is None:
            return
        self.page, self._search_tab = tab, None
        with contextlib.suppress(PlaywrightError):  # closed already meanwhile
            old.close()

    def begin_record(self) -> None:
        """Count one more record on this tab, moving to a fresh tab every RECORDS_PER_TAB
        (see _renew_page): a reader of many cases (`audit`) keeps memory flat as a run does."""
        if self._records_on_page >= RECORDS_PER_TAB:
            self._renew_page()
        self._records_on_page += 1

    def participant_search(self) -> ParticipantSearch:
        """The search screen, signed in (again if the session expired): for a caller that
        only reads cases (`audit`) and needs the bot's session handling, not its steps."""
        return self._search_screen()

    def raise_if_site_down(self, error: PlaywrightError | None = None) -> None:
        """SiteUnavailable when the site shows an outage page or does not answer at all (see
        _raise_if_site_down); for a reader that met an error and must know whether to stop."""
        self._raise_if_site_down(error)

    def close_leftovers(self) -> None:
        """Close every other window of this browser context (see _close_leftovers)."""
        self._close_leftovers()

    # -- one record --------------------------------------------------------------------

    def process(self, record: Record) -> RecordResult:
        """Follow every step for one record and return how it ended (see try_record); what
        stops every record (SiteUnavailable, SessionExpired) is raised, for a caller that
        does one record and has no run to stop."""
        ended = self.try_record(record)
        if isinstance(ended, Interrupted):
            raise ended.cause
        return ended

    def try_record(self, record: Record) -> RecordResult | Interrupted:
        """Follow every step for one record; whatever happens, return how it ended, or, when
        the site went down meanwhile, where the record had got to (Interrupted), so the run
        stops and reports the record "not known" or "not run", never "failed". An expired
        saved session (SessionExpired) is raised: no step had a say in it.

        Transient faults (time-outs, 5xx pages, an expired session, a pop-up that did not open)
        are retried from the search, a bounded number of times. Each try first looks at the
        application's Exit / Outcome section, so a save whose answer was lost is found there
        and never made twice. The journal is asked whether an earlier run pressed Save and
        never heard back, and told just before Save is pressed (the ledger's intent line) and
        around a case note's own Save, which stores it at once; a note already on the case
        (see _same_note_listed) is never added again, on a retry or on a resume.
        """
        self.begin_record()
        progress = _Progress(self.steps[0], self._journal.may_be_saved(record))
        try:
            return self._attempts(record, progress)
        except SiteUnavailable as halt:
            return Interrupted(halt, progress.step.title, progress.save_pressed)

    def _attempts(self, record: Record, progress: _Progress) -> RecordResult:
        """The tries of one record (see try_record)."""
        attempt = 0
        while True:
            attempt += 1
            self._first_try = attempt == 1
            self._close_leftovers(keep_search_tab=self._first_try)
            self._server_error = False
            try:
                reason = self._create_outcome(record, progress)
                return _ended(record, Status.DRY_RUN if self._dry_run else Status.SAVED, reason)
            except RecordSkipped as skipped:
                if progress.save_pressed:
                    return _ended(record, Status.SAVED, "the site had stored the outcome "
                                  "although its answer to Save was lost; confirmed on the "
                                  "case, not saved again")
                return _ended(record, Status.SKIPPED, str(skipped))
            except RecordFailed as failed:
                self._raise_if_site_down()
                if not self._looks_transient():
                    return _ended(record, Status.FAILED, str(failed))
                problem = self._transient_reason(progress.step, str(failed))
            except PlaywrightError as error:
                self._raise_if_site_down(error)
                signed_out = isinstance(error, SignedOutMeanwhile)
                problem = self._transient_reason(progress.step, _kind_of(error),
                                                 signed_out=signed_out)
                if self._tab_on_trial and not signed_out:
                    # The search tab, or the case's address, met what the bot did not expect:
                    # a site may refuse a postback from a page left standing (ASP.NET answers
                    # a stale view state with a server error). The plain way from now on; an
                    # expired session is no fault of the tab (the retry signs in again).
                    self._search_tabs = False
            if attempt > self._retries or self._stop.is_set():
                tries = f"{attempt} tr{'y' if attempt == 1 else 'ies'}"
                if progress.save_pressed:
                    return self._settle(record, f"{problem} (gave up after {tries})")
                return _ended(record, Status.FAILED, f"{problem} (gave up after {tries}). "
                              "Check the case by hand before running this record again.")
            self._stop.wait(self._backoff_seconds * 2 ** (attempt - 1))

    def _settle(self, record: Record, problem: str) -> RecordResult:
        """The tries ran out after Save was pressed: look at the case (the leading steps that
        only look, each look tried as often as a record is), so the record ends saved (the
        outcome is listed) or failed with nothing stored, and is `not known` only while the
        site cannot be read."""
        looks = [step for step in takewhile(lambda s: s.only_looks, self.steps)
                 if step.applies_to(record)]
        self._first_try = False
        for attempt in range(1, self._retries + 2):
            if self._stop.is_set():
                break
            self._close_leftovers()
            run = RecordRun(self.page, record, False, self._participant_search,
                            open_case=self._open_case)
            try:
                for step in looks:
                    step.action(run)
            except RecordSkipped:
                return _ended(record, Status.SAVED, f"{problem}; the outcome is listed on the "
                              "case, so the Save had gone through: not saved again")
            except RecordFailed:
                break  # the case reads differently now: a person must look
            except PlaywrightError as error:
                self._raise_if_site_down(error)
                self._stop.wait(self._backoff_seconds * 2 ** (attempt - 1))
                continue
            return _ended(record, Status.FAILED, f"{problem}; Save was pressed, but the case "
                          "lists no outcome for the application: nothing was stored. Run the "
                          "record again.")
        return _ended(record, Status.NOT_KNOWN, f"{problem} after Save was pressed, and the "
                      "case could not be read since: the outcome may be stored. The next run "
                      "looks at the case before typing anything again.")

    def _looks_transient(self) -> bool:
        """Whether the failure came from the site or the session rather than the record."""
        return self._server_error or LoginPage(self.page).is_shown()

    def _transient_reason(self, current: Step, detail: str, *, signed_out: bool = False) -> str:
        if signed_out or LoginPage(self.page).is_shown():
            return f"the session expired during step '{current.title}'"
        if self._server_error:
            return f"the site answered with a server error during step '{current.title}'"
        where = f"step {self.steps.index(current) + 1} '{current.title}'"
        if detail.startswith("on the "):
            return f"{where}: {detail}"
        return f"{where} {detail}: the page did not show what the help sheet describes"

    def _create_outcome(self, record: Record, progress: _Progress) -> str:
        """Every step the record needs, in order, each announced before its action; a dry run
        cancels the form where the outcome would be saved."""
        run = RecordRun(self.page, record, self._dry_run, self._participant_search,
                        self._observers, self._journal, open_case=self._open_case)
        for step in self.steps:
            if not step.applies_to(record):
                continue
            if step.presses_save and self._dry_run:
                run.form.cancel()
                return "every field filled; stopped before Save (dry run)"
            self._announce(step, record, progress)
            step.action(run)
        return run.outcome

    def _announce(self, step: Step, record: Record, progress: _Progress) -> None:
        """Tell the observer a step begins; before the step that presses Save, the journal
        writes its intent first (a kill after the click still finds it)."""
        progress.step = step
        self._observers.step(step, record)
        if step.presses_save:
            self._journal.saving(record)
            progress.save_pressed = True


def _ended(record: Record, status: Status, reason: str) -> RecordResult:
    """The result of one record that ended."""
    return RecordResult(record.index, record.line, status, reason)


def _is_connection_failure(error: PlaywrightError | None) -> bool:
    """Whether an error says the site could not be reached at all."""
    return error is not None and any(code in str(error) for code in CONNECTION_ERRORS)


def _connection_problem(error: PlaywrightError | None) -> str:
    """The browser's own code for what went wrong ("ERR_CONNECTION_REFUSED"): no page text."""
    text = str(error) if error is not None else ""
    code = next((c for c in CONNECTION_ERRORS if c in text), None)
    found = f" ({code.rstrip('_')})" if code else ""
    return f"the site could not be reached{found}"


def kind_of(error: PlaywrightError) -> str:
    """A short word for a Playwright error, for a reader that reports failures as the bot does
    (see _kind_of)."""
    return _kind_of(error)


def _kind_of(error: PlaywrightError) -> str:
    """A short word for a Playwright error: its message may quote page text (participant data).
    A page object's ElementNotFound is ours, and says which element on which screen."""
    if isinstance(error, ElementNotFound):
        return str(error)
    if "Timeout" in type(error).__name__:
        return "timed out"
    if "closed" in str(error).lower():
        return "lost the browser page"
    return "failed"
