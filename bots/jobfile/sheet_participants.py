"""A spreadsheet read as a list of participants: ids, name and application only.

`audit` checks what the site holds for the people a data team lists; a sheet with only a
State ID or User ID column is enough there, where `import` needs the outcome's columns too.
Why it is built this way: the same reader, header rules and row reading as `import`
(`read_sheet`, `read_header`, `sheet_records`), and the job file's own types for each value
(`ParticipantRef`, `ApplicationNumber`), so an id `import` refuses is refused here too, and
every problem names the row and column a person fixes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from caljobs_bot.jobfile.field_types import ApplicationNumber
from caljobs_bot.jobfile.models import ParticipantRef
from caljobs_bot.jobfile.sheet_header import read_header
from caljobs_bot.jobfile.sheet_problems import SheetError, SheetProblem
from caljobs_bot.jobfile.sheet_reading import Sheet
from caljobs_bot.jobfile.sheet_rows import sheet_records

# The columns whose presence makes a sheet a job (compared with the site), not a list.
OUTCOME_COLUMNS = frozenset({"exit_date", "exit_reason"})

_APPLICATION: TypeAdapter[str] = TypeAdapter(ApplicationNumber)


@dataclass(frozen=True)
class ListedParticipant:
    """One row of a list of participants: who, and which application if the row says."""

    row: int
    participant: ParticipantRef
    application: str | None


def has_outcome_columns(sheet: Sheet) -> bool:
    """Whether the sheet's header names an outcome column (exit_date or exit_reason): then it
    is read as a job, with `import`'s full rules."""
    columns, _ = read_header(sheet, participants_only=True)
    return any(column.name in OUTCOME_COLUMNS for column in columns.values())


def listed_participants(sheet: Sheet) -> list[ListedParticipant]:
    """Every row's participant; SheetError lists every problem (row and column) at once."""
    columns, problems = read_header(sheet, participants_only=True)
    if problems:
        raise SheetError(problems)
    rows = sheet_records(sheet, columns, sheet.file.parent, problems, {})
    listed: list[ListedParticipant] = []
    for row in rows:
        who = _participant(sheet.file, row.number, row.data.get("participant", {}), problems)
        valid, application = _application(sheet.file, row.number,
                                          row.data.get("application"), problems)
        if who is not None and valid:
            listed.append(ListedParticipant(row.number, who, application))
    if not rows and not problems:
        problems.append(SheetProblem(sheet.file, None, None, "has no participants: every row "
                                     "below the header is blank; add one row per participant"))
    if problems:
        raise SheetError(problems)
    return listed


def _participant(file: Path, row: int, data: object,
                 problems: list[SheetProblem]) -> ParticipantRef | None:
    try:
        return ParticipantRef.model_validate(data)
    except ValidationError as error:
        for problem in error.errors():
            where = [str(part) for part in problem["loc"]]
            column = where[0] if where else "state_id/user_id"
            problems.append(SheetProblem(file, row, column, _message(problem["msg"])))
        return None


def _application(file: Path, row: int, value: object,
                 problems: list[SheetProblem]) -> tuple[bool, str | None]:
    """Whether the row's application cell is valid, and its number (None when blank)."""
    if value is None:
        return True, None
    try:
        return True, _APPLICATION.validate_python(value)
    except ValidationError as error:
        problems.append(SheetProblem(file, row, "application",
                                     _message(error.errors()[0]["msg"])))
        return False, None


def _message(text: str) -> str:
    """pydantic's message without its "Value error, " prefix."""
    return text.removeprefix("Value error, ")
