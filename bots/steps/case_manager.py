"""Step 7, assign or remove the case manager (only for a record that asks for a change), with
the links the staff account may use. Everything the tools do at this step is here
(steps/step.py); practice cannot see the picker, so the trainee declares it done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Page

from caljobs_bot.matching import same_name
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.steps.framing import Frame
from caljobs_bot.steps.instructions import Say, Values
from caljobs_bot.steps.results import RecordFailed
from caljobs_bot.steps.step import HelpSheets, Step
from caljobs_bot.steps.targets import Target, clickable

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.steps.preflight import Preflight
    from caljobs_bot.steps.state import RecordRun

def applies(record: Record) -> bool:
    """Only a record that asks for a change."""
    return record.case_manager is not None


def act(run: RecordRun) -> None:
    """Assign the named case manager, or remove the current one; only when it differs."""
    change = run.record.case_manager
    assert change is not None  # the step applies only to records that ask for a change
    form = run.form
    staff = form.staff
    current = staff.current_case_manager()
    if change.remove:
        if current is None or run.dry_run:
            return
        if not staff.can_remove_case_manager():
            raise RecordFailed(
                "the Remove Case Manager Assignment link is not shown; your staff account "
                "may not have the right to remove case managers"
            )
        staff.remove_case_manager()
        return
    wanted = change.assign
    assert wanted is not None  # the job file gives either remove: true or a name to assign
    if current is not None and same_name(wanted, current):
        return
    if not staff.can_assign_case_manager():
        raise RecordFailed(
            "the Assign Case Manager link is not shown; your staff account may not have "
            "the right to assign case managers"
        )
    if run.dry_run:
        return
    picker = staff.assign_case_manager()
    run.show("case_manager_picker", run.page)
    choice = next((c for c in picker.choices() if same_name(wanted, c)), None)
    if choice is None:
        raise RecordFailed(
            f"case manager '{change.assign}' is not in the site's list of staff"
        )
    run.reached_form = picker.assign(choice)


def preflight(walk: Preflight) -> None:
    """The current case manager and the two links (they depend on the account's rights)."""
    screen = "Outcome form: Staff Information"
    staff = walk.need(walk.form).staff
    walk.look(screen, "Current Case Manager", staff.current_case_manager,
              lambda name: "assigned" if name else "none assigned")
    walk.look(screen, "Assign Case Manager link", staff.can_assign_case_manager,
              lambda shown: "shown" if shown else "not shown for this account")
    walk.look(screen, "Remove Case Manager Assignment link", staff.can_remove_case_manager,
              lambda shown: "shown" if shown else "not shown (no case manager, or no right)")


def target(page: Page, record: Record) -> Target:
    """The link the record's change uses, with its own words."""
    staff = OutcomeForm(page).staff
    removing = record.case_manager is not None and record.case_manager.remove
    link = staff.remove_case_manager_link() if removing else staff.assign_case_manager_link()
    return clickable(link)


def instructions(record: Record, say: Say) -> list[str]:
    """Remove, or assign the named staff member."""
    if record.case_manager is None:
        return []
    if record.case_manager.remove:
        return ["Click Remove Case Manager Assignment."]
    staff = Values.public(record.case_manager.assign or "")
    return ["Click Assign Case Manager.", f"Choose {staff} in Case Manager.",
            "Click Assign: the form reloads with the new case manager."]


def picture(page: Page, record: Record) -> Frame | None:
    """The case manager as the form shows it now (a read-only line, not a field), with the
    Assign link in the crop."""
    staff = OutcomeForm(page).staff
    current = staff.current_case_manager_line()
    return Frame(current, [current, staff.assign_case_manager_link()],
                 "The case manager after the change.")


CASE_MANAGER = Step(
    "case_manager",
    "Assign or remove the case manager",
    "In Staff Information, use Assign Case Manager to pick a staff member, or Remove Case "
    "Manager Assignment to clear it. These links only show if your account may use them.",
    HelpSheets("In this section a case manager may be assigned or removed by clicking either "
               "the \u201cAssign Case Manager\u201d or \u201cRemove Case Manager "
               "Assignment\u201d buttons.",
               "In the Staff Information section, a case manager may be assigned or removed "
               "by clicking the \"Assign Case Manager\" link."),
    act, applies_to=applies, target=target, instructions=instructions, preflight=preflight,
    changes_screen=True, picture_after=picture,
)
