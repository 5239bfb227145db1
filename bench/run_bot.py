"""The bot's side of the benchmark: `run_job` in a process of its own, timed per record.

The same call `caljobs-bot run` makes (running.run.run_job with the CLI's defaults, headless,
traces off), minus the progress bar. It runs in its own process so the harness can measure its
memory apart from the sandbox's and the harness's. Per-record seconds are taken here, from
the moment the bot announces a record's first step to the moment its result is reported: the
ledger's timestamps only have whole seconds.

Run: `python -m bench.run_bot JOB.yaml --base-url URL --runs-dir DIR [--workers W]`.
Prints one JSON object: per-record seconds, mean seconds per step (from one announcement to
the next), wall seconds, and how each record ended.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench import calls
from caljobs_bot.cli import SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.running.run import RunOptions, run_job
from caljobs_bot.settings.browser_session import SessionOptions
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.definitions import Step
from caljobs_bot.steps.results import RecordResult


def run(job_path: Path, sign_in_url: str, runs_dir: Path, workers: int,
        browser_path: str | None, timeout_ms: float) -> dict[str, Any]:
    """Run the job with the bot and time each record."""
    started = time.perf_counter()
    job = load_job(job_path)
    began: dict[int, float] = {}
    current: dict[int, tuple[str, float]] = {}  # record index -> (step key, when it began)
    step_seconds: defaultdict[str, float] = defaultdict(float)  # step key -> seconds in it
    seconds: list[float] = []
    statuses: Counter[str] = Counter()
    failures: list[str] = []
    lock = threading.Lock()

    def close_step(index: int, now: float) -> None:
        if index in current:
            key, since = current.pop(index)
            step_seconds[key] += now - since

    def observer(step: Step, record: Record) -> None:
        now = time.perf_counter()
        with lock:
            began.setdefault(record.index, now)
            close_step(record.index, now)
            current[record.index] = (step.key, now)
        calls.set_step(step.key)

    def on_result(record: Record, result: RecordResult) -> None:
        ended = time.perf_counter()
        with lock:
            close_step(record.index, ended)
            calls.set_step("between")
            statuses[result.status.value] += 1
            if record.index in began:
                seconds.append(ended - began[record.index])
            if not result.ok:
                failures.append(f"record {record.index}: {result.reason}")

    calls.install()
    options = RunOptions(
        sign_in_url=sign_in_url,
        credentials=Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD),
        session=SessionOptions(headless=True, browser_path=browser_path, timeout_ms=timeout_ms,
                               trace="off"),
        runs_dir=runs_dir, workers=workers,
    )
    outcome = run_job(job, options, on_result=on_result, observer=observer)
    # A record skipped because its participant has already exited is done: the realistic
    # job has some on purpose (the harness checks from the site that nothing changed).
    done = statuses.get("saved", 0) + statuses.get("skipped", 0)
    return {"side": "bot", "records": len(job.records), "done": done,
            "per_record_s": seconds, "wall_s": time.perf_counter() - started,
            "statuses": dict(statuses), "failures": failures,
            "step_s": {key: total / max(1, len(job.records)) for key, total in
                       step_seconds.items()},
            "ledger": str(outcome.ledger), "calls": calls.snapshot()}


def main(argv: list[str] | None = None) -> int:
    """Parse the flags, run, print the JSON figures; exit 1 if any record was not saved."""
    parser = argparse.ArgumentParser(prog="python -m bench.run_bot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("job", type=Path)
    parser.add_argument("--base-url", required=True, help="the sign-in page's address")
    parser.add_argument("--runs-dir", type=Path, required=True)
    parser.add_argument("--browser-path", default=None)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=15, help="seconds per step")
    args = parser.parse_args(argv)
    figures = run(args.job, args.base_url, args.runs_dir, args.workers, args.browser_path,
                  args.timeout * 1000)
    print(json.dumps(figures))
    return 1 if figures["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
