"""Step 11, confirm the outcome is listed under the application: that, not the message, proves
the save. Everything the tools do at this step is here (steps/step.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from caljobs_bot.pages.case import CasePage
from caljobs_bot.steps.framing import Frame
from caljobs_bot.steps.instructions import Say, exit_date_words
from caljobs_bot.steps.practice_checks import (
    SECTION_WORDS,
    Check,
    application,
    in_section_words,
)
from caljobs_bot.steps.results import RecordFailed
from caljobs_bot.steps.step import HelpSheets, Step
from caljobs_bot.steps.targets import Target

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.steps.state import RecordRun


def act(run: RecordRun) -> None:
    """The outcome must be listed under the application: that proves the save."""
    number = run.node.number
    application = run.case.application(number)
    if not application.outcomes():
        raise RecordFailed(
            f"after Save the site did not list an outcome under application {number}; "
            "check the case by hand before running this record again"
        )
    # The screen as opening the application left it shows the message too: no second read.
    message = run.case.message(application.last_read) or "saved"
    run.outcome = f"application {number}: {message}"


def target(page: Page, record: Record) -> Target:
    """The confirmation message, quoted."""
    message = CasePage(page).confirmation()
    return Target(message, message, "Message")


def instructions(record: Record, say: Say) -> list[str]:
    """Where to look, and the outcome's words to find there."""
    return [f"Under the application's Exit / Outcome section, check the outcome is listed: "
            f"{record.exit_reason.label}, exit date "
            f"{exit_date_words(record, say.masked, 'as typed in Exit Date')}."]


def practice(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """The outcome listed, the section opened by Show me; its name follows the screen."""
    say = (step.lines(record)[0] + f" Click the (+) beside {SECTION_WORDS} if it is "
           "closed.")
    right_one = f"the (+) beside the application's {SECTION_WORDS}"
    day = f"{record.exit_date:%m/%d/%Y}"
    return [Check(step.key, say, right_one,
                  lambda page: application(page, record).tree_item(),
                  lambda page: CasePage.shows_outcome_dated(page, day),
                  lambda page: application(page, record).expand_exit_outcome(),
                  strict=False, reworded=in_section_words(say, right_one))]


def picture(page: Page, record: Record) -> Frame | None:
    """The outcome's line, with the application in the crop when the record names it."""
    case = CasePage(page)
    listed = CasePage.outcome_lines(page)
    area: list[Locator] = [listed]
    if record.application:
        area.insert(0, case.application(record.application).tree_item())
    return Frame(listed, area, "The outcome is listed under the application's Exit / Outcome "
                               "section (application expanded).")


CONFIRM = Step(
    "confirm",
    "Confirm the outcome is listed",
    "Back on the case, the confirmation shows and the outcome is listed under the "
    "application's Exit / Outcome section; the application now shows as exited.",
    HelpSheets(None, None),
    act, target=target, instructions=instructions, practice=practice,
    screen="case", picture_after=picture,
)
