"""Step 9, check the form before saving: a note or a case-manager change reloads the form,
and some values may be lost, so every value is entered again where it differs. Everything the
tools do at this step is here (steps/step.py); the filling is the General and Exit
Information steps' own (steps/filling.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from playwright.sync_api import Page

from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.steps.filling import exit_boxes, fill_exit, fill_general, general_boxes
from caljobs_bot.steps.framing import Frame, fields
from caljobs_bot.steps.instructions import Say, exit_date_words
from caljobs_bot.steps.practice_checks import Check
from caljobs_bot.steps.step import HelpSheets, Step
from caljobs_bot.steps.targets import Target

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.steps.state import RecordRun


def act(run: RecordRun) -> None:
    """Every value once more: a note or a case-manager change may have reloaded the form."""
    fill_general(run.form, run.record)
    fill_exit(run.form, run.record)


def target(page: Page, record: Record) -> Target:
    """The two sections whose values are looked over."""
    form = OutcomeForm(page)
    return Target(form.general.section.or_(form.exit.section))


def instructions(record: Record, say: Say) -> list[str]:
    """The exit values to look at; in a dry run, Cancel instead of the Save that follows."""
    return [f"Check that Exit Date still reads "
            f"{exit_date_words(record, say.masked, 'the date typed')} and Exit Reason "
            f"{record.exit_reason.label}; re-enter anything blank.",
            *(["Click Cancel: this practice run saves nothing."] if say.dry_run else [])]


def practice(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """The earlier form values again: done when all still hold; Show me re-enters those
    that do not."""
    value_checks = [check for check in earlier if check.reviewed]

    def refill(page: Page) -> None:
        for check in value_checks:
            if not check.done(page):
                check.show_me(page)

    return [Check(step.key, " ".join(step.lines(record)) + " (Adding a note reloads the "
                  "form: Office Location and the exit date may be blank again.)",
                  "; ".join(check.right_one for check in value_checks),
                  lambda page: None,
                  lambda page: all(check.done(page) for check in value_checks),
                  refill, strict=False)]


def picture(page: Page, record: Record) -> Frame | None:
    """Every value of both sections in the crop, the exit values outlined."""
    outlined, exit_fields = fields(exit_boxes(page))
    return Frame(outlined, [*general_boxes(page, record), *exit_fields],
                 "Every value still in place, ready to save.")


REVIEW = Step(
    "review",
    "Check the form before saving",
    "Adding a note or changing the case manager reloads the form, and some values may be "
    "lost. Look over every field once more and re-enter anything that is blank.",
    HelpSheets(None, None),
    act, target=target, instructions=instructions, practice=practice,
    picture_after=picture,
)
