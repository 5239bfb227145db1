"""Practice mode: the trainee does the record; the tool watches, checks and coaches.

The walkthrough and the guide show the bot doing the work. Here the roles are swapped: the
caption panel says what to do next with this record's values (bots/steps/instructions.py), the
element to use is outlined, and the trainee does it in the browser. A small script in every
page reports each click and each changed field back to Python; the page itself (through the
page objects) says when a check is done. A click on another button or link, or a wrong value
in the outlined field, is a mistake: the first gets a hint, and from the second on the hint
names the right element or value. The tool never acts by itself; "Show me" in the panel does
the current check, once, with the page objects the bot uses.

At the end the outcome is read from the sandbox's own state (what was really saved), and a
short report (time and mistakes per step) is written for the trainer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from caljobs_bot.pages.case import OUTCOME_LINE, CasePage
from caljobs_bot.pages.dashboard import StaffDashboard
from caljobs_bot.pages.fields import field as field_of
from caljobs_bot.pages.fields import section, selected_label
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.pages.overlay import Caption, CaptionPanel, clear_outline, outline
from caljobs_bot.pages.participant_search import ParticipantSearch
from caljobs_bot.steps import instructions
from caljobs_bot.steps.definitions import (
    CASE_NOTE,
    CONFIRM,
    CREATE_OUTCOME,
    EXIT_INFORMATION,
    FIND_PARTICIPANT,
    GENERAL_INFORMATION,
    OPEN_APPLICATION,
    REVIEW,
    SAVE,
    STEPS,
    Step,
    number,
)
from caljobs_bot.steps.definitions import step as step_by_key
from caljobs_bot.steps.targets import for_step
from caljobs_bot.trainer.practice_report import (
    PracticeResult,
    StepScore,
    saved_outcome,
    write_report,
)

if TYPE_CHECKING:
    from caljobs_bot.fixtures.sandbox.client import SandboxClient
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.settings.browser_session import SessionOptions

SHOW_ME = "Show me"
# How long the watcher waits for the panel's Show me before it looks at the page again
# (Playwright's own wait; the page's reports arrive meanwhile).
WATCH_SLICE_MS = 250

# Reports every click and every changed field to Python (the binding below), with what a
# person would call the element and whether it is (inside) the outlined one.
_WATCH_SCRIPT = """
(() => {
  if (window.__caljobsPracticeWatch) return;
  window.__caljobsPracticeWatch = true;
  const describe = (e) => (e.innerText || e.value || e.getAttribute("alt") ||
                           e.getAttribute("title") || e.tagName).trim().slice(0, 60);
  const report = (kind, element) => {
    if (!window.__caljobsPracticeEvent) return;
    const panel = element.closest("#caljobs-walkthrough");
    if (panel) return;
    const value = element.tagName === "SELECT"
      ? (element.selectedOptions[0] ? element.selectedOptions[0].text : "") : element.value;
    window.__caljobsPracticeEvent({ kind, tag: element.tagName.toLowerCase(),
      type: (element.getAttribute("type") || "").toLowerCase(), name: describe(element),
      value: value ?? "", outlined: Boolean(element.closest("[data-caljobs-outline]")) });
  };
  document.addEventListener("click", (event) => {
    if (!(event.target instanceof Element)) return;
    const clicked = event.target.closest("a, button, input, select, textarea, [onclick]");
    if (clicked) report("click", clicked);
  }, true);
  document.addEventListener("change", (event) => {
    if (event.target instanceof Element) report("change", event.target);
  }, true);
})();
"""


@dataclass
class Check:
    """One thing the trainee does: what the panel says, the element to use, how the page
    shows it is done, and what Show me does."""

    step: str
    say: str
    right_one: str
    """Names the right element or value, for the hint after two misses."""
    target: Callable[[Page], Locator | None]
    done: Callable[[Page], bool]
    show_me: Callable[[Page], object]
    """What Show me does (whatever the page object's call returns is not used)."""
    value: str | None = None
    """For a field: the value it must hold (a different one is a wrong value)."""
    strict: bool = True
    """Whether a click on any other button or link is a mistake (not for checks that take
    several clicks: the menus, the tree's (+), the case-note panel)."""


@dataclass(frozen=True)
class Prompt:
    """What the panel shows now: for the command line, and for a test playing the trainee."""

    check: Check
    page: Page
    caption: Caption
    misses: int


def _visible(locator: Locator) -> bool:
    try:
        return locator.count() > 0 and locator.first.is_visible()
    except PlaywrightError:
        return False


def _form_shown(page: Page) -> bool:
    """Whether the outcome form is showing (no waiting: its Exit Reason dropdown is there)."""
    return _visible(field_of(page, "Exit Reason"))


def _is_value(caption: str, scope: Callable[[Page], Locator], wanted: str) -> Callable[
        [Page], bool]:
    def done(page: Page) -> bool:
        if not _form_shown(page):
            return False
        try:
            box = field_of(scope(page), caption)
            if not _visible(box):
                return False
            shown = (selected_label(box) if box.evaluate("e => e.tagName") == "SELECT"
                     else box.input_value())
        except PlaywrightError:
            return False
        return shown.strip().casefold() == wanted.strip().casefold()
    return done


def checks_for(record: Record, *, client: SandboxClient | None = None) -> list[Check]:
    """The checks of one record, in the help sheet's order."""
    who = record.participant
    # Sections found without OutcomeForm(...), which waits for the form: a check looks at
    # whatever page is showing, many times a second.
    general = lambda page: section(page, "General Information")  # noqa: E731 - a lookup
    exit_section = lambda page: section(page, "Exit Information")  # noqa: E731
    lines = {s.key: instructions.for_step(s, record) for s in STEPS}
    caption = "State ID" if who.state_id else "User ID"
    key = who.state_id or who.user_id or ""
    search_by = {caption.lower().replace(" ", "_"): key}

    def target_of(step: Step, page: Page) -> Locator | None:
        """The element the step's definition points at (what the walkthrough outlines)."""
        return for_step(step, page, record).element

    def search_done(page: Page) -> bool:
        return ParticipantSearch.is_shown(page) and _visible(
            page.locator("tr").filter(has=page.get_by_text(key, exact=True))
            .filter(has=page.get_by_role("link")))

    def open_case(page: Page) -> None:
        search = ParticipantSearch(page)
        found = [r for r in search.search(**search_by)
                 if key in (r.state_id, r.user_id)]
        if found:
            search.open_participant(found[0])

    def application(page: Page) -> Any:
        case = CasePage(page)
        number_ = record.application or case.wioa_applications()[0].number
        return case.application(number_)

    def create_shown(page: Page) -> bool:
        return CasePage.is_shown(page) and _visible(CasePage(page).create_outcome_button())

    checks = [
        Check(FIND_PARTICIPANT.key, lines[FIND_PARTICIPANT.key][0],
              "the menu Services for Workforce Staff, then Manage Individuals, then Assist an "
              "Individual", lambda page: None, ParticipantSearch.is_shown,
              lambda page: StaffDashboard(page).assist_an_individual(), strict=False),
        Check(FIND_PARTICIPANT.key, lines[FIND_PARTICIPANT.key][1],
              f"the {caption} box: type {key}, then click Search",
              lambda page: ParticipantSearch(page).search_box(caption).or_(
                  ParticipantSearch(page).search_button()), search_done,
              lambda page: ParticipantSearch(page).search(**search_by),
              value=key),
        Check(FIND_PARTICIPANT.key, lines[FIND_PARTICIPANT.key][2],
              f"the name in the row with {caption} {key}",
              lambda page: page.locator("tr").filter(has=page.get_by_text(key, exact=True))
              .last.get_by_role("link").first, CasePage.is_shown, open_case),
        Check(OPEN_APPLICATION.key, " ".join(lines[OPEN_APPLICATION.key]),
              "the (+) to the left of the application, then the (+) beside Exit / Outcome",
              lambda page: application(page).tree_item(), create_shown,
              lambda page: application(page).expand_exit_outcome(), strict=False),
        Check(CREATE_OUTCOME.key, lines[CREATE_OUTCOME.key][0],
              "the Create Exit/Outcome button under Exit / Outcome",
              lambda page: target_of(CREATE_OUTCOME, page),
              _form_shown,
              lambda page: application(page).create_outcome()),
    ]
    def dropdown(caption_: str) -> Callable[[Page], Locator | None]:
        return lambda page: field_of(general(page), caption_)

    def choose(setter: str, value: str) -> Callable[[Page], object]:
        return lambda page: getattr(OutcomeForm(page).general, setter)(value)

    for caption_, value, setter in (
            ("LWIA/Region", record.lwia_region, "set_lwia_region"),
            ("Office Location", record.office_location, "set_office_location"),
            ("Staff Position", record.staff_position, "set_staff_position")):
        checks.append(Check(
            GENERAL_INFORMATION.key, f"Choose {value} in {caption_}.", f"{value} in {caption_}",
            dropdown(caption_), _is_value(caption_, general, value), choose(setter, value),
            value=value))
    day = f"{record.exit_date:%m/%d/%Y}"
    checks += [
        Check(EXIT_INFORMATION.key, f"Type {day} in Exit Date.", f"{day} in Exit Date",
              lambda page: field_of(exit_section(page), "Exit Date"),
              _is_value("Exit Date", exit_section, day),
              lambda page: OutcomeForm(page).exit.set_exit_date(record.exit_date), value=day),
        Check(EXIT_INFORMATION.key, f"Choose {record.exit_reason.label} in Exit Reason.",
              f"{record.exit_reason.label} in Exit Reason",
              lambda page: field_of(exit_section(page), "Exit Reason"),
              _is_value("Exit Reason", exit_section, record.exit_reason.label),
              lambda page: OutcomeForm(page).exit.choose_reason(record.exit_reason.label),
              value=record.exit_reason.label),
    ]
    if CASE_NOTE.applies_to(record) and record.case_note is not None:
        note = record.case_note

        def note_listed(page: Page) -> bool:
            if not _form_shown(page):
                return False
            try:
                return any(row.subject == note.subject
                           for row in OutcomeForm(page).staff.case_notes())
            except PlaywrightError:
                return False

        def add_note(page: Page) -> None:
            form = OutcomeForm(page).staff.add_case_note()
            form.fill(note.subject, note.comments, note.attachment)
            form.save()

        checks.append(Check(
            CASE_NOTE.key, " ".join(lines[CASE_NOTE.key]),
            "the link Add a new Case Note in Staff Information; then Subject, Comments and "
            "Save in the Case Note panel",
            lambda page: target_of(CASE_NOTE, page), note_listed, add_note,
            strict=False))
    value_checks = [check for check in checks if check.value is not None
                    and check.step in (GENERAL_INFORMATION.key, EXIT_INFORMATION.key)]

    def refill(page: Page) -> None:
        for check in value_checks:
            if not check.done(page):
                check.show_me(page)

    checks += [
        Check(REVIEW.key, " ".join(lines[REVIEW.key]) + " (Adding a note reloads the form: "
              "Office Location and the exit date may be blank again.)",
              "; ".join(check.right_one for check in value_checks),
              lambda page: None, lambda page: all(check.done(page) for check in value_checks),
              refill, strict=False),
        Check(SAVE.key, "Click Save at the bottom of the form.", "the Save button at the bottom "
              "of the form", lambda page: target_of(SAVE, page),
              lambda page: CasePage.is_shown(page) and not _form_shown(page),
              lambda page: OutcomeForm(page).save()),
        Check(CONFIRM.key, lines[CONFIRM.key][0] + " Click the (+) beside Exit / Outcome if it "
              "is closed.", "the (+) beside the application's Exit / Outcome",
              lambda page: application(page).tree_item(),
              lambda page: _visible(page.get_by_text(OUTCOME_LINE)),
              lambda page: application(page).expand_exit_outcome(), strict=False),
    ]
    return checks


@dataclass
class _Watched:
    """What the page reported since the last look."""

    events: list[dict[str, Any]] = field(default_factory=list)


class Practice:
    """Runs the checks of one record on a signed-in page."""

    def __init__(self, page: Page, record: Record, *,
                 on_prompt: Callable[[Prompt], None] | None = None,
                 patience_seconds: float | None = None) -> None:
        self.page = page
        self.record = record
        self.checks = checks_for(record)
        self.scores = {s.key: StepScore(s.title) for s in STEPS}
        self._on_prompt = on_prompt
        self._patience = patience_seconds
        self._watched = _Watched()
        self.panel = CaptionPanel(page.context)
        page.context.expose_binding("__caljobsPracticeEvent", self._event)
        page.context.add_init_script(script=_WATCH_SCRIPT)
        for open_page in page.context.pages:
            open_page.evaluate(_WATCH_SCRIPT)

    def _event(self, _source: object, event: dict[str, Any]) -> None:
        self._watched.events.append(event)

    def run(self) -> bool:
        """Coach the trainee through every check; whether all were done (False when the
        patience ran out)."""
        started = time.monotonic()
        for index, check in enumerate(self.checks):
            if not self._practise(index, check):
                return False
        self.panel.show(Caption("Practice finished", "Well done: the outcome is saved",
                                f"{sum(s.mistakes for s in self.scores.values())} mistakes in "
                                f"{time.monotonic() - started:.0f} seconds.", button=None))
        clear_outline(self.page)
        return True

    def _practise(self, index: int, check: Check) -> bool:
        score = self.scores[check.step]
        began = time.monotonic()
        misses = 0
        self._watched.events.clear()
        hint: str | None = None
        self._prompt(index, check, hint, misses)
        try:
            while not check.done(self.page):
                if self.panel.wait_for_next(self.page, WATCH_SLICE_MS):
                    score.shown += 1
                    check.show_me(self.page)
                    continue
                new_misses, about = self._misses(check)
                if new_misses:
                    misses += new_misses
                    score.mistakes += new_misses
                    hint = (f"Not that one ({about}). Look for the outlined element."
                            if misses < 2 else f"The right one: {check.right_one}.")
                    self._prompt(index, check, hint, misses)
                elif self._patience is not None and time.monotonic() - began > self._patience:
                    return False
                elif self._watched.events:
                    self._watched.events.clear()
            return True
        finally:
            score.seconds += time.monotonic() - began

    def _misses(self, check: Check) -> tuple[int, str]:
        """Mistakes among the events reported since the last look, and what the last was."""
        misses, about = 0, ""
        clicked_wrong = False
        for event in self._watched.events:
            clickable = event["tag"] == "a" or event["tag"] == "button" or (
                event["tag"] == "input" and event["type"] in ("submit", "button", "image"))
            if (event["kind"] == "click" and clickable and not event["outlined"]
                    and check.strict):
                misses += 1
                about = f"that was {event['name']!r}"
                clicked_wrong = True  # a field it changes is its effect, not a second miss
            elif (event["kind"] == "change" and event["outlined"] and check.value is not None
                  and not clicked_wrong
                  and event["value"].strip().casefold() != check.value.strip().casefold()):
                misses += 1
                about = f"{event['value']!r} is not the value wanted"
        self._watched.events.clear()
        return misses, about

    def _prompt(self, index: int, check: Check, hint: str | None, misses: int) -> None:
        step = step_by_key(check.step)
        caption = Caption(f"Practice  ·  step {number(check.step)} of {len(STEPS)}  ·  "
                          f"check {index + 1} of {len(self.checks)}", step.title, check.say,
                          note=hint, hint="Do it in the page; Show me does it for you.",
                          button=SHOW_ME)
        clear_outline(self.page)
        self.panel.show(caption, button_on=self.page)
        try:
            target = check.target(self.page)
            if target is not None and target.count():
                outline(target)
        except PlaywrightError:
            pass  # no outline is better than no practice
        if self._on_prompt is not None:
            self._on_prompt(Prompt(check, self.page, caption, misses))


def practise_on(page: Page, sign_in_url: str, username: str, password: str, record: Record,
                client: SandboxClient, report_path: Path, *,
                on_prompt: Callable[[Prompt], None] | None = None,
                patience_seconds: float | None = None) -> PracticeResult:
    """Sign in on `page` (the tool's only action of its own: sign-in is no help-sheet step),
    coach the trainee through the record, then read what the sandbox saved and write the
    report."""
    from caljobs_bot.pages.login import LoginPage

    LoginPage(page).open(sign_in_url).sign_in(username, password)
    practice = Practice(page, record, on_prompt=on_prompt, patience_seconds=patience_seconds)
    finished = practice.run()
    result = PracticeResult(practice.scores, finished, saved_outcome(client, record),
                            report_path)
    write_report(report_path, result, record)
    return result


def run_practice(record: Record, report_path: Path, *, session: SessionOptions,
                 ui: str = "2021", captions: str = "label", popup: str = "window",
                 on_prompt: Callable[[Prompt], None] | None = None) -> PracticeResult:
    """Start the sandbox and a browser as `session` says (visible unless headless), and
    practise one record on them."""
    from caljobs_bot.fixtures.sandbox import SANDBOX_PASSWORD, SANDBOX_USERNAME
    from caljobs_bot.fixtures.sandbox.client import SandboxClient
    from caljobs_bot.fixtures.sandbox.server import Sandbox
    from caljobs_bot.settings.browser_session import open_session

    with Sandbox(port=0, ui=ui, captions=captions, popup=popup) as server, \
            open_session(session) as opened:
        return practise_on(opened.new_page(), server.sign_in_url, SANDBOX_USERNAME,
                           SANDBOX_PASSWORD, record, SandboxClient(server.root_url),
                           report_path, on_prompt=on_prompt)
