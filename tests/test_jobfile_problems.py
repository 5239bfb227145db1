"""A job file as a whole: every problem in line order, YAML errors in plain words, and a
record's identity."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from test_jobfile import BASE, EXAMPLE, FILE, TODAY, load, problems

from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.jobfile.problems import JobFileError, Problem

# --- the file as a whole --------------------------------------------------------------------


def test_every_problem_in_a_file_is_reported_in_line_order() -> None:
    text = (
        "version: 2\n"  # 1
        "recrods: []\n"  # 2
        "records:\n"  # 3
        "  - participant: {state_id: 34a12}\n"  # 4
        "    exit_date: 2031-01-01\n"  # 5
        "    exit_reasn: Deceased\n"  # 6
        "    lwia_region: LA\n"  # 7
        "  - just text\n"  # 8
    )
    assert problems(text) == [
        "jobs/x.yaml:1: version: must be 1; this caljobs-bot reads version 1 job files",
        "jobs/x.yaml:2: recrods: is not a known field; did you mean 'records'?",
        "jobs/x.yaml:4: records[1].exit_reason: is required; set it on this record or under "
        "defaults",
        "jobs/x.yaml:4: records[1].office_location: is required; set it on this record or under "
        "defaults",
        "jobs/x.yaml:4: records[1].participant.state_id: must be the State ID in digits only, "
        "like 34712",
        "jobs/x.yaml:4: records[1].staff_position: is required; set it on this record or under "
        "defaults",
        "jobs/x.yaml:5: records[1].exit_date: 01/01/2031 is in the future; an exit date can be "
        "today (12/31/2021) at the latest",
        "jobs/x.yaml:6: records[1].exit_reasn: is not a known field; did you mean 'exit_reason'?",
        "jobs/x.yaml:8: records[2]: must be a mapping of 'key: value' lines",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "jobs/x.yaml: the file is empty; a job file needs a 'records:' list"),
        (
            "# only a comment\n",
            "jobs/x.yaml: the file is empty; a job file needs a 'records:' list",
        ),
        (
            "- a\n- b\n",
            "jobs/x.yaml:1: the top level must be 'key: value' lines (version:, "
            "defaults:, records:), not a list or a single value",
        ),
        (
            "just words\n",
            "jobs/x.yaml:1: the top level must be 'key: value' lines (version:, "
            "defaults:, records:), not a list or a single value",
        ),
        (
            "version: 1\n",
            "jobs/x.yaml:1: records: is required: list the Exit/Outcomes to "
            "create under 'records:'",
        ),
        ("records: []\n", "jobs/x.yaml:1: records: must list at least one record"),
        ("records:\n", "jobs/x.yaml:1: records: is empty; fill it in or delete the line"),
        (
            "records:\n  participant: x\n",
            "jobs/x.yaml:1: records: must be a list, one '- ' item per entry",
        ),
    ],
)
def test_file_level_problems(text: str, expected: str) -> None:
    assert problems(text) == [expected]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("records:\n  - participant: {state_id: 1\n  x: [\n", 3, "a {...} mapping is missing"),
        ("records:\n\t- a: 1\n", 2, "a tab is used for indentation; YAML needs spaces"),
        ('version: 1\nrecords:\n  - participant: "abc\n', 3, "a quote or bracket is opened"),
        ("records:\n  - a: 1\n   b: 2\n", 3, "the indentation is off"),
        ("version: 1\nrecords: *nothing\n", 2, "uses an alias (*name) that no anchor"),
        ("version: 1\n---\nversion: 1\n", 2, "holds more than one YAML document"),
        ("version: !secret 1\n", 1, "version: has the YAML tag !secret on a single value"),
        ("? [a]\n: 1\n", 1, "a key must be a plain name, not a list or mapping"),
        ("version: 1\nrecords: x: y\n", 2, "a ':' appears where YAML does not expect one"),
        ("version: 1\nname: a\x07b\n", 2, "contains a control character YAML does not allow"),
    ],
)
def test_yaml_errors_in_plain_words_with_their_line(text: str, line: int, words: str) -> None:
    (problem,) = problems(text)
    assert problem.startswith(f"jobs/x.yaml:{line}: {words}")


def test_a_key_written_twice_is_reported_not_silently_dropped() -> None:
    text = BASE + "    exit_reason: Deceased\n"
    assert problems(text) == [
        "jobs/x.yaml:10: records[1].exit_reason: is written twice (also on line 9); keep one"
    ]


def test_merge_keys_are_refused_with_their_line() -> None:
    text = (
        "office: &office {lwia_region: City of Los Angeles, office_location: 2801 - X, "
        "staff_position: Staff}\n"
    )
    with pytest.raises(JobFileError, match="office: is not a known field"):
        load(text + BASE)
    merged = BASE.replace("defaults:\n", "defaults:\n  <<: {lwia_region: Other}\n")
    with pytest.raises(JobFileError, match=r"x.yaml:3: defaults: uses a YAML merge key \(<<\)"):
        load(merged)


def test_files_that_are_not_utf8_or_missing(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(BASE.replace("Karen James", "José").encode("latin-1"))
    with pytest.raises(JobFileError) as caught:
        load_job(latin, today=TODAY)
    assert [str(p) for p in caught.value.problems] == [
        f"{latin}:7: is not saved as UTF-8 text; save the file again as UTF-8"
    ]
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + BASE.encode())
    assert load_job(bom, today=TODAY).records[0].exit_reason.code == "01"
    with pytest.raises(JobFileError, match="the job file was not found"):
        load_job(tmp_path / "nowhere.yaml")
    with pytest.raises(JobFileError, match="cannot be read"):
        load_job(tmp_path)


def test_problem_reads_as_file_line_field_message() -> None:
    missing = Problem(FILE, 14, ("records", 1, "participant"), "missing")
    assert str(missing) == "jobs/x.yaml:14: records[2].participant: is required"
    assert missing.field == "records[2].participant" and missing.key == "missing"
    empty = Problem(FILE, None, (), "empty")
    assert str(empty) == "jobs/x.yaml: the file is empty; a job file needs a 'records:' list"
    first = Problem(FILE, 1, ("a",), "duplicate_key", {"first_line": 0})
    later = Problem(FILE, 3, ("b",), "duplicate_key", {"first_line": 1})
    error = JobFileError([later, first] * 2)
    assert str(error) == ("jobs/x.yaml:1: a: is written twice (also on line 0); keep one\n"
                          "jobs/x.yaml:3: b: is written twice (also on line 1); keep one")


def test_problems_keep_pydantics_location_type_and_values() -> None:
    text = BASE + "    exit_resaon: 3\n"
    with pytest.raises(JobFileError) as raised:
        load(text)
    (problem,) = raised.value.problems
    assert problem.loc == ("records", 0, "exit_resaon") and problem.key == "extra_forbidden"
    assert problem.context["suggestion"] == "exit_reason"
    assert problem.message == "is not a known field; did you mean 'exit_reason'?"


# --- identity of a record -------------------------------------------------------------------


def test_content_hash_is_stable_and_ignores_position() -> None:
    first = load(BASE).records[0]
    again = load(BASE).records[0]
    moved = load(BASE.replace("records:\n", "records:\n  # a comment moves the record down\n"))
    assert first.content_hash() == again.content_hash() == moved.records[0].content_hash()
    assert re.fullmatch(r"[0-9a-f]{64}", first.content_hash())


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"34712"', '"34713"'),
        ("Karen James", "Karen Jams"),
        ("2021-06-24", "2021-06-25"),
        ("Institutionalized", "Deceased"),
        ("2703 - LAO", "2710 - LAO"),
        ("staff_position: Staff", "staff_position: Supervisor"),
        (
            "exit_reason: Institutionalized\n",
            "exit_reason: Institutionalized\n    application: '2244266'\n",
        ),
        (
            "exit_reason: Institutionalized\n",
            "exit_reason: Institutionalized\n    case_manager: {remove: true}\n",
        ),
    ],
)
def test_content_hash_changes_when_any_field_changes(old: str, new: str) -> None:
    changed = BASE.replace(old, new)
    assert changed != BASE
    assert load(changed).records[0].content_hash() != load(BASE).records[0].content_hash()


def test_content_hash_follows_the_attachment_content_not_its_folder(tmp_path: Path) -> None:
    text = BASE + "    case_note: {subject: S, comments: C, attachment: letter.pdf}\n"
    hashes = []
    for folder, content in [("a", b"one"), ("b", b"one"), ("c", b"two")]:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "letter.pdf").write_bytes(b"%PDF-1.4 " + content)
        hashes.append(load(text, path=tmp_path / folder / "job.yaml").records[0].content_hash())
    assert hashes[0] == hashes[1] != hashes[2]


def test_label_names_the_record_without_participant_data() -> None:
    loaded = load_job(EXAMPLE, today=TODAY)
    for item in loaded.records:
        label = item.label()
        assert re.fullmatch(r"record \d+ \(line \d+\)", label)
        who = item.participant
        for secret in (who.state_id, who.user_id, who.name, item.application):
            assert not secret or secret not in label
    assert Record.model_validate(load(BASE).records[0].model_dump()).label() == "record 0"


def test_records_are_frozen() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        load(BASE).records[0].exit_date = date(2021, 1, 1)
