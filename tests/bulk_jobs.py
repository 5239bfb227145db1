"""Running generated jobs against the sandbox through the runner (what `caljobs-bot run`
calls) or as a `caljobs-bot run` process that a test may kill: the fault, exactly-once and
kill tests share these."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

from caljobs_bot.cli import SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.models import Job
from caljobs_bot.running.run import RunOptions, RunOutcome, run_job
from caljobs_bot.settings.browser_session import SessionOptions
from caljobs_bot.settings.credentials import Credentials

# What every generated record shares (the generated participants' region and office).
DEFAULTS = {
    "lwia_region": "Los Angeles County WDACS",
    "office_location": "2703 - LAO Community and Senior Services",
    "staff_position": "Staff",
    "exit_date": "2021-06-24",
    "exit_reason": "Deceased",
}
# Ledger lines written just before a Save that stores something at once: the record is "in
# flight" (its answer not yet heard) until a later line for the same record.
INTENTS = ("saving", "note-adding")
# Why a test that kills the bot cannot run here (None: it can).
# Options that say how the browser opens (the rest are the run's own).
SESSION_FIELDS = {option.name for option in fields(SessionOptions)}
CANNOT_KILL = (None if os.name == "nt" or hasattr(signal, "SIGKILL") else
               "this system has neither SIGKILL nor taskkill to end a process tree at once")


def options(server: Sandbox, runs: Path, **overrides: object) -> RunOptions:
    """The runner's options for the sandbox: no traces, short pauses, 10 s a step."""
    browser: dict[str, object] = {"trace": "off", "timeout_ms": 10_000}
    run: dict[str, object] = {"backoff_seconds": 0.2}
    for name, value in overrides.items():
        (browser if name in SESSION_FIELDS else run)[name] = value
    return RunOptions(sign_in_url=server.sign_in_url,
                      credentials=Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD),
                      session=SessionOptions(**browser),  # type: ignore[arg-type]  # test overrides
                      runs_dir=runs, **run)  # type: ignore[arg-type]  # test overrides


def run(job: Job, server: Sandbox, runs: Path, *,
        on_report: Callable[[Path], None] | None = None, **overrides: object) -> RunOutcome:
    """Run the whole job as `caljobs-bot run` does (`on_report`: told where report.html is
    written, also when the run then raises)."""
    return run_job(job, options(server, runs, **overrides), on_report=on_report)


def outcomes_per_application(sandbox: SandboxClient) -> Counter[str]:
    """How many outcomes the site stores for each application number."""
    return Counter(o["application_number"] for o in sandbox.outcomes())


# -- `caljobs-bot run` as a process ---------------------------------------------------------

def run_command(job: Path, server: Sandbox, runs: Path, *extra: str) -> list[str]:
    """The command line a user types to run `job` on the sandbox."""
    return [sys.executable, "-m", "caljobs_bot.cli", "run", str(job), "--base-url",
            server.sign_in_url, "--runs-dir", str(runs), *extra]


def bot_env(**variables: str) -> dict[str, str]:
    """This process's environment with the sandbox's staff account (and `variables`)."""
    return {**os.environ, "CALJOBS_USERNAME": SANDBOX_USERNAME,
            "CALJOBS_PASSWORD": SANDBOX_PASSWORD, **variables}


def start_killable(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start a command in a process group of its own, so that a kill takes its driver and
    browser down with it, as a power cut would."""
    group: dict[str, object] = {"start_new_session": True}
    if sys.platform == "win32":  # not os.name: mypy reads sys.platform (CI's Windows leg)
        group = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            **group)  # type: ignore[call-overload]


def kill_process_tree(process: subprocess.Popen[bytes]) -> None:
    """Kill a process and everything it started (driver, browser) at once, like a power cut:
    SIGKILL to its process group on POSIX; on Windows, which has no SIGKILL, `taskkill /T /F`.
    Tests skip on any other system (CANNOT_KILL)."""
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/T", "/F", "/PID", str(process.pid)],
                       capture_output=True, check=False)
    else:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def ledger_lines(runs: Path) -> list[dict]:
    """Every complete line of every ledger under `runs` (a line being written is left out)."""
    lines: list[dict] = []
    for ledger in runs.glob("*/ledger.jsonl"):
        for text in ledger.read_text(encoding="utf-8").splitlines():
            try:
                lines.append(json.loads(text))
            except ValueError:
                continue  # the other process is writing this line right now
    return lines


def in_flight(lines: list[dict]) -> set[int]:
    """Record numbers whose last ledger line is an intent: Save pressed, answer not heard."""
    last = {line["index"]: line["status"] for line in lines}
    return {index for index, status in last.items() if status in INTENTS}


def report_rows(runs: Path) -> dict[int, dict[str, str]]:
    """The rows of the newest run's report.csv, by record number."""
    newest = max(runs.glob("*/*/report.csv"), key=lambda p: p.parent.name)
    with newest.open(encoding="utf-8", newline="") as handle:
        return {int(row["record"]): row for row in csv.DictReader(handle)}
