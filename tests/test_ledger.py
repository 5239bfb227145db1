"""The ledger and report: append-only, crash-tolerant, anonymous; no browser needed."""

from __future__ import annotations

import csv
import json
import textwrap
from datetime import date
from pathlib import Path

import pytest
from portability import assert_owner_only

from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.running.ledger import Entry, Ledger, RunLedger, record_identity
from caljobs_bot.running.report import rows_for, write_csv, write_html
from caljobs_bot.settings.private import on_windows
from caljobs_bot.steps.results import RecordResult, Status
from caljobs_bot.steps.state import NO_JOURNAL, RecordJournal


@pytest.fixture
def records(tmp_path: Path) -> list[Record]:
    path = tmp_path / "job.yaml"
    path.write_text(textwrap.dedent("""\
        defaults:
          lwia_region: Los Angeles County WDACS
          office_location: 2703 - LAO Community and Senior Services
          staff_position: Staff
        records:
          - participant: {state_id: "34712", name: Karen James}
            exit_date: 2021-06-24
            exit_reason: Deceased
          - participant: {user_id: "37802", name: Shauna O'Connor}
            exit_date: 2021-07-30
            exit_reason: Health/Medical
        """), encoding="utf-8")
    return load_job(path).records



def test_a_run_writes_the_ledger_through_its_journal(tmp_path: Path,
                                                    records: list[Record]) -> None:
    """The bot knows the ledger only as a RecordJournal: what it writes must still be the
    lines a resumed run reads (an intent before Save, a note's two lines, the end)."""
    ledger = Ledger(tmp_path / "ledger.jsonl")
    journal: RecordJournal = RunLedger(ledger, "run-1", {record_identity(records[1])})
    assert not journal.may_be_saved(records[0])
    assert journal.may_be_saved(records[1])  # an earlier run pressed Save, never heard back
    journal.side_effect(records[0], "note", "intent")
    journal.side_effect(records[0], "note", "done")
    journal.saving(records[0])
    journal.ended(records[0], RecordResult(records[0].index, records[0].line, Status.SAVED,
                                           "saved"))
    assert [(ln.run, ln.status, ln.reason) for ln in ledger.lines()] == [
        ("run-1", Entry.NOTE_ADDING, "note"), ("run-1", Entry.NOTE_ADDED, "note"),
        ("run-1", Entry.SAVING, "Save pressed"), ("run-1", Entry.SAVED, "saved")]
    NO_JOURNAL.saving(records[0])  # the trainers' journal writes nothing
    assert not NO_JOURNAL.may_be_saved(records[1])
    assert len(ledger.lines()) == 4

def test_lines_are_appended_and_read_back(tmp_path: Path, records: list[Record]) -> None:
    ledger = Ledger(tmp_path / "job" / "ledger.jsonl")
    ledger.append("run-1", records[0], Entry.SAVING)
    ledger.append("run-1", records[0], Entry.SAVED, "application 2244266 saved")
    ledger.append("run-1", records[1], Entry.FAILED, "timed out")
    lines = ledger.lines()
    assert [ln.status for ln in lines] == [Entry.SAVING, Entry.SAVED, Entry.FAILED]
    assert lines[1].index == 1 and lines[2].line == 9
    assert set(ledger.saved_by_identity()) == {record_identity(records[0])}
    assert ledger.last_by_identity()[record_identity(records[1])].status is Entry.FAILED


def test_a_line_cut_short_by_a_crash_is_ignored(tmp_path: Path, records: list[Record]) -> None:
    ledger = Ledger(tmp_path / "ledger.jsonl")
    ledger.append("run-1", records[0], Entry.SAVED)
    with ledger.path.open("a", encoding="utf-8") as out:
        out.write('{"time": "2026-11-23T10:00:00", "run": "run-2", "ind')
    assert [ln.status for ln in ledger.lines()] == [Entry.SAVED]
    ledger.append("run-2", records[1], Entry.SAVED)  # a torn line does not swallow the next
    assert [(ln.run, ln.status) for ln in Ledger(ledger.path).lines()] == [
        ("run-1", Entry.SAVED), ("run-2", Entry.SAVED)]


def test_the_ledger_holds_no_participant_data_and_is_private(
    tmp_path: Path, records: list[Record]
) -> None:
    ledger = Ledger(tmp_path / "runs" / "job" / "ledger.jsonl")
    for record in records:
        ledger.append("run-1", record, Entry.SAVED)
    text = ledger.path.read_text(encoding="utf-8")
    for secret in ("34712", "37802", "Karen", "James", "Shauna", "O'Connor"):
        assert secret not in text
    if not on_windows():  # on Windows the file inherits its folder's owner-only ACL
        assert_owner_only(ledger.path, folder=False)
    assert_owner_only(ledger.path.parent, folder=True)
    assert all(json.loads(line)["identity"] for line in text.splitlines())


def test_identity_ignores_the_details_but_not_the_person(records: list[Record]) -> None:
    karen = records[0]
    changed = karen.model_copy(update={"exit_reason": records[1].exit_reason})
    assert record_identity(changed) == record_identity(karen)
    assert changed.content_hash() != karen.content_hash()
    assert record_identity(records[1]) != record_identity(karen)


def test_report_lists_every_record_with_exit_date_age(tmp_path: Path,
                                                      records: list[Record]) -> None:
    results = [
        RecordResult(2, 10, Status.FAILED, "timed out", ("evidence/record-00002/shot.png",)),
        RecordResult(1, 6, Status.SAVED, "application 2244266 saved"),
    ]
    rows = rows_for(results, {r.index: r.exit_date for r in records}, today=date(2021, 7, 1))
    csv_path = write_csv(rows, tmp_path / "report.csv")
    with csv_path.open(encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert [row["record"] for row in table] == ["1", "2"]
    assert table[0]["exit date age (days)"] == "7"
    assert table[1]["status"] == "failed"
    page = write_html(rows, tmp_path / "report.html", title="run", notes=["Dry run."])
    text = page.read_text(encoding="utf-8")
    assert "Failed records (1)" in text
    assert 'href="evidence/record-00002/shot.png"' in text
    assert "Karen" not in text

