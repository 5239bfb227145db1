"""The job file's pydantic models: a job, its records, and what a record may carry.

A job file lists the Exit/Outcome records to create, one per participant and application:

    version: 1
    defaults: {lwia_region: ..., office_location: ..., staff_position: Staff}
    records:
      - participant: {state_id: "34712", name: Karen James}
        exit_date: 2021-06-24
        exit_reason: Institutionalized

Why it is built this way: `extra="forbid"` everywhere, so a misspelt key is an error with a
suggestion, never ignored. The foster-care reason (code 05, Youth only) is accepted here:
the program is only known once the bot sees the application on the site, where a non-Youth
application is refused. The field types (`field_types`) say what each value may be written as.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from caljobs_bot.form_fields import GENERAL_INFORMATION
from caljobs_bot.jobfile.attachments import AttachmentLimits, check_attachment
from caljobs_bot.jobfile.field_types import (
    ApplicationNumber,
    Attachment,
    ExitDate,
    ExitReasonField,
    LongText,
    StateId,
    Text,
    UserId,
    none_as_empty,
)
from caljobs_bot.jobfile.problems import keyed_error
from caljobs_bot.matching import same_name


class _Model(BaseModel):
    """Shared settings: unknown keys are errors; numbers in text fields are kept as text."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        coerce_numbers_to_str=True,
        str_strip_whitespace=True,
    )


class ParticipantRef(_Model):
    """Who the record is for: at least one CalJOBS id; the name, if given, must agree."""

    state_id: StateId | None = None
    user_id: UserId | None = None
    name: Text | None = Field(
        default=None,
        description="The participant's name as CalJOBS shows it; the bot refuses a record "
        "whose name does not agree with the ids.",
    )

    @model_validator(mode="after")
    def _needs_an_id(self) -> ParticipantRef:
        if self.state_id is None and self.user_id is None:
            raise keyed_error("participant_without_id")
        return self

    def same_person(self, other: ParticipantRef) -> bool:
        """True when the two refer to one participant by the same state or user id."""
        return (self.state_id is not None and self.state_id == other.state_id) or (
            self.user_id is not None and self.user_id == other.user_id
        )


class AlternateContact(_Model):
    """An alternate contact to add, or to edit when one with the same name exists.

    When editing, fields left out stay as they are on the site.
    """

    first_name: Text
    last_name: Text
    relationship: Text | None = Field(default=None, examples=["Sister", "Spouse"])
    phone: Text | None = Field(default=None, examples=["213-555-0100"])
    email: Text | None = None
    address: Text | None = None

    @field_validator("email")
    @classmethod
    def _looks_like_email(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValueError("must be an email address, like ana@example.org")
        return value

    def same_name(self, other: AlternateContact) -> bool:
        """True when both name the same person by the rule the bot finds a listed contact
        with (caljobs_bot.matching): two such contacts in one record would edit one contact."""
        return same_name(f"{self.first_name} {self.last_name}",
                         f"{other.first_name} {other.last_name}")


class CaseManagerChange(_Model):
    """Assign a case manager ("Last, First" as the site lists staff), or remove the current one."""

    assign: Text | None = Field(default=None, examples=["Nguyen, Mai"])
    remove: bool = False

    @model_validator(mode="after")
    def _exactly_one(self) -> CaseManagerChange:
        if self.assign is not None and self.remove:
            raise ValueError("give either assign or remove: true, not both")
        if self.assign is None and not self.remove:
            raise ValueError('give either assign: "Last, First" or remove: true')
        return self


class CaseNote(_Model):
    """A case note detailing the reason for the exclusion; keep medical detail out of it."""

    subject: Text
    comments: LongText
    attachment: Attachment | None = None

    # The folder and limits the attachment was checked against, so the bot can check the
    # same rule again just before the upload (the file may have changed since).
    _attachments_dir: Path | None = PrivateAttr(default=None)
    _attachment_limits: AttachmentLimits = PrivateAttr(default_factory=AttachmentLimits)

    @model_validator(mode="after")
    def _remember_attachment_rules(self, info: ValidationInfo) -> CaseNote:
        context = info.context if isinstance(info.context, dict) else {}
        folder, limits = context.get("attachments_dir"), context.get("attachment_limits")
        if isinstance(folder, Path):
            self._attachments_dir = folder
        if isinstance(limits, AttachmentLimits):
            self._attachment_limits = limits
        return self

    def attachment_problem(self) -> str | None:
        """Why the attachment may not be uploaded now (a sentence), or None when it may.

        The same rule `validate` applied (folder, type by extension and content, size), run
        again at upload time: the bot calls this just before attaching the file.
        """
        if self.attachment is None:
            return None
        problem = check_attachment(self.attachment, self._attachments_dir,
                                   self._attachment_limits)
        if problem is None:
            return None
        return f"case_note.attachment '{self.attachment.name}' {problem}"


_RECORD_DESCRIPTIONS = {
    "participant": "Who: state_id and/or user_id; name is cross-checked on the site.",
    # The outcome form's fields, described once in their section's table.
    **{field.attribute: field.description for field in GENERAL_INFORMATION},
    "alternate_contacts": "Contacts to add, or to edit (matched by first and last name).",
    "case_manager": "Assign a case manager or remove the current one.",
    "case_note": "A case note explaining the exclusion, with an optional attachment.",
}


def _unique_contacts(
    contacts: tuple[AlternateContact, ...],
) -> tuple[AlternateContact, ...]:
    for later, contact in enumerate(contacts):
        for earlier in range(later):
            if contact.same_name(contacts[earlier]):
                raise keyed_error("duplicate_contact", first=earlier + 1, second=later + 1)
    return contacts


Contacts = Annotated[
    tuple[AlternateContact, ...],
    BeforeValidator(none_as_empty),
    AfterValidator(_unique_contacts),
]


class Record(_Model):
    """One Exit/Outcome to create: a participant's application, the exit, and its extras."""

    participant: ParticipantRef = Field(description=_RECORD_DESCRIPTIONS["participant"])
    application: ApplicationNumber | None = None
    exit_date: ExitDate
    exit_reason: ExitReasonField
    lwia_region: Text = Field(description=_RECORD_DESCRIPTIONS["lwia_region"])
    office_location: Text = Field(description=_RECORD_DESCRIPTIONS["office_location"])
    staff_position: Text = Field(description=_RECORD_DESCRIPTIONS["staff_position"])
    funding_stream: Text | None = Field(
        default=None, description=_RECORD_DESCRIPTIONS["funding_stream"]
    )
    alternate_contacts: Contacts = Field(
        default=(), description=_RECORD_DESCRIPTIONS["alternate_contacts"]
    )
    case_manager: CaseManagerChange | None = Field(
        default=None, description=_RECORD_DESCRIPTIONS["case_manager"]
    )
    case_note: CaseNote | None = Field(default=None, description=_RECORD_DESCRIPTIONS["case_note"])

    _index: int = PrivateAttr(default=0)
    _line: int | None = PrivateAttr(default=None)

    @property
    def index(self) -> int:
        """The record's place in the file, counted from 1 (0 when not loaded from a file)."""
        return self._index

    @property
    def line(self) -> int | None:
        """The line of the job file where the record starts (None when not from a file)."""
        return self._line

    def label(self) -> str:
        """'record 3 (line 20)': names the record without any participant data, for logs."""
        return f"record {self.index} (line {self.line})" if self.line else f"record {self.index}"

    def content_hash(self) -> str:
        """sha256 of the record's canonical JSON: the same in every run, new when any field changes.

        The attachment counts by its name and content, so moving the job folder keeps the hash
        and replacing the document changes it.
        """
        payload = self.model_dump(mode="json")
        # An optional form field the record leaves out asks for nothing: it is not hashed, so
        # adding such a field to the form changes no earlier record's hash (a resume would
        # take every record for a changed one).
        for field in GENERAL_INFORMATION:
            if not field.required and payload.get(field.attribute) is None:
                del payload[field.attribute]
        if self.case_note is not None and self.case_note.attachment is not None:
            document = self.case_note.attachment
            try:
                content: str | None = hashlib.sha256(document.read_bytes()).hexdigest()
            except OSError:  # gone since loading: the bot reports that when it attaches
                content = None
            payload["case_note"]["attachment"] = {"name": document.name, "sha256": content}
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class RecordDefaults(_Model):
    """Any record field, merged under each record: the record's own value wins, whole.

    Nested mappings (participant, case_note, ...) are replaced, not merged key by key.
    """

    participant: ParticipantRef | None = None
    application: ApplicationNumber | None = None
    exit_date: ExitDate | None = None
    exit_reason: ExitReasonField | None = None
    lwia_region: Text | None = Field(default=None, examples=["Los Angeles County WDACS"])
    office_location: Text | None = Field(
        default=None, examples=["2703 - LAO Community and Senior Services"]
    )
    staff_position: Text | None = Field(default=None, examples=["Staff"])
    funding_stream: Text | None = Field(default=None, examples=["Adult"])
    alternate_contacts: Contacts | None = None
    case_manager: CaseManagerChange | None = None
    case_note: CaseNote | None = None


class JobSpec(_Model):
    """What a job file holds; its JSON Schema is published as jobs/job.schema.json."""

    version: Literal[1] = Field(default=1, description="The job-file format version.")
    defaults: RecordDefaults | None = Field(
        default=None,
        description="Record fields shared by all records; a record's own value wins.",
    )
    records: list[Record] = Field(min_length=1, description="The Exit/Outcomes to create.")


class Job(JobSpec):
    """A loaded job file: its records, in file order, and where it came from."""

    path: Path
    _from_fallback: dict[str, int] = PrivateAttr(default_factory=dict)

    @property
    def from_fallback(self) -> dict[str, int]:
        """How many records took each field from the settings (caljobs-bot.toml), because
        neither the record nor `defaults:` gave it: `validate` says so, with the source."""
        return dict(self._from_fallback)

