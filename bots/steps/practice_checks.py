"""What practice mode checks (`Check`), and the helpers the steps' checks share.

In practice mode the trainee does the record and the tool watches (trainer/practice.py). Each
step's module (steps/find_participant.py ...) writes its own `practice`: the checks of that
step for one record, each saying what the panel says, the element to outline, how the page
shows it is done and what "Show me" does. Practice reads them from the steps in order, so a
new step brings its own checks (or none, the default: the trainee is then asked to do it and
click Done, see Step.declared_checks) and nothing else changes. A step's function is given
the checks of the steps before it, because the review step looks at the form's values once
more.

A check looks at whatever page is showing, many times a second: sections are found without
OutcomeForm(...), which waits for the form.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from caljobs_bot.pages.case import CasePage
from caljobs_bot.pages.outcome_form import OutcomeForm, value_in
from caljobs_bot.pages.site_wording import BUILT_IN

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record


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


def no_checks(record: Record, step: object, earlier: Sequence[Check]) -> list[Check]:
    """A step practice has nothing to check at (the trainee reads its explanation)."""
    return []


def visible(locator: Locator) -> bool:
    """Whether the element is on show now (no waiting: a check looks many times a second)."""
    try:
        return locator.count() > 0 and locator.first.is_visible()
    except PlaywrightError:
        return False


def form_shown(page: Page) -> bool:
    """Whether the outcome form is showing (no waiting)."""
    try:
        return OutcomeForm.showing(page)
    except PlaywrightError:
        return False


def is_value(box_on: Callable[[Page], Locator], wanted: str) -> Callable[[Page], bool]:
    """A check's `done`: the field `box_on` finds holds `wanted` (case and spacing at the
    ends ignored), whether a dropdown or a box."""
    def done(page: Page) -> bool:
        if not form_shown(page):
            return False
        try:
            box = box_on(page)
            if not visible(box):
                return False
            shown = value_in(box)
        except PlaywrightError:
            return False
        return shown.strip().casefold() == wanted.strip().casefold()
    return done


def application(page: Page, record: Record) -> Any:
    """The record's application on the case page (its first WIOA one when none is named)."""
    case = CasePage(page)
    number = record.application or case.wioa_applications()[0].number
    return case.application(number)


def create_shown(page: Page) -> bool:
    """Whether the case page shows the Create (Exit/)Outcome button (the tree is open)."""
    return CasePage.is_shown(page) and visible(CasePage(page).create_outcome_button())


SECTION_WORDS = BUILT_IN.texts("case.exit_outcome_section")[0]
"""How the instructions name the application's outcome section: the wording table's first,
built-in words ("Exit / Outcome", the 2021 screens')."""


def in_section_words(say: str, right_one: str) -> Callable[[Page], tuple[str, str] | None]:
    """Rewords a check that names the outcome section once the screen shows its words."""
    def reworded(page: Page) -> tuple[str, str] | None:
        words = CasePage.outcome_section_words(page)
        if words is None or words == SECTION_WORDS:
            return None
        return say.replace(SECTION_WORDS, words), right_one.replace(SECTION_WORDS, words)
    return reworded
