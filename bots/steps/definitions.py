"""The help-sheet steps for creating an Exit/Outcome: each one defined once, here, in order.

A step is the spine everything else hangs on. Its definition carries what people read (title,
explanation in our own words, the 2016 and 2021 help sheets' own wording), which records it
applies to, what the bot does (`action`, steps/actions.py), what `check` does instead
(`check`, steps/checks.py, read-only), the element a walkthrough outlines and a guide
photographs (`target`, steps/targets.py), the sentences a trainee follows with the record's
values (`instructions`, steps/instructions.py), what practice mode checks the trainee did
(`practice`, steps/practice_checks.py) and the guide's picture after it (`picture_after`,
steps/framing.py). The bot runs STEPS in order; the walkthrough, the guide, practice and
`check` read everything about a step from here. A step's number is its position in the
tuple, so adding a step is one entry here and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from caljobs_bot.steps import actions, checks, framing, instructions, practice_checks, targets

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.steps.framing import Frame
    from caljobs_bot.steps.instructions import Say
    from caljobs_bot.steps.practice_checks import Check
    from caljobs_bot.steps.preflight import Preflight
    from caljobs_bot.steps.state import RecordRun
    from caljobs_bot.steps.targets import Target

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
    target: Callable[[Page, Record], Target] = targets.nothing
    """The element about to be used, asked for just before the action."""
    instructions: Callable[[Record, Say], list[str]] = instructions.no_lines
    practice: Callable[[Record, Step, Sequence[Check]], list[Check]] = (
        practice_checks.no_checks)
    """What practice mode checks the trainee did at this step, in order, given the checks of
    the steps before it (the review step looks at their form values again)."""
    check: Callable[[Preflight], None] | None = None
    """The read-only mode of the step for `caljobs-bot check`; None: nothing to look at."""
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


def _has_contacts(record: Record) -> bool:
    return bool(record.alternate_contacts)


def _changes_case_manager(record: Record) -> bool:
    return record.case_manager is not None


def _has_case_note(record: Record) -> bool:
    return record.case_note is not None


FIND_PARTICIPANT = Step(
    "find_participant",
    "Find the participant",
    "From the staff dashboard open Services for Workforce Staff, Manage Individuals, Assist "
    "an Individual, and search by State ID or User ID. Check the name before you open the "
    "case: an outcome cannot be undone without a Data Change Request.",
    # The sheets take it as done: both begin "After accessing the participant's case".
    HelpSheets("After accessing the participant's case", "After accessing the participant's "
               "case"),
    actions.find_participant, target=targets.find_participant,
    instructions=instructions.find_participant,
    practice=practice_checks.find_participant, check=checks.find_participant,
    screen="search", changes_screen=True, only_looks=True,
)
OPEN_APPLICATION = Step(
    "open_application",
    "Expand the WIOA application",
    "On the Programs tab of the Case Management Profile, click the (+) to the left of the "
    "WIOA application, then the (+) next to its Exit / Outcome section. If an outcome is "
    "already listed there, the participant has exited: do not create another.",
    HelpSheets("Expand the WIOA application by clicking the (+) button located to the left "
               "of the application. Then, expand the application further by clicking on the "
               "new (+) button that appears.",
               "Expand the WIOA application by clicking the (+) button located to the left "
               "of the application. Then, expand the application further by clicking on the "
               "new (+) button that appears next to the Exit/Closure section."),
    actions.open_application, target=targets.open_application,
    instructions=instructions.open_application,
    practice=practice_checks.open_application, check=checks.open_application,
    screen="case", changes_screen=True, picture_after=framing.application_open,
    only_looks=True,
)
CREATE_OUTCOME = Step(
    "create_outcome",
    "Create the Exit/Outcome",
    "Click Create Exit/Outcome (Create Outcome on older screens). Outcomes are only for a "
    "hard exit: the participant cannot continue services because of a global exclusion.",
    HelpSheets("Finally, click the \u201cCreate Outcome\u201d button.",
               "Finally, click the \"Create Exit/Outcome\" button."),
    actions.create_outcome, target=targets.create_outcome,
    instructions=instructions.create_outcome,
    practice=practice_checks.create_outcome, check=checks.create_outcome,
    screen="case", changes_screen=True, picture_after=framing.form_opened,
)
GENERAL_INFORMATION = Step(
    "general_information",
    "Check General Information",
    "Login Name, User ID, State ID and Name are filled in for you: make sure they are the "
    "right person. Then select the LWIA/Region, Office Location and Staff Position.",
    HelpSheets("This section should already have the participant's basic information "
               "pre-populated. For the additional fields that appear, select the LWIA/Region, "
               "Office Location, and Staff Position.",
               "The General Information section should already have the participant's basic "
               "information pre-populated. Ensure that 'LWIA/Region', 'Office Location', and "
               "'Staff Position' are correct."),
    actions.general_information, target=targets.general_information,
    instructions=instructions.general_information,
    practice=practice_checks.general_information, check=checks.general_information,
    picture_after=framing.general_chosen,
)
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
    actions.exit_information, target=targets.exit_information,
    instructions=instructions.exit_information,
    practice=practice_checks.exit_information, check=checks.exit_information,
    picture_after=framing.exit_filled, list_after=framing.exit_reason_list,
)
ALTERNATE_CONTACTS = Step(
    "alternate_contacts",
    "Manage alternate contacts",
    "Click Manage Alternate Contacts. A pop-up lists the participant's contacts: edit one, "
    "or click Add New Contact, fill it in and Save. Close the pop-up when done.",
    HelpSheets("Alternate contact information for the participant may be added or edited in "
               "this section by clicking the \u201cManage Alternate Contacts\u201d button. "
               "Existing contacts may be edited or a new contact can be added by clicking the "
               "\u201cAdd New Contact\u201d button.",
               "Alternate Contact Information for the participant may be added or edited in "
               "the next section by clicking the \"Manage Alternate Contacts\" button."),
    actions.alternate_contacts, applies_to=_has_contacts, target=targets.alternate_contacts,
    instructions=instructions.alternate_contacts, check=checks.alternate_contacts,
    changes_screen=True,
)
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
    actions.case_manager, applies_to=_changes_case_manager, target=targets.case_manager,
    instructions=instructions.case_manager, check=checks.case_manager,
    changes_screen=True, picture_after=framing.case_manager_changed,
)
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
    actions.case_note, applies_to=_has_case_note, target=targets.case_note,
    instructions=instructions.case_note,
    practice=practice_checks.case_note, check=checks.case_note,
    changes_screen=True, picture_after=framing.note_listed,
)
REVIEW = Step(
    "review",
    "Check the form before saving",
    "Adding a note or changing the case manager reloads the form, and some values may be "
    "lost. Look over every field once more and re-enter anything that is blank.",
    HelpSheets(None, None),
    actions.review, target=targets.review, instructions=instructions.review,
    practice=practice_checks.review,
    picture_after=framing.ready_to_save,
)
SAVE = Step(
    "save",
    "Save the outcome",
    "Click Save at the bottom of the form. If the site lists errors, correct them; nothing "
    "is stored until the save succeeds.",
    HelpSheets("Finally, click the Save button when finished with the Outcome.",
               "Finally, click the \"Save\" button when finished with the Outcome."),
    actions.save, target=targets.save, instructions=instructions.save,
    practice=practice_checks.save, check=checks.save,
    presses_save=True, changes_screen=True, picture_after=framing.saved_message,
)
CONFIRM = Step(
    "confirm",
    "Confirm the outcome is listed",
    "Back on the case, the confirmation shows and the outcome is listed under the "
    "application's Exit / Outcome section; the application now shows as exited.",
    HelpSheets(None, None),
    actions.confirm, target=targets.confirm, instructions=instructions.confirm,
    practice=practice_checks.confirm,
    screen="case", picture_after=framing.outcome_listed,
)

STEPS: tuple[Step, ...] = (
    FIND_PARTICIPANT, OPEN_APPLICATION, CREATE_OUTCOME, GENERAL_INFORMATION, EXIT_INFORMATION,
    ALTERNATE_CONTACTS, CASE_MANAGER, CASE_NOTE, REVIEW, SAVE, CONFIRM,
)


def step(key: str, steps: tuple[Step, ...] = STEPS) -> Step:
    """The step with this key (KeyError names the known keys)."""
    for each in steps:
        if each.key == key:
            return each
    raise KeyError(f"unknown step {key!r}; known: {', '.join(s.key for s in steps)}")


def number(key: str, steps: tuple[Step, ...] = STEPS) -> int:
    """The 1-based position of a step, as a person counts it."""
    return steps.index(step(key, steps)) + 1
