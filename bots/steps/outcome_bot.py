"""Performs the help-sheet steps for one record, with the page objects.

The bot knows the order of the steps and the rules around them (right person, one outcome per
application, every value checked before Save); it knows nothing about markup. Each step is
announced to an observer first, so the same code serves the bulk run (which logs) and the
trainers' walkthrough (which explains on screen).
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Literal

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Response

from caljobs_bot.pages.case import ApplicationNode, CasePage
from caljobs_bot.pages.contacts_popup import Contact, ContactNotSaved
from caljobs_bot.pages.login import LoginPage
from caljobs_bot.pages.notfound import ElementNotFound
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.pages.participant_search import ParticipantSearch, SearchResult
from caljobs_bot.pages.site_notice import outage_notice
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.definitions import Step, number, step
from caljobs_bot.steps.matching import fold, same_name, same_option
from caljobs_bot.steps.results import (
    RecordFailed,
    RecordResult,
    RecordSkipped,
    SessionExpired,
    SiteUnavailable,
    SiteUnreachable,
    Status,
)

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.pages.contacts_popup import AlternateContactsPopup

StepObserver = Callable[[Step, "Record"], None]
# Told before and after each side effect that saves at once on the site (a case note):
# ("note", "intent") just before its Save, ("note", "done") once the site has it.
SideEffectObserver = Callable[[str, str], None]
# Told when the Alternate Contacts pop-up is open: "opened" (before anything is typed in it)
# and "closing" (the changes made, just before Close), so the walkthrough can explain it and
# the guide can photograph it; the step observer alone only sees the page behind it.
PopupObserver = Callable[["AlternateContactsPopup", "Record", Literal["opened", "closing"]], None]
# Told when a sub-screen that lives only inside one action is shown, filled, just before it is
# left: "search_results", "contact_form" (with the pop-up), "case_manager_picker",
# "case_note_form". The guide photographs them; nothing else needs them.
ScreenObserver = Callable[[str, "Page | AlternateContactsPopup"], None]


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


# How many records one browser tab serves before the bot moves to a fresh one (see _renew_page).
RECORDS_PER_TAB = 50


def _no_observer(_step: Step, _record: Record) -> None:
    """The default observer: the bulk run reports results, not steps."""


class OutcomeBot:
    """Creates Exit/Outcome records on one signed-in page, one record at a time."""

    def __init__(
        self,
        page: Page,
        sign_in_url: str,
        credentials: Credentials,
        *,
        observer: StepObserver = _no_observer,
        dry_run: bool = False,
        retries: int = 2,
        backoff_seconds: float = 1.0,
        stop: threading.Event | None = None,
        untraced: Callable[[], AbstractContextManager[object]] = nullcontext,
        popup_observer: PopupObserver | None = None,
        screen_observer: ScreenObserver | None = None,
    ) -> None:
        self.page = page
        self._popup_observer = popup_observer
        self._screen_observer = screen_observer
        self._sign_in_url = sign_in_url
        self._credentials = credentials
        self._observer = observer
        self._dry_run = dry_run
        self._retries = retries
        self._backoff_seconds = backoff_seconds
        # Set by Ctrl-C: also cuts a backoff short, so stopping never waits out a retry delay.
        self._stop = stop or threading.Event()
        # Wraps every sign-in, so the runner can keep the password out of its traces.
        self._untraced = untraced
        self._search_url: str | None = None
        self._server_error = False
        self._records_on_page = 0
        self._on_side_effect: SideEffectObserver = lambda _kind, _stage: None
        page.on("response", self._watch_for_server_errors)

    # -- the session -------------------------------------------------------------------

    def sign_in(self) -> None:
        """Sign in and open the participant search; remembers its address for later records.

        Raises SiteUnavailable when the site shows its maintenance page, and SessionExpired
        when a saved session has run out and there is no password to sign in again with.
        """
        try:
            with self._untraced():
                login = LoginPage(self.page).open(self._sign_in_url)
                # The page has loaded: an outage notice is known now, not after a time-out.
                self._raise_if_site_down()
                dashboard = login.dashboard_if_signed_in()
                if dashboard is None:
                    if self._credentials.password is None:
                        raise SessionExpired(
                            "the saved CalJOBS session has expired. Run 'caljobs-bot login' "
                            "to sign in again, then run the same command: saved records are "
                            "not entered twice."
                        )
                    dashboard = login.sign_in(self._credentials.username,
                                              self._credentials.password)
            dashboard.assist_an_individual()
        except PlaywrightError as error:
            self._raise_if_site_down(error)
            raise
        self._search_url = self.page.url

    def start(self) -> None:
        """Sign in for the first record, trying again after a time-out or a server error
        (as each record does) so one flaky answer does not cost the whole run. A refused
        password, an outage page or an expired saved session end it at once."""
        attempt = 0
        while True:
            attempt += 1
            try:
                self.sign_in()
                return
            except PlaywrightError:
                if attempt > self._retries or self._stop.is_set():
                    raise
            self._stop.wait(self._backoff_seconds * 2 ** (attempt - 1))

    def _renew_page(self) -> None:
        """Go on in a new tab of the same browser context, and close the old tab.

        A tab keeps memory from every page it has shown: about 2.5 MB more per record here, so
        a 1,000-record run would end with a renderer of gigabytes (bench/RESULTS.md). A new tab
        in the same context starts small and keeps the session's cookies: no new sign-in.
        """
        old = self.page
        self.page = old.context.new_page()
        self.page.on("response", self._watch_for_server_errors)
        old.close()
        self._records_on_page = 0

    def _raise_if_site_down(self, error: PlaywrightError | None = None) -> None:
        """Stop the whole run, politely, when the site shows a maintenance or outage page, or
        does not answer at all (after a short, bounded re-check: one refused connection may be
        a blip, a site that stays away is an outage)."""
        if _is_connection_failure(error) or self.page.url.startswith("chrome-error:"):
            problem = _connection_problem(error)
            if not self._site_answers():
                raise SiteUnreachable(problem)
            return
        notice = outage_notice(self.page)
        if notice is not None:
            raise SiteUnavailable(notice)

    def _site_answers(self) -> bool:
        """Whether the sign-in address answers at all (any HTTP status), tried up to
        RECHECKS times with a growing pause; a stop request cuts it short."""
        for attempt in range(RECHECKS):
            try:
                self.page.request.get(self._sign_in_url, timeout=RECHECK_TIMEOUT_MS,
                                      max_redirects=0)
                return True
            except PlaywrightError:
                if self._stop.wait(self._backoff_seconds * 2 ** attempt):
                    return False
        return False

    def _watch_for_server_errors(self, response: Response) -> None:
        """Remember a 5xx answer to a page load: the next failure is then the site's fault."""
        if response.status >= 500 and response.request.resource_type == "document":
            self._server_error = True

    def _participant_search(self) -> ParticipantSearch:
        """The search screen, reached by its address (one page load), signing in again if the
        session has expired meanwhile."""
        if self._search_url is None:
            self.sign_in()
        else:
            self.page.goto(self._search_url)
            if LoginPage(self.page).is_shown():
                self.sign_in()
        return ParticipantSearch(self.page)

    # -- one record --------------------------------------------------------------------

    def process(
        self,
        record: Record,
        *,
        on_save: Callable[[], None] = lambda: None,
        save_may_have_happened: bool = False,
        on_side_effect: SideEffectObserver = lambda _kind, _stage: None,
    ) -> RecordResult:
        """Follow every step for one record; whatever happens, return how it ended.

        Transient faults (time-outs, 5xx pages, an expired session, a pop-up that did not open)
        are retried from the search, a bounded number of times. Each try first looks at the
        application's Exit / Outcome section, so a save whose answer was lost is found there
        and never made twice. `on_save` runs just before Save is pressed (the ledger's intent
        line); `save_may_have_happened` says an earlier run pressed Save and never heard back.
        `on_side_effect` is told around a case note's own Save, which stores it at once; a
        note already on the case (see _same_note_listed) is never added again, on a retry or
        on a resume.
        """
        self._on_side_effect = on_side_effect
        if self._records_on_page >= RECORDS_PER_TAB:
            self._renew_page()
        self._records_on_page += 1
        pressed_save = save_may_have_happened
        current = step("find_participant")

        def announce(key: str) -> None:
            nonlocal current, pressed_save
            current = step(key)
            self._observer(current, record)
            if key == "save":
                on_save()
                pressed_save = True

        def ended(status: Status, reason: str) -> RecordResult:
            return RecordResult(record.index, record.line, status, reason)

        try:
            return self._attempts(record, announce, ended, lambda: current, lambda: pressed_save)
        except SiteUnavailable as halt:
            # The runner reports this record as "not known" when Save may have gone through.
            halt.save_pressed = pressed_save
            halt.during = current.title
            raise

    def _attempts(self, record: Record, announce: Callable[[str], None],
                  ended: Callable[[Status, str], RecordResult], current_step: Callable[[], Step],
                  save_pressed: Callable[[], bool]) -> RecordResult:
        """The tries of one record (see process)."""
        attempt = 0
        while True:
            attempt += 1
            self._server_error = False
            try:
                reason = self._create_outcome(record, announce)
                return ended(Status.DRY_RUN if self._dry_run else Status.SAVED, reason)
            except RecordSkipped as skipped:
                if save_pressed():
                    return ended(Status.SAVED, "the site had stored the outcome although its "
                                 "answer to Save was lost; confirmed on the case, not saved again")
                return ended(Status.SKIPPED, str(skipped))
            except RecordFailed as failed:
                self._raise_if_site_down()
                if not self._looks_transient():
                    return ended(Status.FAILED, str(failed))
                problem = self._transient_reason(current_step(), str(failed))
            except PlaywrightError as error:
                self._raise_if_site_down(error)
                problem = self._transient_reason(current_step(), _kind_of(error))
            if attempt > self._retries or self._stop.is_set():
                tries = f"{attempt} tr{'y' if attempt == 1 else 'ies'}"
                if save_pressed():
                    return ended(Status.NOT_KNOWN, f"{problem} (gave up after {tries}) after "
                                 "Save was pressed: the outcome may be stored. The next run "
                                 "looks at the case before typing anything again.")
                return ended(Status.FAILED, f"{problem} (gave up after {tries}). Check the case "
                             "by hand before running this record again.")
            self._stop.wait(self._backoff_seconds * 2 ** (attempt - 1))

    def _show(self, name: str, where: Page | AlternateContactsPopup) -> None:
        """Tell the screen observer a sub-screen is shown (see ScreenObserver)."""
        if self._screen_observer is not None:
            self._screen_observer(name, where)

    def _looks_transient(self) -> bool:
        """Whether the failure came from the site or the session rather than the record."""
        return self._server_error or LoginPage(self.page).is_shown()

    def _transient_reason(self, current: Step, detail: str) -> str:
        if LoginPage(self.page).is_shown():
            return f"the session expired during step '{current.title}'"
        if self._server_error:
            return f"the site answered with a server error during step '{current.title}'"
        where = f"step {number(current.key)} '{current.title}'"
        if detail.startswith("on the "):
            return f"{where}: {detail}"
        return f"{where} {detail}: the page did not show what the help sheet describes"

    def _create_outcome(self, record: Record, announce: Callable[[str], None]) -> str:
        announce("find_participant")
        case = self._open_case(record)

        announce("open_application")
        node = self._choose_application(case, record)
        exit_outcome = node.exit_outcome()
        # An outcome listed means the application has exited: never a second one. Neither an
        # outcome nor a Create button means the screen differs: step 3 says what is missing.
        if exit_outcome.listed:
            listed = "; ".join(exit_outcome.listed)
            raise RecordSkipped(
                f"application {node.number} already has an Exit/Outcome ({listed}); "
                "nothing was saved"
            )
        if record.exit_reason.youth_only and fold(node.program()) != "youth":
            raise RecordFailed(
                f"'{record.exit_reason.label}' is only valid on a Youth application; "
                f"application {node.number} is {node.program()}"
            )

        announce("create_outcome")
        form = node.create_outcome()

        announce("general_information")
        self._check_participant(form, record)
        self._fill_general(form, record)

        announce("exit_information")
        self._fill_exit(form, record)

        if record.alternate_contacts:
            announce("alternate_contacts")
            self._manage_contacts(form, record)

        if record.case_manager is not None:
            announce("case_manager")
            form = self._change_case_manager(form, record)

        if record.case_note is not None:
            announce("case_note")
            form = self._add_case_note(form, record)

        announce("review")
        self._fill_general(form, record)
        self._fill_exit(form, record)

        if self._dry_run:
            form.cancel()
            return "every field filled; stopped before Save (dry run)"

        announce("save")
        case_after = form.save()
        if case_after is None:
            errors = form.errors()
            if not errors:
                raise PlaywrightError("the site gave no answer to Save")
            raise RecordFailed("the site refused the outcome: " + " ".join(errors))

        announce("confirm")
        return self._confirm_saved(case_after, node.number)

    # -- the steps ---------------------------------------------------------------------

    def _open_case(self, record: Record) -> CasePage:
        who = record.participant
        search = self._participant_search()
        if who.state_id:
            results = search.search(state_id=who.state_id)
        else:
            results = search.search(user_id=who.user_id)
        matches = [r for r in results if _same_ids(r, who.state_id, who.user_id)]
        if not matches:
            key = f"State ID {who.state_id}" if who.state_id else f"User ID {who.user_id}"
            raise RecordFailed(f"no participant found with {key}")
        if len(matches) > 1:
            raise RecordFailed("the search found several participants with these ids")
        found = matches[0]
        if who.name and not same_name(who.name, found.name):
            raise RecordFailed(
                "the name in the job file does not match the participant the site found "
                "for these ids; nothing was entered"
            )
        self._show("search_results", self.page)
        return search.open_participant(found)

    def _choose_application(self, case: CasePage, record: Record) -> ApplicationNode:
        applications = case.wioa_applications()
        if not applications:
            raise RecordFailed(
                "the participant has no WIOA application, so there is nothing to exit"
            )
        if record.application:
            if record.application not in [a.number for a in applications]:
                numbers = ", ".join(a.number for a in applications)
                raise RecordFailed(
                    f"application {record.application} is not one of the participant's WIOA "
                    f"applications ({numbers})"
                )
            return case.application(record.application)
        if len(applications) == 1:
            return case.application(applications[0].number)
        open_ones = [a for a in applications if fold(a.status) != "exited"]
        if len(open_ones) == 1:
            return case.application(open_ones[0].number)
        if not open_ones:
            raise RecordSkipped("every WIOA application of the participant has already exited")
        numbers = ", ".join(a.number for a in open_ones)
        raise RecordFailed(
            f"the participant has several open WIOA applications ({numbers}); "
            "say which one with 'application:' in the job file"
        )

    def _check_participant(self, form: OutcomeForm, record: Record) -> None:
        shown = form.general.participant()
        who = record.participant
        if not _same_ids(shown, who.state_id, who.user_id) or (
            who.name and not same_name(who.name, shown.name)
        ):
            form.cancel()
            raise RecordFailed(
                "the outcome form shows a different participant than the job file names; "
                "the form was cancelled"
            )

    def _fill_general(self, form: OutcomeForm, record: Record) -> None:
        general = form.general
        wanted = (
            (general.lwia_region, general.set_lwia_region, record.lwia_region, "LWIA/Region"),
            (general.office_location, general.set_office_location, record.office_location,
             "Office Location"),
            (general.staff_position, general.set_staff_position, record.staff_position,
             "Staff Position"),
        )
        for read, write, value, caption in wanted:
            if same_option(value, read()):
                continue
            try:
                write(value)  # the usual case: the job spells the option as the site does
                continue
            except ValueError:
                pass  # no option with that spelling: look for it with accents ignored
            options = general.options(caption)
            match = next((o for o in options if same_option(value, o)), None)
            if match is None:
                form.cancel()
                raise RecordFailed(
                    f"{caption} '{value}' is not offered by the site; it offers: "
                    + ", ".join(o for o in options if fold(o) != "none selected")
                )
            write(match)

    def _fill_exit(self, form: OutcomeForm, record: Record) -> None:
        exit_information = form.exit
        wanted_date = f"{record.exit_date:%m/%d/%Y}"
        if exit_information.exit_date() != wanted_date:
            exit_information.set_exit_date(record.exit_date)
        if not same_option(record.exit_reason.label, exit_information.reason()):
            try:
                exit_information.choose_reason(record.exit_reason.label)
            except ValueError as problem:
                form.cancel()
                raise RecordFailed(str(problem)) from None

    def _manage_contacts(self, form: OutcomeForm, record: Record) -> None:
        popup = form.contacts.manage()
        if self._popup_observer is not None:
            self._popup_observer(popup, record, "opened")
        existing = [row.name for row in popup.contacts()]
        for contact in record.alternate_contacts:
            wanted = Contact(
                first_name=contact.first_name,
                last_name=contact.last_name,
                relationship=contact.relationship,
                phone=contact.phone,
                email=contact.email,
                address=contact.address,
            )
            full_name = f"{contact.first_name} {contact.last_name}"
            same = next((name for name in existing if same_name(full_name, name)), None)
            if self._dry_run:
                continue
            try:
                def before_save(popup: AlternateContactsPopup = popup) -> None:
                    self._show("contact_form", popup)

                if same is None:
                    popup.add(wanted, before_save=before_save)
                else:
                    popup.edit(same, wanted, before_save=before_save)
            except ContactNotSaved as refused:
                raise RecordFailed(f"the site refused alternate contact {len(existing) + 1}: "
                                   f"{refused}") from None
        if self._popup_observer is not None:
            self._popup_observer(popup, record, "closing")
        popup.close()

    def _change_case_manager(self, form: OutcomeForm, record: Record) -> OutcomeForm:
        change = record.case_manager
        staff = form.staff
        current = staff.current_case_manager()
        if change.remove:
            if current is None or self._dry_run:
                return form
            if not staff.can_remove_case_manager():
                raise RecordFailed(
                    "the Remove Case Manager Assignment link is not shown; your staff account "
                    "may not have the right to remove case managers"
                )
            staff.remove_case_manager()
            return form
        if current is not None and same_name(change.assign, current):
            return form
        if not staff.can_assign_case_manager():
            raise RecordFailed(
                "the Assign Case Manager link is not shown; your staff account may not have "
                "the right to assign case managers"
            )
        if self._dry_run:
            return form
        picker = staff.assign_case_manager()
        self._show("case_manager_picker", self.page)
        choice = next((c for c in picker.choices() if same_name(change.assign, c)), None)
        if choice is None:
            raise RecordFailed(
                f"case manager '{change.assign}' is not in the site's list of staff"
            )
        return picker.assign(choice)

    def _add_case_note(self, form: OutcomeForm, record: Record) -> OutcomeForm:
        note = record.case_note
        # Checked again just before upload: the file may have changed since validation.
        if (problem := note.attachment_problem()) is not None:
            raise RecordFailed(problem)
        if self._dry_run or _same_note_listed(form, record):
            return form
        self._on_side_effect("note", "intent")
        note_form = form.staff.add_case_note()
        note_form.fill(note.subject, note.comments, note.attachment)
        self._show("case_note_form", self.page)
        form = note_form.save()
        self._on_side_effect("note", "done")
        return form

    def _confirm_saved(self, case: CasePage, number: str) -> str:
        if not case.application(number).outcomes():
            raise RecordFailed(
                f"after Save the site did not list an outcome under application {number}; "
                "check the case by hand before running this record again"
            )
        message = case.message() or "saved"
        return f"application {number}: {message}"


def _is_connection_failure(error: PlaywrightError | None) -> bool:
    """Whether an error says the site could not be reached at all."""
    return error is not None and any(code in str(error) for code in CONNECTION_ERRORS)


def _connection_problem(error: PlaywrightError | None) -> str:
    """The browser's own code for what went wrong ("ERR_CONNECTION_REFUSED"): no page text."""
    text = str(error) if error is not None else ""
    code = next((c for c in CONNECTION_ERRORS if c in text), None)
    found = f" ({code.rstrip('_')})" if code else ""
    return f"the site could not be reached{found}"


def _same_note_listed(form: OutcomeForm, record: Record) -> bool:
    """Whether the case already has this record's note: a listed note with the same subject
    (case and spacing ignored) created on or after the exit date. A case note is stored the
    moment its own Save is pressed and staff cannot delete it, so a retry or a resume after it
    was stored must not add it again. (The list shows no attachment names: a note with the
    same subject and date counts as the same note whatever it carries.)"""
    assert record.case_note is not None
    wanted = fold(record.case_note.subject)
    for row in form.staff.case_notes():
        created = _us_date(row.create_date)
        if fold(row.subject) == wanted and (created is None or created >= record.exit_date):
            return True
    return False


def _us_date(text: str) -> datetime.date | None:
    """A MM/DD/YYYY date as the site shows it; None when it is not one."""
    try:
        return datetime.datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError:
        return None


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


def _same_ids(shown: SearchResult | object, state_id: str | None, user_id: str | None) -> bool:
    """Whether the ids the site shows agree with every id the record gives."""
    return (not state_id or getattr(shown, "state_id", None) == state_id) and (
        not user_id or getattr(shown, "user_id", None) == user_id
    )
