"""Damaged local state and a full disk (issue 20, items 5 and 7): named in one sentence, never
fatal for good, and never a torn ledger line. No browser: the ledger, the job lock and the
command line before any browser starts.

A real full disk needs a small file system: where the test may mount a 512 KB tmpfs (root on
Linux) it does; elsewhere that test is skipped and the simulated ENOSPC ones still run."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from small_disk import small_tmpfs

from caljobs_bot.cli import main
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.running.disk import DiskFull, is_disk_full
from caljobs_bot.running.job_lock import HOLDER_NAME, JobBusy, hold_job_lock, read_holder
from caljobs_bot.running.ledger import (
    Entry,
    Ledger,
    LedgerDamagedWarning,
    LedgerUnusable,
    record_identity,
)
from caljobs_bot.running.run import job_folder

JOB = """\
    defaults:
      lwia_region: Los Angeles County WDACS
      office_location: 2703 - LAO Community and Senior Services
      staff_position: Staff
      exit_date: 2021-06-24
      exit_reason: Deceased
    records:
      - participant: {state_id: "34712", name: Karen James}
      - participant: {user_id: "37802", name: Shauna O'Connor}
      - participant: {state_id: "34804", name: Marcus Lee}
    """


@pytest.fixture
def job_file(tmp_path: Path) -> Path:
    path = tmp_path / "job.yaml"
    path.write_text(textwrap.dedent(JOB), encoding="utf-8")
    return path


@pytest.fixture
def records(job_file: Path) -> list[Record]:
    return load_job(job_file).records


# -- a full disk ------------------------------------------------------------------------------

def test_a_write_that_meets_a_full_disk_leaves_no_torn_line(
    tmp_path: Path, records: list[Record], monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = Ledger(tmp_path / "job" / "ledger.jsonl")
    ledger.append("run-1", records[0], Entry.SAVED)
    before = ledger.path.read_bytes()
    real_write = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        if len(data) > 1:
            return real_write(fd, bytes(data[: len(data) // 2]))  # a short write...
        raise OSError(errno.ENOSPC, "No space left on device")  # ...then the disk is full

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("caljobs_bot.running.ledger.os.write", half_then_full)
    with pytest.raises(DiskFull) as raised:
        ledger.append("run-1", records[1], Entry.SAVING)
    assert ledger.path.read_bytes() == before, "the half-written line was cut back"
    message = str(raised.value)
    assert message.startswith(f"The disk holding {ledger.path.parent} is full (")
    assert " KB free)" in message and "OSError" not in message

    monkeypatch.setattr("caljobs_bot.running.ledger.os.write", full)
    with pytest.raises(DiskFull):
        ledger.append("run-1", records[1], Entry.SAVING)
    monkeypatch.undo()
    ledger.append("run-2", records[1], Entry.SAVED)  # space again: the ledger goes on
    assert [(ln.run, ln.status) for ln in Ledger(ledger.path).lines()] == [
        ("run-1", Entry.SAVED), ("run-2", Entry.SAVED)]


def test_windows_disk_full_codes_are_a_full_disk_too() -> None:
    for code in (39, 112):
        error = OSError(errno.EIO, "disk full")
        error.winerror = code  # type: ignore[attr-defined, unused-ignore]  # Windows' Python sets it
        assert is_disk_full(error)
    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KB tmpfs, mounted where the test may (root on Linux); else the test skips."""
    with small_tmpfs(tmp_path, 512) as place:
        yield place


def fill(disk: Path, leave: int) -> Path:
    """A file that fills `disk` but for about `leave` bytes."""
    filler = disk / "filler"
    room = shutil.disk_usage(disk).free - leave
    with filler.open("wb") as out:
        out.write(b"\0" * max(room, 0))
    return filler


def test_a_ledger_on_a_really_full_disk_stays_whole_and_goes_on_when_there_is_room(
    small_disk: Path, records: list[Record]
) -> None:
    ledger = Ledger(small_disk / "runs" / "job" / "ledger.jsonl")
    ledger.append("run-1", records[0], Entry.SAVED)
    filler = fill(small_disk, leave=600)
    written = 0
    with pytest.raises(DiskFull) as raised:
        for _ in range(100):
            ledger.append("run-1", records[1], Entry.FAILED, "x" * 150)
            written += 1
    assert f"The disk holding {ledger.path.parent} is full (" in str(raised.value)
    data = ledger.path.read_bytes()
    assert data.endswith(b"\n"), "no torn line at the end"
    assert len(Ledger(ledger.path).lines()) == 1 + written
    filler.unlink()
    ledger.append("run-2", records[2], Entry.SAVED)
    assert set(Ledger(ledger.path).saved_by_identity()) == {
        record_identity(records[0]), record_identity(records[2])}


def test_the_command_names_a_full_runs_disk_and_exits_2(
    small_disk: Path, job_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before any browser: the job's folder cannot even be made on a full disk."""
    fill(small_disk, leave=0)
    monkeypatch.setenv("CALJOBS_PASSWORD", "not-used")
    result = CliRunner().invoke(main, [
        "run", str(job_file), "--base-url", "http://127.0.0.1:9/vosnet/Default.aspx",
        "--username", "someone", "--runs-dir", str(small_disk / "runs")])
    assert result.exit_code == 2, result.output
    assert f"The disk holding {small_disk / 'runs'}" in result.output
    assert "unexpected error" not in result.output and "Traceback" not in result.output


# -- a damaged ledger -------------------------------------------------------------------------

def test_an_undecodable_line_is_set_aside_named_and_its_record_looked_up(
    tmp_path: Path, records: list[Record]
) -> None:
    ledger = Ledger(tmp_path / "job" / "ledger.jsonl")
    ledger.append("run-1", records[0], Entry.SAVED)
    ledger.append("run-1", records[1], Entry.SAVING)
    data = ledger.path.read_bytes().replace(b'"saving"', b'"sav\xffing"')  # one bad byte
    ledger.path.write_bytes(data + b'{"time": "2026-12-01T10:00:00", "run": "ru')  # and torn
    assert [ln.status for ln in Ledger(ledger.path).lines()] == [Entry.SAVED]

    with pytest.warns(LedgerDamagedWarning) as warned:
        assert ledger.set_aside_damaged() == 2
    [warning] = warned
    sentence = str(warning.message)
    assert str(ledger.path) in sentence and str(ledger.bad_path) in sentence
    assert sentence.count(".") <= 4 and "\n" not in sentence  # one sentence (paths have dots)
    assert ledger.bad_path.read_bytes().count(b"\n") == 2
    assert b"\xff" in ledger.bad_path.read_bytes()
    assert [json.loads(line)["status"] for line in ledger.path.read_text("utf-8").splitlines()
            ] == ["saved"]
    # The record of the damaged line is not known: the run looks it up on the site.
    assert ledger.damaged_identities == {record_identity(records[1])}
    assert record_identity(records[1]) not in ledger.saved_by_identity()

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Ledger(ledger.path).set_aside_damaged() == 0  # nothing left to set aside
    ledger.append("run-2", records[1], Entry.SAVED)
    assert len(Ledger(ledger.path).lines()) == 2


def test_a_folder_where_the_ledger_should_be_is_named(tmp_path: Path, job_file: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    runs = tmp_path / "runs"
    folder = job_folder(load_job(job_file), runs)
    (folder / "ledger.jsonl").mkdir(parents=True)
    with pytest.raises(LedgerUnusable, match="is a folder, where this job's ledger should be"):
        Ledger(folder / "ledger.jsonl").lines()
    monkeypatch.setenv("CALJOBS_PASSWORD", "not-used")
    result = CliRunner().invoke(main, [
        "run", str(job_file), "--base-url", "http://127.0.0.1:9/vosnet/Default.aspx",
        "--username", "someone", "--runs-dir", str(runs)])
    assert result.exit_code == 2, result.output
    assert f"{folder / 'ledger.jsonl'} is a folder" in result.output
    assert "unexpected error" not in result.output and "IsADirectoryError" not in result.output


# -- the job's lock ---------------------------------------------------------------------------

def test_the_lock_names_its_holder_and_is_free_again_after_it(tmp_path: Path) -> None:
    folder = tmp_path / "runs" / "job-1"
    with hold_job_lock(folder, dry_run=True) as held:
        assert held.previous is None
        holder = read_holder(folder)
        assert holder is not None and holder.pid == os.getpid() and holder.dry_run
        with hold_job_lock(folder):  # the same process again (the CLI, then run_job)
            pass
        # Another process is refused at once, and told who holds it.
        other = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
            from pathlib import Path
            from caljobs_bot.running.job_lock import JobBusy, hold_job_lock
            try:
                with hold_job_lock(Path({str(folder)!r})):
                    print("got it")
            except JobBusy as busy:
                print(busy)
            """)], capture_output=True, text=True, timeout=60, check=True)
        assert "Another run of this job is using" in other.stdout, other.stdout + other.stderr
        assert f"process {os.getpid()} on " in other.stdout and "a dry run" in other.stdout
    assert not (folder / HOLDER_NAME).exists()
    with hold_job_lock(folder) as again:
        assert again.previous is None


def test_a_holder_file_left_by_a_killed_run_is_reported_and_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "runs" / "job-1"
    folder.mkdir(parents=True)
    (folder / HOLDER_NAME).write_text(json.dumps(
        {"host": "elsewhere", "pid": 99999, "since": "2026-12-01 09:00:00-08:00"}))
    with hold_job_lock(folder) as held:
        assert held.previous is not None and held.previous.pid == 99999
        holder = read_holder(folder)
        assert holder is not None and holder.pid == os.getpid()


def test_a_holder_that_has_not_said_who_it_is_still_keeps_others_out(tmp_path: Path) -> None:
    """Between taking the lock and writing its holder file, a run is still the only one."""
    folder = tmp_path / "runs" / "job-1"
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from caljobs_bot.running.job_lock import HOLDER_NAME, hold_job_lock
        with hold_job_lock(Path({str(folder)!r})):
            (Path({str(folder)!r}) / HOLDER_NAME).unlink()
            print("held", flush=True)
            sys.stdin.readline()
        """)
    holder = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(JobBusy, match="it has not said who it is yet"), \
                hold_job_lock(folder):
            pass
    finally:
        holder.communicate("\n", timeout=60)
