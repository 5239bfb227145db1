"""Step 8, add a case note (only for a record that gives one): its subject, comments and
verifying document, never twice (a note is stored the moment its own Save is pressed).
Everything the tools do at this step is here (steps/step.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from caljobs_bot.matching import fold
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.steps.framing import Frame
from caljobs_bot.steps.instructions import Say, Values, quoted
from caljobs_bot.steps.practice_checks import Check, form_shown
from caljobs_bot.steps.results import RecordFailed
from caljobs_bot.steps.step import HelpSheets, Step
from caljobs_bot.steps.targets import Target, clickable

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.steps.preflight import Preflight
    from caljobs_bot.steps.state import RecordRun


def applies(record: Record) -> bool:
    """Only a record that gives a note."""
    return record.case_note is not None


def act(run: RecordRun) -> None:
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


def preflight(walk: Preflight) -> None:
    """The notes list, and the note form, left by Cancel."""
    screen = "Outcome form: Staff Information"
    staff = walk.need(walk.form).staff
    walk.look(screen, "case notes list", staff.case_notes, lambda rows: f"{len(rows)} note(s)")
    note = walk.look(screen, "Add a new Case Note opens the note form", staff.add_case_note)
    if note is not None:
        walk.look(screen, "case note form Cancel (nothing saved)", note.cancel)


def target(page: Page, record: Record) -> Target:
    """The Add a new Case Note link, with its own words."""
    return clickable(OutcomeForm(page).staff.add_case_note_link())


def instructions(record: Record, say: Say) -> list[str]:
    """The link, the note's words (masked when asked), the document, Save."""
    note = record.case_note
    if note is None:
        return []
    values = Values(say.masked)
    lines = ["Click Add a new Case Note.",
             f"Type {values.private(quoted(note.subject), 'the subject')} in Subject.",
             f"Type {values.private(quoted(note.comments), 'why the participant is excluded')}"
             " in Comments."]
    if note.attachment is not None:
        document = values.private(note.attachment.name, "the verifying document")
        lines.append(f"Attach {document}.")
    return [*lines, "Click Save: the note is listed."]


def practice(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
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

    return [Check(step.key, " ".join(step.lines(record)),
                  "the link Add a new Case Note in Staff Information; then Subject, Comments "
                  "and Save in the Case Note panel",
                  step.element_for(record), note_listed, add_note, strict=False)]


def picture(page: Page, record: Record) -> Frame | None:
    """The note's row in the list."""
    staff = OutcomeForm(page).staff
    notes = staff.case_notes_table()
    subject = record.case_note.subject if record.case_note else ""
    row = staff.case_note_row(subject) if subject else notes
    return Frame(row, [staff.add_case_note_link(), notes], "The note is listed.")


CASE_NOTE = Step(
    "case_note",
    "Add a case note",
    "Click Add a new Case Note and explain the reason for the global exclusion; attach the "
    "verifying document. Keep medical details out of the note.",
    HelpSheets("Case notes can also be added by clicking the \u201cAdd a new Case Note\u201d "
               "button.",
               "Click the \"Add a new Case Note\" link to add a case note, detailing the "
               "reason for the global exclusion. Attach a verifying document in the case "
               "note."),
    act, applies_to=applies, target=target, instructions=instructions, practice=practice,
    preflight=preflight, changes_screen=True, picture_after=picture,
)
