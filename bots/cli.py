"""The `caljobs-bot` command line: parse, call, print. The work happens elsewhere.

Heavy imports (Playwright, Flask) happen inside the commands that need them, so `--help` and
`validate` start fast and work without a browser.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from bots.jobfile import Job, Record
    from bots.outcome_bot import Credentials
    from bots.results import RecordResult
    from bots.run import RunOptions, RunOutcome
    from bots.steps import Step

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


def _result_line(record: Record, result: RecordResult) -> str:
    """One line per record as it finishes (rich markup), so a long run shows progress."""
    style = {"saved": "green", "skipped": "yellow", "failed": "bold red"}.get(
        result.status.value, "cyan"
    )
    return f"{record.label()}: [{style}]{result.status.value}[/] - {result.reason}"


def _print_summary(outcome: RunOutcome) -> int:
    """The per-record table, counts and where the report is; returns the run's exit code."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Run summary")
    for column in ("#", "line", "status", "reason"):
        table.add_column(column, overflow="fold")
    for result in outcome.results:
        table.add_row(str(result.index), str(result.line or ""), result.status.value,
                      result.reason)
    console = Console(highlight=False)
    console.print(table)
    counts: dict[str, int] = {}
    for result in outcome.results:
        counts[result.status.value] = counts.get(result.status.value, 0) + 1
    console.print(", ".join(f"{n} {status}" for status, n in counts.items()) or "no records")
    for note in outcome.notes:
        console.print(note)
    console.print(f"Report: {outcome.report_html} (and report.csv); ledger: {outcome.ledger}")
    return EXIT_OK if all(r.ok for r in outcome.results) else EXIT_RECORDS_FAILED


@contextmanager
def _stop_on_ctrl_c(stop: threading.Event) -> Iterator[None]:
    """First Ctrl-C: finish the current record, then stop and report. Second: stop now."""

    def request_stop(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        click.echo("\nStopping after the current record (Ctrl-C again to stop at once)...",
                   err=True)

    previous = signal.signal(signal.SIGINT, request_stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _run(job: Job, options: RunOptions, records: list[Record]) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from bots.browser import BrowserNotFound
    from bots.run import run_job
    from pages.login import SignInFailed

    stop = threading.Event()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with _stop_on_ctrl_c(stop), Progress(*columns, console=Console(highlight=False),
                                         transient=True) as progress:
        task = progress.add_task("signing in", total=len(records))

        def on_result(record: Record, result: RecordResult) -> None:
            progress.console.print(_result_line(record, result))
            progress.advance(task)

        def observer(current: Step, record: Record) -> None:
            progress.update(task, description=f"{record.label()}: {current.title}")

        try:
            outcome = run_job(job, options, on_result=on_result, observer=observer,
                              records=records, stop=stop)
        except BrowserNotFound as problem:
            click.echo(str(problem), err=True)
            return EXIT_UNUSABLE
        except SignInFailed as problem:
            click.echo(f"Sign-in failed: {problem} Nothing was entered.", err=True)
            return EXIT_UNUSABLE
    return _print_summary(outcome)


def _select(job: Job, only: str | None, limit: int | None) -> list[Record]:
    """The records --only and --limit choose, in job order."""
    chosen = job.records
    if only:
        wanted: set[int] = set()
        for part in only.split(","):
            first, _, last = part.strip().partition("-")
            try:
                wanted.update(range(int(first), int(last or first) + 1))
            except ValueError:
                raise click.BadParameter(f"{part!r} is not a record number or range like 3-7",
                                         param_hint="--only") from None
        unknown = sorted(wanted - {r.index for r in chosen})
        if unknown:
            raise click.BadParameter(f"the job has no record {unknown[0]} "
                                     f"(it has {len(chosen)})", param_hint="--only")
        chosen = [r for r in chosen if r.index in wanted]
    return chosen[:limit] if limit is not None else chosen


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
@click.option("--resume/--no-resume", default=True, show_default=True,
              help="Skip records an earlier run of this job saved (the ledger says which). "
                   "Nothing is ever saved twice either way: the site is checked first.")
@click.option("--only", metavar="N,M-K", help="Run only these record numbers.")
@click.option("--limit", type=click.IntRange(min=1), help="Run at most N records.")
@click.option("--workers", type=click.IntRange(1, 8), default=1, show_default=True,
              help="Browsers working in parallel, each signed in on its own.")
@click.option("--rate-limit", type=click.FloatRange(min=1), default=None, metavar="N",
              help="At most N page loads a minute, across all workers.")
@click.option("--trace", type=click.Choice(["always", "on-failure", "off"]),
              default="on-failure", show_default=True,
              help="Keep a Playwright trace per record (open with 'playwright show-trace').")
@click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Tries again after a time-out, server error or expired session.")
@click.option("--timeout", type=click.FloatRange(min=1), default=15, show_default=True,
              help="Seconds to wait for the site at each step.")
@click.option("--runs-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("runs"), show_default=True,
              help="Where ledgers, reports and evidence are kept (private to you).")
@with_browser_options
def run(job: Path, base_url: str, dry_run: bool, resume: bool, only: str | None,
        limit: int | None, workers: int, rate_limit: float | None, trace: str, retries: int,
        timeout: float, runs_dir: Path, headed: bool, slow_mo: float,
        browser_path: str | None) -> None:
    """Create the outcomes in JOB on the site at --base-url.

    Credentials come from CALJOBS_USERNAME and CALJOBS_PASSWORD, or a prompt; never from the
    job file. Running the same job again finishes what an earlier run did not. Exits 1 if any
    record failed or was not run, 2 if nothing could be run.
    """
    from bots.run import RunOptions

    loaded = _load(job)
    records = _select(loaded, only, limit)
    options = RunOptions(
        sign_in_url=base_url, credentials=_credentials(), headless=not headed,
        slow_mo_ms=slow_mo, browser_path=browser_path, dry_run=dry_run,
        timeout_ms=timeout * 1000, runs_dir=runs_dir if resume else _fresh(runs_dir),
        trace=trace, retries=retries, workers=workers, page_loads_per_minute=rate_limit,
    )
    raise SystemExit(_run(loaded, options, records))


def _fresh(runs_dir: Path) -> Path:
    """A runs folder of its own, for --no-resume: earlier ledgers are left alone."""
    from datetime import datetime

    return runs_dir / f"no-resume-{datetime.now():%Y%m%d-%H%M%S}"


@main.command()
@click.argument("job", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate(job: Path) -> None:
    """Check JOB without opening a browser: every problem, with its line and field."""
    loaded = _load(job)
    count = len(loaded.records)
    click.echo(f"{job}: {count} record{'s' if count != 1 else ''}, no problems found.")


@main.command("import")
@click.argument("sheet_file", metavar="SHEET", required=False,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The job file to write (YAML).")
@click.option("--sheet", "sheet_name", help="The worksheet to read (default: the first).")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a blank template (.csv or .xlsx) with the column names, and stop.")
def import_command(sheet_file: Path | None, output: Path | None, sheet_name: str | None,
                   template: Path | None) -> None:
    """Turn a spreadsheet (.xlsx or .csv, one row per record) into a job file.

    Nothing is written unless every row is valid; problems name the row and column.
    """
    from bots.spreadsheet import SheetError, import_sheet, write_template

    if template is not None:
        write_template(template)
        click.echo(f"Wrote the template {template}; fill one row per record.")
        return
    if sheet_file is None or output is None:
        raise click.UsageError("Give a spreadsheet and -o JOB.yaml (or --template PATH).")
    try:
        count = import_sheet(sheet_file, output, sheet=sheet_name)
    except SheetError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{sheet_file}: nothing was written.", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    click.echo(f"Wrote {output} with {count} record{'s' if count != 1 else ''}. "
               f"Next: caljobs-bot run {output} --base-url ... --dry-run")


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
    from bots.run import RunOptions
    from fixtures.sandbox.client import SandboxClient
    from fixtures.sandbox.server import Sandbox

    loaded = _load(job)
    with Sandbox(port=0, ui=ui, captions=captions, popup=popup) as server:
        click.echo(f"Mock CalJOBS ({ui} screens) running at {server.sign_in_url}")
        options = RunOptions(
            sign_in_url=server.sign_in_url,
            credentials=Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD),
            headless=not headed, slow_mo_ms=slow_mo, browser_path=browser_path,
            runs_dir=Path(tempfile.mkdtemp(prefix="caljobs-demo-")),
        )
        code = _run(loaded, options, loaded.records)
        stored = SandboxClient(server.root_url).outcomes()
        click.echo(f"The mock site now holds {len(stored)} outcomes "
                   "(its seed data had some already; it resets when the demo ends).")
    raise SystemExit(code)


if __name__ == "__main__":
    main()
