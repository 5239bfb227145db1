"""Spreadsheet import: a data team's hard-exit list (.xlsx or .csv) as a YAML job file.

Data teams keep their lists in Excel, one row per participant; the bot runs YAML job files
that a person can review before anything is saved. This module turns the one into the other
and nothing else (the `caljobs-bot import` command is a thin layer over `import_sheet`).

Why it is built this way:

- The rules are the job file's, not a copy of them: the YAML text is built first and checked
  with `caljobs_bot.jobfile.parse_job` as if it were already the output file (so attachments resolve
  from the output's folder), and each problem's `records[N].field` is mapped back to the
  spreadsheet row and column a person sees (row 1 is the header). Every row's problems are
  reported at once, and the output is written only when there are none.
- Excel hands over typed cells: dates as datetimes (written ISO, time of day dropped), ids
  typed as numbers as floats like 34712.0 (written "34712"). A leading zero Excel has already
  dropped from an id cannot be recovered: keep id columns formatted as Text.
- Column names are forgiving ("State ID", "state-id" and "STATE_ID" are one column), but an
  unknown column is an error with the closest known name, never silently ignored.
- CSV files are read as UTF-8 (with or without Excel's byte-order mark), else as Windows-1252
  (what "CSV (Comma delimited)" in US Excel writes), so accented names survive either way.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import json
import os
import re
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path, PureWindowsPath
from typing import Any

from caljobs_bot.jobfile.attachments import AttachmentLimits
from caljobs_bot.jobfile.loader import parse_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.jobfile.problems import JobFileError, Loc, Places, problem_message
from caljobs_bot.jobfile.yaml_reader import utf16_without_bom

# ---------------------------------------------------------------------------------------------
# The documented columns, as data: the import, the template and the README table use these.
# ---------------------------------------------------------------------------------------------

MAX_CONTACTS = 3
_CONTACT_FIELDS = ("first_name", "last_name", "relationship", "phone", "email", "address")


@dataclass(frozen=True)
class Column:
    """One documented column: its name, where its value goes in a record, and what it holds."""

    name: str
    path: tuple[str | int, ...]
    meaning: str


COLUMNS: tuple[Column, ...] = (
    Column("state_id", ("participant", "state_id"),
           "The participant's State ID (digits). state_id or user_id is required."),
    Column("user_id", ("participant", "user_id"), "The participant's User ID (digits)."),
    Column("name", ("participant", "name"),
           "Optional: the name as CalJOBS shows it; checked against the site."),
    Column("application", ("application",),
           "Optional: the WIOA application number (2244266); needed only when the "
           "participant has several open WIOA applications."),
    Column("exit_date", ("exit_date",),
           "An Excel date, 06/24/2021, 2021-06-24 or today; not in the future."),
    Column("exit_reason", ("exit_reason",),
           "Institutionalized, Health/Medical, Deceased, Reservist called to Active Duty, "
           "In Foster Care and moved from area by foster care system (Youth only), or the "
           "code 01-05."),
    Column("lwia_region", ("lwia_region",), "LWIA/Region, as the dropdown shows it."),
    Column("office_location", ("office_location",), "Office Location, as the dropdown shows it."),
    Column("staff_position", ("staff_position",), "Staff Position, as the dropdown shows it."),
    Column("case_manager_assign", ("case_manager", "assign"),
           "Optional: a case manager to assign, \"Last, First\" as the site lists staff."),
    Column("case_manager_remove", ("case_manager", "remove"),
           "Optional: yes/true/1 removes the current case manager; no/false/0 or blank does "
           "nothing."),
    Column("case_note_subject", ("case_note", "subject"),
           "Optional case note: its subject (with comments)."),
    Column("case_note_comments", ("case_note", "comments"),
           "The case note's text; keep medical detail out of it."),
    Column("case_note_attachment", ("case_note", "attachment"),
           "Optional: a document to attach, relative to the spreadsheet's folder."),
    *(
        Column(f"contact{number}_{name}", ("alternate_contacts", number, name),
               f"Alternate contact {number}: {name.replace('_', ' ')}"
               + (" (required for the contact)." if name.endswith("_name") else "."))
        for number in range(1, MAX_CONTACTS + 1)
        for name in _CONTACT_FIELDS
    ),
)
_BY_NAME = {column.name: column for column in COLUMNS}
_BY_SQUASHED = {column.name.replace("_", ""): column for column in COLUMNS}
_ID_COLUMNS = {"state_id", "user_id", "application"}
# Columns where a value typed once over merged rows (a region over rows 2 to 6) means the same
# value on each of those rows: settings a team shares and the exit itself. Ids, names,
# contacts and case notes are the participant's own, so a merged id is never copied.
FILL_MERGED_COLUMNS = ("exit_date", "exit_reason", "lwia_region", "office_location",
                       "staff_position", "case_manager_assign")
# A spreadsheet bigger than this is refused before it is read (a 20 MB .xlsx holds several
# hundred thousand rows; a 100,000-row sheet once took 266 s and 4.4 GB to import). The
# parts inside an .xlsx are limited too, so a small zip cannot unpack into gigabytes.
MAX_SHEET_MB = 20
MAX_UNZIPPED_MB = 400
_YES, _NO = {"yes", "true", "1"}, {"no", "false", "0", ""}


def columns_markdown() -> str:
    """The documented columns as a markdown table, for the README."""
    rows = ["| column | what to put in it |", "|---|---|"]
    contact = f"contact1_ … contact{MAX_CONTACTS}_"
    for column in COLUMNS:
        if column.path[0] == "alternate_contacts":
            continue
        rows.append(f"| `{column.name}` | {column.meaning} |")
    rows.append(
        f"| `{contact}first_name`, `last_name`, `relationship`, `phone`, `email`, `address` | "
        f"Up to {MAX_CONTACTS} alternate contacts; first and last name are required for each "
        "contact given. A contact with the name of an existing one is edited. |"
    )
    return "\n".join(rows) + "\n"


# ---------------------------------------------------------------------------------------------
# Problems
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetProblem:
    """One thing to fix in the spreadsheet, at the row and column a person sees."""

    file: Path
    row: int | None
    column: str | None
    message: str
    # The job-file problem's key (problems.MESSAGES) when it came from one, else None.
    key: str | None = dataclasses.field(default=None, compare=False)

    def __str__(self) -> str:
        where = ", ".join(
            part for part in (f"row {self.row}" if self.row else "", self.column or "") if part
        )
        return f"{self.file}: {where}: {self.message}" if where else f"{self.file}: {self.message}"


_COLUMN_ORDER = {column.name: number for number, column in enumerate(COLUMNS)}


def _reading_order(problem: SheetProblem) -> tuple[int, int]:
    """By row, then left to right as the template orders columns; the header as found."""
    if problem.row is None or problem.row == 1 or problem.column is None:
        return (problem.row or 0, -1)
    first = re.split(r"[/-]", problem.column)[0]
    return (problem.row, _COLUMN_ORDER.get(first, _COLUMN_ORDER.get(first + "_first_name", -1)))


class SheetError(Exception):
    """The spreadsheet cannot be imported as it is; `problems` lists everything found."""

    def __init__(self, problems: Sequence[SheetProblem]) -> None:
        self.problems: list[SheetProblem] = sorted(dict.fromkeys(problems), key=_reading_order)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


# ---------------------------------------------------------------------------------------------
# Reading: cells as the file holds them, with the row numbers the spreadsheet shows
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergedCells:
    """A block of merged cells: rows as numbered on screen, columns as 0-based indexes."""

    first_row: int
    last_row: int
    first_column: int
    last_column: int

    @property
    def label(self) -> str:
        """'B2:B6', as Excel names the range."""
        return (f"{_letter(self.first_column)}{self.first_row}:"
                f"{_letter(self.last_column)}{self.last_row}")


@dataclass(frozen=True)
class Sheet:
    """A spreadsheet's rows as read: (row number, cells), row 1 first; cells as typed.

    An Excel number shown with zero padding (number format 00000) arrives as the text the
    screen shows ("00123"); `merged` lists the merged blocks of an .xlsx sheet.
    """

    file: Path
    rows: list[tuple[int, tuple[object, ...]]]
    name: str | None = None
    merged: tuple[MergedCells, ...] = ()


def read_sheet(source: Path, *, sheet: str | None = None) -> Sheet:
    """The rows of a .csv, or of an .xlsx's first (or named) sheet; a file over MAX_SHEET_MB
    is refused from its size, before it is read."""
    try:
        size = source.stat().st_size
    except FileNotFoundError:
        raise _file_error(source, "was not found") from None
    except OSError as error:
        raise _file_error(source, f"cannot be read: {error.strerror or error}") from None
    if size > MAX_SHEET_MB * 1024 * 1024:
        raise _file_error(source, f"is {size / 1024 / 1024:.0f} MB; spreadsheets of more than "
                                  f"{MAX_SHEET_MB} MB are not read: split the list into "
                                  "several files")
    suffix = source.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _read_workbook(source, sheet)
    if suffix == ".xls":
        raise _file_error(source, "is an old-style .xls workbook; save it as .xlsx or as CSV")
    if suffix not in {".csv", ".txt", ".tsv"}:
        raise _file_error(source, "is not a spreadsheet this import reads; use .xlsx or .csv")
    if sheet is not None:
        raise _file_error(source, "is a CSV file, which has no sheets; leave out the sheet name")
    return Sheet(source, list(enumerate(_csv_rows(source, _read_bytes(source)), start=1)))


def _file_error(source: Path, message: str) -> SheetError:
    return SheetError([SheetProblem(source, None, None, message)])


def _read_bytes(source: Path) -> bytes:
    try:
        return source.read_bytes()
    except FileNotFoundError:
        raise _file_error(source, "was not found") from None
    except OSError as error:
        raise _file_error(source, f"cannot be read: {error.strerror or error}") from None


def _csv_rows(source: Path, raw: bytes) -> list[tuple[str, ...]]:
    """CSV records (a quoted cell may span lines: the row number counts records, as Excel does)."""
    text = _decode(source, raw)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    try:
        return [tuple(row) for row in csv.reader(io.StringIO(text, newline=""),
                                                 delimiter=delimiter)]
    except csv.Error as error:
        raise _file_error(source, f"is not a readable CSV file ({error})") from None


def _decode(source: Path, raw: bytes) -> str:
    """UTF-8 (Excel's 'CSV UTF-8' adds a byte-order mark), UTF-16, else Windows-1252."""
    bare = None if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else utf16_without_bom(raw)
    if bare is not None:
        raise _file_error(source, f"is saved as {bare} text without a byte-order mark; in "
                                  "Excel, save it as 'CSV UTF-8'")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _file_error(
        source, "is neither UTF-8 nor Windows-1252 text; in Excel, save it as 'CSV UTF-8'"
    )


def _read_workbook(source: Path, sheet: str | None) -> Sheet:
    """Cell values as Excel last calculated them (formulas give their results), zero-padded
    numbers as the text shown, and the merged blocks."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _read_bytes(source)  # a clear problem for a missing or unreadable file
    try:
        with zipfile.ZipFile(source) as archive:
            unzipped = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _file_error(source, f"is not a readable Excel workbook ({error})") from None
    if unzipped > MAX_UNZIPPED_MB * 1024 * 1024:
        raise _file_error(source, f"unpacks to {unzipped / 1024 / 1024:.0f} MB, more than the "
                                  f"{MAX_UNZIPPED_MB} MB a hard-exit list needs; is it the "
                                  "right file?")
    try:
        with warnings.catch_warnings():  # about features we do not read (validation, styles)
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(source, data_only=True)
    except ValueError as error:
        if "integer string conversion" in str(error):
            raise _file_error(source, "holds a number of more than 4,300 digits, which cannot "
                                      "be read; find it and delete it") from None
        raise _file_error(source, f"is not a readable Excel workbook ({error})") from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, TypeError, AttributeError,
            IndexError, OSError, EOFError) as error:
        raise _file_error(source, f"is not a readable Excel workbook ({error})") from None
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
            _other_sheet_has_the_columns(source, workbook)
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            names = ", ".join(f"'{name}'" for name in workbook.sheetnames)
            raise _file_error(source, f"has no sheet named '{sheet}'; its sheets are {names}")
        if not hasattr(worksheet, "iter_rows"):
            raise _file_error(source, f"the sheet '{worksheet.title}' is a chart, not cells; "
                                      "name the sheet with the list with --sheet")
        rows = [(number, tuple(_shown(cell) for cell in cells))
                for number, cells in enumerate(worksheet.iter_rows(), start=1)]
        blocks = getattr(getattr(worksheet, "merged_cells", None), "ranges", ())
        merged = tuple(
            MergedCells(block.min_row, block.max_row, block.min_col - 1, block.max_col - 1)
            for block in blocks
        )
        return Sheet(source, rows, worksheet.title, merged)
    finally:
        workbook.close()


def _shown(cell: Any) -> object:
    """A cell's value; a whole number formatted with zero padding (00000) as the digits the
    screen shows, so an id typed as a number keeps its leading zeros."""
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        pattern = str(getattr(cell, "number_format", "") or "").split(";")[0].strip()
        if re.fullmatch(r"0{2,}", pattern) and float(value).is_integer() and value >= 0:
            return str(int(value)).zfill(len(pattern))
    return value


def _other_sheet_has_the_columns(source: Path, workbook: Any) -> None:
    """When the first sheet's row 1 names no known column but another sheet's does (a first
    sheet of instructions), say which sheet and how to pick it, rather than calling the
    instructions unknown columns."""
    def known(worksheet: Any) -> int:
        if not hasattr(worksheet, "iter_rows"):  # a chart sheet
            return 0
        first = next(worksheet.iter_rows(max_row=1, values_only=True), ())
        return sum(1 for cell in first if normalise_column(_text(cell)) in _BY_NAME)

    first = workbook.worksheets[0]
    if known(first):
        return
    for other in workbook.worksheets[1:]:
        if known(other):
            raise _file_error(source, (
                f"the first sheet, '{first.title}', has none of the columns (state_id, "
                f"exit_date, exit_reason, ...) in row 1, but the sheet '{other.title}' has "
                f"them: add --sheet \"{other.title}\" to read that one"))


# ---------------------------------------------------------------------------------------------
# Cells → record fields
# ---------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    """A cell as text: numbers without a spurious '.0', dates ISO, whitespace stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def _exit_date(value: object, from_excel: bool) -> object:
    """A date when the cell holds one (an Excel date, a serial number, or date text)."""
    if isinstance(value, datetime):
        return value.date()  # a time of day is invisible in a date-formatted cell
    if isinstance(value, date):
        return value
    serial = isinstance(value, int | float) and not isinstance(value, bool)
    if from_excel and serial and 1 <= value < 2958466:  # type: ignore[operator]
        return date(1899, 12, 30) + timedelta(days=int(value))  # a date kept as Excel's day count
    text = _text(value)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00)?)?", text):
            return date.fromisoformat(text[:10])
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            return datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        pass  # not a real calendar date: the job file's rule says so, with the text
    return text


def _id(value: object) -> str:
    text = _text(value)
    return text.split(".")[0] if re.fullmatch(r"\d+\.0+", text) else text


def _attachment(value: object, sheet_folder: Path, output_folder: Path) -> str:
    """The document's path as the output job file must say it (relative to its folder)."""
    text = _text(value).replace("\\", "/") if os.sep == "/" else _text(value)
    given = Path(text).expanduser()
    if given.is_absolute() or PureWindowsPath(text).is_absolute():
        return text
    document = (sheet_folder / given).absolute()
    try:
        return Path(os.path.relpath(document, output_folder.absolute())).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        return str(document)


# ---------------------------------------------------------------------------------------------
# The header row
# ---------------------------------------------------------------------------------------------


def normalise_column(text: str) -> str:
    """'State ID', 'state-id', 'StateID' → 'state_id'; 'Contact 1 Email' → 'contact1_email'.

    Separators (spaces, underscores, hyphens, dots) do not count, nor does letter case; an
    unknown name comes back in snake case for the error message.
    """
    name = re.sub(r"[\s_\-.]+", "_", text.strip().casefold()).strip("_")
    known = _BY_SQUASHED.get(name.replace("_", ""))
    return known.name if known else re.sub(r"^contact_(\d)", r"contact\1", name)


def _letter(index: int) -> str:
    """0 → 'A', 26 → 'AA': the column letter Excel shows."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _known_columns_hint() -> str:
    plain = [c.name for c in COLUMNS if c.path[0] != "alternate_contacts"]
    return (
        f"the columns are {', '.join(plain)}, and contact1_ to contact{MAX_CONTACTS}_ "
        f"followed by {', '.join(_CONTACT_FIELDS)}"
    )


def _unknown_column(heading: str, name: str, letter: str) -> str:
    contact = re.fullmatch(r"contact(\d+)_(.+)", name)
    if contact and int(contact[1]) > MAX_CONTACTS and contact[2] in _CONTACT_FIELDS:
        return (f"is not a known column (column {letter}): a row holds at most "
                f"{MAX_CONTACTS} contacts; add more to the YAML job after the import")
    close = difflib.get_close_matches(name, list(_BY_NAME), n=1, cutoff=0.6)
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


def _header(sheet: Sheet) -> tuple[dict[int, Column], list[SheetProblem]]:
    """The column at each cell index of the header row, and what is wrong with the header."""
    file = sheet.file

    def knows_a_column(cells: tuple[object, ...]) -> bool:
        return any(normalise_column(_text(cell)) in _BY_NAME for cell in cells)

    first_row = sheet.rows[0][1] if sheet.rows else ()
    if not knows_a_column(first_row):
        later = next((number for number, cells in sheet.rows[1:20] if knows_a_column(cells)),
                     None)
        if later is not None:
            return {}, [SheetProblem(file, 1, None, (
                f"must hold the column names; row {later} looks like the header, so delete "
                "the rows above it"))]
        if not any(_text(cell) for cell in first_row):
            return {}, [SheetProblem(file, 1, None, (
                "must hold the column names (state_id, exit_date, exit_reason, ...); start "
                "from the template"))]
    number, cells = sheet.rows[0]
    columns: dict[int, Column] = {}
    problems: list[SheetProblem] = []
    seen: dict[str, str] = {}
    for index, cell in enumerate(cells):
        heading = _text(cell)
        if not heading:
            continue
        letter = _letter(index)
        name = normalise_column(heading)
        column = _BY_NAME.get(name)
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
    headed = {index for index, cell in enumerate(cells) if _text(cell)}
    stray: dict[int, int] = {}
    for row_number, row in sheet.rows[1:]:
        for index, cell in enumerate(row):
            if index not in headed and index not in stray and _text(cell):
                stray[index] = row_number
    problems.extend(
        SheetProblem(file, number, None,
                     f"column {_letter(index)} has no name, but row {first} has a value in it; "
                     "name the column or clear it")
        for index, first in sorted(stray.items())
    )
    if not problems:
        for group in _required_columns():
            if not seen.keys() & set(group):
                label = "/".join(group)
                wanted = " or ".join(group) + (" (or both)" if len(group) > 1 else "")
                problems.append(SheetProblem(
                    file, number, label,
                    f"is missing: add a column named {wanted}; every record needs it"))
    return columns, problems


# ---------------------------------------------------------------------------------------------
# Rows → records
# ---------------------------------------------------------------------------------------------

_RECORD_ORDER = ("participant", "application", "exit_date", "exit_reason", "lwia_region",
                 "office_location", "staff_position", "alternate_contacts", "case_manager",
                 "case_note")


@dataclass
class _Row:
    """One spreadsheet row as a record's data, with what is needed to map problems back."""

    number: int
    data: dict[str, Any]
    contacts: list[int] = field(default_factory=list)  # contact numbers, in list order


def _record(number: int, cells: tuple[object, ...], columns: dict[int, Column],
            sheet_folder: Path, output_folder: Path, from_excel: bool,
            problems: list[SheetProblem], file: Path) -> _Row | None:
    """The row's record data (blank cells left out), or None for a blank row."""
    values: dict[str, object] = {}
    for index, column in columns.items():
        cell = cells[index] if index < len(cells) else None
        if _text(cell):
            values[column.name] = cell
    if not values:
        return None
    participant: dict[str, Any] = {}
    contacts: dict[int, dict[str, str]] = {}
    data: dict[str, Any] = {"participant": participant}
    for name, cell in values.items():
        path = _BY_NAME[name].path
        if path[0] == "participant":
            participant[str(path[1])] = _id(cell) if name in _ID_COLUMNS else _text(cell)
        elif name == "application":
            data["application"] = _id(cell)
        elif name == "exit_date":
            data["exit_date"] = _exit_date(cell, from_excel)
        elif name == "case_manager_remove":
            answer = _text(cell).casefold()
            if answer in _YES:
                data.setdefault("case_manager", {})["remove"] = True
            elif answer not in _NO:
                problems.append(SheetProblem(
                    file, number, name,
                    f"'{_text(cell)}' is not yes or no; write yes, no, true, false, 1 or 0, "
                    "or leave it blank"))
        elif name == "case_note_attachment":
            data.setdefault("case_note", {})["attachment"] = _attachment(
                cell, sheet_folder, output_folder)
        elif path[0] == "alternate_contacts":
            contacts.setdefault(int(path[1]), {})[str(path[2])] = _text(cell)
        elif len(path) == 2:
            data.setdefault(str(path[0]), {})[str(path[1])] = _text(cell)
        else:
            data[str(path[0])] = _text(cell)
    numbers = sorted(contacts)  # contact2 alone becomes the list's first item
    if numbers:
        data["alternate_contacts"] = [
            {name: contacts[n][name] for name in _CONTACT_FIELDS if name in contacts[n]}
            for n in numbers
        ]
    return _Row(number, {key: data[key] for key in _RECORD_ORDER if key in data}, numbers)


def _rows(sheet: Sheet, columns: dict[int, Column], attachment_base: Path,
          problems: list[SheetProblem], numbers: dict[str, int]) -> list[_Row]:
    """The records of the rows below the header; `numbers` counts, per id column, the cells
    Excel holds as numbers (whose leading zeros, if any, are gone)."""
    from_excel = sheet.file.suffix.lower() in {".xlsx", ".xlsm"}
    id_columns = [(index, column.name) for index, column in columns.items()
                  if column.name in _ID_COLUMNS]
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
            if not any(_text(cells[i]) for i in columns if i < len(cells)):
                continue
            cells.extend([None] * (block.first_column + 1 - len(cells)))
            cells[block.first_column] = value
            rows[position] = (number, tuple(cells))
    return rows


def _merged_at(sheet: Sheet, row: int, index: int) -> MergedCells | None:
    """The merged block that hides the cell (a cell of a block other than its first one)."""
    for block in sheet.merged:
        inside = (block.first_row <= row <= block.last_row
                  and block.first_column <= index <= block.last_column)
        if inside and (row, index) != (block.first_row, block.first_column):
            return block
    return None


# ---------------------------------------------------------------------------------------------
# The YAML text, and the job file's problems mapped back to rows
# ---------------------------------------------------------------------------------------------


def _render(sheet: Sheet, rows: list[_Row]) -> tuple[str, dict[int, int]]:
    """The job file's text, and the spreadsheet row of each line that belongs to a record."""
    origin = sheet.file.name + (f", sheet '{sheet.name}'" if sheet.name else "")
    origin = re.sub(r"[^\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd]", "?", origin)
    lines = [
        f"# Imported from {origin} by caljobs-bot import.",
        "# '# row N' above each record is its row in the spreadsheet (row 1 is the header).",
        "version: 1",
        "records:",
    ]
    line_rows: dict[int, int] = {}
    for row in rows:
        lines.append(f"  # row {row.number}")
        for text in _block(row.data, "  - ", "    "):
            lines.append(text)
            line_rows[len(lines)] = row.number
    return "\n".join(lines) + "\n", line_rows


# Plain (unquoted) text is kept for what reads the same to any YAML reader: starts with a
# letter, then letters, digits, spaces and . , / ( ) - only, no trailing space, no keyword.
_PLAIN = re.compile(r"[^\W\d_][\w .,/()-]*(?<! )")
_KEYWORDS = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan"})
# What a YAML double-quoted scalar must escape beyond what JSON escapes: C1 controls (NEL is
# a YAML line break), DEL, the line and paragraph separators, surrogates, non-characters.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _scalar(value: object) -> str:
    """One value as YAML text that the job loader reads back exactly: plain, 'single'
    quoted (ids and most text), or "double" quoted with escapes (control characters)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and text.casefold() not in _KEYWORDS:
        return text
    if not re.search(r"[\x00-\x1f]", text) and not _YAML_UNSAFE.search(text):
        return "'" + text.replace("'", "''") + "'"
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)


def _block(data: dict[str, Any], first: str, rest: str) -> list[str]:
    """A mapping as block YAML lines: `first` prefixes its first line, `rest` the others.

    Written by hand rather than with yaml.safe_dump, which took 29 s of a 20,000-row import:
    a record holds only text, dates, true/false, mappings and lists of mappings."""
    lines: list[str] = []
    for key, value in data.items():
        lead = first if not lines else rest
        if isinstance(value, dict | list) and not value:
            lines.append(f"{lead}{key}: {'{}' if isinstance(value, dict) else '[]'}")
        elif isinstance(value, dict):
            lines.append(f"{lead}{key}:")
            lines.extend(_block(value, rest + "  ", rest + "  "))
        elif isinstance(value, list):
            lines.append(f"{lead}{key}:")
            for item in value:
                lines.extend(_block(item, rest + "  - ", rest + "    "))
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return lines


def _column_of(rest: Loc, row: _Row) -> str | None:
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

    def __init__(self, rows: list[_Row], line_rows: dict[int, int]) -> None:
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


def _row_of(loc: Loc, rows: list[_Row]) -> _Row | None:
    """The row of the record a problem's field path is in."""
    if len(loc) >= 2 and loc[0] == "records" and isinstance(loc[1], int) and loc[1] < len(rows):
        return rows[loc[1]]
    return None


def _sheet_problems(error: JobFileError, sheet: Sheet, rows: list[_Row],
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


def _id_number_notes(file: Path, numbers: dict[str, int]) -> list[SheetProblem]:
    """One note per id column holding numbers: a warning, or a problem with --strict-ids."""
    notes = []
    for name in sorted(numbers, key=lambda n: _COLUMN_ORDER.get(n, 0)):
        count = numbers[name]
        plural = count != 1
        cells = f"{count} cell{'s are' if plural else ' is a'} number{'s' if plural else ''}"
        notes.append(SheetProblem(
            file, None, name,
            f"{cells}; if ids had leading zeros, Excel dropped them: format the column as Text"))
    return notes


def _blank_in_merged(problems: list[SheetProblem], sheet: Sheet,
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
                block = _merged_at(sheet, problem.row, index) if index is not None else None
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


def job_text(sheet: Sheet, output: Path, *, today: date | None = None,
             strict_ids: bool = False, warnings: list[SheetProblem] | None = None,
             attachments_dir: Path | None = None,
             attachment_limits: AttachmentLimits | None = None) -> tuple[str, int]:
    """The YAML job for `sheet` as it would be saved at `output`, and its record count.

    Raises SheetError listing every problem in every row. Id columns holding Excel numbers
    are noted once per column: appended to `warnings`, or problems when `strict_ids`.
    Attachments are checked as `validate` will check the output (in `attachments_dir`, else
    the output's folder).
    """
    columns, problems = _header(sheet)
    if problems:
        raise SheetError(problems)
    numbers: dict[str, int] = {}
    base = attachments_dir if attachments_dir is not None else output.parent
    rows = _rows(sheet, columns, base, problems, numbers)
    notes = _id_number_notes(sheet.file, numbers)
    if strict_ids:
        problems.extend(SheetProblem(n.file, n.row, n.column, n.message + " (--strict-ids)")
                        for n in notes)
    elif warnings is not None:
        warnings.extend(notes)
    if not rows:
        raise SheetError([*problems, SheetProblem(
            sheet.file, None, None,
            "has no records: every row below the header is blank; add one row per participant")])
    text, line_rows = _render(sheet, rows)
    try:
        job = parse_job(text, output, today=today, attachments_dir=attachments_dir,
                        attachment_limits=attachment_limits)
    except JobFileError as error:
        problems.extend(_sheet_problems(error, sheet, rows, line_rows))
    if problems:
        raise SheetError(_blank_in_merged(problems, sheet, columns))
    return text, len(job.records)


# ---------------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------------


def import_sheet(source: Path, output: Path, *, sheet: str | None = None,
                 today: date | None = None, strict_ids: bool = False,
                 warnings: list[SheetProblem] | None = None,
                 attachments_dir: Path | None = None,
                 attachment_limits: AttachmentLimits | None = None) -> int:
    """Write the YAML job for a .csv or .xlsx hard-exit list; return the number of records.

    Nothing is written unless every row is valid; otherwise SheetError lists every problem,
    by row and column. `sheet` names a workbook's sheet (default: the first). `today` is the
    latest allowed exit date (default: the computer's date); tests pass a fixed day. Id
    columns holding numbers are noted in `warnings` (problems with `strict_ids`). With
    `attachments_dir`, the attachment column's paths are written relative to that folder,
    which `validate` and `run` must then be given too.
    """
    source, output = Path(source), Path(output)
    if output.absolute() == source.absolute():
        raise _file_error(output, "is the spreadsheet itself; choose another output file")
    if not output.parent.is_dir():
        raise _file_error(output, f"cannot be written: the folder '{output.parent}' does not "
                                  "exist")
    text, count = job_text(read_sheet(source, sheet=sheet), output, today=today,
                           strict_ids=strict_ids, warnings=warnings,
                           attachments_dir=attachments_dir,
                           attachment_limits=attachment_limits)
    _write_atomically(output, text)
    return count


def _write_atomically(output: Path, text: str) -> None:
    """Replace `output` whole, so an interrupted write never leaves half a job file."""
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


TEMPLATE_EXAMPLE: dict[str, object] = {
    "state_id": "34712",
    "user_id": "37762",
    "name": "Karen James",
    "exit_date": date(2021, 6, 24),
    "exit_reason": "Institutionalized",
    "lwia_region": "Los Angeles County WDACS",
    "office_location": "2703 - LAO Community and Senior Services",
    "staff_position": "Staff",
    "case_note_subject": "Global exclusion - Institutionalized",
    "case_note_comments": "Verified with facility letter.",
}


def write_template(path: Path) -> None:
    """A spreadsheet to start from: every documented column and one example row.

    CSV (UTF-8 with a byte-order mark, so Excel shows accents) unless `path` ends in .xlsx,
    where id columns are formatted as Text so Excel keeps leading zeros.
    """
    path = Path(path)
    header = [column.name for column in COLUMNS]
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        _write_template_workbook(path, header)
        return
    example = [
        f"{value:%m/%d/%Y}" if isinstance(value, date) else str(value)
        for value in (TEMPLATE_EXAMPLE.get(name, "") for name in header)
    ]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([header, example])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def _write_template_workbook(path: Path, header: Sequence[str]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = "Hard exits"
    worksheet.append(list(header))
    worksheet.append([TEMPLATE_EXAMPLE.get(name) for name in header])
    for index, name in enumerate(header):
        letter = _letter(index)
        worksheet[f"{letter}1"].font = Font(bold=True)
        worksheet.column_dimensions[letter].width = max(12, len(name) + 2)
        if name in _ID_COLUMNS:  # Text, so an id typed later keeps its leading zeros
            worksheet.column_dimensions[letter].number_format = "@"
            worksheet[f"{letter}2"].number_format = "@"
        elif name == "exit_date":
            worksheet[f"{letter}2"].number_format = "mm/dd/yyyy"
    worksheet.freeze_panes = "A2"
    workbook.save(path)

