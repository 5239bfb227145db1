"""The job-file schema and loader: what loads, and every problem with its line. No browser."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from job_files import job_yaml

from caljobs_bot.jobfile.loader import load_job, parse_job
from caljobs_bot.jobfile.models import Job, Record
from caljobs_bot.jobfile.problems import JobFileError
from caljobs_bot.jobfile.schema import job_json_schema, schema_json

JOBS = Path(__file__).resolve().parents[1] / "jobs"
EXAMPLE = JOBS / "example-hard-exits.yaml"
TODAY = date(2021, 12, 31)
FILE = Path("jobs/x.yaml")

# Line 7 starts the record; its exit_date is on line 8 and exit_reason on line 9.
BASE = job_yaml("""\
- participant: {state_id: "34712", name: Karen James}
  exit_date: 2021-06-24
  exit_reason: Institutionalized
""")


def load(text: str, path: Path = FILE, today: date = TODAY) -> Job:
    return parse_job(text, path, today=today)


def problems(text: str, path: Path = FILE, today: date = TODAY) -> list[str]:
    """Every problem the loader reports, as the user reads them."""
    with pytest.raises(JobFileError) as caught:
        parse_job(text, path, today=today)
    return [str(problem) for problem in caught.value.problems]


def record(extra: str = "", participant: str = '{state_id: "34712"}') -> str:
    """One record's lines (for lists of records), with extra lines appended."""
    return (
        f"  - participant: {participant}\n"
        "    exit_date: 2021-06-24\n"
        "    exit_reason: Deceased\n" + extra
    )


def job(*records: str) -> str:
    return BASE.split("records:\n")[0] + "records:\n" + "".join(records)


# --- the example a new user copies ----------------------------------------------------------


def test_example_job_loads_with_every_feature() -> None:
    loaded = load_job(EXAMPLE, today=TODAY)
    karen, jose, shauna, li = loaded.records
    assert loaded.path == EXAMPLE and len(loaded.records) == 4
    assert loaded.version == 1

    assert karen.participant.state_id == "34712" and karen.participant.user_id == "37762"
    assert karen.application == "2244266"
    assert karen.exit_date == date(2021, 6, 24) and karen.exit_reason.label == "Institutionalized"
    assert karen.lwia_region == "Los Angeles County WDACS"  # from defaults
    assert karen.alternate_contacts[0].first_name == "Ana"
    assert karen.case_manager is not None and karen.case_manager.assign == "Nguyen, Mai"
    assert karen.case_note is not None
    assert karen.case_note.attachment == JOBS / "verification.pdf"

    assert jose.participant.name == "José Álvarez-Núñez"
    assert jose.exit_date == date(2021, 3, 15) and jose.exit_reason.code == "03"
    assert jose.lwia_region == "City of Los Angeles"  # the record wins over defaults
    assert jose.alternate_contacts[0].last_name == "Álvarez"
    assert jose.alternate_contacts[0].phone == "213-555-0199"
    assert jose.alternate_contacts[0].relationship is None  # left as it is on the site
    assert jose.case_manager is not None and jose.case_manager.remove

    assert shauna.exit_reason.youth_only and shauna.participant.user_id == "37802"
    assert li.application == "2244304" and li.exit_reason.code == "04"
    assert li.staff_position == "Staff"


def test_example_records_know_their_place_in_the_file() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    starts = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith("  - ")]
    records = load_job(EXAMPLE, today=TODAY).records
    assert [(r.index, r.line) for r in records] == list(enumerate(starts, 1))
    assert records[2].label() == f"record 3 (line {starts[2]})"


def test_example_starts_with_the_schema_hint_and_is_valid_today() -> None:
    first = EXAMPLE.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=job.schema.json"
    assert len(load_job(EXAMPLE).records) == 4


def test_verification_pdf_is_a_real_one_page_pdf() -> None:
    data = (JOBS / "verification.pdf").read_bytes()
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    start = int(re.search(rb"startxref\s+(\d+)", data).group(1))  # type: ignore[union-attr]
    assert data[start : start + 4] == b"xref"
    offsets = [int(m) for m in re.findall(rb"(\d{10}) 00000 n", data)]
    for number, offset in enumerate(offsets, 1):
        assert data[offset:].startswith(b"%d 0 obj" % number)
    assert data.count(b"/Type /Page ") == 1


def test_committed_schema_equals_the_generated_one() -> None:
    committed = (JOBS / "job.schema.json").read_text(encoding="utf-8")
    assert json.loads(committed) == job_json_schema(), (
        "regenerate: caljobs-bot schema > jobs/job.schema.json"
    )
    assert schema_json() == committed


def test_schema_lets_editors_leave_defaulted_fields_out() -> None:
    schema = job_json_schema()
    assert schema["$defs"]["Record"].get("required") is None
    assert schema["$defs"]["Record"]["additionalProperties"] is False
    assert set(schema["properties"]) == {"version", "defaults", "records"}


# --- defaults -------------------------------------------------------------------------------


def test_defaults_fill_in_and_the_record_wins() -> None:
    text = job(record(), record("    staff_position: Case Manager\n", '{user_id: "37801"}'))
    first, second = load(text).records
    assert first.staff_position == "Staff" and second.staff_position == "Case Manager"
    assert second.office_location == "2703 - LAO Community and Senior Services"


def test_nested_defaults_are_replaced_not_merged() -> None:
    with_default_note = BASE.replace(
        "  staff_position: Staff\n",
        "  staff_position: Staff\n  case_note: {subject: Default subject, comments: Default}\n",
    )
    assert load(with_default_note).records[0].case_note.subject == "Default subject"  # type: ignore[union-attr]
    own_note = with_default_note + "    case_note: {subject: Own subject}\n"
    assert problems(own_note) == ["jobs/x.yaml:11: records[1].case_note.comments: is required"]


def test_a_bad_default_points_at_the_defaults_line_once() -> None:
    text = job(record(), record(participant='{user_id: "37801"}')).replace(
        "  staff_position: Staff\n", "  staff_position: Staff\n  case_manager: {remove: maybe}\n"
    )
    assert problems(text) == ["jobs/x.yaml:6: defaults.case_manager.remove: must be true or false"]


def test_a_misspelt_default_is_reported_and_the_field_is_missing() -> None:
    text = BASE.replace("  staff_position: Staff", "  staff_positon: Staff")
    assert problems(text) == [
        "jobs/x.yaml:5: defaults.staff_positon: is not a known field; did you mean "
        "'staff_position'?",
        "jobs/x.yaml:7: records[1].staff_position: is required; set it on this record or "
        "under defaults",
    ]


# --- identifiers and YAML 1.1 surprises -----------------------------------------------------


def test_ids_written_as_numbers_become_digit_strings() -> None:
    text = BASE.replace(
        '{state_id: "34712", name: Karen James}', "{state_id: 34712, user_id: 37762}"
    )
    loaded = load(text + "    application: 2244266\n").records[0]
    assert loaded.participant.state_id == "34712" and loaded.participant.user_id == "37762"
    assert loaded.application == "2244266"


def test_unquoted_leading_zero_is_preserved_not_read_as_octal() -> None:
    """YAML 1.1 reads 034712 as octal 14794: a different person. We keep the text as written."""
    text = BASE.replace('"34712"', "034712")
    assert load(text).records[0].participant.state_id == "034712"


@pytest.mark.parametrize("written", ["34_712", "3.4712e4", "0x87A8", "347:12", "34712.0", "true"])
def test_ids_that_are_not_plain_digits_are_refused(written: str) -> None:
    text = BASE.replace('"34712"', written)
    assert problems(text) == [
        "jobs/x.yaml:7: records[1].participant.state_id: must be the State ID in digits only, "
        "like 34712"
    ]


def test_yes_no_on_off_stay_text() -> None:
    text = BASE.replace("name: Karen James", "name: No") + (
        "    alternate_contacts: [{first_name: On, last_name: Off, relationship: yes}]\n"
        "    case_manager: {remove: yes}\n"
    )
    loaded = load(text).records[0]
    assert loaded.participant.name == "No"
    contact = loaded.alternate_contacts[0]
    assert (contact.first_name, contact.last_name, contact.relationship) == ("On", "Off", "yes")
    assert loaded.case_manager is not None and loaded.case_manager.remove is True


def test_participant_needs_an_id() -> None:
    text = BASE.replace('{state_id: "34712", name: Karen James}', "{name: Karen James}")
    assert problems(text) == [
        "jobs/x.yaml:7: records[1].participant: needs a state_id or a user_id (or both) so the "
        "right participant is found; a name alone is not enough"
    ]


# --- exit date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2021-06-24", date(2021, 6, 24)),
        ("06/24/2021", date(2021, 6, 24)),
        ("6/4/2021", date(2021, 6, 4)),
        ('"2021-06-24"', date(2021, 6, 24)),
        ("today", TODAY),
        ("Today", TODAY),
        ("2021-12-31", TODAY),
    ],
)
def test_exit_date_formats(written: str, expected: date) -> None:
    assert load(BASE.replace("2021-06-24", written)).records[0].exit_date == expected


def test_today_is_resolved_at_load_time() -> None:
    text = BASE.replace("2021-06-24", "today")
    assert load(text, today=date(2022, 3, 4)).records[0].exit_date == date(2022, 3, 4)
    assert load_job(EXAMPLE).records[0].exit_date == date(2021, 6, 24)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "2022-01-01",
            "01/01/2022 is in the future; an exit date can be today (12/31/2021) at the latest",
        ),
        ("02/30/2021", "'02/30/2021' is not a real calendar date"),
        ("2021-13-01", "'2021-13-01' is not a real calendar date"),
        ("6/24/21", "'6/24/21' has a two-digit year; write all four digits, like 06/24/2021"),
        ("June 24", "'June 24' is not a date this file takes; write it as 2021-06-24, "
                    "06/24/2021 or today"),
        ("2014-06-24", "06/24/2014 is before WIOA began (07/01/2015); check the year"),
        ("", "must be a date written as 2021-06-24, 06/24/2021 or today"),
    ],
)
def test_exit_date_problems(written: str, message: str) -> None:
    assert problems(BASE.replace("2021-06-24", written)) == [
        f"jobs/x.yaml:8: records[1].exit_date: {message}"
    ]


# --- exit reason ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("institutionalized", "01"),
        ("HEALTH/MEDICAL", "02"),
        ("  deceased", "03"),
        ("reservist called to active duty", "04"),
        ("In foster care and moved from area by foster care system", "05"),
        ("1", "01"),
        ("02", "02"),
        ('"03"', "03"),
        ("04", "04"),
        ("5", "05"),
    ],
)
def test_exit_reason_wording_or_code(written: str, code: str) -> None:
    text = BASE.replace("exit_reason: Institutionalized", f"exit_reason: {written}")
    assert load(text).records[0].exit_reason.code == code


def test_foster_care_is_accepted_until_the_program_is_seen_on_the_site() -> None:
    text = BASE.replace("Institutionalized", "05")
    assert load(text).records[0].exit_reason.youth_only


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "Moved away",
            "'Moved away' is not a hard-exit reason; choose one of: Institutionalized, "
            "Health/Medical, Deceased, Reservist called to Active Duty, In Foster Care and moved "
            "from area by foster care system (or a code 01-05). If no global exclusion fits, "
            "create a regular Closure instead.",
        ),
        (
            "Ineligible",
            "'Ineligible' is 'Ineligible' (code 06), an exit reason for Vocational "
            "Rehabilitation; it is not valid for WIOA Adult, Dislocated Worker or Youth exits in "
            "CalJOBS. If no global exclusion fits, create a regular Closure instead.",
        ),
        ("07", "'07' is 'Criminal offender' (code 07), an exit reason for adult education"),
        ("", "is required; choose one of: Institutionalized"),
        ("[1, 2]", "must be one reason's wording, like Deceased, or its code, like 03"),
    ],
)
def test_exit_reason_problems(written: str, message: str) -> None:
    text = BASE.replace("exit_reason: Institutionalized", f"exit_reason: {written}")
    (problem,) = problems(text)
    assert problem.startswith(f"jobs/x.yaml:9: records[1].exit_reason: {message}")


# --- the other record fields ----------------------------------------------------------------


def test_case_manager_is_assign_or_remove() -> None:
    both = problems(BASE + '    case_manager: {assign: "Nguyen, Mai", remove: true}\n')
    neither = problems(BASE + "    case_manager: {remove: false}\n")
    assert both == [
        "jobs/x.yaml:10: records[1].case_manager: give either assign or remove: true, not both"
    ]
    assert neither == [
        'jobs/x.yaml:10: records[1].case_manager: give either assign: "Last, First" or remove: true'
    ]


def test_attachment_is_read_next_to_the_job_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "letter.pdf").write_bytes(b"%PDF-1.4\n")
    monkeypatch.chdir(JOBS)  # not the job's folder: the path must not depend on it
    text = BASE + "    case_note: {subject: S, comments: C, attachment: docs/letter.pdf}\n"
    loaded = load(text, path=tmp_path / "job.yaml").records[0]
    assert loaded.case_note is not None
    assert loaded.case_note.attachment == tmp_path / "docs" / "letter.pdf"


def test_attachment_must_exist_as_a_file(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    text = BASE + (
        "    case_note:\n"
        "      subject: Global exclusion\n"
        "      comments: Verified.\n"
        "      attachment: NAME\n"
    )
    job_file = tmp_path / "job.yaml"
    assert problems(text.replace("NAME", "missing.pdf"), path=job_file) == [
        f"{job_file}:13: records[1].case_note.attachment: 'missing.pdf' was not found "
        f"(looked for {tmp_path / 'missing.pdf'}); give a path relative to the job file's folder"
    ]
    (problem,) = problems(text.replace("NAME", "folder"), path=job_file)
    assert "'folder' is a folder, not a file" in problem


def test_case_note_needs_subject_and_comments() -> None:
    assert problems(BASE + "    case_note: {subject: '  '}\n") == [
        "jobs/x.yaml:10: records[1].case_note.comments: is required",
        "jobs/x.yaml:10: records[1].case_note.subject: must not be empty",
    ]


def test_alternate_contacts() -> None:
    text = BASE + (
        "    alternate_contacts:\n"
        "      - {first_name: Ana, last_name: James, phone: 2135550100}\n"
        "      - {first_name: ana, last_name: ' JAMES'}\n"
    )
    assert problems(text) == [
        "jobs/x.yaml:10: records[1].alternate_contacts: items 1 and 2 have the same first and "
        "last name; list each contact once"
    ]
    single = load(text.rsplit("      - {first_name: ana", 1)[0]).records[0]
    assert single.alternate_contacts[0].phone == "2135550100"
    bad = BASE + "    alternate_contacts:\n      - {first_name: Ana, email: nope}\n"
    assert problems(bad) == [
        "jobs/x.yaml:11: records[1].alternate_contacts[1].email: must be an email address, "
        "like ana@example.org",
        "jobs/x.yaml:11: records[1].alternate_contacts[1].last_name: is required",
    ]
    assert load(BASE + "    alternate_contacts:\n").records[0].alternate_contacts == ()


# --- duplicates -----------------------------------------------------------------------------


def test_two_records_for_one_application_are_refused() -> None:
    text = job(
        record(),  # line 7
        record(participant='{user_id: "37801"}'),  # line 10
        record(participant='{state_id: "34712", user_id: "99999"}'),  # line 13
    )
    assert problems(text) == [
        "jobs/x.yaml:13: records[3]: same participant and application as records[1] at line 7; "
        "a participant can have only one Exit/Outcome per application"
    ]


def test_same_participant_by_user_id_and_same_application() -> None:
    text = job(
        record('    application: "2244303"\n', '{user_id: "37803"}'),
        record('    application: "2244304"\n', '{user_id: "37803"}'),
        record("    application: 2244303\n", '{user_id: 37803, state_id: "34803"}'),
    )
    (problem,) = problems(text)
    assert problem.startswith(
        "jobs/x.yaml:15: records[3]: same participant and application as records[1] at line 7;"
    )


def test_duplicates_are_reported_with_the_other_problems() -> None:
    text = job(record(), record("    colour: red\n"))
    assert problems(text) == [
        "jobs/x.yaml:10: records[2]: same participant and application as records[1] at line 7; "
        "a participant can have only one Exit/Outcome per application",
        "jobs/x.yaml:13: records[2].colour: is not a known field; the fields here are: "
        + ", ".join(sorted(Record.model_fields)),
    ]
