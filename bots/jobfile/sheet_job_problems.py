"""The job file's problems mapped back to the spreadsheet's rows and columns, in its words.

Why it is built this way: the rules are the job file's, not a copy of them, so the import
checks the YAML it wrote with the job loader, and each problem's field path (`loc`) is turned
into the row and column a person sees. The sentence comes from the same function as the job
file's (`problems.problem_message`), naming rows and contact columns instead of records,
lines and list items; a value that is not there is a blank cell. By key and location, never
by reading the sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from caljobs_bot.jobfile.problems import JobFileError, Loc, Places, problem_message
from caljobs_bot.jobfile.sheet_columns import COLUMN_ORDER, COLUMNS, Column
from caljobs_bot.jobfile.sheet_problems import SheetProblem
from caljobs_bot.jobfile.sheet_reading import Sheet, merged_at
from caljobs_bot.jobfile.sheet_rows import Row


def _column_of(rest: Loc, row: Row) -> str | None:
    """('participant', 'state_id') → 'state_id'; ('alternate_contacts', 0, 'email') →
    'contact2_email' when the row's first contact is in the contact2_ columns."""
    if not rest:
        return None
    head = rest[0]
    if head == "alternate_contacts":
        if len(rest) >= 2 and isinstance(rest[1], int) and 0 <= rest[1] < len(row.contacts):
            contact = f"contact{row.contacts[rest[1]]}"
            return f"{contact}_{rest[2]}" if len(rest) >= 3 else contact
        return "contact1-3"
    exact = [c.name for c in COLUMNS if c.path == rest]
    if exact:
        return exact[0]
    group = [c.name for c in COLUMNS if c.path[: len(rest)] == rest]
    if head == "participant" and len(rest) == 1:
        group = ["state_id", "user_id"]
    return "/".join(group) if group else str(head)


# The keys of problems about a value that is not there: a blank cell, in the sheet's words.
_BLANK_KEYS = frozenset({"missing", "participant_without_id"})


def _blank(loc: Loc) -> str:
    """Why a blank cell matters, in the words of what it belongs to."""
    inside = loc[3:] if len(loc) > 3 else ()
    if len(loc) > 2 and loc[2] == "alternate_contacts" and inside:
        return "is blank; each contact needs a first and a last name"
    if len(loc) > 2 and loc[2] == "case_note" and inside:
        return "is blank; a case note needs both a subject and comments"
    return "is blank; every record needs a value here"


class _SheetPlaces(Places):
    """The job file's places as the spreadsheet shows them: rows, and contact columns."""

    def __init__(self, rows: list[Row], line_rows: dict[int, int]) -> None:
        self._rows, self._line_rows = rows, line_rows

    def record(self, index: int, line: int) -> str:
        if 0 <= index < len(self._rows):
            return f"row {self._rows[index].number}"
        return super().record(index, line)

    def line(self, line: int) -> str:
        return f"row {self._line_rows[line]}" if line in self._line_rows else super().line(line)

    def items(self, loc: Loc, numbers: Sequence[int]) -> str:
        row = _row_of(loc, self._rows)
        if (row is not None and loc[2:] == ("alternate_contacts",)
                and all(0 < number <= len(row.contacts) for number in numbers)):
            return " and ".join(f"contact{row.contacts[number - 1]}" for number in numbers)
        return super().items(loc, numbers)


def _row_of(loc: Loc, rows: list[Row]) -> Row | None:
    """The row of the record a problem's field path is in."""
    if len(loc) >= 2 and loc[0] == "records" and isinstance(loc[1], int) and loc[1] < len(rows):
        return rows[loc[1]]
    return None


def sheet_problems(error: JobFileError, sheet: Sheet, rows: list[Row],
                    line_rows: dict[int, int]) -> list[SheetProblem]:
    """The job file's problems at the rows and columns they came from, in the sheet's words:
    by each problem's key and field path."""
    places = _SheetPlaces(rows, line_rows)
    problems = []
    for problem in error.problems:
        row = _row_of(problem.loc, rows)
        column: str | None = None
        if row is not None:
            column = _column_of(problem.loc[2:], row)
        elif problem.line in line_rows:
            row = next(r for r in rows if r.number == line_rows[problem.line or 0])
        elif problem.field:
            column = problem.field
        if problem.key == "missing":
            message = _blank(problem.loc)
        else:
            message = problem_message(problem.key, problem.loc, problem.context, places)
        problems.append(SheetProblem(sheet.file, row.number if row else None, column, message,
                                     key=problem.key))
    return problems


def id_number_notes(file: Path, numbers: dict[str, int]) -> list[SheetProblem]:
    """One note per id column holding numbers: a warning, or a problem with --strict-ids."""
    notes = []
    for name in sorted(numbers, key=lambda n: COLUMN_ORDER.get(n, 0)):
        count = numbers[name]
        plural = count != 1
        cells = f"{count} cell{'s are' if plural else ' is a'} number{'s' if plural else ''}"
        notes.append(SheetProblem(
            file, None, name,
            f"{cells}; if ids had leading zeros, Excel dropped them: format the column as Text"))
    return notes


def blank_in_merged(problems: list[SheetProblem], sheet: Sheet,
                     columns: dict[int, Column]) -> list[SheetProblem]:
    """'is blank' for a cell hidden under merged cells says so, with the range."""
    if not sheet.merged:
        return problems
    index_of = {column.name: index for index, column in columns.items()}
    told = []
    for problem in problems:
        block = None
        if problem.row and problem.key in _BLANK_KEYS:
            for name in (problem.column or "").split("/"):
                index = index_of.get(name)
                block = merged_at(sheet, problem.row, index) if index is not None else None
                if block is not None:
                    break
        if block is not None:
            problem = SheetProblem(
                problem.file, problem.row, problem.column,
                f"is blank: the cell is inside the merged cells {block.label}, whose one value "
                f"is on row {block.first_row}; unmerge them and type the value on each row",
                key=problem.key)
        told.append(problem)
    return told
