"""What a help-sheet step is, for every tool: the `Step` type.

Each step is written in a module of its own (steps/find_participant.py ... steps/confirm.py),
which holds its definition with everything it does: the action the bot performs, the
read-only check of `caljobs-bot check`, the element a walkthrough outlines and a guide
photographs, the sentences a trainee follows, what practice checks and the guide's picture
after it. steps/definitions.py puts them in order. This module imports none of them, and the
shared helpers it names (targets, instructions, practice_checks, framing) import no step, so
nothing imports back up: a step module reads downwards only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from playwright.sync_api import Error as PlaywrightError

from caljobs_bot.steps.instructions import Say, no_lines
from caljobs_bot.steps.practice_checks import DONE, Check, no_checks
from caljobs_bot.steps.targets import Target, nothing

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.steps.framing import Frame
    from caljobs_bot.steps.preflight import Preflight
    from caljobs_bot.steps.state import RecordRun

# The screen a step starts on: the guide reads the participant's data to hide from it.
Screen = Literal["search", "case", "form"]


@dataclass(frozen=True)
class HelpSheets:
    """The help sheets' own words for a step (None where a sheet says nothing of it): Help
    Sheet 12 (2016) and Help Sheet 10 (2021), abridged, so a trainer can hold a step against
    the sheet the staff know."""

    sheet_2016: str | None
    sheet_2021: str | None


def every_record(record: Record) -> bool:
    """A step every record goes through."""
    return True


@dataclass(frozen=True)
class Step:
    """One help-sheet step: a stable key for code, words for people, and what each tool does
    at it. Only the key, the words and the action are needed; the rest has a neutral default,
    so a new step shows in every tool before it has a picture or a check of its own."""

    key: str
    title: str
    explanation: str
    help_sheets: HelpSheets
    action: Callable[[RecordRun], None]
    """Performs the step with the page objects on the record's RecordRun."""
    applies_to: Callable[[Record], bool] = every_record
    """Whether the record needs this step (contacts, case manager, note: only when given)."""
    target: Callable[[Page, Record], Target] = nothing
    """The element about to be used, asked for just before the action."""
    instructions: Callable[[Record, Say], list[str]] = no_lines
    """What a person does at this step for one record, one sentence each."""
    practice: Callable[[Record, Step, Sequence[Check]], list[Check]] = no_checks
    """What practice mode checks the trainee did at this step, in order, given the checks of
    the steps before it (the review step looks at their form values again)."""
    preflight: Callable[[Preflight], None] | None = None
    """The read-only mode of the step for `caljobs-bot check` (a preflight: the elements are
    looked at, nothing is typed); None: nothing to look at. Not named "check": practice's
    Checks and the command's name are other things."""
    screen: Screen = "form"
    presses_save: bool = False
    """The step that stores the outcome: the ledger's intent line is written before it, and
    a dry run cancels the form instead and stops there."""
    changes_screen: bool = False
    """Its action changes what the screen shows: the guide pictures it before, too."""
    only_looks: bool = False
    """Its action stores nothing on the site (finding the participant, expanding the
    application): the bot runs the leading steps that only look to settle a record whose Save
    had no answer (an outcome listed ends the record as saved)."""
    picture_after: Callable[[Page, Record], Frame | None] | None = None
    list_after: Callable[[Page], Frame] | None = None
    """A dropdown the guide shows opened after the step (the Exit Reason list)."""

    def target_now(self, page: Page, record: Record) -> Target:
        """The step's target on the page as it is now; an empty Target when the page does not
        show it (a walkthrough goes on without an outline rather than stop)."""
        try:
            return self.target(page, record)
        except PlaywrightError:
            return Target()

    def element_for(self, record: Record) -> Callable[[Page], Locator | None]:
        """The element the step points at for this record (what the walkthrough outlines),
        found on whatever page is showing when practice asks."""
        return lambda page: self.target_now(page, record).element

    def lines(self, record: Record, *, masked: bool = False, button: str | None = None,
              dry_run: bool = False, listed_contacts: Sequence[str] = ()) -> list[str]:
        """The actions of this step for this record, one sentence each, in the order done
        (see Say for what each keyword changes)."""
        return self.instructions(record, Say(masked, button, dry_run, tuple(listed_contacts)))

    def picture(self, page: Page, record: Record) -> Frame | None:
        """The picture after the step's action (its `picture_after`, taken when the bot
        announces the next step or the record ends: the screen then shows what the action
        did), or None when the step has none (or the screen does not show it: a picture is
        never worth stopping the replay for)."""
        if self.picture_after is None:
            return None
        try:
            return self.picture_after(page, record)
        except PlaywrightError:
            return None

    def declared_checks(self, record: Record) -> list[Check]:
        """Practice's check for a step the record needs that has no checks of its own: the
        trainee does what its instructions say and clicks Done. Not skipped in silence: the
        panel shows it, and the report judges its result from what the site stored."""
        lines = self.lines(record)
        if not lines:
            return []
        pressed: list[bool] = []
        return [Check(self.key, " ".join(lines) + f" Then click {DONE} in this panel.",
                      " ".join(lines), self.element_for(record), lambda page: bool(pressed),
                      lambda page: pressed.append(True), strict=False, declared=True)]


def step_named(key: str, steps: Sequence[Step]) -> Step:
    """The step with this key among `steps` (KeyError names the known keys)."""
    for each in steps:
        if each.key == key:
            return each
    raise KeyError(f"unknown step {key!r}; known: {', '.join(s.key for s in steps)}")
