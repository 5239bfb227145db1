"""Running generated jobs against the sandbox through the runner (what `caljobs-bot run`
calls): the fault and exactly-once tests share these."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from caljobs_bot.cli import SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.models import Job
from caljobs_bot.running.run import RunOptions, RunOutcome, run_job
from caljobs_bot.settings.credentials import Credentials

# What every generated record shares (the generated participants' region and office).
DEFAULTS = {
    "lwia_region": "Los Angeles County WDACS",
    "office_location": "2703 - LAO Community and Senior Services",
    "staff_position": "Staff",
    "exit_date": "2021-06-24",
    "exit_reason": "Deceased",
}


def options(server: Sandbox, runs: Path, **overrides: object) -> RunOptions:
    """The runner's options for the sandbox: no traces, short pauses, 10 s a step."""
    settings: dict[str, object] = {"trace": "off", "backoff_seconds": 0.2, "timeout_ms": 10_000}
    settings.update(overrides)
    return RunOptions(sign_in_url=server.sign_in_url,
                      credentials=Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD),
                      runs_dir=runs, **settings)  # type: ignore[arg-type]


def run(job: Job, server: Sandbox, runs: Path, **overrides: object) -> RunOutcome:
    """Run the whole job as `caljobs-bot run` does."""
    return run_job(job, options(server, runs, **overrides))


def outcomes_per_application(sandbox: SandboxClient) -> Counter[str]:
    """How many outcomes the site stores for each application number."""
    return Counter(o["application_number"] for o in sandbox.outcomes())
