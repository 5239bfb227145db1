"""Exactly once for every side effect, judged from the sandbox's stored state, on a careless
site (`accept_duplicates`: it stores every outcome it receives and keeps offering Create), so
only the bot's own checks keep these green; the site's count of Save presses per application
shows a Save pressed again even where nothing more was stored. And a site that goes away is an
outage, not a traceback."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bulk_jobs import DEFAULTS, options, outcomes_per_application, run

from caljobs_bot.cli import SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Job
from caljobs_bot.running.run import RunOptions, job_folder, run_job
from caljobs_bot.settings.browser_session import SessionOptions
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.results import RecordResult, Status

pytestmark = pytest.mark.browser

SUBJECT = "Global exclusion - Deceased"


def write_job(folder: Path, people: list[dict], *, note: bool = True) -> Job:
    """One record per generated participant, each with a case note when `note`."""
    records = []
    for person in people:
        record: dict = {"participant": {"state_id": person["state_id"], "name": person["name"]}}
        if note:
            record["case_note"] = {"subject": SUBJECT, "comments": "Death certificate seen."}
        records.append(record)
    path = folder / "job.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "defaults": DEFAULTS, "records": records},
                                   allow_unicode=True), encoding="utf-8")
    return load_job(path)


def notes_with_subject(sandbox: SandboxClient, user_id: str) -> int:
    return sum(n["subject"] == SUBJECT for n in sandbox.participant(user_id)["case_notes"])


def test_expired_saves_retry_without_a_second_note_or_outcome(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    people = sandbox.add_participants(4)
    sandbox.set_faults(expire_on_save=2, accept_duplicates=True)
    outcome = run(write_job(tmp_path, people), sandbox_server, tmp_path / "runs")
    assert [r.status for r in outcome.results] == [Status.SAVED] * 4, outcome.results
    for person in people:
        assert notes_with_subject(sandbox, person["user_id"]) == 1, person
    assert set(outcomes_per_application(sandbox)[p["application"]] for p in people) == {1}
    # Every Save pressed either stored its outcome or met the expired session (then retried).
    attempts = sandbox.save_attempts()
    expired = sandbox.stats()["faults"]["injected"]["expire_on_save"]
    assert expired == 2 and sum(attempts.values()) == 4 + expired, attempts
    # The ledger records the note's intent and its end, as it does the Save.
    lines = [json.loads(line) for line in outcome.ledger.read_text().splitlines()]
    assert Counter(line["status"] for line in lines)["note-added"] == 4


def test_a_note_stored_before_a_failure_is_not_added_again_on_the_next_run(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    [person] = sandbox.add_participants(1)
    sandbox.set_faults(save_error_for=[person["user_id"]], accept_duplicates=True)
    job = write_job(tmp_path, [person])
    first = run(job, sandbox_server, tmp_path / "runs")
    assert first.results[0].status is Status.FAILED  # the note is stored, the outcome refused
    assert notes_with_subject(sandbox, person["user_id"]) == 1
    sandbox.set_faults(save_error_for=[])
    second = run(job, sandbox_server, tmp_path / "runs")
    assert second.results[0].status is Status.SAVED, second.results
    assert notes_with_subject(sandbox, person["user_id"]) == 1
    assert outcomes_per_application(sandbox)[person["application"]] == 1
    assert sandbox.save_attempts() == {person["application"]: 2}  # refused once, then saved


def test_a_careless_site_still_gets_one_outcome_per_application(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    people = sandbox.add_participants(2)
    sandbox.set_faults(accept_duplicates=True, lose_save_response=1)
    job = write_job(tmp_path, people, note=False)
    run(job, sandbox_server, tmp_path / "runs")
    again = run(job, sandbox_server, tmp_path / "runs")
    fresh_ledger = run(job, sandbox_server, tmp_path / "other-runs")
    stored = outcomes_per_application(sandbox)
    assert [stored[p["application"]] for p in people] == [1, 1], stored
    assert {r.status for r in again.results} == {Status.SKIPPED}
    assert {r.status for r in fresh_ledger.results} == {Status.SKIPPED}
    # The lost answer was settled by reading the case, and the re-runs pressed no Save at all.
    assert sandbox.save_attempts() == {p["application"]: 1 for p in people}


def test_a_ledger_ending_in_saving_is_confirmed_on_the_case_not_saved_again(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    [person] = sandbox.add_participants(1)
    sandbox.set_faults(accept_duplicates=True)
    job = write_job(tmp_path, [person], note=False)
    runs = tmp_path / "runs"
    run(job, sandbox_server, runs)
    ledger = job_folder(job, runs) / "ledger.jsonl"
    # As if the run had died between pressing Save and hearing the answer.
    kept = [line for line in ledger.read_text().splitlines()
            if json.loads(line)["status"] != "saved"]
    assert json.loads(kept[-1])["status"] == "saving"
    ledger.write_text("\n".join(kept) + "\n")
    again = run(job, sandbox_server, runs)
    [result] = again.results
    assert result.status is Status.SAVED
    assert "confirmed on the case, not saved again" in result.reason
    assert outcomes_per_application(sandbox)[person["application"]] == 1
    assert sandbox.save_attempts() == {person["application"]: 1}


def test_a_site_that_goes_away_mid_run_stops_the_run_within_30_seconds(
    sandbox: SandboxClient, tmp_path: Path
) -> None:
    server = Sandbox(port=0, markup="plain").start()
    client = SandboxClient(server.root_url)
    people = client.add_participants(4)
    job = write_job(tmp_path, people, note=False)
    stopped_at: list[float] = []

    def stop_site_after_the_first(record: object, result: RecordResult) -> None:
        if not stopped_at:
            stopped_at.append(time.monotonic())
            threading.Thread(target=server.stop).start()

    options = RunOptions(sign_in_url=server.sign_in_url,
                         credentials=Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD),
                         runs_dir=tmp_path / "runs", backoff_seconds=1,
                         session=SessionOptions(trace="off", timeout_ms=10_000))
    outcome = run_job(job, options, on_result=stop_site_after_the_first)
    assert time.monotonic() - stopped_at[0] < 30
    statuses = [r.status for r in outcome.results]
    assert statuses[0] is Status.SAVED
    assert Status.FAILED not in statuses, outcome.results
    assert set(statuses[1:]) <= {Status.NOT_RUN, Status.NOT_KNOWN}
    assert any("could not be reached" in note for note in outcome.notes), outcome.notes


def test_leftover_unscrubbed_evidence_is_deleted_when_the_job_runs_again(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    [person] = sandbox.add_participants(1)
    job = write_job(tmp_path, [person], note=False)
    runs = tmp_path / "runs"
    leftover = job_folder(job, runs) / "20260101-000000-000000" / "evidence" / "trace.zip.part"
    leftover.parent.mkdir(parents=True)
    leftover.write_text("session=SECRET-COOKIE")
    # A kill during the scrub also leaves the scrubbed copy it was writing.
    scrubbing = leftover.with_suffix(".scrubbing")
    scrubbing.write_text("half a zip")
    run(job, sandbox_server, runs, trace="always")
    assert not leftover.exists() and not scrubbing.exists()
    traces = list(job_folder(job, runs).rglob("trace.zip"))
    assert traces and not list(job_folder(job, runs).rglob("*.part"))


def test_maintenance_that_starts_mid_run_stops_it_without_a_failed_record(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    people = sandbox.add_participants(3)
    job = write_job(tmp_path, people, note=False)
    switched: list[bool] = []

    def maintenance_after_the_first(record: object, result: RecordResult) -> None:
        if not switched:
            switched.append(True)
            sandbox.set_faults(maintenance=True)

    outcome = run_job(job, options(sandbox_server, tmp_path / "runs"),
                      on_result=maintenance_after_the_first)
    statuses = [r.status for r in outcome.results]
    assert statuses[0] is Status.SAVED
    assert set(statuses[1:]) <= {Status.NOT_RUN, Status.NOT_KNOWN}, outcome.results
    assert any("maintenance or outage page" in note for note in outcome.notes), outcome.notes
    sandbox.set_faults(maintenance=False)
    assert outcomes_per_application(sandbox)[people[0]["application"]] == 1
