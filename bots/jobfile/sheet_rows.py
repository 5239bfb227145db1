"""Rows → records: each row's cells as a record's data, blank cells left out.

Why it is built this way: ids typed as numbers come back as the digits ("34712", not
34712.0; a leading zero Excel dropped cannot be recovered, so id columns holding numbers are
counted for a note); dates as dates; attachments relative to the output job file. A value
typed once over merged rows is copied to each row only in the columns a team shares.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path, PureWindowsPath
from typing import Any

from caljobs_bot.form_fields import GENERAL_INFORMATION
from caljobs_bot.jobfile.sheet_columns import (
    BY_NAME,
    CONTACT_FIELDS,
    FILL_MERGED_COLUMNS,
    ID_COLUMNS,
    Column,
)
from caljobs_bot.jobfile.sheet_problems import SheetProblem
from caljobs_bot.jobfile.sheet_reading import Sheet, cell_text

_YES, _NO = {"yes", "true", "1"}, {"no", "false", "0", ""}


def _exit_date(value: object, from_excel: bool) -> object:
    """A date when the cell holds one (an Excel date, a serial number, or date text)."""
    if isinstance(value, datetime):
        return value.date()  # a time of day is invisible in a date-formatted cell
    if isinstance(value, date):
        return value
    serial = not isinstance(value, bool)  # True is an int, never a day count
    if from_excel and serial and isinstance(value, int | float) and 1 <= value < 2958466:
        return date(1899, 12, 30) + timedelta(days=int(value))  # a date kept as Excel's day count
    text = cell_text(value)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00)?)?", text):
            return date.fromisoformat(text[:10])
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            return datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        pass  # not a real calendar date: the job file's rule says so, with the text
    return text


def _id(value: object) -> str:
    text = cell_text(value)
    return text.split(".")[0] if re.fullmatch(r"\d+\.0+", text) else text


def _attachment(value: object, sheet_folder: Path, output_folder: Path) -> str:
    """The document's path as the output job file must say it (relative to its folder)."""
    text = cell_text(value).replace("\\", "/") if os.sep == "/" else cell_text(value)
    given = Path(text).expanduser()
    if given.is_absolute() or PureWindowsPath(text).is_absolute():
        return text
    document = (sheet_folder / given).absolute()
    try:
        return Path(os.path.relpath(document, output_folder.absolute())).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        return str(document)


_RECORD_ORDER = ("participant", "application", "exit_date", "exit_reason",
                 *(field.attribute for field in GENERAL_INFORMATION), "alternate_contacts",
                 "case_manager", "case_note")


@dataclass
class Row:
    """One spreadsheet row as a record's data, with what is needed to map problems back."""

    number: int
    data: dict[str, Any]
    contacts: list[int] = field(default_factory=list)  # contact numbers, in list order


def _record(number: int, cells: tuple[object, ...], columns: dict[int, Column],
            sheet_folder: Path, output_folder: Path, from_excel: bool,
            problems: list[SheetProblem], file: Path) -> Row | None:
    """The row's record data (blank cells left out), or None for a blank row."""
    values: dict[str, object] = {}
    for index, column in columns.items():
        cell = cells[index] if index < len(cells) else None
        if cell_text(cell):
            values[column.name] = cell
    if not values:
        return None
    participant: dict[str, Any] = {}
    contacts: dict[int, dict[str, str]] = {}
    data: dict[str, Any] = {"participant": participant}
    for name, cell in values.items():
        path = BY_NAME[name].path
        if path[0] == "participant":
            participant[str(path[1])] = _id(cell) if name in ID_COLUMNS else cell_text(cell)
        elif name == "application":
            data["application"] = _id(cell)
        elif name == "exit_date":
            data["exit_date"] = _exit_date(cell, from_excel)
        elif name == "case_manager_remove":
            answer = cell_text(cell).casefold()
            if answer in _YES:
                data.setdefault("case_manager", {})["remove"] = True
            elif answer not in _NO:
                problems.append(SheetProblem(
                    file, number, name,
                    f"'{cell_text(cell)}' is not yes or no; write yes, no, true, false, 1 or 0, "
                    "or leave it blank"))
        elif name == "case_note_attachment":
            data.setdefault("case_note", {})["attachment"] = _attachment(
                cell, sheet_folder, output_folder)
        elif path[0] == "alternate_contacts":
            contacts.setdefault(int(path[1]), {})[str(path[2])] = cell_text(cell)
        elif len(path) == 2:
            data.setdefault(str(path[0]), {})[str(path[1])] = cell_text(cell)
        else:
            data[str(path[0])] = cell_text(cell)
    numbers = sorted(contacts)  # contact2 alone becomes the list's first item
    if numbers:
        data["alternate_contacts"] = [
            {name: contacts[n][name] for name in CONTACT_FIELDS if name in contacts[n]}
            for n in numbers
        ]
    return Row(number, {key: data[key] for key in _RECORD_ORDER if key in data}, numbers)


def sheet_records(sheet: Sheet, columns: dict[int, Column], attachment_base: Path,
          problems: list[SheetProblem], numbers: dict[str, int]) -> list[Row]:
    """The records of the rows below the header; `numbers` counts, per id column, the cells
    Excel holds as numbers (whose leading zeros, if any, are gone)."""
    from_excel = sheet.file.suffix.lower() in {".xlsx", ".xlsm"}
    id_columns = [(index, column.name) for index, column in columns.items()
                  if column.name in ID_COLUMNS]
    rows = []
    for number, cells in _fill_merged(sheet, columns)[1:]:
        if from_excel:
            for index, name in id_columns:
                cell = cells[index] if index < len(cells) else None
                if isinstance(cell, int | float) and not isinstance(cell, bool):
                    numbers[name] = numbers.get(name, 0) + 1
                    if isinstance(cell, float) and abs(cell) >= 1e15:
                        problems.append(SheetProblem(
                            sheet.file, number, name,
                            "is a number longer than the 15 digits Excel keeps exactly; "
                            "format the column as Text and type the id again"))
        row = _record(number, cells, columns, sheet.file.parent, attachment_base, from_excel,
                      problems, sheet.file)
        if row is not None:
            rows.append(row)
    return rows


def _fill_merged(sheet: Sheet, columns: dict[int, Column]) -> list[tuple[int, tuple[object, ...]]]:
    """The rows with a value merged down over rows copied to each of those rows, in the
    FILL_MERGED_COLUMNS only, and only into rows that hold something of their own (a region
    merged past the last participant does not make records of blank rows)."""
    fill = {index for index, column in columns.items() if column.name in FILL_MERGED_COLUMNS}
    blocks = [block for block in sheet.merged
              if block.first_column in fill and block.last_row > block.first_row
              and block.first_row > 1]
    if not blocks:
        return sheet.rows
    place = {number: position for position, (number, _) in enumerate(sheet.rows)}
    rows = list(sheet.rows)
    for block in blocks:
        top = place.get(block.first_row)
        if top is None:
            continue
        top_cells = rows[top][1]
        value = top_cells[block.first_column] if block.first_column < len(top_cells) else None
        last = min(block.last_row, rows[-1][0])
        for number in range(block.first_row + 1, last + 1):
            position = place.get(number)
            if position is None:
                continue
            cells = list(rows[position][1])
            if not any(cell_text(cells[i]) for i in columns if i < len(cells)):
                continue
            cells.extend([None] * (block.first_column + 1 - len(cells)))
            cells[block.first_column] = value
            rows[position] = (number, tuple(cells))
    return rows
