"""One run of a job at a time (issue 20, item 1): two `caljobs-bot run` processes started
together on one job and runs folder, judged from the sandbox's own counters: exactly one signs
in and works, the other exits 2 naming the holder without touching the site. And a lock left by
a run killed outright (SIGKILL, taskkill: the OS releases it) does not block the next run."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
import yaml
from bulk_jobs import (
    CANNOT_KILL,
    DEFAULTS,
    bot_env,
    kill_process_tree,
    ledger_lines,
    outcomes_per_application,
    run_command,
    start_killable,
)

from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.running.job_lock import HOLDER_NAME

pytestmark = pytest.mark.browser

SUBJECT = "Global exclusion - Deceased"


def write_job(folder: Path, people: list[dict]) -> Path:
    """A record per participant, each with a case note (stored at once: what two runs at
    once used to double)."""
    records = [{"participant": {"state_id": p["state_id"], "name": p["name"]},
                "case_note": {"subject": SUBJECT, "comments": "Death certificate seen."}}
               for p in people]
    path = folder / "job.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "defaults": DEFAULTS, "records": records},
                                   allow_unicode=True), encoding="utf-8")
    return path


def test_two_runs_of_one_job_at_once_only_one_reaches_the_site(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    people = sandbox.add_participants(3)
    sandbox.set_faults(accept_duplicates=True, latency_ms=150)  # long enough to overlap
    job = write_job(tmp_path, people)
    command = run_command(job, sandbox_server, tmp_path / "runs", "--trace", "off")
    runs = [subprocess.Popen(command, env=bot_env(), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    ended = [run.communicate(timeout=600) for run in runs]
    codes = sorted(run.returncode for run in runs)
    assert codes == [0, 2], ended
    refused = next(err for run, (_, err) in zip(runs, ended, strict=True) if run.returncode == 2)
    assert "Another run of this job is using" in refused, refused
    winner = next(run for run in runs if run.returncode == 0)
    assert f"process {winner.pid} on " in refused, (winner.pid, refused)

    stats = sandbox.stats()
    assert stats["sign_ins"] == 1, "only one run reached the site"
    assert sandbox.save_attempts() == {p["application"]: 1 for p in people}
    assert set(outcomes_per_application(sandbox)[p["application"]] for p in people) == {1}
    state = sandbox.state()
    for person in people:
        notes = [n for n in state["case_notes"] if n["participant_user_id"] == person["user_id"]]
        assert len(notes) == 1, notes


@pytest.mark.skipif(CANNOT_KILL is not None, reason=CANNOT_KILL or "")
def test_a_lock_left_by_a_killed_run_does_not_block_the_next(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    people = sandbox.add_participants(4)
    sandbox.set_faults(latency_ms=100)
    job = write_job(tmp_path, people)
    runs = tmp_path / "runs"
    command = run_command(job, sandbox_server, runs, "--trace", "off")
    first = start_killable(command, bot_env())
    deadline = time.monotonic() + 240
    while not any(line["status"] == "saved" for line in ledger_lines(runs)):
        assert first.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline, "nothing saved in 240 s"
        time.sleep(0.05)  # test-side polling of a file another process writes
    kill_process_tree(first)
    [folder] = [p.parent for p in runs.glob("*/ledger.jsonl")]
    assert (folder / HOLDER_NAME).exists(), "the killed run never let go of its lock"

    again = subprocess.run(command, env=bot_env(), stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"process {first.pid} on " in again.stderr and "ended without finishing" in again.stderr
    assert set(outcomes_per_application(sandbox)[p["application"]] for p in people) == {1}
    assert sum(sandbox.save_attempts().values()) == len(people)
    assert not (folder / HOLDER_NAME).exists(), "a run that ends lets go of its lock"
