"""Step 10, save the outcome: press Save (the ledger's intent line is written before it; a dry
run cancels instead), and the site's errors, if it lists any, are the record's reason.
Everything the tools do at this step is here (steps/step.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from caljobs_bot.pages.case import CasePage
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.pages.site_wording import in_force as wording
from caljobs_bot.steps.framing import Frame
from caljobs_bot.steps.instructions import Say
from caljobs_bot.steps.practice_checks import Check, form_shown, visible
from caljobs_bot.steps.results import RecordFailed
from caljobs_bot.steps.step import HelpSheets, Step
from caljobs_bot.steps.targets import Target, clickable

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.steps.preflight import Preflight
    from caljobs_bot.steps.state import RecordRun


def act(run: RecordRun) -> None:
    """Press Save; the site's errors, if it lists any, are the record's reason."""
    form = run.form
    case_after = form.save()
    if case_after is None:
        errors = form.errors()
        if not errors:
            raise PlaywrightError("the site gave no answer to Save")
        raise RecordFailed("the site refused the outcome: " + " ".join(errors))
    run.reached_case = case_after


def preflight(walk: Preflight) -> None:
    """Where the run presses Save, the check cancels: nothing is ever stored."""
    walk.need(walk.form).cancel()
    walk.note("Outcome form", "Cancel (nothing saved)", True)


def target(page: Page, record: Record) -> Target:
    """The form's Save, with its own words."""
    return clickable(OutcomeForm(page).save_button())


def instructions(record: Record, say: Say) -> list[str]:
    """The button in the screen's words when known."""
    return [f"Click {say.button or 'Save'}."]


def _saved_message_shown(page: Page) -> bool:
    return visible(page.get_by_text(wording().pattern("case.saved_message")))


def practice(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """Done only when the case page says the outcome was saved: Cancel also leads back to
    the case, with nothing stored, and is a mistake, not a Save."""
    def left_unsaved(page: Page) -> str | None:
        if CasePage.is_shown(page) and not form_shown(page) and not _saved_message_shown(page):
            return ("the form was closed without a save (Cancel stores nothing): create the "
                    "outcome again, fill it in and click Save")
        return None

    return [Check(step.key, "Click Save at the bottom of the form.",
                  "the Save button at the bottom of the form", step.element_for(record),
                  lambda page: CasePage.is_shown(page) and _saved_message_shown(page),
                  lambda page: OutcomeForm(page).save(), strict=False, wrong=left_unsaved)]


def picture(page: Page, record: Record) -> Frame | None:
    """The message, with the page's title above it: a bar of words alone is no picture."""
    case = CasePage(page)
    message = case.confirmation()
    return Frame(message, [case.title(), message], "The message the site shows after Save.")


SAVE = Step(
    "save",
    "Save the outcome",
    "Click Save at the bottom of the form. If the site lists errors, correct them; nothing "
    "is stored until the save succeeds.",
    HelpSheets("Finally, click the Save button when finished with the Outcome.",
               "Finally, click the \"Save\" button when finished with the Outcome."),
    act, target=target, instructions=instructions, practice=practice, preflight=preflight,
    presses_save=True, changes_screen=True, picture_after=picture,
)
