"""Running a job: `run` (and `validate`, which accepts and refuses exactly what `run` would).

The summary, the exit code and Ctrl-C live here too: `demo` runs a job the same way.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from caljobs_bot.cli.common import (
    EXIT_OK,
    EXIT_RECORDS_FAILED,
    EXIT_UNUSABLE,
    CheckedPath,
    data_console,
    load_job_or_stop,
    say,
)
from caljobs_bot.cli.options import BrowserFlags, SiteOptions, settings_options
from caljobs_bot.cli.site import (
    base_url_or_stop,
    settings_or_stop,
    site_session,
    site_settings,
)
from caljobs_bot.settings.keys import FlagGroup
from caljobs_bot.settings.values import DEFAULT
from caljobs_bot.visible import visible

if TYPE_CHECKING:
    from rich.text import Text

    from caljobs_bot.jobfile.models import Job, Record
    from caljobs_bot.running.run import RunOptions, RunOutcome
    from caljobs_bot.settings.config import Settings
    from caljobs_bot.steps.definitions import Step
    from caljobs_bot.steps.results import RecordResult


@click.command()
@click.argument("job", type=CheckedPath(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True,
              help="Fill every form, then cancel instead of saving; adds no contact, note "
                   "or case-manager change.")
@click.option("--resume/--no-resume", default=True, show_default=True,
              help="Skip records an earlier run of this job saved (the ledger says which). "
                   "Nothing is ever saved twice either way: the site is checked first.")
@click.option("--only", metavar="N,M-K", help="Run only these record numbers.")
@click.option("--limit", type=click.IntRange(min=1), help="Run at most N records.")
@click.option("--mask-pii", is_flag=True,
              help="Blank the participant's data out of failure screenshots and page HTML "
                   "(traces stay full recordings: add --trace off to keep none).")
@click.option("--confirm-production", metavar="PROFILE",
              help="For unattended runs on a production profile: its name, instead of typing "
                   "it when asked.")
@settings_options(FlagGroup.SIGN_IN, FlagGroup.BROWSER, FlagGroup.RUN, FlagGroup.JOB_FILE)
def run(job: Path, dry_run: bool, resume: bool, only: str | None, limit: int | None,
        mask_pii: bool, confirm_production: str | None, site: SiteOptions,
        browser: BrowserFlags) -> None:
    """Create the outcomes in JOB on the CalJOBS site.

    The site is --base-url, or base_url of the chosen profile in caljobs-bot.toml. The
    password comes from CALJOBS_PASSWORD, the system keyring or a prompt (or a session saved
    by 'caljobs-bot login'); never from the job file. Running the same job again finishes what
    an earlier run did not. Exits 1 if any record failed or was not run, 2 if nothing could be
    run.
    """
    from caljobs_bot.running.run import RunOptions

    settings = site_settings(site)
    base_url = base_url_or_stop(settings)
    loaded = load_job_or_stop(job, settings)
    records = _select(loaded, only, limit)
    runs = settings.runs_dir if resume else _fresh(settings.runs_dir)
    # The job's lock first: a second run of the job stops here, before any question, browser
    # or sign-in; run_job holds it again (re-entrant) for as long as it works.
    with _one_run_at_a_time(loaded, runs, dry_run):
        if not dry_run:
            _confirm_production(settings, confirm_production)
        session, credentials = site_session(settings, base_url, browser)
        options = RunOptions(
            sign_in_url=base_url, credentials=credentials, session=session, runs_dir=runs,
            retries=settings.retries, workers=settings.workers,
            page_loads_per_minute=settings.rate_limit, dry_run=dry_run, mask_pii=mask_pii)
        code = run_and_report(loaded, options, records)
    raise SystemExit(code)


@contextmanager
def _one_run_at_a_time(job: Job, runs_dir: Path, dry_run: bool) -> Iterator[None]:
    """Hold the job's lock for the block, or say who holds it and exit 2 (nothing done)."""
    from caljobs_bot.running.disk import DiskFull
    from caljobs_bot.running.job_lock import JobBusy, JobLockUnsupported, hold_job_lock
    from caljobs_bot.running.run import job_folder

    with ExitStack() as stack:
        try:
            held = stack.enter_context(hold_job_lock(job_folder(job, runs_dir),
                                                     dry_run=dry_run))
        except (JobBusy, JobLockUnsupported, DiskFull) as problem:
            say(str(problem), err=True)
            raise SystemExit(EXIT_UNUSABLE) from None
        if held.previous is not None:
            say(f"An earlier run of this job ({held.previous.describe()}) ended without "
                "finishing; this run goes on from its ledger.", err=True)
        yield


@click.command()
@click.argument("job", type=CheckedPath(exists=True, dir_okay=False, path_type=Path))
@settings_options(FlagGroup.JOB_FILE)
def validate(job: Path, site: SiteOptions) -> None:
    """Check JOB without opening a browser: every problem, with its line and field.

    Defaults from caljobs-bot.toml, CALJOBS_ variables and the flags (region, office,
    position, attachments folder) are resolved exactly as 'run' resolves them.
    """
    settings = settings_or_stop(site)
    loaded = load_job_or_stop(job, settings)
    count = len(loaded.records)
    say(f"{job}: {count} record{'s' if count != 1 else ''}, no problems found.")
    for name, used in loaded.from_fallback.items():
        value = settings.form_defaults.get(name)
        say(f"  {name} '{value}' for {used} record{'s' if used != 1 else ''}: from "
            f"{settings.sources.get(name, DEFAULT)} (the job file leaves it out)")


def run_and_report(job: Job, options: RunOptions, records: list[Record]) -> int:
    """Run the records with a progress bar and a line per record, then the summary; the
    run's exit code."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from caljobs_bot.pages.login import SignInFailed
    from caljobs_bot.running.disk import DiskFull
    from caljobs_bot.running.job_lock import JobBusy, JobLockUnsupported
    from caljobs_bot.running.ledger import LedgerUnusable
    from caljobs_bot.running.run import run_job
    from caljobs_bot.settings.browser import BrowserNotFound

    stop = threading.Event()
    # Where the run wrote report.html: a run that ends on an error writes it before raising.
    reports: list[Path] = []
    # markup=False: the description is data (a step's title, a record's label), never markup.
    columns = (TextColumn("{task.description}", markup=False), BarColumn(),
               MofNCompleteColumn())
    with stop_on_ctrl_c(stop) as arm_ctrl_c, Progress(*columns, console=data_console(),
                                                       transient=True) as progress:
        task = progress.add_task("signing in", total=len(records))

        def on_result(record: Record, result: RecordResult) -> None:
            progress.console.print(_result_line(record, result))
            progress.advance(task)

        def observer(current: Step, record: Record) -> None:
            progress.update(task, description=visible(f"{record.label()}: {current.title}"))

        try:
            outcome = run_job(job, options, on_result=on_result, observer=observer,
                              on_ready=arm_ctrl_c, records=records, stop=stop,
                              on_report=reports.append)
        except BrowserNotFound as problem:
            say(str(problem), err=True)
            return _with_report(reports, EXIT_UNUSABLE)
        except SignInFailed as problem:
            say(f"Sign-in failed: {problem} Nothing was entered.", err=True)
            return _with_report(reports, EXIT_UNUSABLE)
        except (DiskFull, JobBusy, JobLockUnsupported, LedgerUnusable) as problem:
            say(str(problem), err=True)
            return _with_report(reports, EXIT_UNUSABLE)
        except Exception:
            _with_report(reports, EXIT_UNUSABLE)  # the group's handler says what it was
            raise
    return _print_summary(outcome)


def _with_report(reports: list[Path], code: int) -> int:
    """Name the report a stopped run wrote (a row per record), if it wrote one."""
    if reports:
        say(f"Report: {reports[-1]} (and report.csv): every record's row says why it was "
            "not run.", err=True)
    return code


def _result_line(record: Record, result: RecordResult) -> Text:
    """One line per record as it finishes, so a long run shows progress: the status styled,
    the reason (which may quote the job or the site) as data."""
    from rich.text import Text

    style = {"saved": "green", "skipped": "yellow", "failed": "bold red"}.get(
        result.status.value, "cyan"
    )
    return Text.assemble(visible(f"{record.label()}: "), (result.status.value, style),
                         visible(f" - {result.reason}"))


def _print_summary(outcome: RunOutcome) -> int:
    """The per-record table, counts and where the report is; returns the run's exit code."""
    from rich.table import Table

    from caljobs_bot.steps.results import Status

    table = Table(title="Run summary")
    for column in ("#", "line", "status", "reason"):
        table.add_column(column, overflow="fold")
    for result in outcome.results:
        table.add_row(str(result.index), str(result.line or ""), result.status.value,
                      visible(result.reason))
    console = data_console()
    console.print(table)
    counts: dict[str, int] = {}
    for result in outcome.results:
        counts[result.status.value] = counts.get(result.status.value, 0) + 1
    console.print(", ".join(f"{n} {status}" for status, n in counts.items()) or "no records")
    for note in outcome.notes:
        console.print(visible(note))
    console.print(visible(f"Report: {outcome.report_html} (and report.csv); "
                          f"ledger: {outcome.ledger}"))
    if outcome.job_path and any(r.status in (Status.FAILED, Status.NOT_KNOWN)
                                for r in outcome.results):
        console.print(visible(f"To see what the site holds for every record now, without "
                              f"changing anything: caljobs-bot audit {outcome.job_path}"))
    if outcome.results and all(r.status is Status.NOT_RUN for r in outcome.results):
        return EXIT_UNUSABLE  # the site could not be used at all: nothing ran
    return EXIT_OK if all(r.ok for r in outcome.results) else EXIT_RECORDS_FAILED


@contextmanager
def stop_on_ctrl_c(stop: threading.Event) -> Iterator[Callable[[], None]]:
    """First Ctrl-C: finish the current record, then stop and report. Second: stop now.

    A terminal's Ctrl-C goes to the whole process group, Playwright's driver included, and
    the driver dies of it, cutting the current record short. So Ctrl-C is ignored while the
    drivers start (they inherit "ignore" and keep it), and the yielded `arm` function, called
    once they run, installs the handler above for this process only.
    """

    def request_stop(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        say("\nStopping after the current record (Ctrl-C again to stop at once)...",
                   err=True)

    def arm() -> None:
        _console_ignores_ctrl_c(False)
        signal.signal(signal.SIGINT, request_stop)

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    _console_ignores_ctrl_c(True)
    try:
        yield arm
    finally:
        _console_ignores_ctrl_c(False)
        signal.signal(signal.SIGINT, previous)


def _console_ignores_ctrl_c(ignore: bool) -> None:
    """Windows' form of "the drivers inherit ignore": a console's Ctrl-C reaches every process
    attached to it, and there SIG_IGN is not inherited by child processes, but the console
    flag set by SetConsoleCtrlHandler(NULL, TRUE) is. Does nothing elsewhere."""
    if sys.platform != "win32":
        return
    import ctypes

    kernel32 = getattr(ctypes, "windll", None)
    if kernel32 is not None:  # None only when Windows is simulated on another system
        kernel32.kernel32.SetConsoleCtrlHandler(None, ignore)


def _select(job: Job, only: str | None, limit: int | None) -> list[Record]:
    """The records --only and --limit choose, in job order."""
    chosen = job.records
    if only:
        wanted = chosen_numbers(only, len(chosen), "record")
        chosen = [r for r in chosen if r.index in wanted]
    return chosen[:limit] if limit is not None else chosen


def chosen_numbers(only: str, count: int, what: str) -> set[int]:
    """The numbers --only names ("3,7-9"), each checked to be from 1 to `count` (`what`
    says what they number: a record, a participant)."""
    wanted: set[int] = set()
    for part in only.split(","):
        first, _, last = part.strip().partition("-")
        try:
            wanted.update(range(int(first), int(last or first) + 1))
        except ValueError:
            raise click.BadParameter(f"{part!r} is not a {what} number or range like 3-7",
                                     param_hint="--only") from None
    unknown = sorted(n for n in wanted if not 1 <= n <= count)
    if unknown:
        raise click.BadParameter(f"the job has no {what} {unknown[0]} (it has {count})",
                                 param_hint="--only")
    return wanted


def _confirm_production(settings: Settings, given: str | None) -> None:
    """On a production profile, the person types its name (or gives it for unattended runs)."""
    from caljobs_bot.settings.config import confirm_production

    if not settings.production or given == settings.profile:
        return
    if given is not None:
        raise click.BadParameter(f"this is the {settings.profile!r} profile, not {given!r}",
                                 param_hint="--confirm-production")
    if not sys.stdin.isatty():
        raise click.UsageError(f"{settings.profile!r} is a production profile: give "
                               f"--confirm-production {settings.profile} to run without a "
                               "terminal.")
    if not confirm_production(settings, lambda question: click.prompt(question, default="",
                                                                      show_default=False)):
        say("Not confirmed; nothing was run.", err=True)
        raise SystemExit(EXIT_UNUSABLE)


def _fresh(runs_dir: Path) -> Path:
    """A runs folder of its own, for --no-resume: earlier ledgers are left alone."""
    from datetime import datetime

    return runs_dir / f"no-resume-{datetime.now():%Y%m%d-%H%M%S}"
