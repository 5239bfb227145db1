"""What practice mode checks at each help-sheet step, found through the page objects.

In practice mode the trainee does the record and the tool watches (trainer/practice.py). Each
step's definition (steps/definitions.py) names its function here, as it names its target and
its instructions: the checks of that step for one record, each saying what the panel says,
the element to outline, how the page shows it is done and what "Show me" does. Practice
reads them from the steps in order, so a new step brings its own checks (or none, the
default: the trainee is then asked to do it and click Done, see `declared`) and nothing
else changes. A step's function is given the checks of the steps before
it, because the review step looks at the form's values once more.

A check looks at whatever page is showing, many times a second: sections are found without
OutcomeForm(...), which waits for the form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from caljobs_bot.pages.case import IDS_SHOWN, NAME_BEFORE_IDS, OUTCOME_LINE, CasePage
from caljobs_bot.pages.dashboard import StaffDashboard
from caljobs_bot.pages.fields import field as field_of
from caljobs_bot.pages.fields import section, selected_label, squeeze
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.pages.participant_search import ParticipantSearch
from caljobs_bot.pages.site_wording import in_force as wording
from caljobs_bot.steps import instructions, targets

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.steps.definitions import Step


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
    reviewed: bool = False
    """A value on the outcome form that a reload may blank (adding a case note reloads it):
    the review step looks at it again, and its Show me types it again."""
    wrong: Callable[[Page], str | None] | None = None
    """What the page shows that is wrong for this check (the other participant's case
    opened, the form left without a save), said as a mistake; None while nothing is."""
    reworded: Callable[[Page], tuple[str, str] | None] | None = None
    """`say` and `right_one` in the words the screen shows now (the 2016 screens' button is
    "Create Outcome"); None keeps the words the check was made with."""
    declared: bool = False
    """Practice cannot see this step done on the page (the contacts pop-up, the case
    manager): the trainee does it and clicks Done; the result on the site is judged at the
    end, so a skipped step still shows in the report."""


DONE = "Done"
"""The panel's button for a check the trainee declares done."""


def declared(record: Record, step: Step) -> list[Check]:
    """A step the record needs that has no checks of its own: the trainee does what its
    instructions say and clicks Done. Not skipped in silence: the panel shows it, and the
    report judges its result from what the site stored."""
    lines = _lines(step, record)
    if not lines:
        return []
    pressed: list[bool] = []
    return [Check(step.key, " ".join(lines) + f" Then click {DONE} in this panel.",
                  " ".join(lines), _target_of(step, record), lambda page: bool(pressed),
                  lambda page: pressed.append(True), strict=False, declared=True)]


def no_checks(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """A step practice has nothing to check at (the trainee reads its explanation)."""
    return []


def _visible(locator: Locator) -> bool:
    try:
        return locator.count() > 0 and locator.first.is_visible()
    except PlaywrightError:
        return False


def form_shown(page: Page) -> bool:
    """Whether the outcome form is showing (no waiting: its Exit Reason dropdown is there)."""
    return _visible(field_of(page, "Exit Reason"))


def _general(page: Page) -> Locator:
    return section(page, "General Information")


def _exit_section(page: Page) -> Locator:
    return section(page, "Exit Information")


def _is_value(caption: str, scope: Callable[[Page], Locator], wanted: str) -> Callable[
        [Page], bool]:
    def done(page: Page) -> bool:
        if not form_shown(page):
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


def _lines(step: Step, record: Record) -> list[str]:
    """The step's instructions for this record, as the guide prints them."""
    return instructions.for_step(step, record)


def _target_of(step: Step, record: Record) -> Callable[[Page], Locator | None]:
    """The element the step's definition points at (what the walkthrough outlines)."""
    return lambda page: targets.for_step(step, page, record).element


def _application(page: Page, record: Record) -> Any:
    case = CasePage(page)
    number = record.application or case.wioa_applications()[0].number
    return case.application(number)


def find_participant(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """The menus, the search, then the participant's name."""
    who = record.participant
    lines = _lines(step, record)
    caption = "State ID" if who.state_id else "User ID"
    key = who.state_id or who.user_id or ""
    search_by = {caption.lower().replace(" ", "_"): key}

    def search_done(page: Page) -> bool:
        return ParticipantSearch.is_shown(page) and _visible(
            ParticipantSearch(page).name_link(key))

    def right_case(page: Page) -> bool:
        return CasePage.is_shown(page) and _case_ids(page) is not None and not other_case(page)

    def other_case(page: Page) -> str | None:
        if not CasePage.is_shown(page):
            return None
        shown = _case_ids(page)
        if shown is None:
            return None
        wanted = {"State ID": who.state_id, "User ID": who.user_id}
        if all(shown.get(caption) == value for caption, value in wanted.items() if value):
            return None
        ids = ", ".join(f"{caption} {value}" for caption, value in shown.items())
        return (f"this case is {ids}, not the record's participant: go back to the search "
                f"and open the row with {caption} {key}")

    def open_case(page: Page) -> None:
        search = ParticipantSearch(page)
        found = [r for r in search.search(**search_by)
                 if key in (r.state_id, r.user_id)]
        if found:
            search.open_participant(found[0])

    return [
        Check(step.key, lines[0],
              "the menu Services for Workforce Staff, then Manage Individuals, then Assist an "
              "Individual", lambda page: None, ParticipantSearch.is_shown,
              lambda page: StaffDashboard(page).assist_an_individual(), strict=False),
        Check(step.key, lines[1],
              f"the {caption} box: type {key}, then click Search",
              lambda page: ParticipantSearch(page).search_box(caption).or_(
                  ParticipantSearch(page).search_button()), search_done,
              lambda page: ParticipantSearch(page).search(**search_by),
              value=key),
        Check(step.key, lines[2],
              f"the name in the row with {caption} {key}",
              lambda page: ParticipantSearch(page).name_link(key), right_case,
              open_case, strict=False, wrong=other_case),
    ]


def _case_ids(page: Page) -> dict[str, str] | None:
    """The ids the case page shows beside the name (None while it cannot be read). Read
    from the banner without CasePage(...), which waits for it and may click the Programs
    tab: a check only looks, many times a second."""
    banner = page.get_by_text(NAME_BEFORE_IDS).filter(visible=True)
    try:
        if not CasePage.is_shown(page) or not _visible(banner):
            return None
        text = squeeze(banner.first.inner_text())
    except PlaywrightError:
        return None
    return {caption: match[1] for caption, pattern in IDS_SHOWN.items()
            if (match := pattern.search(text))}


def _create_shown(page: Page) -> bool:
    return CasePage.is_shown(page) and _visible(CasePage(page).create_outcome_button())


SECTION_WORDS = "Exit / Outcome"
"""How the instructions name the application's outcome section (the 2021 screens' words)."""


def _section_shown(page: Page) -> str | None:
    """The outcome section's words as the screen shows them ("Outcome" on the 2016
    screens); None while no section is on show (the tree is still closed)."""
    for words in sorted(wording().texts("case.exit_outcome_section"), key=len, reverse=True):
        if _visible(page.get_by_text(words, exact=True).filter(visible=True)):
            return words
    return None


def _in_section_words(say: str, right_one: str) -> Callable[[Page], tuple[str, str] | None]:
    """Rewords a check that names the outcome section once the screen shows its words."""
    def reworded(page: Page) -> tuple[str, str] | None:
        words = _section_shown(page)
        if words is None or words == SECTION_WORDS:
            return None
        return say.replace(SECTION_WORDS, words), right_one.replace(SECTION_WORDS, words)
    return reworded


def open_application(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """The section's name follows the screen once the application is open."""
    say = " ".join(_lines(step, record))
    right_one = f"the (+) to the left of the application, then the (+) beside {SECTION_WORDS}"
    return [Check(step.key, say, right_one,
                  lambda page: _application(page, record).tree_item(), _create_shown,
                  lambda page: _application(page, record).expand_exit_outcome(),
                  strict=False, reworded=_in_section_words(say, right_one))]


def create_outcome(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """The button in the screen's own words ("Create Outcome" on the 2016 screens)."""
    def reworded(page: Page) -> tuple[str, str] | None:
        # Looked at many times a second: only while the button is on show (a page object
        # asked on another page would wait for it).
        if not _create_shown(page):
            return None
        try:
            # A submit input shows its value, not inner text.
            words = squeeze(CasePage(page).create_outcome_button().evaluate(
                "e => e.tagName === 'INPUT' ? e.value : e.innerText") or "")
        except PlaywrightError:
            return None
        if not words:
            return None
        return (instructions.for_step(step, record, button=words)[0],
                f"the {words} button under the application")

    return [Check(step.key, _lines(step, record)[0],
                  "the Create Exit/Outcome button under Exit / Outcome",
                  _target_of(step, record), form_shown,
                  lambda page: _application(page, record).create_outcome(),
                  reworded=reworded)]


def general_information(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """One check per dropdown, each with the value it must show."""
    def dropdown(caption: str) -> Callable[[Page], Locator | None]:
        return lambda page: field_of(_general(page), caption)

    def choose(setter: str, value: str) -> Callable[[Page], object]:
        return lambda page: getattr(OutcomeForm(page).general, setter)(value)

    return [Check(step.key, f"Choose {value} in {caption}.", f"{value} in {caption}",
                  dropdown(caption), _is_value(caption, _general, value),
                  choose(setter, value), value=value, reviewed=True)
            for caption, value, setter in (
                ("LWIA/Region", record.lwia_region, "set_lwia_region"),
                ("Office Location", record.office_location, "set_office_location"),
                ("Staff Position", record.staff_position, "set_staff_position"))]


def exit_information(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    day = f"{record.exit_date:%m/%d/%Y}"
    reason = record.exit_reason.label
    return [
        Check(step.key, f"Type {day} in Exit Date.", f"{day} in Exit Date",
              lambda page: field_of(_exit_section(page), "Exit Date"),
              _is_value("Exit Date", _exit_section, day),
              lambda page: OutcomeForm(page).exit.set_exit_date(record.exit_date), value=day,
              reviewed=True),
        Check(step.key, f"Choose {reason} in Exit Reason.", f"{reason} in Exit Reason",
              lambda page: field_of(_exit_section(page), "Exit Reason"),
              _is_value("Exit Reason", _exit_section, reason),
              lambda page: OutcomeForm(page).exit.choose_reason(reason), value=reason,
              reviewed=True),
    ]


def case_note(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """Done when the note is listed in Staff Information (the panel takes several clicks)."""
    note = record.case_note
    if note is None:
        return []

    def note_listed(page: Page) -> bool:
        if not form_shown(page):
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

    return [Check(step.key, " ".join(_lines(step, record)),
                  "the link Add a new Case Note in Staff Information; then Subject, Comments "
                  "and Save in the Case Note panel",
                  _target_of(step, record), note_listed, add_note, strict=False)]


def review(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """The earlier form values again: done when all still hold; Show me re-enters those
    that do not."""
    value_checks = [check for check in earlier if check.reviewed]

    def refill(page: Page) -> None:
        for check in value_checks:
            if not check.done(page):
                check.show_me(page)

    return [Check(step.key, " ".join(_lines(step, record)) + " (Adding a note reloads the "
                  "form: Office Location and the exit date may be blank again.)",
                  "; ".join(check.right_one for check in value_checks),
                  lambda page: None,
                  lambda page: all(check.done(page) for check in value_checks),
                  refill, strict=False)]


def _saved_message_shown(page: Page) -> bool:
    return _visible(page.get_by_text(wording().pattern("case.saved_message")))


def save(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """Done only when the case page says the outcome was saved: Cancel also leads back to
    the case, with nothing stored, and is a mistake, not a Save."""
    def left_unsaved(page: Page) -> str | None:
        if CasePage.is_shown(page) and not form_shown(page) and not _saved_message_shown(page):
            return ("the form was closed without a save (Cancel stores nothing): create the "
                    "outcome again, fill it in and click Save")
        return None

    return [Check(step.key, "Click Save at the bottom of the form.",
                  "the Save button at the bottom of the form", _target_of(step, record),
                  lambda page: CasePage.is_shown(page) and _saved_message_shown(page),
                  lambda page: OutcomeForm(page).save(), strict=False, wrong=left_unsaved)]


def _outcome_listed(page: Page, record: Record) -> bool:
    """An outcome line and the record's exit date are on show (in one line, or as a small
    table's header and its row): any outcome line alone may be another application's."""
    day = f"{record.exit_date:%m/%d/%Y}"
    return (_visible(page.get_by_text(OUTCOME_LINE).filter(visible=True))
            and _visible(page.get_by_text(day).filter(visible=True).filter(
                has_not_text=re.compile(r"Application\s+Date", re.IGNORECASE))))


def confirm(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    say = (_lines(step, record)[0] + f" Click the (+) beside {SECTION_WORDS} if it is "
           "closed.")
    right_one = f"the (+) beside the application's {SECTION_WORDS}"
    return [Check(step.key, say, right_one,
                  lambda page: _application(page, record).tree_item(),
                  lambda page: _outcome_listed(page, record),
                  lambda page: _application(page, record).expand_exit_outcome(),
                  strict=False, reworded=_in_section_words(say, right_one))]
