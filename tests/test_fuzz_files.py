"""Fuzzing what people hand to `validate` and `import` (issue 12): every input ends in records
or in problems, never an exception, and in bounded time.

Job files: the example job mutated line by line with the YAML an adversary would reach for
(tags, anchors, aliases, merge keys, huge numbers, attachment paths out of the folder).
Spreadsheets: real .xlsx files written by openpyxl with random cells, number formats, merged
blocks and sheet orders. Each example must finish within the Hypothesis deadline, and the
whole file runs in well under a minute (max_examples is set for CI).
"""

from __future__ import annotations

import contextlib
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from caljobs_bot.jobfile.loader import load_job, parse_job
from caljobs_bot.jobfile.models import Job
from caljobs_bot.jobfile.problems import JobFileError
from caljobs_bot.jobfile.sheet_columns import COLUMNS
from caljobs_bot.jobfile.sheet_problems import SheetError
from caljobs_bot.jobfile.spreadsheet import import_sheet

TODAY = date(2024, 1, 15)
EXAMPLE = Path(__file__).resolve().parents[1] / "jobs" / "example-hard-exits.yaml"
EXAMPLE_LINES = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
BOUNDED = settings(max_examples=300, deadline=timedelta(seconds=3),
                   suppress_health_check=[HealthCheck.too_slow])

# What an adversary (or an unlucky copy and paste) puts into a job file.
HOSTILE = st.sampled_from([
    "!!set ", "!!map ", "!!seq ", "!!binary ", "!!timestamp ", "!!python/object:os.system ",
    "!!int ", "!!float ", "!!bool ", "!!str ", "!!omap ", "!!pairs ", "!custom ",
    "&a ", "*a", "&b ", "*b", "<<: *a", "<<: [*a, *a, *a]", "<<: {x: 1}",
    "9" * 5000, "034712", "1e999", "-.inf", "2021-6-24", "24/06/2021", "44371",
    "attachment: /proc/self/environ", "attachment: ../../x.pdf", "attachment: ~/.ssh/id_rsa",
    "attachment: verification.pdf", "\t", "\x00", "\ufeff", "\u2028", "\x85",
    "{", "}", "[", "]", ": ", "- ", "? ", "'", '"', "#", "---\n", "|\n", ">\n",
])


@st.composite
def hostile_jobs(draw: st.DrawFn) -> str:
    """The example job with 1 to 5 lines mutated, inserted or doubled."""
    lines = list(EXAMPLE_LINES)
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["insert", "replace", "prefix-value", "duplicate"]))
        if kind == "insert":
            indent = draw(st.sampled_from(["", "  ", "    ", "      "]))
            lines.insert(at, indent + draw(HOSTILE) + draw(HOSTILE | st.text(max_size=8)) + "\n")
        elif kind == "replace":
            line = lines[at]
            spot = draw(st.integers(0, max(len(line) - 1, 0)))
            lines[at] = line[:spot] + draw(HOSTILE) + line[spot:]
        elif kind == "prefix-value" and ": " in lines[at]:
            key, value = lines[at].split(": ", 1)
            lines[at] = f"{key}: {draw(HOSTILE)}{value}"
        else:
            lines.insert(at, lines[at])
    return "".join(lines)


def job_or_problems(text: str | bytes, path: Path) -> str:
    """'records' or 'problems'; anything else (an exception) fails the test."""
    try:
        loaded = parse_job(text, path, today=TODAY)
    except JobFileError as error:
        assert error.problems and all(str(problem) for problem in error.problems)
        assert all(p.line is None or p.line >= 1 for p in error.problems)
        return "problems"
    assert isinstance(loaded, Job)
    assert loaded.records
    for item in loaded.records:
        item.content_hash()
        if item.case_note is not None and item.case_note.attachment is not None:
            assert item.case_note.attachment.is_relative_to(EXAMPLE.parent.resolve())
            assert item.case_note.attachment_problem() is None
    return "records"


@BOUNDED
@given(hostile_jobs())
def test_hostile_job_files_end_in_records_or_problems(text: str) -> None:
    event(job_or_problems(text, EXAMPLE))


@BOUNDED
@given(hostile_jobs(), st.sampled_from(["utf-8", "utf-16", "utf-16-le", "latin-1"]))
def test_hostile_job_bytes_end_in_records_or_problems(text: str, codec: str) -> None:
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    event(job_or_problems(data, EXAMPLE))


# --- spreadsheets written by openpyxl ----------------------------------------------------------

KNOWN = [column.name for column in COLUMNS]
TEXTS = st.text(max_size=12).map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text))
CELLS = st.one_of(
    st.none(),
    TEXTS,
    st.sampled_from(["34712", "00123", "Deceased", "03", "Institutionalized", "06/24/2021",
                     "24/06/2021", "2021-06-24", "today", "yes", "no", "Staff", "R", "O",
                     "verification.pdf", "/etc/passwd", "../x.pdf", "=1+1", "9" * 40]),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
)
VALID: dict[str, object] = {
    "state_id": "34712", "exit_date": date(2021, 6, 24), "exit_reason": "Deceased",
    "lwia_region": "Los Angeles County WDACS", "office_location": "2703 - LAO",
    "staff_position": "Staff",
}
FORMATS = st.sampled_from(["General", "00000", "000000000", "@", "0.00", "mm/dd/yyyy",
                           "0;-0", "00000;[Red]-00000"])


@st.composite
def workbooks(draw: st.DrawFn) -> Workbook:
    """A workbook with a header of known (and some unknown) columns, random cells, formats
    and merged blocks, and perhaps an instructions sheet first."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Hard exits"
    height = draw(st.integers(0, 6))
    if draw(st.booleans()):  # a valid list with a few cells changed: reaches the records
        header = [*VALID, *draw(st.lists(st.sampled_from(KNOWN), max_size=3, unique=True))]
        header = list(dict.fromkeys(header))
        sheet.append(header)
        for number in range(height):
            cells = [VALID.get(name) for name in header]
            cells[0] = str(34712 + number) if draw(st.booleans()) else 34712 + number
            for _ in range(draw(st.integers(0, 2))):
                cells[draw(st.integers(0, len(header) - 1))] = draw(CELLS)
            sheet.append(cells)
    else:
        header = draw(st.lists(st.sampled_from(KNOWN) | TEXTS, min_size=1, max_size=9))
        sheet.append(header)
        for _ in range(height):
            sheet.append([draw(CELLS) for _ in header])
    for _ in range(draw(st.integers(0, 6))):
        row = draw(st.integers(1, height + 1))
        column = draw(st.integers(1, len(header)))
        sheet.cell(row, column).number_format = draw(FORMATS)
    for _ in range(draw(st.integers(0, 2))):
        top = draw(st.integers(2, height + 2))
        left = draw(st.integers(1, len(header)))
        bottom = draw(st.integers(top, top + 3))
        right = draw(st.integers(left, min(left + 1, len(header))))
        if (bottom, right) != (top, left):
            with contextlib.suppress(ValueError):
                sheet.merge_cells(start_row=top, start_column=left, end_row=bottom,
                                  end_column=right)
    if draw(st.booleans()):
        book.create_sheet("Read me", 0).append([draw(TEXTS)])
    return book


@settings(max_examples=150, deadline=timedelta(seconds=5),
          suppress_health_check=[HealthCheck.too_slow])
@given(workbooks(), st.booleans())
def test_random_workbooks_end_in_a_job_or_problems(book: Workbook, strict: bool) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "verification.pdf").write_bytes(b"%PDF-1.4 fuzz")
        source, output = folder / "outcomes.xlsx", folder / "job.yaml"
        book.save(source)
        try:
            count = import_sheet(source, output, today=TODAY, strict_ids=strict, warnings=[])
        except SheetError as error:
            event("problems")
            assert error.problems and all(str(problem) for problem in error.problems)
            assert not output.exists()
        else:
            event("records")
            assert len(load_job(output, today=TODAY).records) == count >= 1
