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


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
               add_help_option=False)
@click.argument("sandbox_args", nargs=-1, type=click.UNPROCESSED)
def sandbox(sandbox_args: tuple[str, ...]) -> None:
    """Serve the mock CalJOBS site for practice and testing, until Ctrl-C.

    Options (see 'caljobs-bot sandbox --help'): --port (8765), --ui 2021|2016, --captions,
    --popup window|dialog|ajax, --markup, --region-change postback|script|all-offices,
    --case-manager-shown block|line, --markup-seed N, --rename KEY=WORDS and --rename-seed N
    (the site in other words), and the fault knobs (--latency-ms, --error-rate,
    --expire-after-requests, --expire-on-save, --popup-delay-ms, --lose-save-response,
    --save-error-for, --maintenance, --session-warning-after-ms, --session-warning-every).
    """
    from caljobs_bot.fixtures.sandbox.__main__ import main as serve

    try:
        serve(list(sandbox_args), prog="caljobs-bot sandbox")
    except KeyboardInterrupt:
        say("Stopped.")


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
