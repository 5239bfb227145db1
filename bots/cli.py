"""The `caljobs-bot` command line: parse, call, print. The work happens elsewhere.

Heavy imports (Playwright, Flask) happen inside the commands that need them, so `--help` and
`validate` start fast and work without a browser.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from bots.jobfile import Job, Record
    from bots.outcome_bot import Credentials
    from bots.results import RecordResult

EXAMPLE_JOB = Path(__file__).resolve().parent.parent / "jobs" / "example-hard-exits.yaml"
SANDBOX_USERNAME, SANDBOX_PASSWORD = "sandbox", "practice"

# Exit codes a scheduler can act on.
EXIT_OK, EXIT_RECORDS_FAILED, EXIT_UNUSABLE = 0, 1, 2


def _load(path: Path) -> Job:
    """Load a job file, or print every problem in it and stop with EXIT_UNUSABLE."""
    from bots.jobfile import JobFileError, load_job

    try:
        return load_job(path)
    except JobFileError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        count = len(error.problems)
        plural = "s" if count != 1 else ""
        click.echo(f"{path}: {count} problem{plural}; nothing was run.", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None


def _credentials() -> Credentials:
    """Staff credentials from CALJOBS_USERNAME / CALJOBS_PASSWORD, else a hidden prompt."""
    from bots.outcome_bot import Credentials

    username = os.environ.get("CALJOBS_USERNAME")
    password = os.environ.get("CALJOBS_PASSWORD")
    if not (username and password) and not sys.stdin.isatty():
        raise click.UsageError(
            "Set CALJOBS_USERNAME and CALJOBS_PASSWORD (no terminal to ask for them)."
        )
    username = username or click.prompt("CalJOBS username")
    password = password or click.prompt("CalJOBS password", hide_input=True)
    return Credentials(username, password)


def _print_result(record: Record, result: RecordResult) -> None:
    """One line per record as it finishes, so a long run shows progress."""
    from rich.console import Console

    style = {"saved": "green", "skipped": "yellow", "failed": "bold red"}.get(
        result.status.value, "cyan"
    )
    Console(highlight=False).print(
        f"{record.label()}: [{style}]{result.status.value}[/] - {result.reason}"
    )


def _print_summary(results: list[RecordResult]) -> int:
    """The per-record table and counts; returns the exit code for the run."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Run summary")
    for column in ("#", "line", "status", "reason"):
        table.add_column(column, overflow="fold")
    for result in results:
        table.add_row(str(result.index), str(result.line or ""), result.status.value,
                      result.reason)
    console = Console(highlight=False)
    console.print(table)
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status.value] = counts.get(result.status.value, 0) + 1
    console.print(", ".join(f"{n} {status}" for status, n in counts.items()) or "no records")
    return EXIT_OK if all(r.ok for r in results) else EXIT_RECORDS_FAILED


def _run(job: Job, sign_in_url: str, credentials: Credentials, *, headed: bool,
         slow_mo: float, browser_path: str | None, dry_run: bool) -> int:
    from bots.browser import BrowserNotFound
    from bots.run import RunOptions, run_job
    from pages.login import SignInFailed

    options = RunOptions(
        sign_in_url=sign_in_url, credentials=credentials, headless=not headed,
        slow_mo_ms=slow_mo, browser_path=browser_path, dry_run=dry_run,
    )
    try:
        results = run_job(job, options, on_result=_print_result)
    except BrowserNotFound as problem:
        click.echo(str(problem), err=True)
        return EXIT_UNUSABLE
    except SignInFailed as problem:
        click.echo(f"Sign-in failed: {problem} Nothing was entered.", err=True)
        return EXIT_UNUSABLE
    return _print_summary(results)


browser_options = [
    click.option("--headed", is_flag=True, help="Show the browser window."),
    click.option("--slow-mo", type=float, default=0, metavar="MS",
                 help="Pause MS milliseconds after each browser action."),
    click.option("--browser-path", type=click.Path(dir_okay=False), default=None,
                 help="A Chrome, Edge or Chromium executable to use instead of the one found."),
]


def with_browser_options(command):  # type: ignore[no-untyped-def]
    """Add the browser options shared by every command that opens a browser."""
    for option in reversed(browser_options):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="caljobs-bot")
def main() -> None:
    """Create CalJOBS Exit/Outcome records from YAML job files, the way the help sheets say."""


@main.command()
@click.argument("job", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--base-url", required=True,
              help="The address where staff sign in (the page with the sign-in form).")
@click.option("--dry-run", is_flag=True,
              help="Fill every form, then cancel instead of saving; adds no contact, note "
                   "or case-manager change.")
@with_browser_options
def run(job: Path, base_url: str, dry_run: bool, headed: bool, slow_mo: float,
        browser_path: str | None) -> None:
    """Create the outcomes in JOB on the site at --base-url.

    Credentials come from CALJOBS_USERNAME and CALJOBS_PASSWORD, or a prompt; never from the
    job file. Exits 1 if any record failed, 2 if nothing could be run.
    """
    loaded = _load(job)
    raise SystemExit(_run(loaded, base_url, _credentials(), headed=headed, slow_mo=slow_mo,
                          browser_path=browser_path, dry_run=dry_run))


@main.command()
@click.argument("job", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate(job: Path) -> None:
    """Check JOB without opening a browser: every problem, with its line and field."""
    loaded = _load(job)
    count = len(loaded.records)
    click.echo(f"{job}: {count} record{'s' if count != 1 else ''}, no problems found.")


def _sandbox_options(command):  # type: ignore[no-untyped-def]
    """The mock site's variants, shared by `sandbox` and `demo`."""
    command = click.option("--popup", type=click.Choice(["window", "dialog"]), default="window",
                           help="Contacts pop-up as a separate window or an in-page dialog.")(
        command)
    command = click.option("--captions", type=click.Choice(["label", "cell"]), default="label",
                           help="Field captions as <label>s or as plain table cells.")(command)
    return click.option("--ui", type=click.Choice(["2021", "2016"]), default="2021",
                        help="Screens as in the 2021 or the 2016 help sheet.")(command)


@main.command()
@click.option("--port", type=int, default=8765, show_default=True)
@_sandbox_options
def sandbox(port: int, ui: str, captions: str, popup: str) -> None:
    """Serve the mock CalJOBS site for practice and testing, until Ctrl-C."""
    from fixtures.sandbox.server import Sandbox

    server = Sandbox(port=port, ui=ui, captions=captions, popup=popup)
    click.echo(f"Mock CalJOBS ({ui} screens) at {server.sign_in_url}")
    click.echo(f"Sign in as '{SANDBOX_USERNAME}' with password '{SANDBOX_PASSWORD}'. "
               "Ctrl-C stops it.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")


@main.command()
@click.option("--job", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=EXAMPLE_JOB, show_default=True, help="The job to run on the sandbox.")
@_sandbox_options
@with_browser_options
def demo(job: Path, ui: str, captions: str, popup: str, headed: bool, slow_mo: float,
         browser_path: str | None) -> None:
    """Start the mock site in-process and run the example job against it."""
    from bots.outcome_bot import Credentials
    from fixtures.sandbox.client import SandboxClient
    from fixtures.sandbox.server import Sandbox

    loaded = _load(job)
    with Sandbox(port=0, ui=ui, captions=captions, popup=popup) as server:
        click.echo(f"Mock CalJOBS ({ui} screens) running at {server.sign_in_url}")
        code = _run(loaded, server.sign_in_url, Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD),
                    headed=headed, slow_mo=slow_mo, browser_path=browser_path, dry_run=False)
        stored = SandboxClient(server.root_url).outcomes()
        click.echo(f"The mock site now holds {len(stored)} outcomes "
                   "(its seed data had some already; it resets when the demo ends).")
    raise SystemExit(code)


if __name__ == "__main__":
    main()
