"""What a person does at each help-sheet step for one record, with that record's values.

The step explanations (steps/definitions.py) are the same for every record; a new case
manager also needs to read "Type 06/24/2021 in Exit Date" and "Choose Institutionalized". Each
step's definition names its function here; the guide prints these lines under each step, and
practice mode shows them in the caption panel. With `masked`
the participant's own data (names, ids, contacts, case-note text, the attachment's name) is
described instead of quoted ("Type the participant's State ID in State ID"), so a guide made
with --mask-pii never writes it. The exit date and the application number are the
participant's too (with the name they point at one person's case); values that identify no
one (exit reasons, offices, staff) are quoted either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from caljobs_bot.matching import same_name

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import AlternateContact, Record
    from caljobs_bot.steps.definitions import Step

# The contact form's fields, in the order the pop-up shows them, with how a masked guide
# names each value.
_CONTACT_FIELDS = (
    ("First Name", "first_name", "the contact's first name"),
    ("Last Name", "last_name", "the contact's last name"),
    ("Relationship", "relationship", "the relationship"),
    ("Phone", "phone", "the contact's phone number"),
    ("Email", "email", "the contact's email"),
    ("Address", "address", "the contact's address"),
)


def _quoted(text: str) -> str:
    """Free text in quotes, so its own full stop is not read as the sentence's."""
    return f"\u201c{text}\u201d"


class Values:
    """Quotes a record's value, or describes it when participant data is masked."""

    def __init__(self, masked: bool) -> None:
        self.masked = masked

    def private(self, value: str | None, description: str) -> str:
        """Participant data: quoted, or described when masked."""
        return description if self.masked or not value else value

    @staticmethod
    def public(value: str) -> str:
        """Data that identifies nobody (a date, a reason, an office): always quoted."""
        return value


def _contact_lines(contact: AlternateContact, values: Values, existing: bool) -> list[str]:
    who = values.private(f"{contact.first_name} {contact.last_name}", "the contact")
    lines = [f"Click Edit beside {who}." if existing else "Click Add New Contact."]
    for caption, attribute, description in _CONTACT_FIELDS:
        value = getattr(contact, attribute)
        if value:
            shown = _quoted(value) if attribute == "address" else value
            lines.append(f"Type {values.private(shown, description)} in {caption}.")
    lines.append("Click Save: the contact is listed.")
    return lines


@dataclass(frozen=True)
class Say:
    """How to word a step's actions: `masked` describes participant data instead of quoting
    it; `button` is the words the screen shows on the step's button or link, when known (the
    2016 screens say "Create Outcome"), so the sentence names what the trainee sees;
    `listed_contacts` the names the contacts pop-up lists, so a contact already there is
    edited rather than added (as the bot does); `dry_run` a replay that saves nothing."""

    masked: bool = False
    button: str | None = None
    dry_run: bool = False
    listed_contacts: Sequence[str] = ()


def for_step(step: Step, record: Record, *, masked: bool = False, button: str | None = None,
             dry_run: bool = False, listed_contacts: Sequence[str] = ()) -> list[str]:
    """The actions of one step for this record, one sentence each, in the order done (the
    step's own `instructions`, steps/definitions.py)."""
    return step.instructions(record, Say(masked, button, dry_run, tuple(listed_contacts)))


def no_lines(record: Record, say: Say) -> list[str]:
    """A step with nothing to do by hand beyond its explanation."""
    return []


def find_participant(record: Record, say: Say) -> list[str]:
    values = Values(say.masked)
    who = record.participant
    lines = ["Open Services for Workforce Staff, Manage Individuals, Assist an Individual."]
    if who.state_id:
        state_id = values.private(who.state_id, "the participant's State ID")
        lines.append(f"Type {state_id} in State ID and click Search.")
    else:
        user_id = values.private(who.user_id, "the participant's User ID")
        lines.append(f"Type {user_id} in User ID and click Search.")
    name = values.private(who.name, "the participant's name")
    lines.append(f"In the results, check that the name reads {name}, then click it.")
    return lines


def open_application(record: Record, say: Say) -> list[str]:
    application = (Values(say.masked).private(f"WIOA #{record.application}",
                                              "the WIOA application the record names")
                   if record.application else "the WIOA application")
    return [f"Click the (+) left of {application}.",
            "Click the (+) next to its Exit / Outcome section: no outcome may be listed."]


def create_outcome(record: Record, say: Say) -> list[str]:
    return [f"Click {say.button or 'Create Exit/Outcome'}."]


def general_information(record: Record, say: Say) -> list[str]:
    values = Values(say.masked)
    who = record.participant
    name = values.private(who.name, "the participant's name")
    shown_ids = (("State ID", who.state_id), ("User ID", who.user_id))
    ids = " and ".join(
        f"{caption} reads " + values.private(value, "the participant's " + caption)
        for caption, value in shown_ids if value
    )
    check = f"Check that Name reads {name}" + (f" and {ids}." if ids else ".")
    return [check,
            f"Choose {values.public(record.lwia_region)} in LWIA/Region.",
            f"Choose {values.public(record.office_location)} in Office Location.",
            f"Choose {values.public(record.staff_position)} in Staff Position."]


def _exit_date(record: Record, masked: bool,
               description: str = "the exit date (MM/DD/YYYY)") -> str:
    return Values(masked).private(f"{record.exit_date:%m/%d/%Y}", description)


def exit_information(record: Record, say: Say) -> list[str]:
    return [f"Type {_exit_date(record, say.masked)} in Exit Date.",
            f"Choose {Values.public(record.exit_reason.label)} in Exit Reason."]


def alternate_contacts(record: Record, say: Say) -> list[str]:
    lines = [f"Click {say.button or 'Manage Alternate Contacts'}: a pop-up lists the contacts."]
    lines += contact_lines(record, masked=say.masked, listed_contacts=say.listed_contacts)
    return [*lines, "Click Close."]


def case_manager(record: Record, say: Say) -> list[str]:
    if record.case_manager is None:
        return []
    if record.case_manager.remove:
        return ["Click Remove Case Manager Assignment."]
    staff = Values.public(record.case_manager.assign or "")
    return ["Click Assign Case Manager.", f"Choose {staff} in Case Manager.",
            "Click Assign: the form reloads with the new case manager."]


def case_note(record: Record, say: Say) -> list[str]:
    note = record.case_note
    if note is None:
        return []
    values = Values(say.masked)
    lines = ["Click Add a new Case Note.",
             f"Type {values.private(_quoted(note.subject), 'the subject')} in Subject.",
             f"Type {values.private(_quoted(note.comments), 'why the participant is excluded')}"
             " in Comments."]
    if note.attachment is not None:
        document = values.private(note.attachment.name, "the verifying document")
        lines.append(f"Attach {document}.")
    return [*lines, "Click Save: the note is listed."]


def review(record: Record, say: Say) -> list[str]:
    return [f"Check that Exit Date still reads {_exit_date(record, say.masked, 'the date typed')}"
            " and Exit Reason "
            f"{record.exit_reason.label}; re-enter anything blank.",
            *(["Click Cancel: this practice run saves nothing."] if say.dry_run else [])]


def save(record: Record, say: Say) -> list[str]:
    return [f"Click {say.button or 'Save'}."]


def confirm(record: Record, say: Say) -> list[str]:
    return [f"Under the application's Exit / Outcome section, check the outcome is listed: "
            f"{record.exit_reason.label}, exit date "
            f"{_exit_date(record, say.masked, 'as typed in Exit Date')}."]


def contact_lines(record: Record, *, masked: bool = False,
                  listed_contacts: Sequence[str] = ()) -> list[str]:
    """What to do in the contacts pop-up: add each contact, or edit it when already listed."""
    values = Values(masked)
    lines: list[str] = []
    for contact in record.alternate_contacts:
        full_name = f"{contact.first_name} {contact.last_name}"
        existing = any(same_name(full_name, shown) for shown in listed_contacts)
        lines += _contact_lines(contact, values, existing=existing)
    return lines
