"""Reading a spreadsheet: cells as the file holds them, with the row numbers it shows.

Why it is built this way: Excel hands over typed cells (dates as datetimes, ids typed as
numbers as floats like 34712.0); they are kept as typed here and turned into record values
by `sheet_rows`. CSV files are read as UTF-8 (with or without Excel's byte-order mark), else
as Windows-1252 (what "CSV (Comma delimited)" in US Excel writes), so accented names survive
either way. Big files and .xlsx files that unpack into gigabytes are refused from their size.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from caljobs_bot.jobfile.sheet_columns import BY_NAME, column_letter, normalise_column
from caljobs_bot.jobfile.sheet_problems import file_error
from caljobs_bot.jobfile.yaml_reader import utf16_without_bom

# A spreadsheet bigger than this is refused before it is read (a 20 MB .xlsx holds several
# hundred thousand rows; a 100,000-row sheet once took 266 s and 4.4 GB to import). The
# parts inside an .xlsx are limited too, so a small zip cannot unpack into gigabytes.
MAX_SHEET_MB = 20
MAX_UNZIPPED_MB = 400


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
        return (f"{column_letter(self.first_column)}{self.first_row}:"
                f"{column_letter(self.last_column)}{self.last_row}")


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
        raise file_error(source, "was not found") from None
    except OSError as error:
        raise file_error(source, f"cannot be read: {error.strerror or error}") from None
    if size > MAX_SHEET_MB * 1024 * 1024:
        raise file_error(source, f"is {size / 1024 / 1024:.0f} MB; spreadsheets of more than "
                                  f"{MAX_SHEET_MB} MB are not read: split the list into "
                                  "several files")
    suffix = source.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _read_workbook(source, sheet)
    if suffix == ".xls":
        raise file_error(source, "is an old-style .xls workbook; save it as .xlsx or as CSV")
    if suffix not in {".csv", ".txt", ".tsv"}:
        raise file_error(source, "is not a spreadsheet this import reads; use .xlsx or .csv")
    if sheet is not None:
        raise file_error(source, "is a CSV file, which has no sheets; leave out the sheet name")
    return Sheet(source, list(enumerate(_csv_rows(source, _read_bytes(source)), start=1)))


def _read_bytes(source: Path) -> bytes:
    try:
        return source.read_bytes()
    except FileNotFoundError:
        raise file_error(source, "was not found") from None
    except OSError as error:
        raise file_error(source, f"cannot be read: {error.strerror or error}") from None


def _csv_rows(source: Path, raw: bytes) -> list[tuple[str, ...]]:
    """CSV records (a quoted cell may span lines: the row number counts records, as Excel does)."""
    text = _decode(source, raw)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    try:
        return [tuple(row) for row in csv.reader(io.StringIO(text, newline=""),
                                                 delimiter=delimiter)]
    except csv.Error as error:
        raise file_error(source, f"is not a readable CSV file ({error})") from None


def _decode(source: Path, raw: bytes) -> str:
    """UTF-8 (Excel's 'CSV UTF-8' adds a byte-order mark), UTF-16, else Windows-1252."""
    bare = None if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else utf16_without_bom(raw)
    if bare is not None:
        raise file_error(source, f"is saved as {bare} text without a byte-order mark; in "
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
    raise file_error(
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
        raise file_error(source, f"is not a readable Excel workbook ({error})") from None
    if unzipped > MAX_UNZIPPED_MB * 1024 * 1024:
        raise file_error(source, f"unpacks to {unzipped / 1024 / 1024:.0f} MB, more than the "
                                  f"{MAX_UNZIPPED_MB} MB a hard-exit list needs; is it the "
                                  "right file?")
    try:
        with warnings.catch_warnings():  # about features we do not read (validation, styles)
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(source, data_only=True)
    except ValueError as error:
        if "integer string conversion" in str(error):
            raise file_error(source, "holds a number of more than 4,300 digits, which cannot "
                                      "be read; find it and delete it") from None
        raise file_error(source, f"is not a readable Excel workbook ({error})") from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, TypeError, AttributeError,
            IndexError, OSError, EOFError) as error:
        raise file_error(source, f"is not a readable Excel workbook ({error})") from None
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
            _other_sheet_has_the_columns(source, workbook)
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            names = ", ".join(f"'{name}'" for name in workbook.sheetnames)
            raise file_error(source, f"has no sheet named '{sheet}'; its sheets are {names}")
        if not hasattr(worksheet, "iter_rows"):
            raise file_error(source, f"the sheet '{worksheet.title}' is a chart, not cells; "
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
        return sum(1 for cell in first if normalise_column(cell_text(cell)) in BY_NAME)

    first = workbook.worksheets[0]
    if known(first):
        return
    for other in workbook.worksheets[1:]:
        if known(other):
            raise file_error(source, (
                f"the first sheet, '{first.title}', has none of the columns (state_id, "
                f"exit_date, exit_reason, ...) in row 1, but the sheet '{other.title}' has "
                f"them: add --sheet \"{other.title}\" to read that one"))


def cell_text(value: object) -> str:
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


def merged_at(sheet: Sheet, row: int, index: int) -> MergedCells | None:
    """The merged block that hides the cell (a cell of a block other than its first one)."""
    for block in sheet.merged:
        inside = (block.first_row <= row <= block.last_row
                  and block.first_column <= index <= block.last_column)
        if inside and (row, index) != (block.first_row, block.first_column):
            return block
    return None
