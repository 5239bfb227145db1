"""Problems in a job file: where (file, line, field path), what (a key), and the sentence.

A problem keeps pydantic's structure: `loc` is the field path as pydantic gives it
(`("records", 2, "exit_reason")`, list items counted from 0), `key` is pydantic's error type
(`missing`, `extra_forbidden`, ...) or our own key for what the YAML reader and loader find
(`duplicate_key`, `yaml_tab`, ...), and `context` holds the values the sentence is made of.

Why it is built this way: `problem_message` is the one place a key becomes a sentence. Who
shows a problem elsewhere (the spreadsheet import names rows and columns, not YAML paths)
asks it again with other `Places`, or words a key its own way, by key and location; nobody
reads a sentence back to find out what it was about.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic_core import PydanticCustomError

from caljobs_bot.form_fields import GENERAL_INFORMATION

Loc = tuple[str | int, ...]

JOB_VERSION = 1
# At most this many problems are printed (then a count of the rest): an all-bad big file
# must not bury the first, most useful, problems under hundreds of thousands of lines.
MAX_PROBLEMS_SHOWN = 50
# The record fields that may come from `defaults:` (or from the settings) instead.
DEFAULTABLE = frozenset(
    {"exit_date", "exit_reason", *(field.attribute for field in GENERAL_INFORMATION)}
)


def field_label(loc: Sequence[str | int]) -> str:
    """('records', 2, 'exit_reason') → 'records[3].exit_reason' (list items counted from 1)."""
    label = ""
    for part in loc:
        if isinstance(part, int):
            label += f"[{part + 1}]"
        else:
            label += f".{part}" if label else str(part)
    return label


class Places:
    """How a sentence names other places: the job file's records, lines and list items.

    The spreadsheet import passes its own (rows and contact columns) to `problem_message`.
    """

    def record(self, index: int, line: int) -> str:
        """Another record, by its place in the list (from 0) and its line."""
        return f"{field_label(('records', index))} at line {line}"

    def line(self, line: int) -> str:
        """Another line of the file."""
        return f"line {line}"

    def items(self, loc: Loc, numbers: Sequence[int]) -> str:
        """Items of the list at `loc`, by their numbers counted from 1."""
        return "items " + " and ".join(str(number) for number in numbers)


JOB_FILE_PLACES = Places()

_Wording = Callable[[Loc, Mapping[str, Any], Places], str]


def _missing(loc: Loc, context: Mapping[str, Any], places: Places) -> str:
    if loc == ("records",):
        return "is required: list the Exit/Outcomes to create under 'records:'"
    if len(loc) == 3 and loc[0] == "records" and loc[2] in DEFAULTABLE:
        return "is required; set it on this record or under defaults"
    return "is required"


def _unknown_field(loc: Loc, context: Mapping[str, Any], places: Places) -> str:
    if context.get("suggestion"):
        return f"is not a known field; did you mean '{context['suggestion']}'?"
    if context.get("known"):
        return f"is not a known field; the fields here are: {', '.join(context['known'])}"
    return "is not a known field"


def _string_type(loc: Loc, context: Mapping[str, Any], places: Places) -> str:
    if context.get("input_type") == "bool":
        return "must be text, not true/false; put it in quotes"
    return "must be a single value (text), not a list or mapping"


_MAPPING = "must be a mapping of 'key: value' lines"
_LIST = "must be a list, one '- ' item per entry"
_KEY_NOT_NAME = "a key must be a plain name, not a list or mapping"
_TRUE_OR_FALSE = "must be true or false"


def _duplicate_contact(loc: Loc, context: Mapping[str, Any], places: Places) -> str:
    named = places.items(loc, (context["first"], context["second"]))
    return f"{named} have the same first and last name; list each contact once"


def _duplicate_record(loc: Loc, context: Mapping[str, Any], places: Places) -> str:
    earlier = places.record(context["earlier"], context["earlier_line"])
    return (f"same participant and application as {earlier}; a participant can have only "
            "one Exit/Outcome per application")


def _duplicate_key(loc: Loc, context: Mapping[str, Any], places: Places) -> str:
    return f"is written twice (also on {places.line(context['first_line'])}); keep one"


# pydantic's error types, then our own keys. A sentence is filled in from the context
# (`{reason}`); a function is for wording that depends on the place or names other places.
MESSAGES: dict[str, str | _Wording] = {
    "value_error": "{error}",
    "assertion_error": "{error}",
    "missing": _missing,
    "extra_forbidden": _unknown_field,
    "string_type": _string_type,
    "string_too_short": "must not be empty",
    "string_too_long": "is longer than the {max_length} characters allowed; shorten it",
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "dict_type": _MAPPING,
    "list_type": _LIST,
    "tuple_type": _LIST,
    "bool_type": _TRUE_OR_FALSE,
    "bool_parsing": _TRUE_OR_FALSE,
    "recursion_loop": "refers to itself through a YAML alias; write the values out",
    # Our validators' own keys (raised with `keyed_error`).
    "participant_without_id": "needs a state_id or a user_id (or both) so the right "
    "participant is found; a name alone is not enough",
    "duplicate_contact": _duplicate_contact,
    # Rules across records.
    "duplicate_record": _duplicate_record,
    # The file itself.
    "not_found": "the job file was not found",
    "unreadable": "cannot be read: {reason}",
    "too_big": "is {megabytes:.0f} MB; job files of more than {limit} MB are not read (that "
    "is over 150,000 records): split it into smaller jobs",
    "utf16_without_bom": "is saved as {encoding} text without a byte-order mark; save it "
    "again as UTF-8",
    "not_utf8": "is not saved as UTF-8 text; save the file again as UTF-8",
    "empty": "the file is empty; a job file needs a 'records:' list",
    "top_level": "the top level must be 'key: value' lines (version:, defaults:, records:), "
    "not a list or a single value",
    # The YAML reader. The advice keys (yaml_*) are followed by PyYAML's own words.
    "control_character": "contains a control character YAML does not allow; delete it",
    "yaml_syntax": "the file is not valid YAML: {yaml}",
    "too_deep": "is nested too deeply to read",
    "unreadable_yaml": "could not be read as YAML ({error_type})",
    "alias": "uses a YAML alias (*name)",
    "tag": "has the YAML tag {tag} on {kind}, which job files do not take; remove the tag "
    "(quote the value if it must stay text)",
    "key_not_name": _KEY_NOT_NAME,
    "merge_key": "uses a YAML merge key (<<), which job files do not take: write the fields "
    "out, or put what records share under defaults:",
    "duplicate_key": _duplicate_key,
}
# PyYAML's errors: our advice, then PyYAML's words (`yaml` in the context).
YAML_ADVICE: dict[str, str] = {
    "yaml_tab": "a tab is used for indentation; YAML needs spaces",
    "yaml_colon": "a ':' appears where YAML does not expect one; check this line's "
    "indentation, or put a value containing ': ' in quotes",
    "yaml_no_colon": "a 'key: value' line is missing its ':', or its indentation is off",
    "yaml_indentation": "the indentation is off: this line does not line up with the lines "
    "above it",
    "yaml_flow_question_mark": "a '?' inside a {...} mapping or a [...] list must be in "
    "quotes, like {name: 'Who?'}",
    "yaml_flow_mapping": "a {...} mapping is missing a ',' between its entries, or its "
    "closing '}'",
    "yaml_flow_list": "a [...] list is missing a ',' between its items, or its closing ']'",
    "yaml_alias": "uses a YAML alias (*name); job files take neither aliases nor merge keys "
    "(<<): write the values out, or put what records share under defaults:",
    "yaml_undefined_alias": "uses an alias (*name) that no anchor (&name) defines",
    "yaml_documents": "holds more than one YAML document ('---'); keep one job per file",
    "yaml_key_not_name": _KEY_NOT_NAME,
    "yaml_unknown_tag": "uses a YAML tag (!name) that job files do not support",
    "yaml_tagged_value": "a value with a YAML tag (!!name) cannot be read; remove the tag",
    "yaml_unclosed": "a quote or bracket is opened but never closed",
    "yaml_long_number": "a number is far too long to read; check the value",
    "yaml_duplicate_anchor": "defines the same anchor (&name) twice",
}


def _worded(key: str, loc: Loc, context: Mapping[str, Any], places: Places) -> str | None:
    """The sentence the tables above give for `key`, or None when they have none."""
    if key in YAML_ADVICE:
        return f"{YAML_ADVICE[key]} (YAML: {context['yaml']})"
    wording = MESSAGES.get(key)
    if isinstance(wording, str):
        return wording.format_map(context)
    return wording(loc, context, places) if wording is not None else None


def problem_message(key: str, loc: Loc, context: Mapping[str, Any],
                    places: Places = JOB_FILE_PLACES) -> str:
    """The sentence for a problem: `key` at `loc` with `context`, naming places by `places`."""
    empty = context.get("input_type") == "NoneType" and key.endswith("_type")
    worded = None if empty else _worded(key, loc, context, places)
    if worded is not None:
        message = worded
    elif key == "too_short" and loc == ("records",):
        message = "must list at least one record"
    elif key == "literal_error" and loc == ("version",):
        message = (f"must be {JOB_VERSION}; this caljobs-bot reads version {JOB_VERSION} job "
                   "files")
    elif empty:
        message = "is empty; fill it in or delete the line"
    else:  # a pydantic check we do not word ourselves: its own sentence
        text = str(context.get("msg", "is not valid"))
        message = text[:1].lower() + text[1:]
    if context.get("from_settings"):
        message += f" (the value is {loc[2]} from {context['from_settings']})"
    return message


def keyed_error(key: str, **context: Any) -> PydanticCustomError:
    """A validator's refusal that keeps its key and values (pydantic reports them as the
    error's type and ctx), worded by `problem_message` like every other problem."""
    return PydanticCustomError(key, problem_message(key, (), context), context)


@dataclass(frozen=True)
class Problem:
    """One thing to fix in a job file, with the line to look at and what it is about."""

    file: Path
    line: int | None
    loc: Loc
    key: str
    context: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False,
                                                   hash=False)
    message: str = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", problem_message(self.key, self.loc, self.context))

    @property
    def field(self) -> str:
        """The field path as the file reads it: 'records[3].exit_reason'."""
        return field_label(self.loc)

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


def file_problem(file: Path, key: str, **context: Any) -> JobFileError:
    """A problem with the whole file (no line), raised at once."""
    return JobFileError([Problem(file, None, (), key, context)])
