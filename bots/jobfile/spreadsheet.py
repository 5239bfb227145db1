"""Spreadsheet import: a data team's hard-exit list (.xlsx or .csv) as a YAML job file.

Data teams keep their lists in Excel, one row per participant; the bot runs YAML job files
that a person can review before anything is saved. This module turns the one into the other
and nothing else (the `caljobs-bot import` command is a thin layer over `import_sheet`).

Why it is built this way:

- The rules are the job file's, not a copy of them: the YAML text is built first
  (`sheet_yaml`) and checked with `loader.parse_job` as if it were already the output file (so
  attachments resolve from the output's folder), and each problem's field path is mapped
  back to the spreadsheet row and column a person sees (`sheet_job_problems`; row 1 is the
  header). Every row's problems are reported at once, and the output is written only when
  there are none.
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
import io
import os
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from caljobs_bot.jobfile.attachments import AttachmentLimits
from caljobs_bot.jobfile.loader import parse_job
from caljobs_bot.jobfile.problems import JobFileError
from caljobs_bot.jobfile.sheet_columns import COLUMNS, ID_COLUMNS, column_letter
from caljobs_bot.jobfile.sheet_header import read_header
from caljobs_bot.jobfile.sheet_job_problems import blank_in_merged, id_number_notes, sheet_problems
from caljobs_bot.jobfile.sheet_problems import SheetError, SheetProblem, file_error
from caljobs_bot.jobfile.sheet_reading import Sheet, read_sheet
from caljobs_bot.jobfile.sheet_rows import sheet_records
from caljobs_bot.jobfile.sheet_yaml import render_job


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
    columns, problems = read_header(sheet)
    if problems:
        raise SheetError(problems)
    numbers: dict[str, int] = {}
    base = attachments_dir if attachments_dir is not None else output.parent
    rows = sheet_records(sheet, columns, base, problems, numbers)
    notes = id_number_notes(sheet.file, numbers)
    if strict_ids:
        problems.extend(SheetProblem(n.file, n.row, n.column, n.message + " (--strict-ids)")
                        for n in notes)
    elif warnings is not None:
        warnings.extend(notes)
    if not rows:
        raise SheetError([*problems, SheetProblem(
            sheet.file, None, None,
            "has no records: every row below the header is blank; add one row per participant")])
    text, line_rows = render_job(sheet, rows)
    try:
        job = parse_job(text, output, today=today, attachments_dir=attachments_dir,
                        attachment_limits=attachment_limits)
    except JobFileError as error:
        problems.extend(sheet_problems(error, sheet, rows, line_rows))
    if problems:
        raise SheetError(blank_in_merged(problems, sheet, columns))
    return text, len(job.records)


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
        raise file_error(output, "is the spreadsheet itself; choose another output file")
    if not output.parent.is_dir():
        raise file_error(output, f"cannot be written: the folder '{output.parent}' does not "
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
        letter = column_letter(index)
        worksheet[f"{letter}1"].font = Font(bold=True)
        worksheet.column_dimensions[letter].width = max(12, len(name) + 2)
        if name in ID_COLUMNS:  # Text, so an id typed later keeps its leading zeros
            worksheet.column_dimensions[letter].number_format = "@"
            worksheet[f"{letter}2"].number_format = "@"
        elif name == "exit_date":
            worksheet[f"{letter}2"].number_format = "mm/dd/yyyy"
    worksheet.freeze_panes = "A2"
    workbook.save(path)
