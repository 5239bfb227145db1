"""`caljobs-bot check`: a read-only walk through the screens a run needs, before a big run.

It signs in, then runs the read-only `preflight` of each help-sheet step (written in each
step's module, steps/find_participant.py ...): it opens one participant's case, goes to the
outcome form and the contacts pop-up, and asks each page object for what it reads,
recording which elements answered and which did not. It leaves by Cancel and Close and
never presses a Save, so it is safe on the real site: the data team learns whether the
screens still match before hundreds of records depend on it.

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
from typing import TYPE_CHECKING, TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from caljobs_bot.pages.login import LoginPage, SignInFailed
from caljobs_bot.pages.notfound import ElementNotFound
from caljobs_bot.pages.site_notice import outage_notice
from caljobs_bot.pages.site_wording import in_force, use, using
from caljobs_bot.pages.wording_file import wording_lines
from caljobs_bot.steps.definitions import STEPS, Step
from caljobs_bot.steps.walk_ends import WalkEnds

if TYPE_CHECKING:
    from caljobs_bot.pages.case import ApplicationNode, CasePage
    from caljobs_bot.pages.outcome_form import OutcomeForm
    from caljobs_bot.pages.participant_search import ParticipantSearch
    from caljobs_bot.settings.credentials import Credentials

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


class _Restart(Exception):
    """A fix was made where the walk cannot simply retry (the page moved on): walk again."""


class Preflight:
    """Walks the screens for one participant, read-only, collecting findings."""

    def __init__(self, page: Page, sign_in_url: str, credentials: Credentials,
                 evidence: Path, *, fixer: Fixer | None = None, restart: bool = False,
                 steps: tuple[Step, ...] = STEPS) -> None:
        self.page, self._evidence = page, evidence
        self._site = (sign_in_url, credentials)
        self._fixer, self._restart, self._steps = fixer, restart, steps
        self.findings: list[Finding] = []
        self.suggestions: list[Suggestion] = []
        # Whom to walk through, and the screens reached so far (the steps' checks set them).
        self.state_id: str | None = None
        self.user_id: str | None = None
        self.application: str | None = None
        self.search: ParticipantSearch | None = None
        self.case: CasePage | None = None
        self.node: ApplicationNode | None = None
        self.form: OutcomeForm | None = None

    def run(self, *, state_id: str | None = None, user_id: str | None = None,
            application: str | None = None) -> list[Finding]:
        """Every finding, in the order of the help sheet; stops at a screen it cannot reach.

        Fixes (see Fixer) apply to the table in force during the walk only; the table in
        force before is back afterwards, and `suggestions` lists them."""
        self.state_id, self.user_id, self.application = state_id, user_id, application
        with using(in_force()):
            for _ in range(MAX_RESTARTS):
                self.findings = []
                try:
                    return self._walk()
                except _Restart:
                    continue
        return self.findings

    def _walk(self) -> list[Finding]:
        self.search = self.case = self.node = self.form = None
        try:
            self.search = self._sign_in()
            for step in self._steps:
                if step.preflight is not None:
                    step.preflight(self)
        except WalkEnds:
            pass
        return self.findings

    @staticmethod
    def need(value: T | None) -> T:
        """A screen an earlier step reached (the walk ends where one was not)."""
        if value is None:
            raise WalkEnds
        return value

    # -- recording --------------------------------------------------------------------

    def note(self, screen: str, element: str, found: bool, detail: str = "") -> None:
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

    def look(self, screen: str, element: str, read: Callable[[], T],
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
                self.note(screen, element, False, f"{detail}; {fixed.how} reads "
                          f"{fixed.words!r}: add {line}")
                try:
                    value = read()
                except (PlaywrightError, ValueError, LookupError):
                    if self._restart:
                        raise _Restart from None
                    if needed:
                        raise WalkEnds from None
                    return None
                return value
            self.note(screen, element, False, detail)
            if needed:
                raise WalkEnds from None
            return None
        self.note(screen, element, True, describe(value))
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
        sign_in_url, credentials = self._site
        login = LoginPage(self.page)
        dashboard = self.look(screen, "sign-in form (Username, Password, Sign In)",
                              lambda: login.open(sign_in_url).dashboard_if_signed_in(),
                              lambda d: "already signed in (saved session)" if d else "",
                              needed=True)
        if dashboard is None:
            if credentials.password is None:
                self.note(screen, "saved session", False,
                          "expired: run 'caljobs-bot login' again")
                raise WalkEnds
            try:
                dashboard = login.sign_in(credentials.username, credentials.password)
            except SignInFailed as refused:
                self.note(screen, "sign in", False, f"the site said: {refused}")
                raise WalkEnds from None
            except PlaywrightError as error:
                self.note(screen, "staff home page after Sign In", False, _why(error))
                raise WalkEnds from None
        self.note("Staff home page", "Sign Out link or staff menu", True)
        search = self.look("Staff home page",
                           "menu: Services for Workforce Staff > Manage Individuals > "
                           "Assist an Individual", dashboard.assist_an_individual, needed=True)
        assert search is not None
        return search


def _why(error: Exception) -> str:
    """A short reason without the page's text (which may hold participant data); a page
    object's ElementNotFound says what it looked for, on which screen."""
    if isinstance(error, ElementNotFound):
        return f"not found: {error}"
    if isinstance(error, PlaywrightError):
        return "not found (timed out)" if "Timeout" in type(error).__name__ else "not usable"
    return "not as expected"
