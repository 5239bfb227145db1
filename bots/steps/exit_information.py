"""Step 5, enter the Exit Information: the exit date typed, a global-exclusion reason chosen
(the guide also shows the reason list opened). Everything the tools do at this step is here
(steps/step.py); filling the values is shared with the review step (steps/filling.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from playwright.sync_api import Page

from caljobs_bot.jobfile.exit_reasons import EXIT_REASONS
from caljobs_bot.matching import same_option
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.steps.filling import date_box, exit_boxes, fill_exit, reason_box
from caljobs_bot.steps.framing import Frame, fields
from caljobs_bot.steps.instructions import Say, Values, exit_date_words
from caljobs_bot.steps.practice_checks import Check, is_value
from caljobs_bot.steps.step import HelpSheets, Step
from caljobs_bot.steps.targets import Target

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.steps.preflight import Preflight
    from caljobs_bot.steps.state import RecordRun


def act(run: RecordRun) -> None:
    """Exit Date and Exit Reason."""
    fill_exit(run.form, run.record)


def preflight(walk: Preflight) -> None:
    """Exit Date, and every hard-exit reason offered in Exit Reason."""
    screen = "Outcome form: Exit Information"
    form = walk.need(walk.form)
    walk.look(screen, "Exit Date", form.exit.exit_date, lambda _: "MM/DD/YYYY field")
    reasons = walk.look(screen, "Exit Reason dropdown", form.exit.reason_options,
                        lambda options: f"{len(options)} options")
    if reasons is not None:
        missing = [r.label for r in EXIT_REASONS
                   if not any(same_option(r.label, o) for o in reasons)]
        walk.note(screen, "the hard-exit reasons in Exit Reason", not missing,
                  f"not offered: {', '.join(missing)}" if missing else "all offered")


def target(page: Page, record: Record) -> Target:
    """The section."""
    return Target(OutcomeForm(page).exit.section)


def instructions(record: Record, say: Say) -> list[str]:
    """The date (the participant's: described when masked) and the reason."""
    return [f"Type {exit_date_words(record, say.masked)} in Exit Date.",
            f"Choose {Values.public(record.exit_reason.label)} in Exit Reason."]


def practice(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """The date, then the reason: both looked at again by the review step."""
    day = f"{record.exit_date:%m/%d/%Y}"
    reason = record.exit_reason.label
    return [
        Check(step.key, f"Type {day} in Exit Date.", f"{day} in Exit Date", date_box,
              is_value(date_box, day),
              lambda page: OutcomeForm(page).exit.set_exit_date(record.exit_date), value=day,
              reviewed=True),
        Check(step.key, f"Choose {reason} in Exit Reason.", f"{reason} in Exit Reason",
              reason_box, is_value(reason_box, reason),
              lambda page: OutcomeForm(page).exit.choose_reason(reason), value=reason,
              reviewed=True),
    ]


def picture(page: Page, record: Record) -> Frame | None:
    """Both fields filled in."""
    outlined, each = fields(exit_boxes(page))
    return Frame(outlined, each, "Exit Information filled in.")


def reason_list(page: Page) -> Frame:
    """The Exit Reason dropdown, which the guide shows opened."""
    select = reason_box(page)
    return Frame(select, select, "The Exit Reason list opened: only the global exclusions "
                 "are offered.", "exit-reason-list")


EXIT_INFORMATION = Step(
    "exit_information",
    "Enter the Exit Information",
    "Type the Exit Date (MM/DD/YYYY, not in the future) and choose the Exit Reason. Only "
    "the global exclusions are hard exits: Institutionalized, Health/Medical, Deceased, "
    "Reservist called to Active Duty, and (Youth only) In Foster Care and moved from area. "
    "If none fits, create a regular Closure instead.",
    HelpSheets("Enter the participant's Exit Date and select an Exit Reason here. "
               "\u201cInstitutionalized\u201d and \u201cDeceased\u201d are examples of hard "
               "exit reasons.",
               "In the Exit Information section, enter the participant's 'Exit Date' and "
               "select an 'Exit Reason' here. If you cannot find an appropriate 'Exit Reason', "
               "the participant may not qualify as global exclusion: create a regular "
               "Closure."),
    act, target=target, instructions=instructions, practice=practice, preflight=preflight,
    picture_after=picture, list_after=reason_list,
)
