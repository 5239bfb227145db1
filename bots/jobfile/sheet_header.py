"""The header row: which column is in which cell, and what is wrong with the header.

Why it is built this way: an unknown column is an error with the closest known name, never
silently ignored; the required columns are derived from the job-file model, so a field it
starts requiring is required here too.
"""

from __future__ import annotations

import difflib
import re

from caljobs_bot.jobfile.models import Record
from caljobs_bot.jobfile.sheet_columns import (
    BY_NAME,
    COLUMNS,
    CONTACT_FIELDS,
    MAX_CONTACTS,
    Column,
    column_letter,
    normalise_column,
)
from caljobs_bot.jobfile.sheet_problems import SheetProblem
from caljobs_bot.jobfile.sheet_reading import Sheet, cell_text


def _known_columns_hint() -> str:
    plain = [c.name for c in COLUMNS if c.path[0] != "alternate_contacts"]
    return (
        f"the columns are {', '.join(plain)}, and contact1_ to contact{MAX_CONTACTS}_ "
        f"followed by {', '.join(CONTACT_FIELDS)}"
    )


def _unknown_column(heading: str, name: str, letter: str) -> str:
    contact = re.fullmatch(r"contact(\d+)_(.+)", name)
    if contact and int(contact[1]) > MAX_CONTACTS and contact[2] in CONTACT_FIELDS:
        return (f"is not a known column (column {letter}): a row holds at most "
                f"{MAX_CONTACTS} contacts; add more to the YAML job after the import")
    close = difflib.get_close_matches(name, list(BY_NAME), n=1, cutoff=0.6)
    if close:
        return f"is not a known column (column {letter}); did you mean '{close[0]}'?"
    return f"is not a known column (column {letter}); {_known_columns_hint()}"


def _required_columns() -> list[tuple[str, ...]]:
    """For each required record field, the columns that can give it (one is enough).

    Derived from the job-file model, so a field it starts requiring is required here too.
    The participant needs a state_id or a user_id (ParticipantRef's own rule).
    """
    groups: list[tuple[str, ...]] = []
    for name, model_field in Record.model_fields.items():
        if not model_field.is_required():
            continue
        if name == "participant":
            groups.append(("state_id", "user_id"))
        else:
            groups.append(tuple(c.name for c in COLUMNS if c.path[0] == name))
    return groups


def read_header(sheet: Sheet, *, participants_only: bool = False,
                ) -> tuple[dict[int, Column], list[SheetProblem]]:
    """The column at each cell index of the header row, and what is wrong with the header.

    `participants_only`: only an id column is required (`audit` reads a list of people; the
    outcome's columns are needed only to compare with what the site holds)."""
    file = sheet.file

    def knows_a_column(cells: tuple[object, ...]) -> bool:
        return any(normalise_column(cell_text(cell)) in BY_NAME for cell in cells)

    first_row = sheet.rows[0][1] if sheet.rows else ()
    if not knows_a_column(first_row):
        later = next((number for number, cells in sheet.rows[1:20] if knows_a_column(cells)),
                     None)
        if later is not None:
            return {}, [SheetProblem(file, 1, None, (
                f"must hold the column names; row {later} looks like the header, so delete "
                "the rows above it"))]
        if not any(cell_text(cell) for cell in first_row):
            return {}, [SheetProblem(file, 1, None, (
                "must hold the column names (state_id, exit_date, exit_reason, ...); start "
                "from the template"))]
    number, cells = sheet.rows[0]
    columns: dict[int, Column] = {}
    problems: list[SheetProblem] = []
    seen: dict[str, str] = {}
    for index, cell in enumerate(cells):
        heading = cell_text(cell)
        if not heading:
            continue
        letter = column_letter(index)
        name = normalise_column(heading)
        column = BY_NAME.get(name)
        if column is None:
            problems.append(SheetProblem(file, number, heading,
                                         _unknown_column(heading, name, letter)))
        elif name in seen:
            problems.append(SheetProblem(
                file, number, name, f"is in column {seen[name]} and again in column {letter}; "
                "keep one"))
        else:
            seen[name] = letter
            columns[index] = column
    headed = {index for index, cell in enumerate(cells) if cell_text(cell)}
    stray: dict[int, int] = {}
    for row_number, row in sheet.rows[1:]:
        for index, cell in enumerate(row):
            if index not in headed and index not in stray and cell_text(cell):
                stray[index] = row_number
    problems.extend(
        SheetProblem(file, number, None,
                     f"column {column_letter(index)} has no name, but row {first} has a value "
                     "in it; name the column or clear it")
        for index, first in sorted(stray.items())
    )
    if not problems:
        required = [("state_id", "user_id")] if participants_only else _required_columns()
        for group in required:
            if not seen.keys() & set(group):
                label = "/".join(group)
                wanted = " or ".join(group) + (" (or both)" if len(group) > 1 else "")
                problems.append(SheetProblem(
                    file, number, label,
                    f"is missing: add a column named {wanted}; every record needs it"))
    return columns, problems
