"""The job file's field types: each parses what people write and says plainly what it expects.

Why it is built this way: YAML 1.1 silently rewrites some plain values (`034712` is octal,
`no` is false), so the loader leaves them as text and these types parse them: ids as digits
kept as written, dates as ISO `2021-06-24`, `06/24/2021` or `today` (a refusal names the
likely slip), exit reasons by wording or code, attachments inside one folder. Exit dates
after the application date are checked by the bot on the site; here only what the file
alone can show (not in the future, not before WIOA).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
)

from caljobs_bot.jobfile.attachments import AttachmentLimits, check_attachment
from caljobs_bot.jobfile.exit_reasons import (
    EXIT_REASONS,
    ExitReason,
    parse_exit_reason,
    wording_pattern,
)

# CalJOBS ids are a few digits long; anything much longer is a paste or a spreadsheet mishap.
MAX_ID_DIGITS = 15
# WIOA took effect on 07/01/2015: an earlier exit date cannot be a WIOA exit (a typo in the year).
WIOA_START = date(2015, 7, 1)

# Text typed into the site: names, dropdown texts, a note's subject, contact details. The
# limits are far above real values; they stop a paste gone wrong before the site sees it.
MAX_TEXT = 255
MAX_LONG_TEXT = 4000  # a case note's comments

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LONG_TEXT)
]


def digits_parser(example: str, what: str) -> Any:
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
    BeforeValidator(digits_parser("34712", "the State ID")),
    WithJsonSchema(_digits_schema("34712", "The participant's CalJOBS State ID.")),
]
UserId = Annotated[
    str,
    BeforeValidator(digits_parser("37762", "the User ID")),
    WithJsonSchema(_digits_schema("37762", "The participant's CalJOBS User ID.")),
]
ApplicationNumber = Annotated[
    str,
    BeforeValidator(digits_parser("2244266", "the application number (WIOA #2244266)")),
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


def none_as_empty(value: object) -> object:
    """An empty `alternate_contacts:` line means none, as it reads."""
    return () if value is None else value

