"""Bulk runs against a flaky site: every record saved exactly once or reported with a reason.

The sandbox's stored outcomes are the judge throughout. CALJOBS_BULK_RECORDS sets the size of
the big job (default 20 here; the issue's acceptance run uses 200).
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bulk_jobs import (
    CANNOT_KILL,
    DEFAULTS,
    bot_env,
    kill_process_tree,
    ledger_lines,
    options,
    outcomes_per_application,
    report_rows,
    run,
    run_command,
    start_killable,
)

from caljobs_bot.cli import SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.running.run import run_job
from caljobs_bot.steps.definitions import Step
from caljobs_bot.steps.results import Status

pytestmark = pytest.mark.browser


def write_job(folder: Path, people: list[dict], extra: list[dict] | None = None) -> Path:
    """A job file with one record per generated participant (plus `extra` records)."""
    records = [{"participant": {"state_id": p["state_id"], "name": p["name"]}} for p in people]
    path = folder / "bulk.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "defaults": DEFAULTS,
                                    "records": records + (extra or [])}, allow_unicode=True),
                    encoding="utf-8")
    return path


def test_a_lost_save_response_never_makes_a_second_outcome(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    people = sandbox.add_participants(3)
    sandbox.set_faults(lose_save_response=2)
    outcome = run(load_job(write_job(tmp_path, people)), sandbox_server, tmp_path / "runs")
    assert [r.status for r in outcome.results] == [Status.SAVED] * 3, outcome.results
    assert sum("confirmed on the case, not saved again" in r.reason
               for r in outcome.results) == 2
    stored = outcomes_per_application(sandbox)
    assert all(stored[p["application"]] == 1 for p in people), stored


def test_a_session_that_expires_mid_form_signs_in_again_and_saves_once(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    people = sandbox.add_participants(3)
    sandbox.set_faults(expire_on_save=2)
    outcome = run(load_job(write_job(tmp_path, people)), sandbox_server, tmp_path / "runs")
    assert [r.status for r in outcome.results] == [Status.SAVED] * 3, outcome.results
    stored = outcomes_per_application(sandbox)
    assert all(stored[p["application"]] == 1 for p in people), stored
    assert sandbox.stats()["faults"]["injected"]["expire_on_save"] == 2


def test_a_storm_of_server_errors_fails_records_with_reasons_not_a_crash(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    people = sandbox.add_participants(2)
    job = load_job(write_job(tmp_path, people))
    sandbox.set_faults(error_rate=1.0)
    # Signing in itself meets the storm: the run cannot start, and says it is an outage
    # (issue 20, item 8), with a row for every record.
    stopped = run(job, sandbox_server, tmp_path / "runs", retries=1, timeout_ms=3_000)
    assert [r.status for r in stopped.results] == [Status.NOT_RUN] * 2, stopped.results
    assert all("the site was failing at sign-in" in r.reason for r in stopped.results)
    # A storm that starts once signed in: each record fails with the reason, the run ends.
    sandbox.set_faults(error_rate=0.0, expire_after_requests=None)
    storm = {"armed": False}

    def start_storm(step: Step, record: Record) -> None:  # a StepObserver
        if not storm["armed"]:
            storm["armed"] = True
            sandbox.set_faults(error_rate=1.0)

    outcome = run_job(job, options(sandbox_server, tmp_path / "runs2", retries=1),
                      observer=start_storm)
    assert [r.status for r in outcome.results] == [Status.FAILED] * 2, outcome.results
    for result in outcome.results:
        assert "server error" in result.reason and "gave up after 2 tries" in result.reason
    assert outcome.report_csv.exists() and outcome.report_html.exists()
    assert not [p for p in people if outcomes_per_application(sandbox)[p["application"]]]


@pytest.mark.skipif(CANNOT_KILL is not None, reason=CANNOT_KILL or "")
def test_a_run_killed_midway_and_run_again_saves_each_record_exactly_once(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    people = sandbox.add_participants(int(os.environ.get("CALJOBS_KILL_RECORDS", "6")))
    sandbox.set_faults(latency_ms=100, error_rate=0.01, seed=3, lose_save_response=1)
    job = write_job(tmp_path, people)
    runs = tmp_path / "runs"
    command = run_command(job, sandbox_server, runs, "--trace", "off")
    first = start_killable(command, bot_env())
    enough = max(3, len(people) // 3)
    deadline = time.monotonic() + 120 + 10 * enough  # generous: a loaded CI machine is slow
    while sum(line["status"] == "saved" for line in ledger_lines(runs)) < enough:
        assert first.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline, f"the run saved fewer than {enough} in time"
        time.sleep(0.2)  # test-side polling of a file another process writes
    kill_process_tree(first)
    saved_before = {line["index"] for line in ledger_lines(runs) if line["status"] == "saved"}
    assert enough <= len(saved_before) < len(people), "the kill came midway"

    second = subprocess.run(command, env=bot_env(), stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=3600)
    # 0: every record saved. A 1% error rate with 2 retries does not outlast them, and a Save
    # whose answer was lost (or cut off by the kill) is confirmed on the case, not "not known".
    assert second.returncode == 0, second.stdout + second.stderr
    stored = outcomes_per_application(sandbox)
    report = report_rows(runs)
    assert sorted(report) == list(range(1, len(people) + 1))
    for number, person in enumerate(people, start=1):
        row = report[number]
        if number in saved_before:
            assert row["status"] == "skipped" and "earlier run" in row["reason"], row
        else:
            assert row["status"] == "saved", row
        assert stored[person["application"]] == 1, row


@pytest.mark.slow  # the big job: make test-all
def test_a_big_job_with_faults_ends_with_one_outcome_per_valid_record(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    size = int(os.environ.get("CALJOBS_BULK_RECORDS", "20"))
    people = sandbox.add_participants(size)
    refused = [people[4]["user_id"], people[size // 2]["user_id"]]
    invalid = [
        {"participant": {"state_id": "99999"}},
        {"participant": {"state_id": "34712", "name": "Somebody Else"}},
    ]
    job = load_job(write_job(tmp_path, people, invalid))
    sandbox.set_faults(error_rate=0.02, seed=7, lose_save_response=2, expire_on_save=2,
                       expire_after_requests=60, save_error_for=refused, latency_ms=20)
    runs = tmp_path / "runs"
    first = run(job, sandbox_server, runs, workers=2)
    by_index = {r.index: r for r in first.results}
    assert len(by_index) == size + 2

    stored = outcomes_per_application(sandbox)
    assert all(count == 1 for count in stored.values()), "an application got two outcomes"
    for number, person in enumerate(people, start=1):
        result = by_index[number]
        if person["user_id"] in refused:
            assert result.status is Status.FAILED
            assert "open or future services" in result.reason
            assert stored[person["application"]] == 0
        elif result.status is Status.SAVED:
            assert stored[person["application"]] == 1
        elif result.status is Status.NOT_KNOWN:  # Save pressed, its answer never confirmed
            assert stored[person["application"]] <= 1 and result.reason, result
        else:  # a fault outlasted the retries: reported, not stored, not lost
            assert result.status is Status.FAILED and result.reason, result
            assert stored[person["application"]] == 0
    assert "no participant found with State ID 99999" in by_index[size + 1].reason
    assert "name in the job file does not match" in by_index[size + 2].reason
    # The report says what the run returned, record by record; the failures are the 2 refused
    # and the 2 invalid records, and any other is a fault that outlasted the retries.
    with first.report_csv.open(encoding="utf-8", newline="") as handle:
        reported = {int(row["record"]): row for row in csv.DictReader(handle)}
    assert {n: (row["status"], row["reason"]) for n, row in reported.items()} == {
        n: (r.status.value, r.reason) for n, r in by_index.items()}
    expected_failures = {people.index(p) + 1 for p in people if p["user_id"] in refused}
    expected_failures |= {size + 1, size + 2}
    failed = {n for n, r in by_index.items() if r.status is Status.FAILED}
    assert expected_failures <= failed, by_index
    for number in failed - expected_failures:
        assert "gave up after" in by_index[number].reason, by_index[number]

    # Again, as a data team would the next morning: what is left gets done, nothing twice.
    sandbox.set_faults(error_rate=0.0, lose_save_response=0, expire_on_save=0,
                       expire_after_requests=None)
    second = run(job, sandbox_server, runs, workers=2)
    stored = outcomes_per_application(sandbox)
    for person in people:
        expected = 0 if person["user_id"] in refused else 1
        assert stored[person["application"]] == expected, person
    statuses = Counter(r.status for r in second.results)
    assert statuses[Status.FAILED] == 4, second.results


@pytest.mark.skipif(os.name == "nt", reason=(
    "Windows cannot send Ctrl-C to one child's console group from a test: "
    "GenerateConsoleCtrlEvent delivers CTRL_C to every process on the console (pytest "
    "included), and a new process group ignores it. The Windows path of the handler "
    "(caljobs_bot.cli.running._console_ignores_ctrl_c) is exercised by the demo on simulated "
    "Windows."))
def test_ctrl_c_finishes_the_current_record_then_reports_and_says_how_to_resume(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    people = sandbox.add_participants(8)
    sandbox.set_faults(latency_ms=150)
    job = write_job(tmp_path, people)
    runs = tmp_path / "runs"
    running = subprocess.Popen(
        [sys.executable, "-m", "caljobs_bot.cli", "run", str(job), "--base-url",
         sandbox_server.sign_in_url, "--runs-dir", str(runs), "--trace", "off"],
        env={**os.environ, "CALJOBS_USERNAME": SANDBOX_USERNAME,
             "CALJOBS_PASSWORD": SANDBOX_PASSWORD},
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 240
    while sum(line["status"] == "saving" for line in ledger_lines(runs)) < 2:
        assert running.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)  # test-side polling of a file another process writes
    # A terminal sends Ctrl-C to the whole process group: the bot, its driver, its browser.
    if sys.platform != "win32":  # always (skipped on Windows, above): for mypy's Windows leg
        os.killpg(running.pid, signal.SIGINT)
    out, err = running.communicate(timeout=240)
    assert running.returncode == 1, out + err
    assert "Stopping after the current record" in err
    assert "Run the same command again" in out
    assert "Connection closed" not in err, "the driver died of the Ctrl-C"
    report = report_rows(runs)
    statuses = Counter(row["status"] for row in report.values())
    # The record under way when Ctrl-C came was finished (saved), not cut short.
    assert statuses["saved"] >= 2 and statuses["failed"] == 0, report
    assert statuses["not run"] == len(people) - statuses["saved"]
    stored = outcomes_per_application(sandbox)
    assert sum(stored[p["application"]] for p in people) == statuses["saved"]
