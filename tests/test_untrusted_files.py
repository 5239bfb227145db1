"""Job files and spreadsheets from anyone (issue 12): nothing leaks, crashes or silently changes.

Each test is one case the issue lists, checked by what `validate`/`import` report or by what
the loaded records hold. No browser; each runs in milliseconds to a second.
"""

from __future__ import annotations

import os
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from caljobs_bot.cli import main
from caljobs_bot.jobfile import sheet_reading
from caljobs_bot.jobfile.attachments import ACCEPTED_TYPES, AttachmentLimits, check_attachment
from caljobs_bot.jobfile.loader import MAX_JOB_MB, load_job, parse_job
from caljobs_bot.jobfile.problems import JobFileError
from caljobs_bot.jobfile.sheet_problems import SheetError, SheetProblem
from caljobs_bot.jobfile.sheet_reading import read_sheet
from caljobs_bot.jobfile.spreadsheet import import_sheet

TODAY = date(2024, 1, 15)
README = Path(__file__).resolve().parents[1] / "README.md"
RECORD = """\
version: 1
records:
  - participant: {state_id: "34712"}
    exit_date: 2021-06-24
    exit_reason: Deceased
    lwia_region: Los Angeles County WDACS
    office_location: 2703 - LAO Community and Senior Services
    staff_position: Staff
"""
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def _no_outside_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No config file or CALJOBS_ variable of the machine running the tests counts."""
    for name in list(os.environ):
        if name.startswith("CALJOBS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))
    monkeypatch.chdir(tmp_path)


def problems(text: str | bytes, path: Path = Path("jobs/x.yaml"), **options: object) -> list[str]:
    with pytest.raises(JobFileError) as caught:
        parse_job(text, path, today=TODAY, **options)  # type: ignore[arg-type]
    return [str(problem) for problem in caught.value.problems]


def with_attachment(name: str) -> str:
    return RECORD + f"    case_note: {{subject: S, comments: C, attachment: '{name}'}}\n"


# --- 1. attachments ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["/proc/self/environ", "/etc/passwd", "../../outside.pdf",
                                  "~/.ssh/id_rsa", "../job/../../x.pdf"])
def test_attachments_outside_the_job_folder_are_refused_at_their_line(
        tmp_path: Path, name: str) -> None:
    (tmp_path / "job").mkdir()
    (tmp_path / "outside.pdf").write_bytes(PDF)
    job = tmp_path / "job" / "x.yaml"
    (found,) = problems(with_attachment(name), job)
    assert found.startswith(f"{job}:9: records[1].case_note.attachment: '{name}' is outside "
                            f"the attachments folder {tmp_path / 'job'}")


def test_a_link_out_of_the_folder_is_refused_and_a_link_inside_it_is_not(
        tmp_path: Path) -> None:
    (tmp_path / "secret.pdf").write_bytes(PDF)
    folder = tmp_path / "job"
    folder.mkdir()
    (folder / "real.pdf").write_bytes(PDF)
    os.symlink(tmp_path / "secret.pdf", folder / "letter.pdf")
    os.symlink(folder / "real.pdf", folder / "alias.pdf")
    (found,) = problems(with_attachment("letter.pdf"), folder / "x.yaml")
    assert "'letter.pdf' is outside the attachments folder" in found
    loaded = parse_job(with_attachment("alias.pdf"), folder / "x.yaml", today=TODAY)
    note = loaded.records[0].case_note
    assert note is not None and note.attachment == (folder / "real.pdf").resolve()


def test_attachments_dir_moves_the_folder(tmp_path: Path) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "letter.pdf").write_bytes(PDF)
    job = tmp_path / "jobs" / "x.yaml"
    job.parent.mkdir()
    job.write_text(with_attachment("letter.pdf"), encoding="utf-8")
    assert "'letter.pdf' was not found" in str(pytest.raises(
        JobFileError, load_job, job, today=TODAY).value)
    loaded = load_job(job, today=TODAY, attachments_dir=scans)
    note = loaded.records[0].case_note
    assert note is not None and note.attachment == (scans / "letter.pdf").resolve()
    result = CliRunner().invoke(main, ["validate", str(job), "--attachments-dir", str(scans)])
    assert result.exit_code == 0, result.output


MINIMAL_CONTENT = {
    ".pdf": PDF,
    ".doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
    ".txt": "Verified by phone, 06/24/2021 — José\n".encode(),
    ".jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF",
    ".jpeg": b"\xff\xd8\xff\xdb",
    ".png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ".tif": b"II*\x00\x08\x00\x00\x00",
    ".tiff": b"MM\x00*\x00\x00\x00\x08",
}


def docx(path: Path, part: str = "word/document.xml") -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<w:document/>")
    return path


@pytest.mark.parametrize("suffix", sorted(MINIMAL_CONTENT))
def test_each_accepted_type_is_accepted_by_content(tmp_path: Path, suffix: str) -> None:
    document = tmp_path / f"letter{suffix}"
    document.write_bytes(MINIMAL_CONTENT[suffix])
    assert check_attachment(document, tmp_path) is None
    assert check_attachment(docx(tmp_path / "letter.docx"), tmp_path) is None


@pytest.mark.parametrize(("name", "content", "words"), [
    ("tool.exe", b"MZ\x90\x00", "'.exe' files, which a case note does not take"),
    ("notes", b"plain", "a file without an extension"),
    ("letter.pdf", b"MZ\x90\x00 renamed program", "named like a PDF but its content is not"),
    ("letter.docx", b"", "named like a Word document but its content is not"),
    ("scan.png", b"\xff\xd8\xff\xe0 a jpeg", "named like a PNG image"),
    ("notes.txt", b"a\x00b", "named like a plain text (UTF-8)"),
    ("notes.txt", b"caf\xe9", "named like a plain text (UTF-8)"),
    ("scan.tif", b"GIF89a", "named like a TIFF image"),
])
def test_other_types_and_disguised_files_are_refused(
        tmp_path: Path, name: str, content: bytes, words: str) -> None:
    document = tmp_path / name
    document.write_bytes(content)
    problem = check_attachment(document, tmp_path)
    assert problem is not None and words in problem


def test_an_xlsx_renamed_docx_is_not_a_word_document(tmp_path: Path) -> None:
    fake = docx(tmp_path / "letter.docx", part="xl/workbook.xml")
    assert "content is not one" in (check_attachment(fake, tmp_path) or "")


def test_size_limit_from_the_size_on_disk_and_raised_by_the_config(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    with big.open("wb") as stream:
        stream.write(PDF)
        stream.truncate(11 * 1024 * 1024)  # sparse: 11 MB on paper, nothing written
    problem = check_attachment(big, tmp_path)
    assert problem is not None and "is 11.0 MB, over the 10.0 MB limit" in problem
    assert check_attachment(big, tmp_path, AttachmentLimits.from_megabytes(20)) is None
    (tmp_path / "caljobs-bot.toml").write_text("max_attachment_mb = 20\n", encoding="utf-8")
    job = tmp_path / "x.yaml"
    job.write_text(with_attachment("big.pdf"), encoding="utf-8")
    runner = CliRunner()
    (tmp_path / "elsewhere").mkdir()
    os.chdir(tmp_path / "elsewhere")  # the config is found by --config only
    refused = runner.invoke(main, ["validate", str(job)])
    raised = runner.invoke(main, ["validate", str(job), "--config",
                                  str(tmp_path / "caljobs-bot.toml")])
    assert refused.exit_code == 2 and "over the 10.0 MB limit" in refused.output
    assert raised.exit_code == 0, raised.output


def test_the_attachment_is_checked_again_before_upload(tmp_path: Path) -> None:
    (tmp_path / "letter.pdf").write_bytes(PDF)
    note = parse_job(with_attachment("letter.pdf"), tmp_path / "x.yaml",
                     today=TODAY).records[0].case_note
    assert note is not None and note.attachment_problem() is None
    (tmp_path / "letter.pdf").unlink()
    os.symlink("/etc/passwd", tmp_path / "letter.pdf")  # swapped after validate
    assert "is outside the attachments folder" in (note.attachment_problem() or "")
    (tmp_path / "letter.pdf").unlink()
    (tmp_path / "letter.pdf").write_bytes(b"MZ")
    assert "content is not one" in (note.attachment_problem() or "")


def test_the_readme_lists_the_accepted_types() -> None:
    readme = README.read_text(encoding="utf-8")
    for kind in ACCEPTED_TYPES:
        for extension in kind.extensions:
            assert f"`{extension}`" in readme


# --- 2. every YAML failure is a problem with a line ------------------------------------------


@pytest.mark.parametrize(("old", "new", "line", "words"), [
    ('{state_id: "34712"}', '{state_id: !!set "34712"}', 3,
     "records[1].participant.state_id: has the YAML tag !!set on a single value"),
    ('{state_id: "34712"}', "!!map [a]", 3, "records[1].participant: has the YAML tag !!map"),
    ("Deceased", "!!binary AAAA", 5, "has the YAML tag !!binary"),
    ("Deceased", "!!python/object/apply:os.system [ls]", 5, "has the YAML tag !!python/"),
    ("2021-06-24", "!!timestamp 2021-06-24", 4, "has the YAML tag !!timestamp"),
    ("Deceased", "!!bool maybe", 5, "a value with a YAML tag (!!name) cannot be read"),
    ("Deceased", "!!int ''", 5, "a value with a YAML tag (!!name) cannot be read"),
    ("Deceased", "!!int " + "9" * 5000, 5, "a number is far too long to read"),
    ("Deceased", "!custom x", 5, "has the YAML tag !custom"),
])
def test_tags_give_a_problem_with_a_line_never_a_traceback(
        old: str, new: str, line: int, words: str) -> None:
    (found,) = problems(RECORD.replace(old, new))
    assert found.startswith(f"jobs/x.yaml:{line}: ") and words in found


def test_aliases_and_merge_keys_are_refused_with_their_line() -> None:
    alias = RECORD.replace("    lwia_region: Los Angeles County WDACS\n",
                           "    lwia_region: &region Los Angeles County WDACS\n") + (
        "  - participant: {state_id: '1'}\n    lwia_region: *region\n")
    (found,) = problems(alias)
    assert found.startswith("jobs/x.yaml:10: uses a YAML alias (*name); job files take "
                            "neither aliases nor merge keys")
    merge = RECORD.replace("    exit_reason: Deceased\n", "    <<: {exit_reason: Deceased}\n")
    (found,) = problems(merge)
    assert found.startswith("jobs/x.yaml:5: records[1]: uses a YAML merge key (<<)")


def test_the_merge_key_bomb_is_refused_at_once() -> None:
    # Each level doubles: built, it would be 2**30 keys (issue 12: 25 s and 750 MB).
    lines = ["a0: &a0 {x: 1, y: 2}"]
    lines += [f"a{n}: &a{n} {{<<: [*a{n - 1}, *a{n - 1}]}}" for n in range(1, 31)]
    started = time.perf_counter()
    (found,) = problems("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 1
    assert "uses a YAML alias" in found


def test_a_lone_anchor_is_harmless() -> None:
    text = RECORD.replace("lwia_region: Los", "lwia_region: &r Los")
    assert parse_job(text, Path("x.yaml"), today=TODAY).records[0].lwia_region.startswith("Los")


def test_a_5000_digit_id_is_called_too_long_not_a_tag_problem() -> None:
    (found,) = problems(RECORD.replace('"34712"', "9" * 5000))
    assert found == ("jobs/x.yaml:3: records[1].participant.state_id: is a number 5000 digits "
                     "long; the State ID has at most 15 digits, like 34712")


def test_pyyaml_is_pinned_to_the_reviewed_range() -> None:
    pyproject = (README.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '"pyyaml>=6.0.1,<7"' in pyproject


# --- 4. validate resolves defaults as run does -----------------------------------------------


def test_validate_uses_the_config_and_profile_that_run_uses(tmp_path: Path) -> None:
    (tmp_path / "caljobs-bot.toml").write_text(
        'staff_position = "Staff"\n[profiles.training]\n'
        'lwia_region = "Los Angeles County WDACS"\noffice_location = "2703 - X"\n',
        encoding="utf-8")
    (tmp_path / "job.yaml").write_text(
        "version: 1\nrecords:\n  - participant: {state_id: '34712'}\n"
        "    exit_date: 2021-06-24\n    exit_reason: Deceased\n", encoding="utf-8")
    runner = CliRunner()
    without = runner.invoke(main, ["validate", "job.yaml"])
    training = runner.invoke(main, ["validate", "job.yaml", "--profile", "training"])
    assert without.exit_code == 2
    assert "records[1].lwia_region: is required" in without.output
    assert "staff_position" not in without.output.split("problems")[0]  # came from the file
    assert training.exit_code == 0, training.output
    assert (f"lwia_region 'Los Angeles County WDACS' for 1 record: from file "
            f"{tmp_path / 'caljobs-bot.toml'} [training]") in training.output
    assert f"staff_position 'Staff' for 1 record: from file {tmp_path / 'caljobs-bot.toml'} " \
           "(the job file leaves it out)" in training.output


def test_a_default_from_the_config_names_its_source_in_a_problem() -> None:
    text = ("version: 1\nrecords:\n  - participant: {state_id: '34712'}\n"
            "    exit_date: 2021-06-24\n    exit_reason: Deceased\n")
    found = problems(text, fallback={"lwia_region": "R", "office_location": "O",
                                     "staff_position": "  "},
                     fallback_sources={"lwia_region": "file c.toml [training]",
                                       "office_location": "file c.toml [training]",
                                       "staff_position": "env CALJOBS_STAFF_POSITION"})
    assert found == ["jobs/x.yaml:3: records[1].staff_position: must not be empty (the value "
                     "is staff_position from env CALJOBS_STAFF_POSITION)"]


# --- 5 and 6. messages and limits ------------------------------------------------------------


@pytest.mark.parametrize(("written", "words"), [
    ("2021-6-24", "'2021-6-24' needs a two-digit month and day: write 2021-06-24"),
    ("June 24, 2021", "'June 24, 2021' is not a date this file takes; write it as 2021-06-24, "
                      "06/24/2021 or today"),
    ("44371", "'44371' is a number, not a date; if it is an Excel date that lost its format "
              "it would be 06/24/2021"),
    ("24/06/2021", "'24/06/2021' is not a date as month/day/year; if you meant 24 June 2021, "
                   "write 06/24/2021"),
])
def test_date_messages_quote_the_value_and_the_forms(written: str, words: str) -> None:
    (found,) = problems(RECORD.replace("2021-06-24", written))
    assert found == f"jobs/x.yaml:4: records[1].exit_date: {words}" or words in found


@pytest.mark.parametrize(("codec", "name"), [("utf-16-le", "UTF-16 LE"),
                                             ("utf-16-be", "UTF-16 BE")])
def test_utf16_without_a_bom_is_named(codec: str, name: str) -> None:
    assert problems(RECORD.encode(codec)) == [
        f"jobs/x.yaml: is saved as {name} text without a byte-order mark; save it again as UTF-8"
    ]


def test_a_job_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as stream:
        stream.truncate((MAX_JOB_MB + 1) * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(JobFileError, match=r"is 51 MB; job files of more than 50 MB"):
        load_job(big)
    assert time.perf_counter() - started < 0.5


def test_at_most_50_problems_are_printed_then_a_count(tmp_path: Path) -> None:
    job = tmp_path / "bad.yaml"
    job.write_text("version: 1\nrecords:\n" + "  - participant: {state_id: x}\n" * 120,
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(job)])
    lines = result.output.strip().split("\n")
    assert result.exit_code == 2
    assert sum(1 for line in lines if line.startswith(f"{job}:") and "records[" in line) == 50
    assert "... and 670 more problems not shown" in result.output
    assert lines[-1] == f"{job}: 720 problems; nothing was run."


# --- 3 and 5. spreadsheets -------------------------------------------------------------------

HEADER = ["state_id", "name", "exit_date", "exit_reason", "lwia_region", "office_location",
          "staff_position"]


def row(state_id: object, name: str = "Karen James", region: object = "R") -> list[object]:
    return [state_id, name, date(2021, 6, 24), "Deceased", region, "O", "S"]


def workbook(*rows: list[object]) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "Hard exits"
    sheet.append(HEADER)
    for cells in rows:
        sheet.append(cells)
    return book


def imported(book: Workbook, tmp_path: Path, **options: object) -> tuple[list[str], list[str]]:
    """The job's state ids, and the warnings, of importing `book`."""
    source, output = tmp_path / "outcomes.xlsx", tmp_path / "job.yaml"
    book.save(source)
    notes: list[SheetProblem] = []
    import_sheet(source, output, today=TODAY, warnings=notes, **options)  # type: ignore[arg-type]
    ids = [r.participant.state_id or "" for r in load_job(output, today=TODAY).records]
    return ids, [str(note) for note in notes]


def test_a_zero_padded_number_keeps_its_zeros_as_shown(tmp_path: Path) -> None:
    book = workbook(row(123), row("00456"))
    book.active["A2"].number_format = "00000"
    ids, notes = imported(book, tmp_path)
    assert ids == ["00123", "00456"] and notes == []


def test_plain_numbers_in_an_id_column_warn_once_per_column(tmp_path: Path) -> None:
    book = workbook(*[row(100 + n, f"P {n}") for n in range(12)], row("00456"))
    ids, notes = imported(book, tmp_path)
    assert ids[0] == "100" and ids[-1] == "00456"
    assert notes == [f"{tmp_path / 'outcomes.xlsx'}: state_id: 12 cells are numbers; if ids "
                     "had leading zeros, Excel dropped them: format the column as Text"]
    with pytest.raises(SheetError, match=r"state_id: 12 cells are numbers.*\(--strict-ids\)"):
        imported(book, tmp_path, strict_ids=True)
    assert not (tmp_path / "job.yaml").exists() or ids


def test_strict_ids_on_the_command_line(tmp_path: Path) -> None:
    source = tmp_path / "outcomes.xlsx"
    workbook(row(34712)).save(source)
    runner = CliRunner()
    warned = runner.invoke(main, ["import", str(source), "-o", str(tmp_path / "a.yaml")])
    strict = runner.invoke(main, ["import", str(source), "-o", str(tmp_path / "b.yaml"),
                                  "--strict-ids"])
    assert warned.exit_code == 0 and "Warning: " in warned.output and "1 cell is a number" \
        in warned.output
    assert strict.exit_code == 2 and not (tmp_path / "b.yaml").exists()


def test_a_region_merged_over_rows_is_taken_for_each_row(tmp_path: Path) -> None:
    book = workbook(row("1", "A"), row("2", "B", None), row("3", "C", None), row("4", "D"))
    book.active.merge_cells("E2:E4")
    source, output = tmp_path / "outcomes.xlsx", tmp_path / "job.yaml"
    book.save(source)
    import_sheet(source, output, today=TODAY)
    regions = [r.lwia_region for r in load_job(output, today=TODAY).records]
    assert regions == ["R", "R", "R", "R"]


def test_a_merged_id_is_not_copied_and_is_named_as_merged(tmp_path: Path) -> None:
    book = workbook(row("1", "A"), row(None, "B"), row(None, "C"))
    book.active.merge_cells("A2:A4")
    source = tmp_path / "outcomes.xlsx"
    book.save(source)
    with pytest.raises(SheetError) as caught:
        import_sheet(source, tmp_path / "job.yaml", today=TODAY)
    assert [str(p) for p in caught.value.problems] == [
        f"{source}: row {n}, state_id/user_id: is blank: the cell is inside the merged cells "
        "A2:A4, whose one value is on row 2; unmerge them and type the value on each row"
        for n in (3, 4)
    ]


def test_the_sheet_with_the_columns_is_named_with_the_flag(tmp_path: Path) -> None:
    book = workbook(row("1"))
    notes = book.create_sheet("Read me", 0)
    notes.append(["Fill in the Hard exits sheet."])
    source = tmp_path / "outcomes.xlsx"
    book.save(source)
    with pytest.raises(SheetError) as caught:
        read_sheet(source)
    assert str(caught.value) == (
        f"{source}: the first sheet, 'Read me', has none of the columns (state_id, exit_date, "
        "exit_reason, ...) in row 1, but the sheet 'Hard exits' has them: add "
        "--sheet \"Hard exits\" to read that one")
    assert read_sheet(source, sheet="Hard exits").name == "Hard exits"


def test_a_utf16_csv_without_a_bom_is_named(tmp_path: Path) -> None:
    source = tmp_path / "outcomes.csv"
    source.write_bytes("state_id,name\n34712,Karen\n".encode("utf-16-le"))
    with pytest.raises(SheetError, match="is saved as UTF-16 LE text without a byte-order mark"):
        import_sheet(source, tmp_path / "job.yaml", today=TODAY)


def test_an_id_longer_than_excel_keeps_is_named(tmp_path: Path) -> None:
    book = workbook(row(1e20))
    source = tmp_path / "outcomes.xlsx"
    book.save(source)
    with pytest.raises(SheetError, match="longer than the 15 digits Excel keeps exactly"):
        import_sheet(source, tmp_path / "job.yaml", today=TODAY)


def test_a_day_month_swap_in_a_sheet_gets_the_hint(tmp_path: Path) -> None:
    book = workbook([*row("1")[:2], "24/06/2021", *row("1")[3:]])
    source = tmp_path / "outcomes.xlsx"
    book.save(source)
    with pytest.raises(SheetError, match=r"row 2, exit_date: '24/06/2021' is not a date as "
                                         r"month/day/year; if you meant 24 June 2021"):
        import_sheet(source, tmp_path / "job.yaml", today=TODAY)


def test_a_spreadsheet_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as stream:
        stream.truncate(21 * 1024 * 1024)
    with pytest.raises(SheetError, match="is 21 MB; spreadsheets of more than 20 MB"):
        read_sheet(big)


def test_a_zip_bomb_workbook_is_refused_from_its_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_reading, "MAX_UNZIPPED_MB", 1)
    source = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(source, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (2 * 1024 * 1024))
    assert source.stat().st_size < 100_000
    with pytest.raises(SheetError, match="unpacks to 2 MB, more than the 1 MB"):
        read_sheet(source)


def test_validate_run_and_import_take_the_attachments_folder() -> None:
    for command in ("validate", "run", "import"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert "--attachments-dir" in result.output, command
