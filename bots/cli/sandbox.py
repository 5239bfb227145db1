"""The mock site: `sandbox` serves it to click through by hand, `demo` runs the example job
on it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from caljobs_bot.cli.common import EXAMPLE_JOB, CheckedPath, load_job_or_stop, say
from caljobs_bot.cli.options import (
    BrowserFlags,
    browser_options,
    browser_path_option,
    sandbox_options,
)
from caljobs_bot.cli.running import run_and_report
from caljobs_bot.fixtures.sandbox import SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.__main__ import sandbox_command

# The mock site's own command (its options come from the sandbox's tables), so that
# `python -m caljobs_bot.fixtures.sandbox` and `caljobs-bot sandbox` are the same command.
sandbox = sandbox_command


@click.command()
@click.option("--job", type=CheckedPath(exists=True, dir_okay=False, path_type=Path),
              default=EXAMPLE_JOB, show_default=True, help="The job to run on the sandbox.")
@sandbox_options
@browser_options
@browser_path_option
def demo(job: Path, ui: str, captions: str, popup: str, browser: BrowserFlags,
         browser_path: str | None) -> None:
    """Start the mock site in-process and run the example job against it."""
    from caljobs_bot.fixtures.sandbox.client import SandboxClient
    from caljobs_bot.fixtures.sandbox.server import Sandbox
    from caljobs_bot.running.run import RunOptions
    from caljobs_bot.settings.browser_session import SessionOptions
    from caljobs_bot.settings.credentials import Credentials

    loaded = load_job_or_stop(job)
    with Sandbox(port=0, ui=ui, captions=captions, popup=popup) as server:
        say(f"Mock CalJOBS ({ui} screens) running at {server.sign_in_url}")
        options = RunOptions(
            sign_in_url=server.sign_in_url,
            credentials=Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD),
            session=SessionOptions(headless=not browser.headed, slow_mo_ms=browser.slow_mo,
                                   browser_path=browser_path, trace="on-failure"),
            runs_dir=Path(tempfile.mkdtemp(prefix="caljobs-demo-")),
        )
        code = run_and_report(loaded, options, loaded.records)
        stored = SandboxClient(server.root_url).outcomes()
        say(f"The mock site now holds {len(stored)} outcomes "
                   "(its seed data had some already; it resets when the demo ends).")
    raise SystemExit(code)
