"""Spreadsheet import: what a data team's sheet becomes, judged by loading the written job file.

No browser: these run in well under a second each.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from caljobs_bot.form_fields import GENERAL_INFORMATION
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.sheet_columns import COLUMNS, columns_markdown, normalise_column
from caljobs_bot.jobfile.sheet_problems import SheetError
from caljobs_bot.jobfile.sheet_reading import Sheet
from caljobs_bot.jobfile.spreadsheet import import_sheet, job_text, write_template

TODAY = date(2024, 1, 15)
# The template's columns that are no General Information field, in order (written out, not
# taken from COLUMNS, so the test says what a data team's sheet looks like).
BEFORE_GENERAL = ["state_id", "user_id", "name", "application", "exit_date", "exit_reason"]
AFTER_GENERAL = [
    "case_manager_assign", "case_manager_remove", "case_note_subject", "case_note_comments",
    "case_note_attachment",
    *(f"contact{n}_{name}" for n in (1, 2, 3)
      for name in ("first_name", "last_name", "relationship", "phone", "email", "address")),
]
KAREN = {
    "state_id": "34712", "user_id": "37762", "name": "Karen James", "exit_date": "06/24/2021",
    "exit_reason": "Institutionalized", "lwia_region": "Los Angeles County WDACS",
    "office_location": "2703 - LAO Community and Senior Services", "staff_position": "Staff",
}
JOSE = {
    "state_id": "34801", "user_id": "37801", "name": "José Álvarez-Núñez",
    "application": "2244301", "exit_date": "2021-05-03", "exit_reason": "02",
    "lwia_region": "City of Los Angeles", "office_location": "2801 - WorkSource Center Downtown",
    "staff_position": "Case Manager",
}


def write_csv(path: Path, header: list[str], rows: Sequence[Sequence[object]],
              encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def csv_of(path: Path, records: Sequence[Mapping[str, object]]) -> Path:
    """A CSV whose header is the union of the records' keys, in first-seen order."""
    header = list(dict.fromkeys(key for record in records for key in record))
    return write_csv(path, header, [[r.get(k, "") for k in header] for r in records])


def problems_of(source: Path, output: Path, **options: object) -> list[str]:
    with pytest.raises(SheetError) as raised:
        import_sheet(source, output, today=TODAY, **options)  # type: ignore[arg-type]
    assert not output.exists(), "nothing may be written when a row has a problem"
    return [str(problem) for problem in raised.value.problems]


# --- round trips -----------------------------------------------------------------------------


def test_csv_round_trip_gives_the_records_of_the_sheet(tmp_path: Path) -> None:
    sheet_folder, job_folder = tmp_path / "data", tmp_path / "jobs"
    (sheet_folder / "letters").mkdir(parents=True)
    job_folder.mkdir()
    letter = sheet_folder / "letters" / "facility letter.pdf"
    letter.write_bytes(b"%PDF-1.4 letter")
    source = csv_of(sheet_folder / "outcomes.csv", [
        {**KAREN, "case_manager_assign": "Nguyen, Mai",
         "case_note_subject": "Global exclusion - Institutionalized",
         "case_note_comments": "Verified with facility letter.",
         "case_note_attachment": "letters/facility letter.pdf",
         "contact1_first_name": "Ana", "contact1_last_name": "James",
         "contact1_relationship": "Sister", "contact1_phone": "213-555-0100"},
        {},  # a blank row between records is skipped
        {**JOSE, "case_manager_remove": "Yes", "contact2_first_name": "María",
         "contact2_last_name": "Álvarez", "contact2_email": "maria.alvarez@example.org"},
    ])
    output = job_folder / "job.yaml"

    with pytest.raises(SheetError, match="is outside the attachments folder"):
        import_sheet(source, output, today=TODAY)  # the letters are not in the job's folder
    assert import_sheet(source, output, today=TODAY, attachments_dir=sheet_folder) == 2

    text = output.read_text(encoding="utf-8")
    assert "# row 2\n" in text and "# row 4\n" in text, "each record names its row"
    assert "José Álvarez-Núñez" in text, "unicode stays readable"
    assert "attachment: letters/facility letter.pdf" in text
    karen, jose = load_job(output, today=TODAY, attachments_dir=sheet_folder).records
    assert karen.participant.state_id == "34712" and karen.participant.user_id == "37762"
    assert karen.participant.name == "Karen James"
    assert karen.application is None
    assert karen.exit_date == date(2021, 6, 24)
    assert karen.exit_reason.label == "Institutionalized"
    assert karen.office_location == "2703 - LAO Community and Senior Services"
    assert karen.case_manager is not None and karen.case_manager.assign == "Nguyen, Mai"
    assert karen.case_note is not None and karen.case_note.attachment == letter.resolve()
    [ana] = karen.alternate_contacts
    assert (ana.first_name, ana.last_name, ana.relationship, ana.phone, ana.email) == (
        "Ana", "James", "Sister", "213-555-0100", None)
    assert jose.participant.name == "José Álvarez-Núñez"
    assert jose.application == "2244301"
    assert jose.exit_reason.label == "Health/Medical"
    assert jose.staff_position == "Case Manager"
    assert jose.case_manager is not None and jose.case_manager.remove is True
    assert jose.case_note is None
    [maria] = jose.alternate_contacts
    assert maria.first_name == "María" and maria.email == "maria.alvarez@example.org"


def test_xlsx_round_trip_reads_excel_dates_and_numeric_ids(tmp_path: Path) -> None:
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Read me"
    notes.append(["This sheet is notes, not records."])
    exits = workbook.create_sheet("June exits")
    exits.append(["State ID", "User ID", "Name", "Application", "Exit Date", "Exit Reason",
                  "LWIA Region", "Office Location", "Staff Position", "Case Manager Remove"])
    exits.append([34712.0, 37762, "  Karen James ", None, datetime(2021, 6, 24),
                  "institutionalized", KAREN["lwia_region"], KAREN["office_location"], "Staff",
                  False])
    exits.append([None] * 10)
    exits.append([None, 37801.0, "José Álvarez-Núñez", 2244301.0,
                  datetime(2021, 5, 3, 14, 30), 3, JOSE["lwia_region"], JOSE["office_location"],
                  "Staff", True])
    exits.append([34802, None, "Shauna O'Connor", None, 44371, "Deceased",
                  KAREN["lwia_region"], "2710 - Sunny Hills AJCC", "Staff", 0])
    source = tmp_path / "outcomes.xlsx"
    workbook.save(source)
    output = tmp_path / "job.yaml"

    assert import_sheet(source, output, sheet="June exits", today=TODAY) == 3

    text = output.read_text(encoding="utf-8")
    assert "state_id: '34712'" in text and "34712.0" not in text, "ids are quoted text"
    assert "exit_date: 2021-06-24" in text, "dates are written ISO"
    karen, jose, shauna = load_job(output, today=TODAY).records
    assert karen.participant.state_id == "34712" and karen.participant.user_id == "37762"
    assert karen.participant.name == "Karen James"
    assert karen.exit_date == date(2021, 6, 24)
    assert karen.case_manager is None, "FALSE in case_manager_remove changes nothing"
    assert jose.participant.state_id is None and jose.participant.user_id == "37801"
    assert jose.application == "2244301"
    assert jose.exit_date == date(2021, 5, 3), "the time of day is dropped"
    assert jose.exit_reason.label == "Deceased"
    assert jose.case_manager is not None and jose.case_manager.remove is True
    assert shauna.exit_date == date(2021, 6, 24), "a date kept as Excel's day number"
    assert shauna.office_location == "2710 - Sunny Hills AJCC"


def test_xlsx_reads_the_first_sheet_unless_told(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.append(list(KAREN))
    workbook.active.append(list(KAREN.values()))
    workbook.create_sheet("Other").append(["nothing", "here"])
    source = tmp_path / "outcomes.xlsx"
    workbook.save(source)

    assert import_sheet(source, tmp_path / "job.yaml", today=TODAY) == 1
    [problem] = problems_of(source, tmp_path / "other.yaml", sheet="Missing")
    assert problem == f"{source}: has no sheet named 'Missing'; its sheets are 'Sheet', 'Other'"


def test_cp1252_csv_keeps_accented_names(tmp_path: Path) -> None:
    source = csv_of(tmp_path / "excel-ansi.csv", [JOSE])
    source.write_bytes(source.read_text(encoding="utf-8").encode("cp1252"))
    with pytest.raises(UnicodeDecodeError):
        source.read_bytes().decode("utf-8")

    assert import_sheet(source, tmp_path / "job.yaml", today=TODAY) == 1

    [jose] = load_job(tmp_path / "job.yaml", today=TODAY).records
    assert jose.participant.name == "José Álvarez-Núñez"


def test_csv_utf8_with_byte_order_mark_and_semicolons(tmp_path: Path) -> None:
    source = tmp_path / "outcomes.csv"
    source.write_bytes(("\ufeff" + ";".join(JOSE) + "\n" + ";".join(JOSE.values()) + "\n")
                       .encode("utf-8"))

    assert import_sheet(source, tmp_path / "job.yaml", today=TODAY) == 1
    [jose] = load_job(tmp_path / "job.yaml", today=TODAY).records
    assert jose.participant.state_id == "34801", "the byte-order mark is not part of 'state_id'"


# --- column names ----------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "name"), [
    ("State ID", "state_id"), ("STATE-ID", "state_id"), (" state_id ", "state_id"),
    ("StateID", "state_id"), ("Exit Date", "exit_date"), ("Office-Location", "office_location"),
    ("Contact 1 First Name", "contact1_first_name"), ("contact_2_e-mail", "contact2_email"),
    ("Case Note  Attachment", "case_note_attachment"), ("Exit Reasn", "exit_reasn"),
])
def test_column_names_ignore_case_spaces_underscores_and_hyphens(written: str, name: str) -> None:
    assert normalise_column(written) == name


def test_forgiving_headers_import_the_same_records(tmp_path: Path) -> None:
    header = ["State ID", "USER-ID", "name", "Exit Date", "exit_reason ", "LWIA Region",
              "Office-Location", "staffposition", "Contact 1 First Name", "contact_1_last_name"]
    values = [*list(KAREN.values()), "Ana", "James"]
    source = write_csv(tmp_path / "outcomes.csv", header, [values])

    assert import_sheet(source, tmp_path / "job.yaml", today=TODAY) == 1

    [karen] = load_job(tmp_path / "job.yaml", today=TODAY).records
    assert karen.participant.user_id == "37762"
    assert karen.staff_position == "Staff"
    assert [(c.first_name, c.last_name) for c in karen.alternate_contacts] == [("Ana", "James")]


def test_unknown_columns_are_named_with_the_closest_known_one(tmp_path: Path) -> None:
    header = ["state_id", "exit_date", "Exit Reasn", "lwia_region", "office_location",
              "staff_position", "contact4_phone", "Notes"]
    source = write_csv(tmp_path / "outcomes.csv", header, [["34712"] * len(header)])

    problems = problems_of(source, tmp_path / "job.yaml")

    assert problems[0] == (f"{source}: row 1, Exit Reasn: is not a known column (column C); "
                           "did you mean 'exit_reason'?")
    assert problems[1].startswith(f"{source}: row 1, contact4_phone: is not a known column "
                                  "(column G): a row holds at most 3 contacts")
    assert problems[2].startswith(f"{source}: row 1, Notes: is not a known column (column H); "
                                  "the columns are state_id, user_id,")
    assert len(problems) == 3


def test_header_mistakes_are_reported_before_any_row(tmp_path: Path) -> None:
    header = ["State ID", "state_id", "exit_date", "lwia_region", "office_location",
              "staff_position", ""]
    source = write_csv(tmp_path / "outcomes.csv", header, [
        ["34712", "34712", "06/24/2021", "x", "y", "Staff", ""],
        ["34801", "34801", "06/24/2021", "x", "y", "Staff", "stray"],
    ])

    assert problems_of(source, tmp_path / "job.yaml") == [
        f"{source}: row 1, state_id: is in column A and again in column B; keep one",
        f"{source}: row 1: column G has no name, but row 3 has a value in it; name the column "
        "or clear it",
    ]

    source = write_csv(tmp_path / "no-reason.csv", header[1:6], [["34712", "06/24/2021"]])
    assert problems_of(source, tmp_path / "job.yaml") == [
        f"{source}: row 1, exit_reason: is missing: add a column named exit_reason; every "
        "record needs it",
    ]


def test_a_title_row_above_the_header_is_pointed_out(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "outcomes.csv", ["Hard exits, June 2021"],
                       [[], list(KAREN), list(KAREN.values())])

    assert problems_of(source, tmp_path / "job.yaml") == [
        f"{source}: row 1: must hold the column names; row 3 looks like the header, so delete "
        "the rows above it",
    ]


# --- row problems ----------------------------------------------------------------------------


def test_every_rows_problems_are_reported_with_spreadsheet_row_numbers(tmp_path: Path) -> None:
    output = tmp_path / "job.yaml"
    output.write_text("an earlier job\n", encoding="utf-8")
    source = csv_of(tmp_path / "outcomes.csv", [
        {**KAREN, "exit_reason": "Moved away", "case_manager_remove": "maybe"},
        {},
        {**KAREN, "state_id": "", "user_id": "", "exit_date": "07/04/2031"},
        {**KAREN, "exit_reason": "Deceased", "case_note_subject": "Exit",
         "contact2_first_name": "Ana", "contact2_email": "ana at example"},
        {**JOSE, "exit_date": "02/30/2021", "staff_position": " "},
    ])

    with pytest.raises(SheetError) as raised:
        import_sheet(source, output, today=TODAY)

    assert output.read_text(encoding="utf-8") == "an earlier job\n", "left as it was"
    name = str(source)
    assert [str(problem) for problem in raised.value.problems] == [
        f"{name}: row 2, exit_reason: 'Moved away' is not a hard-exit reason; choose one of: "
        "Institutionalized, Health/Medical, Deceased, Reservist called to Active Duty, In Foster "
        "Care and moved from area by foster care system (or a code 01-05). If no global "
        "exclusion fits, create a regular Closure instead.",
        f"{name}: row 2, case_manager_remove: 'maybe' is not yes or no; write yes, no, true, "
        "false, 1 or 0, or leave it blank",
        f"{name}: row 4, state_id/user_id: needs a state_id or a user_id (or both) so the right "
        "participant is found; a name alone is not enough",
        f"{name}: row 4, exit_date: 07/04/2031 is in the future; an exit date can be today "
        "(01/15/2024) at the latest",
        f"{name}: row 5: same participant and application as row 2; a participant can have "
        "only one Exit/Outcome per application",
        f"{name}: row 5, case_note_comments: is blank; a case note needs both a subject and "
        "comments",
        f"{name}: row 5, contact2_last_name: is blank; each contact needs a first and a last "
        "name",
        f"{name}: row 5, contact2_email: must be an email address, like ana@example.org",
        f"{name}: row 6, exit_date: '02/30/2021' is not a real calendar date",
        f"{name}: row 6, staff_position: is blank; every record needs a value here",
    ]
    assert raised.value.problems[0].row == 2
    assert raised.value.problems[0].column == "exit_reason"


def test_a_sheet_without_records_is_refused(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "outcomes.csv", list(KAREN), [[""] * len(KAREN), []])

    assert problems_of(source, tmp_path / "job.yaml") == [
        f"{source}: has no records: every row below the header is blank; add one row per "
        "participant",
    ]


def test_files_that_are_not_spreadsheets_are_refused(tmp_path: Path) -> None:
    old = tmp_path / "outcomes.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip file")

    assert problems_of(old, tmp_path / "job.yaml") == [
        f"{old}: is an old-style .xls workbook; save it as .xlsx or as CSV"]
    [problem] = problems_of(broken, tmp_path / "job.yaml")
    assert problem.startswith(f"{broken}: is not a readable Excel workbook")
    [problem] = problems_of(tmp_path / "missing.csv", tmp_path / "job.yaml")
    assert problem == f"{tmp_path / 'missing.csv'}: was not found"
    source = csv_of(tmp_path / "outcomes.csv", [KAREN])
    with pytest.raises(SheetError, match="is the spreadsheet itself"):
        import_sheet(source, source)
    assert source.read_text(encoding="utf-8").startswith("state_id,"), "the sheet is untouched"


# --- the template ----------------------------------------------------------------------------


def test_template_has_a_column_per_general_information_field_that_imports_back(
    tmp_path: Path,
) -> None:
    """No copy of the template is committed (it would fall behind a new form field): the one
    `import --template` writes has a column per row of the section table, in its order, and
    a value in each (optional ones too) lands on the record's attribute of that name."""
    template = tmp_path / "template.csv"
    write_template(template)
    with template.open(encoding="utf-8-sig", newline="") as sheet:
        header, example = list(csv.reader(sheet))
    general = [field.attribute for field in GENERAL_INFORMATION]

    assert header == [*BEFORE_GENERAL, *general, *AFTER_GENERAL]
    row = dict(zip(header, example, strict=True))
    assert all(row[field.attribute] for field in GENERAL_INFORMATION if field.required)
    filled = {name: row[name] or f"A {name} choice" for name in general}
    write_csv(template, header, [[filled.get(name, row[name]) for name in header]])

    assert import_sheet(template, tmp_path / "job.yaml", today=TODAY) == 1
    [record] = load_job(tmp_path / "job.yaml", today=TODAY).records
    assert {name: getattr(record, name) for name in general} == filled


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_template_imports_as_the_seed_example(tmp_path: Path, suffix: str) -> None:
    template = tmp_path / f"template{suffix}"
    write_template(template)

    assert import_sheet(template, tmp_path / "job.yaml", today=TODAY) == 1

    [karen] = load_job(tmp_path / "job.yaml", today=TODAY).records
    assert (karen.participant.state_id, karen.participant.user_id, karen.participant.name) == (
        "34712", "37762", "Karen James")
    assert karen.exit_date == date(2021, 6, 24)
    assert karen.exit_reason.label == "Institutionalized"
    assert karen.lwia_region == "Los Angeles County WDACS"
    assert karen.office_location == "2703 - LAO Community and Senior Services"
    assert karen.staff_position == "Staff"


def test_template_and_readme_table_list_every_documented_column(tmp_path: Path) -> None:
    write_template(tmp_path / "template.csv")
    header = (tmp_path / "template.csv").read_text(encoding="utf-8-sig").splitlines()[0]

    assert header.split(",") == [column.name for column in COLUMNS]
    table = columns_markdown()
    assert all(f"`{c.name}`" in table for c in COLUMNS if not c.name.startswith("contact"))
    assert "`contact1_ … contact3_first_name`" in table


# --- nothing but SheetError, whatever the cells hold ----------------------------------------

cell_values = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=12),
    st.sampled_from(["34712", "037762", "06/24/2021", "2021-02-30", "today", "yes", "maybe",
                     "Deceased", "05", "a@b.co", "Staff", " ", "records[1]", "line 3"]),
    st.integers(min_value=-10, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
)
headings = st.one_of(
    st.sampled_from([column.name for column in COLUMNS] + ["State ID", "Exit Date", ""]),
    st.text(max_size=8),
)


@st.composite
def sheets(draw: st.DrawFn) -> tuple[list[object], list[list[object]]]:
    """Random headers and cells; half the time Karen's valid row with a few cells replaced."""
    if draw(st.booleans()):
        return (draw(st.lists(headings, max_size=8)),
                draw(st.lists(st.lists(cell_values, max_size=9), max_size=4)))
    extra = draw(st.lists(st.sampled_from([c.name for c in COLUMNS[9:]]), max_size=4,
                          unique=True))
    header: list[object] = [*KAREN, *extra]
    rows = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        row: list[object] = [*KAREN.values(), *([None] * len(extra))]
        for index in draw(st.lists(st.integers(0, len(header) - 1), max_size=3)):
            row[index] = draw(cell_values)
        rows.append(row)
    return header, rows


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheet=sheets())
def test_any_cells_give_a_job_or_sheet_error(
    sheet: tuple[list[object], list[list[object]]],
) -> None:
    header, rows = sheet
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "job.yaml"
        cells = Sheet(Path(folder) / "outcomes.xlsx",
                      list(enumerate([tuple(header), *map(tuple, rows)], start=1)))
        try:
            text, count = job_text(cells, output, today=TODAY)
        except SheetError as error:
            event("refused")
            assert error.problems and all(str(problem) for problem in error.problems)
        else:
            event("imported")
            output.write_text(text, encoding="utf-8")
            assert len(load_job(output, today=TODAY).records) == count >= 1


@settings(max_examples=60, deadline=None)
@given(body=st.one_of(st.binary(max_size=200),
                      st.text(st.characters(exclude_categories=["Cs"]), max_size=200)))
def test_any_csv_bytes_give_a_job_or_sheet_error(body: bytes | str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source, output = Path(folder) / "outcomes.csv", Path(folder) / "job.yaml"
        prefix = ",".join(KAREN) + "\n"
        source.write_bytes(body if isinstance(body, bytes) else (prefix + body).encode("utf-8"))
        try:
            import_sheet(source, output, today=TODAY)
        except SheetError:
            assert not output.exists()
        else:
            load_job(output, today=TODAY)
