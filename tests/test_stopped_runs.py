"""A stopped run still reports (issue 20, item 6): whatever stopped it (a maintenance page, a
site answering only errors, sessions that expire at once, a full disk), every record of the
job has a row in report.csv and report.html saying why it was not run, and when. And what a
full disk or a damaged ledger leaves is finished by the next run, nothing saved twice.

The sandbox's fault knobs make the site fail; the report files and the site's counters of
Save presses are the judge."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
import yaml
from bulk_jobs import DEFAULTS, bot_env, outcomes_per_application, run, run_command

from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Job, Record
from caljobs_bot.running.disk import DiskFull
from caljobs_bot.running.ledger import Entry, Ledger, LedgerDamagedWarning
from caljobs_bot.running.run import RunOutcome, job_folder
from caljobs_bot.steps.results import Status

pytestmark = pytest.mark.browser


def write_job(folder: Path, people: list[dict]) -> Job:
    records = [{"participant": {"state_id": p["state_id"], "name": p["name"]}} for p in people]
    path = folder / "job.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "defaults": DEFAULTS, "records": records},
                                   allow_unicode=True), encoding="utf-8")
    return load_job(path)


def run_to_its_end(job: Job, server: Sandbox, runs: Path) -> RunOutcome | BaseException:
    """The run's outcome, or the error it ended on (after writing its report)."""
    reports: list[Path] = []
    try:
        return run(job, server, runs, retries=1, on_report=reports.append)
    except Exception as error:  # noqa: BLE001 - the report is what this test judges
        assert reports, f"no report for a run that ended on {error!r}"
        assert reports[-1].is_file(), reports
        return error


def report(job: Job, runs: Path) -> tuple[list[dict[str, str]], str]:
    [run_folder] = [p for p in job_folder(job, runs).iterdir() if p.is_dir()]
    with (run_folder / "report.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return rows, (run_folder / "report.html").read_text(encoding="utf-8")


FAILING_AT_SIGN_IN = "not run: the site was failing at sign-in"


@pytest.mark.parametrize("faults, cause", [
    ({"maintenance": True}, "not run: the site was down"),
    ({"error_rate": 1.0}, FAILING_AT_SIGN_IN),
    ({"error_rate": 0.5, "seed": 3}, FAILING_AT_SIGN_IN),  # a sign-in needs ~6 good answers
    ({"expire_after_requests": 1}, FAILING_AT_SIGN_IN),
    ({"expire_after_requests": 3}, FAILING_AT_SIGN_IN),  # ends just after the sign-in
], ids=["maintenance", "every-request-503", "half-503", "sessions-expire-at-once",
        "sessions-expire-after-3"])
def test_every_record_has_a_report_row_whatever_stopped_the_run(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path, faults: dict,
    cause: str
) -> None:
    people = sandbox.add_participants(4)
    job = write_job(tmp_path, people)
    stored_before = len(sandbox.outcomes())
    sandbox.set_faults(**faults)
    ended = run_to_its_end(job, sandbox_server, tmp_path / "runs")
    # An outage, with its report: not "the site does not look as expected" (issue 20, item 8).
    assert isinstance(ended, RunOutcome), ended
    rows, page = report(job, tmp_path / "runs")
    assert [row["record"] for row in rows] == ["1", "2", "3", "4"], ended
    for row in rows:
        assert row["status"] in (Status.NOT_RUN.value, Status.FAILED.value), row
        if row["status"] == Status.NOT_RUN.value:
            assert row["reason"].startswith(cause), row
            assert "the run stopped at 20" in row["reason"], row  # with the time
    assert page.count('<tr class="not_run">') + page.count('<tr class="failed">') >= 4
    sandbox.set_faults(maintenance=False, error_rate=0.0, expire_after_requests=None, seed=0)
    assert len(sandbox.outcomes()) == stored_before


def test_a_disk_that_fills_mid_run_stops_it_before_the_next_save_and_the_next_run_finishes(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    people = sandbox.add_participants(3)
    job = write_job(tmp_path, people)
    runs = tmp_path / "runs"
    real_append = Ledger.append

    def full_at_the_second_save(ledger: Ledger, run_id: str, record: Record, status: Entry,
                                reason: str = "") -> object:
        if record.index == 2 and status is Entry.SAVING:
            raise DiskFull(ledger.path.parent)
        return real_append(ledger, run_id, record, status, reason)

    monkeypatch.setattr(Ledger, "append", full_at_the_second_save)
    reports: list[Path] = []
    with pytest.raises(DiskFull):
        run(job, sandbox_server, runs, on_report=reports.append)
    assert reports, "the report is written before the disk error"
    rows, _ = report(job, runs)
    assert [row["status"] for row in rows] == ["saved", "not run", "not run"], rows
    assert "filled up during this record" in rows[1]["reason"]
    assert rows[2]["reason"].startswith("not run: the disk holding the runs folder is full")
    assert sandbox.save_attempts() == {people[0]["application"]: 1}, "no Save without its line"

    monkeypatch.undo()
    again = run(job, sandbox_server, runs)
    assert [r.status for r in again.results] == [Status.SKIPPED, Status.SAVED, Status.SAVED]
    assert sandbox.save_attempts() == {p["application"]: 1 for p in people}


def test_a_saved_line_with_a_bad_byte_is_set_aside_and_its_record_read_on_the_site(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    people = sandbox.add_participants(2)
    job = write_job(tmp_path, people)
    runs = tmp_path / "runs"
    first = run(job, sandbox_server, runs)
    assert {r.status for r in first.results} == {Status.SAVED}
    ledger = job_folder(job, runs) / "ledger.jsonl"
    lines = ledger.read_bytes().split(b"\n")
    damaged = [line.replace(b'"saved"', b'"sav\xffed"') if b'"index": 1' in line else line
               for line in lines]
    ledger.write_bytes(b"\n".join(damaged))

    with pytest.warns(LedgerDamagedWarning, match="moved to"):
        again = run(job, sandbox_server, runs)
    first_record, second_record = again.results
    assert first_record.status is Status.SAVED, first_record  # read on the site, not skipped
    assert "confirmed on the case, not saved again" in first_record.reason
    assert second_record.status is Status.SKIPPED and "earlier run" in second_record.reason
    assert (ledger.parent / "ledger.jsonl.bad").read_bytes().count(b"\xff") == 1
    assert sandbox.save_attempts() == {p["application"]: 1 for p in people}
    assert set(outcomes_per_application(sandbox)[p["application"]] for p in people) == {1}


def test_a_flaky_sign_in_is_reported_as_an_outage_on_the_command_line(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    people = sandbox.add_participants(2)
    write_job(tmp_path, people)
    sandbox.set_faults(expire_after_requests=3)
    ended = subprocess.run(
        run_command(tmp_path / "job.yaml", sandbox_server, tmp_path / "runs", "--trace", "off",
                    "--retries", "1"),
        env=bot_env(), capture_output=True, text=True, encoding="utf-8", timeout=300)
    said = " ".join((ended.stdout + ended.stderr).split())
    assert ended.returncode == 2, said
    assert "signing in did not get through: the session ended as soon as it began" in said
    assert "does not look as expected" not in said and "Traceback" not in said
    assert "report.html" in said
    sandbox.set_faults(expire_after_requests=None)
