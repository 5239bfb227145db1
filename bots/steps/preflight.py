"""`caljobs-bot check`: a read-only walk through the screens a run needs, before a big run.

It signs in, opens one participant's case, goes to the outcome form and the contacts pop-up,
and asks each page object for what it reads, recording which elements answered and which did
not. It leaves by Cancel and Close and never presses a Save, so it is safe on the real site:
the data team learns whether the screens still match before hundreds of records depend on it.

When an element found by its words is missing, a `fixer` may name the words the screen shows
for it instead: `check` looks for exactly one plausible candidate (pages/candidates.py),
`calibrate` asks the person to click it (settings/calibrate.py). The walk then goes on with those
words added to the table in force, so one walk finds every difference, and each fix is kept
as a Suggestion: a line for the wording file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from caljobs_bot.jobfile.exit_reasons import EXIT_REASONS
from caljobs_bot.pages.case import ApplicationNode, CasePage
from caljobs_bot.pages.login import LoginPage, SignInFailed
from caljobs_bot.pages.notfound import ElementNotFound
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.pages.participant_search import ParticipantSearch
from caljobs_bot.pages.site_notice import outage_notice
from caljobs_bot.pages.site_wording import in_force, use, using, wording_lines
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.matching import fold, same_option

T = TypeVar("T")


@dataclass(frozen=True)
class Finding:
    """One element a page object looked for: found or not, and what it saw (no participant
    data: counts and the site's own labels only)."""

    screen: str
    element: str
    found: bool
    detail: str = ""
    screenshot: str | None = None


@dataclass(frozen=True)
class Suggestion:
    """Words the screen shows for an element the table did not know: a wording-file line."""

    key: str
    words: str
    screen: str
    how: str  # "the only candidate on the screen", "clicked by you"


# Given the page and the wording key of a missing element: the words the screen shows for
# it, or None. Called while the page still shows the screen that lacked it.
Fixer = Callable[[Page, str], str | None]
# How many times calibrate may start the walk again after a fix (each fix adds a word).
MAX_RESTARTS = 30


class _Missing(Exception):
    """A screen could not be reached; the walk stops there."""


class _Restart(Exception):
    """A fix was made where the walk cannot simply retry (the page moved on): walk again."""


class Preflight:
    """Walks the screens for one participant, read-only, collecting findings."""

    def __init__(self, page: Page, sign_in_url: str, credentials: Credentials,
                 evidence: Path, *, fixer: Fixer | None = None, restart: bool = False) -> None:
        self.page = page
        self._sign_in_url = sign_in_url
        self._credentials = credentials
        self._evidence = evidence
        self._fixer = fixer
        self._restart = restart
        self.findings: list[Finding] = []
        self.suggestions: list[Suggestion] = []

    def run(self, *, state_id: str | None = None, user_id: str | None = None,
            application: str | None = None) -> list[Finding]:
        """Every finding, in the order of the help sheet; stops at a screen it cannot reach.

        Fixes (see Fixer) apply to the table in force during the walk only; the table in
        force before is back afterwards, and `suggestions` lists them."""
        with using(in_force()):
            for _ in range(MAX_RESTARTS):
                self.findings = []
                try:
                    return self._walk(state_id, user_id, application)
                except _Restart:
                    continue
        return self.findings

    def _walk(self, state_id: str | None, user_id: str | None,
              application: str | None) -> list[Finding]:
        try:
            search = self._sign_in()
            case = self._open_case(search, state_id, user_id)
            node = self._application(case, application)
            form = self._outcome_form(node)
            self._read_form(form)
            form.cancel()
            self._note("Outcome form", "Cancel (nothing saved)", True)
        except _Missing:
            pass
        return self.findings

    # -- recording --------------------------------------------------------------------

    def _note(self, screen: str, element: str, found: bool, detail: str = "") -> None:
        shot = None if found else self._screenshot(screen)
        self.findings.append(Finding(screen, element, found, detail, shot))

    def _screenshot(self, screen: str) -> str | None:
        name = "".join(ch if ch.isalnum() else "-" for ch in screen.lower()) + ".png"
        path = self._evidence / name
        if path.exists():
            return str(path)
        try:
            self.page.screenshot(path=path, full_page=True)
        except PlaywrightError:
            return None
        return str(path)

    def _look(self, screen: str, element: str, read: Callable[[], T],
              describe: Callable[[T], str] = lambda _: "", *, needed: bool = False) -> T | None:
        """Ask a page object for something; record whether it answered. A `needed` element
        that is missing ends the walk (the next screens cannot be reached without it)."""
        try:
            value = read()
        except (PlaywrightError, ValueError, LookupError) as error:
            notice = outage_notice(self.page)
            detail = f"site unavailable: {notice}" if notice else _why(error)
            fixed = None if notice else self._fix(error, screen)
            if fixed is not None:
                line = wording_lines({fixed.key: [fixed.words]})[0]
                self._note(screen, element, False, f"{detail}; {fixed.how} reads "
                           f"{fixed.words!r}: add {line}")
                try:
                    value = read()
                except (PlaywrightError, ValueError, LookupError):
                    if self._restart:
                        raise _Restart from None
                    if needed:
                        raise _Missing from None
                    return None
                return value
            self._note(screen, element, False, detail)
            if needed:
                raise _Missing from None
            return None
        self._note(screen, element, True, describe(value))
        return value

    def _fix(self, error: Exception, screen: str) -> Suggestion | None:
        """Ask the fixer for the words of a missing element found by its words; add them to
        the table in force and keep them as a suggestion."""
        if (self._fixer is None or not isinstance(error, ElementNotFound) or error.key is None
                or any(s.key == error.key for s in self.suggestions)):
            return None
        words = self._fixer(self.page, error.key)
        if not words:
            return None
        how = "clicked by you" if self._restart else "the only candidate on the screen"
        suggestion = Suggestion(error.key, words, screen, how)
        self.suggestions.append(suggestion)
        use(in_force().with_words({error.key: [words]}, f"suggested ({how})"))
        return suggestion

    # -- the walk ---------------------------------------------------------------------

    def _sign_in(self) -> ParticipantSearch:
        screen = "Staff Sign In"
        login = LoginPage(self.page)
        dashboard = self._look(screen, "sign-in form (Username, Password, Sign In)",
                               lambda: login.open(self._sign_in_url).dashboard_if_signed_in(),
                               lambda d: "already signed in (saved session)" if d else "",
                               needed=True)
        if dashboard is None:
            if self._credentials.password is None:
                self._note(screen, "saved session", False,
                           "expired: run 'caljobs-bot login' again")
                raise _Missing
            try:
                dashboard = login.sign_in(self._credentials.username, self._credentials.password)
            except SignInFailed as refused:
                self._note(screen, "sign in", False, f"the site said: {refused}")
                raise _Missing from None
            except PlaywrightError as error:
                self._note(screen, "staff home page after Sign In", False, _why(error))
                raise _Missing from None
        self._note("Staff home page", "Sign Out link or staff menu", True)
        search = self._look("Staff home page",
                            "menu: Services for Workforce Staff > Manage Individuals > "
                            "Assist an Individual", dashboard.assist_an_individual, needed=True)
        assert search is not None
        return search

    def _open_case(self, search: ParticipantSearch, state_id: str | None,
                   user_id: str | None) -> CasePage:
        screen = "Assist an Individual"
        results = self._look(screen, "search by State ID / User ID, Search Results",
                             lambda: search.search(state_id=state_id, user_id=user_id),
                             lambda rows: f"{len(rows)} result(s)", needed=True)
        if not results:
            self._note(screen, "the participant to check", False,
                       "no participant found with these ids; pick another with --state-id")
            raise _Missing
        case = self._look(screen, "participant name link", lambda: search.open_participant(
            results[0]), needed=True)
        assert case is not None
        return case

    def _application(self, case: CasePage, wanted: str | None) -> ApplicationNode:
        screen = "Case: program applications"
        found = self._look(screen, "WIOA application nodes", case.wioa_applications,
                           lambda apps: f"{len(apps)} WIOA application(s)", needed=True)
        assert found is not None
        open_ones = [a for a in found if fold(a.status) != "exited"]
        numbers = [a.number for a in found]
        if wanted is not None and wanted not in numbers:
            self._note(screen, f"application {wanted}", False, "not one of this participant's")
            raise _Missing
        chosen = wanted or (open_ones[0].number if open_ones else None)
        if chosen is None:
            self._note(screen, "an open WIOA application", False,
                       "every WIOA application has exited; pick another participant")
            raise _Missing
        node = case.application(chosen)
        self._look(screen, "application (+) and its details (LWDB, Onestop, Activities)",
                   node.details, lambda lines: ", ".join(sorted(lines)))
        self._look(screen, "Exit / Outcome section (+)", node.expand_exit_outcome, needed=True)
        return node

    def _outcome_form(self, node: ApplicationNode) -> OutcomeForm:
        screen = "Case: program applications"
        listing = self._look(screen, "Create Exit/Outcome button", node.exit_outcome,
                             lambda shown: "shown" if shown.can_create else "not shown")
        if listing is not None and not listing.can_create:
            self.findings.pop()  # said below: exited, or not found (and how it reads now)
        if listing is not None and listing.listed and not listing.can_create:
            self._note(screen, "Create Exit/Outcome button", False,
                       "not shown: this application already has an outcome; pick a "
                       "participant without one")
            raise _Missing
        # Neither an outcome listed nor a Create button: a Create button in other words,
        # which create_outcome reports by its wording key.
        form = self._look(screen, "Create Exit/Outcome opens the outcome form",
                          node.create_outcome, needed=True)
        assert form is not None
        return form

    def _read_form(self, form: OutcomeForm) -> None:
        screen = "Outcome form: General Information"
        general = form.general
        self._look(screen, "Login Name, User ID, State ID, Name (read-only)",
                   general.participant, lambda _: "shown")
        for caption in ("LWIA/Region", "Office Location", "Staff Position"):
            self._look(screen, f"{caption} dropdown", lambda c=caption: general.options(c),
                       lambda options: f"{len(options)} options")

        screen = "Outcome form: Exit Information"
        self._look(screen, "Exit Date", form.exit.exit_date, lambda _: "MM/DD/YYYY field")
        reasons = self._look(screen, "Exit Reason dropdown", form.exit.reason_options,
                             lambda options: f"{len(options)} options")
        if reasons is not None:
            missing = [r.label for r in EXIT_REASONS
                       if not any(same_option(r.label, o) for o in reasons)]
            self._note(screen, "the hard-exit reasons in Exit Reason", not missing,
                       f"not offered: {', '.join(missing)}" if missing else "all offered")

        screen = "Alternate contacts pop-up"
        popup = self._look(screen, "Manage Alternate Contacts opens the pop-up",
                           form.contacts.manage,
                           lambda p: "separate window" if p.is_window() else "in-page dialog")
        if popup is not None:
            self._look(screen, "contact list", popup.contacts,
                       lambda rows: f"{len(rows)} contact(s)")
            self._look(screen, "Close", popup.close)

        screen = "Outcome form: Staff Information"
        staff = form.staff
        self._look(screen, "case notes list", staff.case_notes,
                   lambda rows: f"{len(rows)} note(s)")
        self._look(screen, "Current Case Manager", staff.current_case_manager,
                   lambda name: "assigned" if name else "none assigned")
        self._look(screen, "Assign Case Manager link", staff.can_assign_case_manager,
                   lambda shown: "shown" if shown else "not shown for this account")
        self._look(screen, "Remove Case Manager Assignment link",
                   staff.can_remove_case_manager,
                   lambda shown: "shown" if shown else "not shown (no case manager, or no right)")
        note = self._look(screen, "Add a new Case Note opens the note form",
                          staff.add_case_note)
        if note is not None:
            self._look(screen, "case note form Cancel (nothing saved)", note.cancel)


def _why(error: Exception) -> str:
    """A short reason without the page's text (which may hold participant data); a page
    object's ElementNotFound says what it looked for, on which screen."""
    if isinstance(error, ElementNotFound):
        return f"not found: {error}"
    if isinstance(error, PlaywrightError):
        return "not found (timed out)" if "Timeout" in type(error).__name__ else "not usable"
    return "not as expected"
