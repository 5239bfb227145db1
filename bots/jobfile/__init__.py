"""The YAML job file: its schema (pydantic models) and a loader that reports problems by line.

A job file lists the Exit/Outcome records to create, one per participant and application:

    version: 1
    defaults: {lwia_region: ..., office_location: ..., staff_position: Staff}
    records:
      - participant: {state_id: "34712", name: Karen James}
        exit_date: 2021-06-24
        exit_reason: Institutionalized

Why it is built this way:

- Users edit these files by hand, so every problem in a file is reported at once, as
  `file:line: records[2].exit_reason: sentence`, with record and list numbers counted from 1
  (as `record.index` and the run report count them). Each YAML node keeps its line; pydantic's
  error locations are mapped back to the deepest node that exists.
- YAML 1.1 silently rewrites some plain values: `034712` is octal (14794), `34_712` is 34712,
  `no`/`on` are booleans, `1:20` is 80. The loader resolves only `true`/`false`, plain decimal
  integers without leading zeros and `null`; everything else stays text exactly as written,
  so an unquoted `state_id: 034712` keeps its zero and `last_name: No` stays "No". Dates are
  parsed by the model (ISO `2021-06-24`, `06/24/2021` or `today`), not by YAML.
- `extra="forbid"` everywhere: a misspelt key is an error with a suggestion, never ignored.
- The foster-care reason (code 05, Youth only) is accepted here: the program is only known
  once the bot sees the application on the site, where a non-Youth application is refused.
- Exit dates after the application date, and the one-Outcome-per-application rule against
  what the site already holds, are checked by the bot on the site; this module checks what
  the file alone can show (not in the future, no two records for one application).

`python -m caljobs_bot.jobfile --schema` prints the JSON Schema committed as `jobs/job.schema.json`;
`python -m caljobs_bot.jobfile FILE...` checks job files.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import sys
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from caljobs_bot.jobfile.attachments import AttachmentLimits, check_attachment
from caljobs_bot.jobfile.exit_reasons import (
    EXIT_REASONS,
    ExitReason,
    parse_exit_reason,
    wording_pattern,
)

JOB_VERSION = 1
# CalJOBS ids are a few digits long; anything much longer is a paste or a spreadsheet mishap.
MAX_ID_DIGITS = 15
# A job file bigger than this is refused before it is read: about 175,000 records, which take
# about a minute and gigabytes of memory to check. Split bigger lists into several jobs.
MAX_JOB_MB = 50
# At most this many problems are printed (then a count of the rest): an all-bad big file
# must not bury the first, most useful, problems under hundreds of thousands of lines.
MAX_PROBLEMS_SHOWN = 50
# WIOA took effect on 07/01/2015: an earlier exit date cannot be a WIOA exit (a typo in the year).
WIOA_START = date(2015, 7, 1)

# ---------------------------------------------------------------------------------------------
# Field types: each one parses what people write and says plainly what it expects.
# ---------------------------------------------------------------------------------------------

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _digits_parser(example: str, what: str) -> Any:
    """A validator for identifiers written as digits (YAML may hand them over as integers)."""

    def parse(value: object) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and re.fullmatch(r"[0-9]+", value.strip()):
            digits = value.strip()
            if len(digits) > MAX_ID_DIGITS:
                raise ValueError(
                    f"is a number {len(digits)} digits long; {what} has at most "
                    f"{MAX_ID_DIGITS} digits, like {example}"
                )
            return digits
        raise ValueError(f"must be {what} in digits only, like {example}")

    return parse


def _digits_schema(example: str, description: str) -> dict[str, Any]:
    return {
        "anyOf": [{"type": "string", "pattern": r"^\s*[0-9]+\s*$"}, {"type": "integer"}],
        "description": description,
        "examples": [example],
    }


StateId = Annotated[
    str,
    BeforeValidator(_digits_parser("34712", "the State ID")),
    WithJsonSchema(_digits_schema("34712", "The participant's CalJOBS State ID.")),
]
UserId = Annotated[
    str,
    BeforeValidator(_digits_parser("37762", "the User ID")),
    WithJsonSchema(_digits_schema("37762", "The participant's CalJOBS User ID.")),
]
ApplicationNumber = Annotated[
    str,
    BeforeValidator(_digits_parser("2244266", "the application number (WIOA #2244266)")),
    WithJsonSchema(
        _digits_schema(
            "2244266",
            "The WIOA application number, as in 'WIOA #2244266 - Complete'. Needed only when "
            "the participant has several open WIOA applications.",
        )
    ),
]


def _today(info: ValidationInfo) -> date:
    """The day 'today' means: injected by the loader (and tests), else the computer's date."""
    context = info.context if isinstance(info.context, dict) else {}
    today = context.get("today")
    return today if isinstance(today, date) else date.today()


DATE_FORMS = "2021-06-24, 06/24/2021 or today"


def _as_date(value: object, today: date) -> date:
    """A date from a date, 'today', ISO 2021-06-24 or MM/DD/YYYY text.

    A refusal quotes the value and the accepted forms, and names the likely slip: a day
    written first (24/06/2021), a one-digit month in ISO form, a two-digit year, or an
    Excel day number (44371) that lost its date format.
    """
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            raise ValueError(f"must be a date without a time, like 2021-06-24, not '{value}'")
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"must be a date written as {DATE_FORMS}")
    text = str(value).strip()
    shown = text if len(text) <= 40 else text[:37] + "..."
    if not text:
        raise ValueError(f"must be a date written as {DATE_FORMS}")
    if text.casefold() == "today":
        return today
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"'{text}' is not a real calendar date") from None
    slashed = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if slashed:
        try:
            return datetime.strptime(text, "%m/%d/%Y").date()
        except ValueError:
            first, second, year = (int(part) for part in slashed.groups())
            if first > 12 and 1 <= second <= 12:
                try:
                    meant = date(year, second, first)
                except ValueError:
                    meant = None
                if meant is not None:
                    raise ValueError(
                        f"'{text}' is not a date as month/day/year; if you meant "
                        f"{meant:%d %B %Y}, write {meant:%m/%d/%Y} (the month comes first)"
                    ) from None
            raise ValueError(f"'{text}' is not a real calendar date") from None
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2}", text):
        raise ValueError(f"'{text}' has a two-digit year; write all four digits, like 06/24/2021")
    loose = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if loose:
        raise ValueError(
            f"'{text}' needs a two-digit month and day: write "
            f"{loose[1]}-{int(loose[2]):02d}-{int(loose[3]):02d} (accepted: {DATE_FORMS})"
        )
    if re.fullmatch(r"\d{5}(?:\.0+)?", text):
        serial = int(float(text))
        excel = date(1899, 12, 30) + timedelta(days=serial)
        raise ValueError(
            f"'{text}' is a number, not a date; if it is an Excel date that lost its format "
            f"it would be {excel:%m/%d/%Y}; write the date as {DATE_FORMS}"
        )
    raise ValueError(f"'{shown}' is not a date this file takes; write it as {DATE_FORMS}")


def _exit_date(value: object, info: ValidationInfo) -> date:
    today = _today(info)
    day = _as_date(value, today)
    if day > today:
        raise ValueError(
            f"{day:%m/%d/%Y} is in the future; an exit date can be today "
            f"({today:%m/%d/%Y}) at the latest"
        )
    if day < WIOA_START:
        raise ValueError(f"{day:%m/%d/%Y} is before WIOA began (07/01/2015); check the year")
    return day


ExitDate = Annotated[
    date,
    BeforeValidator(_exit_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": r"^\s*[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}\s*$"},
                {"type": "string", "pattern": r"^\s*[tT][oO][dD][aA][yY]\s*$"},
            ],
            "description": "The exit date: 2021-06-24, 06/24/2021 or today. Not in the future, "
            "and (checked on the site) not before the application date.",
            "examples": ["2021-06-24", "06/24/2021", "today"],
        }
    ),
]


def _exit_reason(value: object) -> ExitReason:
    if isinstance(value, ExitReason):
        return value
    if value is None:
        return parse_exit_reason("")
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ValueError("must be one reason's wording, like Deceased, or its code, like 03")
    return parse_exit_reason(value)


ExitReasonField = Annotated[
    ExitReason,
    PlainValidator(_exit_reason),
    PlainSerializer(lambda reason: reason.label, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"enum": [reason.label for reason in EXIT_REASONS]},
                {"type": "string", "pattern": wording_pattern()},
                {"type": "integer", "minimum": 1, "maximum": 5},
            ],
            "description": "A global-exclusion (hard-exit) reason: its wording in any letter "
            "case, or its code 01-05. 'In Foster Care and moved from area by foster care "
            "system' (05) is for Youth applications only. If none fits, create a regular "
            "Closure instead.",
        }
    ),
]


def _attachment(value: object, info: ValidationInfo) -> Path:
    """The attachment as an absolute path inside the attachments folder, of an accepted type.

    A relative name is read from the attachments folder: the job file's folder unless
    `--attachments-dir` (or `attachments_dir` in the config) names another. `~` is expanded
    so that `~/.ssh/...` is refused as outside the folder rather than "not found".
    """
    if isinstance(value, Path):
        given = value
    elif isinstance(value, str) and value.strip() and "\x00" not in value:
        given = Path(value.strip())
    else:
        raise ValueError("must be a file name, like verification.pdf, in the job file's folder")
    context = info.context if isinstance(info.context, dict) else {}
    folder = context.get("attachments_dir")
    folder = folder if isinstance(folder, Path) else Path.cwd()
    limits = context.get("attachment_limits")
    limits = limits if isinstance(limits, AttachmentLimits) else AttachmentLimits()
    try:
        path = given.expanduser()
        path = path if path.is_absolute() else folder / path
    except (RuntimeError, ValueError):  # '~nobody/x': no such user
        path = folder / given
    problem = check_attachment(path, folder, limits)
    if problem is None:
        return path.resolve()
    if problem == "was not found":
        problem += f" (looked for {path}); give a path relative to the job file's folder"
    raise ValueError(f"'{given}' {problem}")


Attachment = Annotated[
    Path,
    PlainValidator(_attachment),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "description": "A verifying document to attach to the case note, relative to the "
            "job file's folder (or --attachments-dir), and inside it: PDF, Word (.doc, "
            ".docx), plain text, JPEG, PNG or TIFF, at most 10 MB unless the config raises it.",
            "examples": ["verification.pdf"],
        }
    ),
]


def _none_as_empty(value: object) -> object:
    """An empty `alternate_contacts:` line means none, as it reads."""
    return () if value is None else value


# ---------------------------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------------------------


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
            raise ValueError(
                "needs a state_id or a user_id (or both) so the right participant is found; "
                "a name alone is not enough"
            )
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
        """True when both name the same person (case and spacing ignored)."""
        mine = (_fold(self.first_name), _fold(self.last_name))
        return mine == (_fold(other.first_name), _fold(other.last_name))


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
    comments: Text
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
    "lwia_region": "LWIA/Region, as the dropdown shows it.",
    "office_location": "Office Location, as the dropdown shows it.",
    "staff_position": "Staff Position, as the dropdown shows it.",
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
                raise ValueError(
                    f"items {earlier + 1} and {later + 1} have the same first and last name; "
                    "list each contact once"
                )
    return contacts


Contacts = Annotated[
    tuple[AlternateContact, ...],
    BeforeValidator(_none_as_empty),
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


# ---------------------------------------------------------------------------------------------
# Problems
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing to fix in a job file, with the line to look at."""

    file: Path
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return ": ".join(part for part in (where, self.field, self.message) if part)


class JobFileError(Exception):
    """A job file cannot be used as it is; `problems` lists everything found, by line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        unique = dict.fromkeys(problems)
        self.problems: list[Problem] = sorted(unique, key=lambda p: (p.line or 0, p.field))
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


# ---------------------------------------------------------------------------------------------
# YAML with line numbers, and without YAML 1.1's silent conversions
# ---------------------------------------------------------------------------------------------

_TAG = "tag:yaml.org,2002:"
_REPLACED_TAGS = {_TAG + name for name in ("bool", "int", "float", "timestamp", "value")}


def _job_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """SafeLoader's implicit tags, with YAML 1.1's booleans, numbers and dates left as text:
    only true/false and whole numbers such as 0, -12 or 34 are read as such."""
    resolvers = {
        first: [(tag, regexp) for tag, regexp in rules if tag not in _REPLACED_TAGS]
        for first, rules in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    kept = (
        (_TAG + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
        # At most 18 digits: a longer run of digits stays text, and the field says what is
        # wrong with it (Python refuses to read numbers of more than 4,300 digits at all).
        (_TAG + "int", re.compile(r"^-?(?:0|[1-9][0-9]{0,17})$"), "-0123456789"),
    )
    for tag, regexp, firsts in kept:
        for first in firsts:
            resolvers.setdefault(first, []).append((tag, regexp))
    return resolvers


_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL_WORDS = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})
_PLAIN_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")


class _JobConstructor:
    """The rules both loaders below share: which plain scalars are typed, and how values are
    built."""

    yaml_implicit_resolvers = _job_resolvers()

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        """The tag of a node without one: what the table above says, without PyYAML's
        per-scalar walk through regular expressions (the largest cost of validating 20,000
        records: 220,000 calls). tests/test_jobfile.py checks it against the table."""
        if kind is ScalarNode:
            if implicit[0]:
                if value in _NULL_WORDS:
                    return _TAG + "null"
                if value in _BOOL_WORDS:
                    return _TAG + "bool"
                if value == "<<":
                    return _TAG + "merge"
                if value in ("!", "&", "*"):  # SafeLoader's 'yaml' tag: a lone indicator
                    return _TAG + "yaml"
                if _PLAIN_INT.fullmatch(value):
                    return _TAG + "int"
            return _TAG + "str"
        return super().resolve(kind, value, implicit)  # type: ignore[misc,no-any-return]

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        """PyYAML's value, or a YAML error at the node: explicit tags such as `!!int ''` or
        `!!timestamp x` make PyYAML itself crash with IndexError, AttributeError and the like.
        """
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as error:
            if isinstance(error, ValueError) and "integer string conversion" in str(error):
                raise yaml.constructor.ConstructorError(
                    None, None, f"found a number of {len(str(node.value))} characters",
                    node.start_mark
                ) from None
            raise yaml.constructor.ConstructorError(
                None, None, f"could not read the value tagged {_shown_tag(node.tag)}",
                node.start_mark
            ) from None

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:  # type: ignore[override]
        """Keys as written (`1:` is the key '1'). Merge keys (<<) never get here: refused in
        _node_problems before anything is built."""
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "found a list or mapping used as a key", key_node.start_mark
                )
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping


class _JobLoader(_JobConstructor, yaml.SafeLoader):  # type: ignore[misc]
    """A SafeLoader whose plain scalars stay text unless they are true/false, null or 0/-12/34.

    Pure Python: slow on big files, but its error messages are the ones _YAML_HINTS explains.
    It refuses an alias (*name) where it is written, so the message has the alias's line.
    """

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        """PyYAML's node, refusing aliases: one alias can stand for a whole tree, and merge
        keys over nested aliases make a 1 KB file cost minutes and gigabytes to build."""
        if self.check_event(yaml.AliasEvent) and self.peek_event().anchor in self.anchors:
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"found an alias *{event.anchor}", event.start_mark
            )
        return super().compose_node(parent, index)


# libyaml's parser (C) composes the same nodes, with the same line marks, several times faster:
# validating 10,000 records takes 2.3 s instead of 7.4 (bench/RESULTS.md). PyYAML wheels ship
# it; where it is missing, the pure-Python loader does all the work.
_FastJobLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _FastJobLoader(_JobConstructor, yaml.CSafeLoader):  # type: ignore[no-redef,misc]
        """_JobLoader's rules on libyaml's parser."""



# PyYAML's wording → what to do about it.
_YAML_HINTS: tuple[tuple[str, str], ...] = (
    ("found character '\\t'", "a tab is used for indentation; YAML needs spaces"),
    (
        "mapping values are not allowed here",
        "a ':' appears where YAML does not expect one; check this line's indentation, or put "
        "a value containing ': ' in quotes",
    ),
    (
        "could not find expected ':'",
        "a 'key: value' line is missing its ':', or its indentation is off",
    ),
    (
        "expected <block end>",
        "the indentation is off: this line does not line up with the lines above it",
    ),
    (
        "expected ',' or '}'",
        "a {...} mapping is missing a ',' between its entries, or its closing '}'",
    ),
    ("expected ',' or ']'", "a [...] list is missing a ',' between its items, or its closing ']'"),
    (
        "found an alias",
        "uses a YAML alias (*name); job files take neither aliases nor merge keys (<<): "
        "write the values out, or put what records share under defaults:",
    ),
    ("found undefined alias", "uses an alias (*name) that no anchor (&name) defines"),
    (
        "expected a single document",
        "holds more than one YAML document ('---'); keep one job per file",
    ),
    ("found a list or mapping used as a key", "a key must be a plain name, not a list or mapping"),
    ("found unhashable key", "a key must be a plain name, not a list or mapping"),
    ("could not determine a constructor", "uses a YAML tag (!name) that job files do not support"),
    (
        "could not read the value tagged",
        "a value with a YAML tag (!!name) cannot be read; remove the tag",
    ),
    ("found unexpected end of stream", "a quote or bracket is opened but never closed"),
    ("found a number of", "a number is far too long to read; check the value"),
    ("found duplicate anchor", "defines the same anchor (&name) twice"),
)


def _yaml_problem(file: Path, error: yaml.YAMLError, text: str) -> Problem:
    """A YAML error in plain words, at the line where it happened."""
    line: int | None = None
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        return Problem(
            file, line, "", "contains a control character YAML does not allow; delete it"
        )
    said = "the file is not valid YAML"
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        if error.context and "quoted scalar" in error.context and error.context_mark:
            mark = error.context_mark
        line = mark.line + 1 if mark else None
        said = " ".join(str(part) for part in (error.context, error.problem) if part)
    for wording, advice in _YAML_HINTS:
        if wording in said:
            return Problem(file, line, "", f"{advice} (YAML: {said})")
    return Problem(file, line, "", f"the file is not valid YAML: {said}")


def utf16_without_bom(raw: bytes) -> str | None:
    """'UTF-16 LE' or 'UTF-16 BE' when the bytes look like UTF-16 text without a byte-order
    mark (every other byte NUL), else None. Some Windows tools save text this way; read as
    UTF-8 it is full of NULs, which YAML calls 'control characters'."""
    head = raw[:400]
    if len(head) < 4 or head.count(0) < len(head) // 3:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd >= len(head[1::2]) * 0.8:
        return "UTF-16 LE"
    if even >= len(head[0::2]) * 0.8:
        return "UTF-16 BE"
    return None


def _decode(file: Path, raw: bytes) -> str:
    """The file's text; a clear problem when it is not saved as UTF-8 (e.g. by Excel)."""
    encoding = None if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else utf16_without_bom(raw)
    if encoding is not None:
        raise JobFileError([Problem(
            file, None, "",
            f"is saved as {encoding} text without a byte-order mark; save it again as UTF-8")])
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            return raw.decode("utf-16")
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise JobFileError(
            [Problem(file, line, "", "is not saved as UTF-8 text; save the file again as UTF-8")]
        ) from None


class _AliasSeen(Exception):
    """libyaml composed an alias: the pure-Python loader reads the file again to name its line."""


def _compose(file: Path, text: str) -> tuple[Node | None, Any, list[Problem]]:
    """The YAML node tree (for lines), the plain data built from it, and duplicate keys.

    libyaml reads the file when it can; on any YAML error the pure-Python loader reads it again,
    so that the message (and its advice) is the same whichever parser this machine has. A file
    with a tab also goes to the pure-Python loader: libyaml lets some tabs pass that PyYAML
    refuses, and a file must not be valid on one machine and refused on another. So does a
    file with an alias, which only the pure-Python loader can point at.
    """
    if _FastJobLoader is not None and "\t" not in text:
        try:
            return _compose_with(_FastJobLoader, file, text)
        except (JobFileError, _AliasSeen):
            pass
    try:
        return _compose_with(_JobLoader, file, text)
    except _AliasSeen:  # the pure loader refuses aliases as it composes: not reached
        raise JobFileError([Problem(file, None, "", "uses a YAML alias (*name)")]) from None


def _compose_with(
    loader_class: type, file: Path, text: str
) -> tuple[Node | None, Any, list[Problem]]:
    """_compose with one loader. Nothing is built (constructed) from a tree with a problem
    in its shape: an unsupported tag or a merge key could crash PyYAML or cost gigabytes."""
    loader: Any = None
    try:
        loader = loader_class(text)  # checks for control characters at once
        root = loader.get_single_node()
        if root is None:
            return None, None, []
        duplicates, refused = _node_problems(file, root)
        if refused:
            raise JobFileError([*duplicates, *refused])
        data = loader.construct_document(root)
    except yaml.YAMLError as error:
        raise JobFileError([_yaml_problem(file, error, text)]) from None
    except RecursionError:
        raise JobFileError([Problem(file, None, "", "is nested too deeply to read")]) from None
    except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as error:
        # Not seen since the tags are checked first; a PyYAML surprise is still a problem
        # with a file name, never a traceback.
        raise JobFileError([Problem(
            file, None, "", f"could not be read as YAML ({type(error).__name__})")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return root, data, duplicates


# The tags a job file's values may carry (written or implied): text, numbers, true/false,
# null, mappings and lists. `!!str 034712` is fine; `!!set`, `!!binary`, `!!python/...`,
# `!!timestamp` and custom `!tags` are not, nor a tag on the wrong kind of node (`!!map [a]`).
_ALLOWED_TAGS: dict[type, frozenset[str]] = {
    ScalarNode: frozenset(_TAG + name for name in ("str", "int", "bool", "null", "float")),
    MappingNode: frozenset({_TAG + "map"}),
    SequenceNode: frozenset({_TAG + "seq"}),
}


def _shown_tag(tag: str) -> str:
    shown = "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _node_problems(file: Path, root: Node) -> tuple[list[Problem], list[Problem]]:
    """One walk over the nodes: keys written twice (YAML would keep only the last), and the
    shapes refused before anything is built: unsupported tags, merge keys (<<), aliases.

    A node met twice is an alias, which libyaml composes silently: _AliasSeen sends the file
    to the pure-Python loader, which refuses it at the alias's own line.
    """
    duplicates: list[Problem] = []
    refused: list[Problem] = []
    seen: set[int] = set()
    stack: list[tuple[Node, tuple[str | int, ...]]] = [(root, ())]
    while stack:
        node, loc = stack.pop()
        if id(node) in seen:
            raise _AliasSeen
        seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS.get(type(node), frozenset()):
            kind = {ScalarNode: "a single value", MappingNode: "a mapping",
                    SequenceNode: "a list"}.get(type(node), "a value")
            refused.append(Problem(
                file, node.start_mark.line + 1, _field_label(loc),
                f"has the YAML tag {_shown_tag(node.tag)} on {kind}, which job files do not "
                "take; remove the tag (quote the value if it must stay text)"))
            continue
        if isinstance(node, MappingNode):
            first_line: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    refused.append(Problem(
                        file, key_node.start_mark.line + 1, _field_label(loc),
                        "a key must be a plain name, not a list or mapping"))
                    continue
                key, line = key_node.value, key_node.start_mark.line + 1
                if key_node.tag == _TAG + "merge":
                    refused.append(Problem(
                        file, line, _field_label(loc),
                        "uses a YAML merge key (<<), which job files do not take: write the "
                        "fields out, or put what records share under defaults:"))
                    continue
                if key in first_line:
                    duplicates.append(Problem(
                        file, line, _field_label((*loc, key)),
                        f"is written twice (also on line {first_line[key]}); keep one"))
                else:
                    first_line[key] = line
                stack.append((value_node, (*loc, key)))
        elif isinstance(node, SequenceNode):
            stack.extend((item, (*loc, number)) for number, item in enumerate(node.value))
    return duplicates, refused


def _line_at(root: Node, loc: Sequence[str | int]) -> int:
    """The line of the deepest node along `loc` that exists (a key's own line for mappings)."""
    node, line = root, root.start_mark.line + 1
    for part in loc:
        if isinstance(node, MappingNode):
            matches = [
                (key, value)
                for key, value in node.value
                if isinstance(key, ScalarNode) and key.value == str(part)
            ]
            if not matches:
                break
            key_node, node = matches[-1]
            line = key_node.start_mark.line + 1
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _field_label(loc: Sequence[str | int]) -> str:
    """('records', 2, 'exit_reason') → 'records[3].exit_reason' (list items counted from 1)."""
    label = ""
    for part in loc:
        if isinstance(part, int):
            label += f"[{part + 1}]"
        else:
            label += f".{part}" if label else str(part)
    return label


# ---------------------------------------------------------------------------------------------
# pydantic errors → problems
# ---------------------------------------------------------------------------------------------


def _model_at(loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model whose fields are valid at `loc` (JobSpec at the top)."""
    model: type[BaseModel] | None = JobSpec
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(part)
        model = _inner_model(field.annotation) if field else None
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _inner_model(argument)
        if found is not None:
            return found
    return None


def _unknown_field(key: str, loc: Sequence[str | int]) -> str:
    model = _model_at(loc[:-1])
    known = sorted(model.model_fields) if model else []
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"is not a known field; did you mean '{close[0]}'?"
    if known:
        return f"is not a known field; the fields here are: {', '.join(known)}"
    return "is not a known field"


_DEFAULTABLE = {"exit_date", "exit_reason", "lwia_region", "office_location", "staff_position"}


def _message(error: Any, loc: Sequence[str | int]) -> str:
    """pydantic's error as a sentence a data-team member can act on."""
    kind, value = error["type"], error.get("input")
    if kind in {"value_error", "assertion_error"}:
        return str(error["ctx"]["error"])
    if kind == "missing":
        if loc == ("records",):
            return "is required: list the Exit/Outcomes to create under 'records:'"
        if len(loc) == 3 and loc[0] == "records" and loc[2] in _DEFAULTABLE:
            return "is required; set it on this record or under defaults"
        return "is required"
    if kind == "extra_forbidden":
        return _unknown_field(str(loc[-1]), loc)
    if value is None and kind.endswith("_type"):
        return "is empty; fill it in or delete the line"
    if kind == "string_type":
        if isinstance(value, bool):
            return "must be text, not true/false; put it in quotes"
        return "must be a single value (text), not a list or mapping"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return "must be a mapping of 'key: value' lines"
    if kind in {"list_type", "tuple_type"}:
        return "must be a list, one '- ' item per entry"
    if kind == "too_short" and loc == ("records",):
        return "must list at least one record"
    if kind == "literal_error" and loc == ("version",):
        return f"must be {JOB_VERSION}; this caljobs-bot reads version {JOB_VERSION} job files"
    if kind in {"bool_type", "bool_parsing"}:
        return "must be true or false"
    if kind == "recursion_loop":
        return "refers to itself through a YAML alias; write the values out"
    text = str(error.get("msg", "is not valid"))
    return text[:1].lower() + text[1:]


def _from_defaults(loc: tuple[str | int, ...], data: dict[str, Any]) -> tuple[str | int, ...]:
    """Point a record field that came from `defaults:` at the defaults line."""
    defaults, records = data.get("defaults"), data.get("records")
    if (
        len(loc) >= 3
        and loc[0] == "records"
        and isinstance(loc[1], int)
        and isinstance(defaults, dict)
        and isinstance(records, list)
        and loc[1] < len(records)
        and isinstance(records[loc[1]], dict)
        and loc[2] not in records[loc[1]]
        and loc[2] in defaults
    ):
        return ("defaults", *loc[2:])
    return loc


def _from_fallback(loc: tuple[str | int, ...], data: dict[str, Any],
                   sources: Mapping[str, str]) -> str | None:
    """Where a record's value came from when neither the record nor `defaults:` gave it."""
    if len(loc) < 3 or loc[0] != "records" or loc[2] not in sources:
        return None
    defaults, records = data.get("defaults"), data.get("records")
    if isinstance(defaults, dict) and loc[2] in defaults:
        return None
    if not isinstance(records, list) or not isinstance(loc[1], int) or loc[1] >= len(records):
        return None
    record = records[loc[1]]
    if isinstance(record, dict) and loc[2] in record:
        return None
    return sources[str(loc[2])]


def _fallback_use(data: dict[str, Any], outer: Mapping[str, Any]) -> dict[str, int]:
    """For each settings value, the number of records that use it."""
    defaults, records = data.get("defaults"), data.get("records")
    counts: dict[str, int] = {}
    for name in outer:
        if isinstance(defaults, dict) and name in defaults:
            continue
        used = sum(1 for record in records or () if isinstance(record, dict)
                   and name not in record)
        if used:
            counts[name] = used
    return counts


def _problems_from(
    error: ValidationError, file: Path, root: Node, data: dict[str, Any],
    fallback_sources: Mapping[str, str],
) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = _from_defaults(tuple(item["loc"]), data)
        message = _message(item, loc)
        source = _from_fallback(loc, data, fallback_sources)
        if source is not None:
            message += f" (the value is {loc[2]} from {source})"
        problems.append(Problem(file, _line_at(root, loc), _field_label(loc), message))
    return problems


# ---------------------------------------------------------------------------------------------
# Rules across records
# ---------------------------------------------------------------------------------------------


def _record_key(raw: object) -> tuple[ParticipantRef, str | None] | None:
    """The participant and application a raw record is for, when both read cleanly."""
    if not isinstance(raw, dict):
        return None
    try:
        participant = ParticipantRef.model_validate(raw.get("participant"))
        application = raw.get("application")
        if application is not None:
            application = _digits_parser("", "")(application)
    except (ValidationError, ValueError):
        return None
    return participant, application


def _duplicate_records(file: Path, root: Node, records: list[Any]) -> Iterator[Problem]:
    """Two records for one participant's application: only one Exit/Outcome can exist.

    Records are indexed by (state id, application) and (user id, application), so a job of
    10,000 records is checked in one pass, not by comparing every pair."""
    first_seen: dict[tuple[str, str, object], int] = {}
    for later, raw in enumerate(records):
        key = _record_key(raw)
        if key is None:
            continue
        person, application = key
        ids = [("state", person.state_id, application), ("user", person.user_id, application)]
        ids = [(kind, value, app) for kind, value, app in ids if value is not None]
        matches = [first_seen[i] for i in ids if i in first_seen]
        for i in ids:
            first_seen.setdefault(i, later)
        if not matches:
            continue
        earlier = min(matches)
        yield Problem(
            file,
            _line_at(root, ("records", later)),
            _field_label(("records", later)),
            f"same participant and application as {_field_label(('records', earlier))} "
            f"at line {_line_at(root, ('records', earlier))}; a participant can have only one "
            "Exit/Outcome per application",
        )


# ---------------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------------


def load_job(path: str | Path, *, today: date | None = None,
             fallback: Mapping[str, str | None] | None = None,
             fallback_sources: Mapping[str, str] | None = None,
             attachments_dir: Path | None = None,
             attachment_limits: AttachmentLimits | None = None) -> Job:
    """Read and check a job file; raise JobFileError listing every problem found.

    `today` is the day "today" means and the latest allowed exit date (default: the
    computer's date); tests pass a fixed day. `fallback` holds values for the defaultable
    fields (office, region, position from caljobs-bot.toml) that apply where neither the
    record nor the job's `defaults:` gives one; `fallback_sources` says where each came from
    (quoted in a problem about such a value). Attachments must lie in `attachments_dir`
    (default: the job file's folder) and keep to `attachment_limits`. A file over MAX_JOB_MB
    is refused from its size, before it is read.
    """
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_JOB_MB * 1024 * 1024:
            raise JobFileError([Problem(
                file, None, "",
                f"is {size / 1024 / 1024:.0f} MB; job files of more than {MAX_JOB_MB} MB are "
                "not read (that is over 150,000 records): split it into smaller jobs")])
        raw = file.read_bytes()
    except FileNotFoundError:
        raise JobFileError([Problem(file, None, "", "the job file was not found")]) from None
    except OSError as error:
        reason = error.strerror or "it is not a readable file"
        raise JobFileError([Problem(file, None, "", f"cannot be read: {reason}")]) from None
    return parse_job(raw, file, today=today, fallback=fallback,
                     fallback_sources=fallback_sources, attachments_dir=attachments_dir,
                     attachment_limits=attachment_limits)


def parse_job(text: str | bytes, path: str | Path, *, today: date | None = None,
              fallback: Mapping[str, str | None] | None = None,
              fallback_sources: Mapping[str, str] | None = None,
              attachments_dir: Path | None = None,
              attachment_limits: AttachmentLimits | None = None) -> Job:
    """Check a job file's text as if it were the file at `path` (attachments resolve there,
    or in `attachments_dir`); see load_job for the other arguments."""
    file = Path(path)
    if isinstance(text, bytes):
        text = _decode(file, text)
    root, data, problems = _compose(file, text)
    if root is None:  # nothing but comments or blank lines
        raise JobFileError(
            [Problem(file, None, "", "the file is empty; a job file needs a 'records:' list")]
        )
    if not isinstance(data, dict):
        raise JobFileError(
            [
                *problems,
                Problem(
                    file,
                    root.start_mark.line + 1,
                    "",
                    "the top level must be 'key: value' lines (version:, defaults:, records:), "
                    "not a list or a single value",
                ),
            ]
        )
    merged = dict(data)
    defaults, records = data.get("defaults"), data.get("records")
    outer = {k: v for k, v in (fallback or {}).items() if k in _DEFAULTABLE and v is not None}
    if isinstance(defaults, dict):
        outer.update(defaults)
    if outer and isinstance(records, list):
        merged["records"] = [
            {**outer, **record} if isinstance(record, dict) else record for record in records
        ]
    folder = (attachments_dir or file.parent).absolute()
    context = {"today": today or date.today(), "attachments_dir": folder,
               "attachment_limits": attachment_limits or AttachmentLimits()}
    spec: JobSpec | None = None
    try:
        spec = JobSpec.model_validate(merged, context=context)
    except ValidationError as error:
        problems.extend(_problems_from(error, file, root, data, fallback_sources or {}))
    if isinstance(merged.get("records"), list):
        problems.extend(_duplicate_records(file, root, merged["records"]))
    if problems or spec is None:
        raise JobFileError(problems)
    job = Job(version=spec.version, defaults=spec.defaults, records=spec.records, path=file)
    job._from_fallback = _fallback_use(data, outer)
    for number, record in enumerate(job.records):
        record._index = number + 1
        record._line = _line_at(root, ("records", number))
    return job


def job_json_schema() -> dict[str, Any]:
    """The JSON Schema of a job file, for editors (`# yaml-language-server: $schema=...`)."""
    schema = JobSpec.model_json_schema()
    schema.pop("title", None)
    schema.pop("description", None)
    # Any record field may come from `defaults:`, which JSON Schema cannot see; the loader
    # checks required fields after merging, so the editor must not flag them per record.
    record = schema["$defs"]["Record"]
    required = record.pop("required")
    record["description"] += f" Required, here or under defaults: {', '.join(required)}."
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "caljobs-bot job file",
        "description": "Exit/Outcome records for caljobs-bot to create in CalJOBS, one per "
        "participant and application. Generated by `python -m caljobs_bot.jobfile --schema`; "
        "do not edit by hand.",
        **schema,
    }


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def main(argv: Sequence[str] | None = None) -> int:
    """`--schema` prints the JSON Schema; file arguments are checked and their problems listed."""
    parser = argparse.ArgumentParser(prog="python -m caljobs_bot.jobfile", description=main.__doc__)
    parser.add_argument("--schema", action="store_true", help="print the job-file JSON Schema")
    parser.add_argument("files", nargs="*", type=Path, help="job files to check")
    options = parser.parse_args(argv)
    if options.schema:
        sys.stdout.write(json.dumps(job_json_schema(), indent=2, ensure_ascii=False) + "\n")
    status = 0
    for file in options.files:
        try:
            job = load_job(file)
        except JobFileError as error:
            print(error, file=sys.stderr)
            status = 1
        else:
            print(f"{file}: {len(job.records)} records, no problems")
    return status


if __name__ == "__main__":
    sys.exit(main())
