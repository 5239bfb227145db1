"""What the bot does at each help-sheet step, with the page objects.

One function per step, each given the record's RecordRun (steps/state.py): the rules around
the steps (right person, one outcome per application, every value checked before Save, a case
note never added twice) live here; markup lives in the page objects. steps/definitions.py
names the function of each step, and the bot calls them in order.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError

from caljobs_bot.matching import fold, same_name, same_option
from caljobs_bot.pages.contacts_popup import Contact, ContactNotSaved
from caljobs_bot.pages.participant_search import SearchResult
from caljobs_bot.steps.results import RecordFailed, RecordSkipped

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.pages.case import ApplicationNode, CasePage
    from caljobs_bot.pages.contacts_popup import AlternateContactsPopup
    from caljobs_bot.pages.outcome_form import OutcomeForm
    from caljobs_bot.steps.state import RecordRun


def find_participant(run: RecordRun) -> None:
    """Search by State ID (else User ID), check the name, open the case."""
    who = run.record.participant
    search = run.participant_search()
    if who.state_id:
        results = search.search(state_id=who.state_id)
    else:
        results = search.search(user_id=who.user_id)
    matches = [r for r in results if same_ids(r, who.state_id, who.user_id)]
    if not matches:
        key = f"State ID {who.state_id}" if who.state_id else f"User ID {who.user_id}"
        raise RecordFailed(f"no participant found with {key}")
    if len(matches) > 1:
        raise RecordFailed("the search found several participants with these ids")
    found = matches[0]
    if who.name and not same_name(who.name, found.name):
        raise RecordFailed(
            "the name in the job file does not match the participant the site found "
            "for these ids; nothing was entered"
        )
    run.show("search_results", run.page)
    run.reached_case = search.open_participant(found)


def open_application(run: RecordRun) -> None:
    """Expand the application to exit; skip it when an outcome is listed already."""
    record = run.record
    node = _choose_application(run.case, record)
    exit_outcome = node.exit_outcome()
    # An outcome listed means the application has exited: never a second one. Neither an
    # outcome nor a Create button means the screen differs: the next step says what is missing.
    if exit_outcome.listed:
        listed = "; ".join(exit_outcome.listed)
        raise RecordSkipped(
            f"application {node.number} already has an Exit/Outcome ({listed}); "
            "nothing was saved"
        )
    if record.exit_reason.youth_only and fold(node.program()) != "youth":
        raise RecordFailed(
            f"'{record.exit_reason.label}' is only valid on a Youth application; "
            f"application {node.number} is {node.program()}"
        )
    run.reached_node = node


def create_outcome(run: RecordRun) -> None:
    """Click Create (Exit/)Outcome."""
    run.reached_form = run.node.create_outcome()


def general_information(run: RecordRun) -> None:
    """The right person, then LWIA/Region, Office Location and Staff Position."""
    check_participant(run.form, run.record)
    fill_general(run.form, run.record)


def exit_information(run: RecordRun) -> None:
    """Exit Date and Exit Reason."""
    fill_exit(run.form, run.record)


def review(run: RecordRun) -> None:
    """Every value once more: a note or a case-manager change may have reloaded the form."""
    fill_general(run.form, run.record)
    fill_exit(run.form, run.record)


def save(run: RecordRun) -> None:
    """Press Save; the site's errors, if it lists any, are the record's reason."""
    form = run.form
    case_after = form.save()
    if case_after is None:
        errors = form.errors()
        if not errors:
            raise PlaywrightError("the site gave no answer to Save")
        raise RecordFailed("the site refused the outcome: " + " ".join(errors))
    run.reached_case = case_after


def confirm(run: RecordRun) -> None:
    """The outcome must be listed under the application: that proves the save."""
    number = run.node.number
    if not run.case.application(number).outcomes():
        raise RecordFailed(
            f"after Save the site did not list an outcome under application {number}; "
            "check the case by hand before running this record again"
        )
    message = run.case.message() or "saved"
    run.outcome = f"application {number}: {message}"


def _choose_application(case: CasePage, record: Record) -> ApplicationNode:
    applications = case.wioa_applications()
    if not applications:
        raise RecordFailed(
            "the participant has no WIOA application, so there is nothing to exit"
        )
    if record.application:
        if record.application not in [a.number for a in applications]:
            numbers = ", ".join(a.number for a in applications)
            raise RecordFailed(
                f"application {record.application} is not one of the participant's WIOA "
                f"applications ({numbers})"
            )
        return case.application(record.application)
    if len(applications) == 1:
        return case.application(applications[0].number)
    open_ones = [a for a in applications if fold(a.status) != "exited"]
    if len(open_ones) == 1:
        return case.application(open_ones[0].number)
    if not open_ones:
        raise RecordSkipped("every WIOA application of the participant has already exited")
    numbers = ", ".join(a.number for a in open_ones)
    raise RecordFailed(
        f"the participant has several open WIOA applications ({numbers}); "
        "say which one with 'application:' in the job file"
    )


def check_participant(form: OutcomeForm, record: Record) -> None:
    """The form must show the person the job names; else it is cancelled."""
    shown = form.general.participant()
    who = record.participant
    if not same_ids(shown, who.state_id, who.user_id) or (
        who.name and not same_name(who.name, shown.name)
    ):
        form.cancel()
        raise RecordFailed(
            "the outcome form shows a different participant than the job file names; "
            "the form was cancelled"
        )


def fill_general(form: OutcomeForm, record: Record) -> None:
    """Choose each General Information value that differs (accents ignored when matching)."""
    general = form.general
    wanted = (
        (general.lwia_region, general.set_lwia_region, record.lwia_region, "LWIA/Region"),
        (general.office_location, general.set_office_location, record.office_location,
         "Office Location"),
        (general.staff_position, general.set_staff_position, record.staff_position,
         "Staff Position"),
    )
    for read, write, value, caption in wanted:
        if same_option(value, read()):
            continue
        try:
            write(value)  # the usual case: the job spells the option as the site does
            continue
        except ValueError:
            pass  # no option with that spelling: look for it with accents ignored
        options = general.options(caption)
        match = next((o for o in options if same_option(value, o)), None)
        if match is None:
            form.cancel()
            raise RecordFailed(
                f"{caption} '{value}' is not offered by the site; it offers: "
                + ", ".join(o for o in options if fold(o) != "none selected")
            )
        write(match)


def fill_exit(form: OutcomeForm, record: Record) -> None:
    """Type the exit date and choose the reason, each only when it differs."""
    exit_information = form.exit
    wanted_date = f"{record.exit_date:%m/%d/%Y}"
    if exit_information.exit_date() != wanted_date:
        exit_information.set_exit_date(record.exit_date)
    if not same_option(record.exit_reason.label, exit_information.reason()):
        try:
            exit_information.choose_reason(record.exit_reason.label)
        except ValueError as problem:
            form.cancel()
            raise RecordFailed(str(problem)) from None


def alternate_contacts(run: RecordRun) -> None:
    """Edit a contact listed under the same name, add the others (not in a dry run)."""
    record = run.record
    popup = run.form.contacts.manage()
    if run.popup_observer is not None:
        run.popup_observer(popup, record, "opened")
    for number, contact in enumerate(record.alternate_contacts, start=1):
        # The list as the site shows it now (after the last Save it is the site's answer),
        # read before each contact: another writer's contact of the same name is edited,
        # not added twice.
        existing = [row.name for row in popup.contacts()]
        wanted = Contact(
            first_name=contact.first_name,
            last_name=contact.last_name,
            relationship=contact.relationship,
            phone=contact.phone,
            email=contact.email,
            address=contact.address,
        )
        full_name = f"{contact.first_name} {contact.last_name}"
        same = next((name for name in existing if same_name(full_name, name)), None)
        if run.dry_run:
            continue
        try:
            def before_save(popup: AlternateContactsPopup = popup) -> None:
                run.show("contact_form", popup)

            if same is None:
                popup.add(wanted, before_save=before_save)
            else:
                popup.edit(same, wanted, before_save=before_save)
        except ContactNotSaved as refused:
            raise RecordFailed(f"the site refused alternate contact {number}: "
                               f"{refused}") from None
    if run.popup_observer is not None:
        run.popup_observer(popup, record, "closing")
    popup.close()


def case_manager(run: RecordRun) -> None:
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


def case_note(run: RecordRun) -> None:
    """Add the note with its attachment, unless the case has it already (see
    same_note_listed); the ledger hears of it around its own Save."""
    note = run.record.case_note
    assert note is not None  # the step applies only to records with a note
    # Checked again just before upload: the file may have changed since validation.
    if (problem := note.attachment_problem()) is not None:
        raise RecordFailed(problem)
    if run.dry_run or same_note_listed(run.form, run.record):
        return
    run.on_side_effect("note", "intent")
    note_form = run.form.staff.add_case_note()
    note_form.fill(note.subject, note.comments, note.attachment)
    run.show("case_note_form", run.page)
    run.reached_form = note_form.save()
    run.on_side_effect("note", "done")


def same_note_listed(form: OutcomeForm, record: Record) -> bool:
    """Whether the case already has this record's note: a listed note with the same subject
    (case and spacing ignored) created on or after the exit date. A case note is stored the
    moment its own Save is pressed and staff cannot delete it, so a retry or a resume after it
    was stored must not add it again. (The list shows no attachment names: a note with the
    same subject and date counts as the same note whatever it carries.)"""
    assert record.case_note is not None
    wanted = fold(record.case_note.subject)
    for row in form.staff.case_notes():
        created = _us_date(row.create_date)
        if fold(row.subject) == wanted and (created is None or created >= record.exit_date):
            return True
    return False


def _us_date(text: str) -> datetime.date | None:
    """A MM/DD/YYYY date as the site shows it; None when it is not one."""
    try:
        return datetime.datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError:
        return None


def same_ids(shown: SearchResult | object, state_id: str | None, user_id: str | None) -> bool:
    """Whether the ids the site shows agree with every id the record gives."""
    return (not state_id or getattr(shown, "state_id", None) == state_id) and (
        not user_id or getattr(shown, "user_id", None) == user_id
    )
