"""The `caljobs-bot` command line: parse, call, print. The work happens elsewhere.

Heavy imports (Playwright, Flask) happen inside the commands that need them, so `--help` and
`validate` start fast and work without a browser.
"""

from __future__ import annotations

import signal
import sys
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from caljobs_bot import bundled_job_file

if TYPE_CHECKING:
    from caljobs_bot.jobfile import Job, Record
    from caljobs_bot.running.run import RunOptions, RunOutcome
    from caljobs_bot.settings.config import Settings
    from caljobs_bot.settings.credentials import Credentials
    from caljobs_bot.steps.definitions import Step
    from caljobs_bot.steps.results import RecordResult

EXAMPLE_JOB = bundled_job_file("example-hard-exits.yaml")
SANDBOX_USERNAME, SANDBOX_PASSWORD = "sandbox", "practice"

# Exit codes a scheduler can act on.
EXIT_OK, EXIT_RECORDS_FAILED, EXIT_UNUSABLE = 0, 1, 2


def _load(path: Path, settings: Settings | None = None) -> Job:
    """Load a job file, or print its problems (at most MAX_PROBLEMS_SHOWN) and stop with
    EXIT_UNUSABLE.

    The settings' office, region and position fill what the job file leaves out, and their
    attachments folder and size limit apply; `validate` and `run` pass the same settings,
    so they accept and refuse the same files."""
    from caljobs_bot.jobfile import JobFileError, load_job
    from caljobs_bot.jobfile.attachments import AttachmentLimits

    fallback: dict[str, str | None] | None = None
    sources: dict[str, str] | None = None
    attachments_dir, limits = None, None
    if settings is not None:
        fallback = {"lwia_region": settings.lwia_region,
                    "office_location": settings.office_location,
                    "staff_position": settings.staff_position}
        sources = {name: settings.sources.get(name, "default")
                   for name, value in fallback.items() if value is not None}
        attachments_dir = settings.attachments_dir
        limits = AttachmentLimits.from_megabytes(settings.max_attachment_mb)
    try:
        return load_job(path, fallback=fallback, fallback_sources=sources,
                        attachments_dir=attachments_dir, attachment_limits=limits)
    except JobFileError as error:
        _echo_problems(error.problems)
        count = len(error.problems)
        plural = "s" if count != 1 else ""
        click.echo(f"{path}: {count} problem{plural}; nothing was run.", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None


def _echo_problems(problems: Sequence[object]) -> None:
    """The first MAX_PROBLEMS_SHOWN problems, then how many more: an all-bad file of 175,000
    records once printed 357,634 lines, burying the few mistakes that caused them."""
    from caljobs_bot.jobfile import MAX_PROBLEMS_SHOWN

    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        click.echo(str(problem), err=True)
    rest = len(problems) - MAX_PROBLEMS_SHOWN
    if rest > 0:
        click.echo(f"... and {rest} more problem{'s' if rest != 1 else ''} not shown; fix "
                   "the ones above and check again.", err=True)


def _settings(profile: str | None = None, config_path: Path | None = None,
              **flags: object) -> Settings:
    """The resolved settings (flags > CALJOBS_ variables > config file), warnings shown.

    `flags` uses the config file's key names; None means the flag was not given."""
    from caljobs_bot.settings.config import ConfigError, load_settings

    try:
        settings = load_settings(flags=flags, profile=profile, config_path=config_path)
    except ConfigError as error:
        click.echo(f"Configuration problem: {error}", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    for warning in settings.warnings:
        click.echo(f"Warning: {warning}", err=True)
    return settings


def _base_url(settings: Settings, given: str | None = None) -> str:
    """The site's sign-in address, or a message saying the three ways to give one."""
    url = given or settings.base_url
    if not url:
        raise click.UsageError(
            "Which site? Give --base-url URL, set CALJOBS_BASE_URL, or put base_url in "
            "caljobs-bot.toml (pick a profile with --profile NAME; see 'caljobs-bot config show')."
        )
    return url


def _credentials(settings: Settings | None = None, base_url: str | None = None, *,
                 session: Path | None = None) -> Credentials:
    """The staff sign-in: username from the settings (CALJOBS_USERNAME, the config file,
    --username) or asked; password from CALJOBS_PASSWORD, the system keyring, or a hidden
    prompt. With a saved `session`, a password is used only if one is stored: none is asked."""
    from caljobs_bot.settings.credentials import (
        PASSWORD_NOT_STORED,
        Credentials,
        CredentialsError,
        get_password,
        get_username,
        password_source,
    )

    settings = settings or _settings()
    site = base_url or settings.base_url or ""
    try:
        username = get_username(settings.username)
        if session is not None and password_source(site, username) == PASSWORD_NOT_STORED:
            return Credentials(username, None)
        return Credentials(username, get_password(site, username))
    except CredentialsError as problem:
        click.echo(str(problem), err=True)
        raise SystemExit(EXIT_UNUSABLE) from None


def _session_file(settings: Settings, base_url: str, username: str | None) -> Path:
    """Where `caljobs-bot login` keeps the signed-in session for this site and user."""
    from urllib.parse import urlsplit

    from caljobs_bot.settings.private import private_folder

    host = urlsplit(base_url).netloc.replace(":", "_") or "site"
    who = "".join(ch if ch.isalnum() else "_" for ch in (username or "staff"))
    return private_folder(settings.runs_dir / "sessions") / f"{host}-{who}.json"


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

    from caljobs_bot.steps.results import Status

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
    if outcome.results and all(r.status is Status.NOT_RUN for r in outcome.results):
        return EXIT_UNUSABLE  # the site could not be used at all: nothing ran
    return EXIT_OK if all(r.ok for r in outcome.results) else EXIT_RECORDS_FAILED


@contextmanager
def _stop_on_ctrl_c(stop: threading.Event) -> Iterator[Callable[[], None]]:
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
        click.echo("\nStopping after the current record (Ctrl-C again to stop at once)...",
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


def _run(job: Job, options: RunOptions, records: list[Record]) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from caljobs_bot.pages.login import SignInFailed
    from caljobs_bot.running.run import run_job
    from caljobs_bot.settings.browser import BrowserNotFound

    stop = threading.Event()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with _stop_on_ctrl_c(stop) as arm_ctrl_c, Progress(*columns, console=Console(highlight=False),
                                         transient=True) as progress:
        task = progress.add_task("signing in", total=len(records))

        def on_result(record: Record, result: RecordResult) -> None:
            progress.console.print(_result_line(record, result))
            progress.advance(task)

        def observer(current: Step, record: Record) -> None:
            progress.update(task, description=f"{record.label()}: {current.title}")

        try:
            outcome = run_job(job, options, on_result=on_result, observer=observer,
                              on_ready=arm_ctrl_c,
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


site_options = [
    click.option("--profile", metavar="NAME",
                 help="A [profiles.NAME] of caljobs-bot.toml, e.g. training or production "
                      "(or CALJOBS_PROFILE)."),
    click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False,
                                                             path_type=Path),
                 help="The config file (default: ./caljobs-bot.toml, then your config folder)."),
    click.option("--base-url", default=None,
                 help="The address where staff sign in (the page with the sign-in form)."),
    click.option("--username", default=None,
                 help="Staff username (default: CALJOBS_USERNAME or the config file)."),
    click.option("--timeout", type=click.FloatRange(1, 600), default=None,
                 help="Seconds to wait for the site at each step (default 15)."),
    click.option("--wording", type=click.Path(dir_okay=False, path_type=Path), default=None,
                 help="A site-wording file: the site's own words for buttons, captions, "
                      "titles and messages (default: wording in caljobs-bot.toml; see "
                      "'caljobs-bot wording template')."),
]


def _use_wording(path: Path | None, source: str = "--wording") -> None:
    """Make the built-in wording plus the file's the table every page object reads; a file
    with a problem stops the command with its file, line and the valid keys."""
    from caljobs_bot.pages.site_wording import BUILT_IN, WordingError, load_wording_file, use

    if path is None:
        use(BUILT_IN)
        return
    if not path.is_file():
        click.echo(f"Wording problem: {path} ({source}): no such file. 'caljobs-bot wording "
                   "template -o FILE' writes one with every key.", err=True)
        raise SystemExit(EXIT_UNUSABLE)
    try:
        use(load_wording_file(path))
    except WordingError as problem:
        click.echo(f"Wording problem: {problem}", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None


def with_wording_option(command):  # type: ignore[no-untyped-def]
    """Add --wording to a command that does not read the site settings (walkthrough, guide):
    the file is loaded before the command runs."""
    import functools

    @functools.wraps(command)
    def with_wording(*args, wording: Path | None = None, **kwargs):  # type: ignore[no-untyped-def]
        _use_wording(wording)
        return command(*args, **kwargs)

    return click.option("--wording", type=click.Path(dir_okay=False, path_type=Path),
                        default=None, help="A site-wording file (see 'caljobs-bot wording "
                                           "template').")(with_wording)


def with_site_options(command):  # type: ignore[no-untyped-def]
    """Add the options of every command that signs in to a site: which site, who, how."""
    for option in reversed(site_options + browser_options):
        command = option(command)
    return command


attachments_dir_option = click.option(
    "--attachments-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="The folder case-note attachments must be in (default: the job file's folder, or "
         "attachments_dir in caljobs-bot.toml).")


class _NoTracebacks(click.Group):
    """The command group, with one last handler: whatever a command did not expect ends in
    one sentence and an exit code, never a Python traceback (`--debug` shows it)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit,
                KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001 - the last line of defence, by design
            if ctx.params.get("debug"):
                raise
            _explain_unexpected(error)
            raise SystemExit(EXIT_UNUSABLE) from None


def _explain_unexpected(error: Exception) -> None:
    """One line for an error no command handled. A page object's ElementNotFound names the
    screen and element; other errors are named by kind only, as their text may quote the
    page (participant data)."""
    from caljobs_bot.pages.notfound import ElementNotFound

    if isinstance(error, ElementNotFound):
        click.echo(f"The site does not look as expected: {error}. Run 'caljobs-bot check' to "
                   "see every screen that differs.", err=True)
        return
    click.echo(f"caljobs-bot stopped on an unexpected error ({type(error).__name__}). Nothing "
               "more was done; runs/ holds the ledger and evidence of any run. Add --debug "
               "before the command to see where it happened.", err=True)


@click.group(cls=_NoTracebacks, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="caljobs-bot")
@click.option("--debug", is_flag=True, help="Show a Python traceback on an unexpected error.")
def main(debug: bool) -> None:
    """Create CalJOBS Exit/Outcome records from YAML job files, the way the help sheets say."""
    _show_privacy_warnings_as_sentences()


def _show_privacy_warnings_as_sentences() -> None:
    """A folder or file that could not be made private is something the user must act on: say
    it as one line on stderr, not in Python's `file:line: Category` form."""
    from caljobs_bot.settings.private import NotPrivateWarning

    default = warnings.showwarning

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: object = None, line: str | None = None) -> None:
        if issubclass(category, NotPrivateWarning):
            click.echo(f"Warning: {message}", err=True)
        else:
            default(message, category, filename, lineno, file, line)  # type: ignore[arg-type]

    warnings.showwarning = show


@main.command()
@click.argument("job", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True,
              help="Fill every form, then cancel instead of saving; adds no contact, note "
                   "or case-manager change.")
@click.option("--resume/--no-resume", default=True, show_default=True,
              help="Skip records an earlier run of this job saved (the ledger says which). "
                   "Nothing is ever saved twice either way: the site is checked first.")
@click.option("--only", metavar="N,M-K", help="Run only these record numbers.")
@click.option("--limit", type=click.IntRange(min=1), help="Run at most N records.")
@click.option("--workers", type=click.IntRange(1, 8), default=None,
              help="Browsers working in parallel, each signed in on its own (default 1; "
                   "at most 2 on a site that is not this machine).")
@click.option("--rate-limit", type=click.FloatRange(min=1), default=None, metavar="N",
              help="At most N page loads a minute, across all workers (default and most: "
                   "30 on a site that is not this machine).")
@click.option("--trace", type=click.Choice(["always", "on-failure", "off"]), default=None,
              help="Keep a Playwright trace per record (default on-failure; open one with "
                   "'playwright show-trace').")
@click.option("--retries", type=click.IntRange(0, 10), default=None,
              help="Tries again after a time-out, server error or expired session (default 2).")
@click.option("--runs-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where ledgers, reports and evidence are kept, made private to you "
                   "(a warning says if that fails; default runs).")
@click.option("--mask-pii", is_flag=True,
              help="Blank the participant's data out of failure screenshots and page HTML "
                   "(traces stay full recordings: add --trace off to keep none).")
@click.option("--confirm-production", metavar="PROFILE",
              help="For unattended runs on a production profile: its name, instead of typing "
                   "it when asked.")
@attachments_dir_option
@with_site_options
def run(job: Path, dry_run: bool, resume: bool, only: str | None, limit: int | None,
        workers: int | None, rate_limit: float | None, trace: str | None, retries: int | None,
        runs_dir: Path | None, mask_pii: bool, confirm_production: str | None,
        attachments_dir: Path | None, **site: object) -> None:
    """Create the outcomes in JOB on the CalJOBS site.

    The site is --base-url, or base_url of the chosen profile in caljobs-bot.toml. The
    password comes from CALJOBS_PASSWORD, the system keyring or a prompt (or a session saved
    by 'caljobs-bot login'); never from the job file. Running the same job again finishes what
    an earlier run did not. Exits 1 if any record failed or was not run, 2 if nothing could be
    run.
    """
    settings = _site_settings(site, workers=workers, rate_limit=rate_limit, trace=trace,
                              retries=retries, runs_dir=runs_dir,
                              attachments_dir=attachments_dir)
    base_url = _base_url(settings)
    loaded = _load(job, settings)
    records = _select(loaded, only, limit)
    if not dry_run:
        _confirm_production(settings, confirm_production)
    options = _run_options(settings, base_url, site, dry_run=dry_run, mask_pii=mask_pii)
    if not resume:
        options = replace(options, runs_dir=_fresh(options.runs_dir))
    raise SystemExit(_run(loaded, options, records))


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
        click.echo("Not confirmed; nothing was run.", err=True)
        raise SystemExit(EXIT_UNUSABLE)


def _site_settings(site: dict[str, object], **run_flags: object) -> Settings:
    """Settings from the shared site options (see with_site_options) and a command's own."""
    settings = _settings(
        site["profile"], site["config_path"], base_url=site["base_url"],
        username=site["username"], timeout=site["timeout"],
        headless=False if site["headed"] else None, browser_path=site["browser_path"],
        wording=site.get("wording"), **run_flags,
    )
    _use_wording(settings.wording, settings.sources.get("wording", "--wording"))
    return settings


def _run_options(settings: Settings, base_url: str, site: dict[str, object],
                 **extra: object) -> RunOptions:
    """How to drive the site: settings, the saved session if any, and the credentials."""
    from caljobs_bot.running.run import RunOptions

    session = _session_file(settings, base_url, settings.username)
    saved = session if session.exists() else None
    return RunOptions(
        sign_in_url=base_url,
        credentials=_credentials(settings, base_url, session=saved),
        headless=settings.headless, slow_mo_ms=float(site["slow_mo"] or 0),  # type: ignore[arg-type]
        browser_path=settings.browser_path, timeout_ms=settings.timeout_seconds * 1000,
        runs_dir=settings.runs_dir, trace=settings.trace, retries=settings.retries,
        workers=settings.workers, page_loads_per_minute=settings.rate_limit,
        ignore_https_errors=settings.ignore_https_errors, storage_state=saved,
        **extra,  # type: ignore[arg-type]
    )


def _fresh(runs_dir: Path) -> Path:
    """A runs folder of its own, for --no-resume: earlier ledgers are left alone."""
    from datetime import datetime

    return runs_dir / f"no-resume-{datetime.now():%Y%m%d-%H%M%S}"


@main.command()
@click.argument("job", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--profile", metavar="NAME",
              help="A [profiles.NAME] of caljobs-bot.toml, as for run (or CALJOBS_PROFILE).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False,
                                                         path_type=Path),
              help="The config file, as for run (default: ./caljobs-bot.toml, then your "
                   "config folder).")
@attachments_dir_option
def validate(job: Path, profile: str | None, config_path: Path | None,
             attachments_dir: Path | None) -> None:
    """Check JOB without opening a browser: every problem, with its line and field.

    Defaults from caljobs-bot.toml (region, office, position, attachments folder) are
    resolved exactly as 'run' resolves them, with the same --profile and --config.
    """
    settings = _settings(profile, config_path, attachments_dir=attachments_dir)
    loaded = _load(job, settings)
    count = len(loaded.records)
    click.echo(f"{job}: {count} record{'s' if count != 1 else ''}, no problems found.")
    for name, used in loaded.from_fallback.items():
        value = getattr(settings, name)
        click.echo(f"  {name} '{value}' for {used} record{'s' if used != 1 else ''}: from "
                   f"{settings.sources.get(name, 'default')} (the job file leaves it out)")


@main.command("import")
@click.argument("sheet_file", metavar="SHEET", required=False,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The job file to write (YAML).")
@click.option("--sheet", "sheet_name", help="The worksheet to read (default: the first).")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a blank template (.csv or .xlsx) with the column names, and stop.")
@click.option("--strict-ids", is_flag=True,
              help="Refuse id columns holding Excel numbers (leading zeros may be lost) "
                   "instead of warning.")
@attachments_dir_option
def import_command(sheet_file: Path | None, output: Path | None, sheet_name: str | None,
                   template: Path | None, strict_ids: bool,
                   attachments_dir: Path | None) -> None:
    """Turn a spreadsheet (.xlsx or .csv, one row per record) into a job file.

    Nothing is written unless every row is valid; problems name the row and column.
    """
    from caljobs_bot.jobfile.attachments import AttachmentLimits
    from caljobs_bot.jobfile.spreadsheet import (
        SheetError,
        SheetProblem,
        import_sheet,
        write_template,
    )

    if template is not None:
        write_template(template)
        click.echo(f"Wrote the template {template}; fill one row per record.")
        return
    if sheet_file is None or output is None:
        raise click.UsageError("Give a spreadsheet and -o JOB.yaml (or --template PATH).")
    settings = _settings(attachments_dir=attachments_dir)
    notes: list[SheetProblem] = []
    try:
        count = import_sheet(
            sheet_file, output, sheet=sheet_name, strict_ids=strict_ids, warnings=notes,
            attachments_dir=settings.attachments_dir,
            attachment_limits=AttachmentLimits.from_megabytes(settings.max_attachment_mb))
    except SheetError as error:
        _echo_problems(error.problems)
        click.echo(f"{sheet_file}: nothing was written.", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    for note in notes:
        click.echo(f"Warning: {note}", err=True)
    click.echo(f"Wrote {output} with {count} record{'s' if count != 1 else ''}. "
               f"Next: caljobs-bot run {output} --base-url ... --dry-run"
               + (f" --attachments-dir {attachments_dir}" if attachments_dir else ""))


def _sandbox_options(command):  # type: ignore[no-untyped-def]
    """The mock site's variants, shared by `sandbox` and `demo`.

    `--markup accessible|plain` reaches the sandbox these commands start without a parameter
    of their own: unless the command takes `markup` itself, it runs inside
    `fixtures.sandbox.server.default_markup(...)`, so its `Sandbox(...)` serves that markup.
    """
    import functools
    import inspect

    run = command
    takes_markup = "markup" in inspect.signature(run).parameters

    @functools.wraps(run)
    def with_markup(*args, markup: str = "accessible", **kwargs):  # type: ignore[no-untyped-def]
        if takes_markup:
            return run(*args, markup=markup, **kwargs)
        from caljobs_bot.fixtures.sandbox.server import default_markup

        with default_markup(markup):
            return run(*args, **kwargs)

    command = click.option("--markup", type=click.Choice(["accessible", "plain"]),
                           default="accessible",
                           help="Markup as now (ARIA roles, <label>s) or plain WebForms-like "
                                "markup with no ARIA at all.")(with_markup)
    command = click.option("--popup", type=click.Choice(["window", "dialog"]), default="window",
                           help="Contacts pop-up as a separate window or an in-page dialog.")(
        command)
    command = click.option("--captions", type=click.Choice(["label", "cell"]), default="label",
                           help="Field captions as <label>s or as plain table cells.")(command)
    return click.option("--ui", type=click.Choice(["2021", "2016"]), default="2021",
                        help="Screens as in the 2021 or the 2016 help sheet.")(command)


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
              add_help_option=False)
@click.argument("sandbox_args", nargs=-1, type=click.UNPROCESSED)
def sandbox(sandbox_args: tuple[str, ...]) -> None:
    """Serve the mock CalJOBS site for practice and testing, until Ctrl-C.

    Options (see 'caljobs-bot sandbox --help'): --port (8765), --ui 2021|2016, --captions,
    --popup, --markup-seed N, --rename KEY=WORDS and --rename-seed N (the site in other
    words), and the fault knobs (--latency-ms, --error-rate,
    --expire-after-requests, --expire-on-save, --popup-delay-ms, --lose-save-response,
    --save-error-for, --maintenance).
    """
    from caljobs_bot.fixtures.sandbox.__main__ import main as serve

    try:
        serve(list(sandbox_args), prog="caljobs-bot sandbox")
    except KeyboardInterrupt:
        click.echo("Stopped.")


@main.group()
def config() -> None:
    """The settings a run would use (caljobs-bot.toml, CALJOBS_ variables, flags)."""


@config.command("show")
@click.option("--profile", metavar="NAME", help="A [profiles.NAME] of caljobs-bot.toml.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False,
                                                         path_type=Path),
              help="The config file (default: ./caljobs-bot.toml, then your config folder).")
def config_show(profile: str | None, config_path: Path | None) -> None:
    """Print every setting, its value and where it came from; secrets masked."""
    from caljobs_bot.settings.config import describe
    from caljobs_bot.settings.credentials import password_source

    settings = _settings(profile, config_path)
    source = None
    if settings.base_url and settings.username:
        source = password_source(settings.base_url, settings.username)
    click.echo(describe(settings, source))


@main.command()
@click.option("--wait", "wait_minutes", type=click.FloatRange(0.1, 60), default=5,
              show_default=True, help="Minutes to wait for you to finish signing in.")
@with_site_options
def login(wait_minutes: float, **site: object) -> None:
    """Sign in by hand in a visible browser (for multi-factor or other extra steps) and keep
    the session for later runs, in a file made private to you. Runs use it until it expires."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from caljobs_bot.settings.browser import BrowserNotFound, find_browser, launch
    from caljobs_bot.settings.session import save_session, wait_for_person_to_sign_in

    settings = _site_settings(site)
    base_url = _base_url(settings)
    path = _session_file(settings, base_url, settings.username)
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright, find_browser(settings.browser_path, playwright),
                             headless=False, slow_mo=0)
            context = browser.new_context(ignore_https_errors=settings.ignore_https_errors)
            page = context.new_page()
            wait_for_person_to_sign_in(
                page, base_url, timeout_ms=wait_minutes * 60_000,
                tell_person=lambda: click.echo(
                    "Sign in in the browser window (and finish any extra steps); this waits "
                    f"until the staff dashboard shows, up to {wait_minutes:g} minutes."))
            saved = save_session(context, path)
            browser.close()
    except BrowserNotFound as problem:
        click.echo(str(problem), err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    except PlaywrightError:
        click.echo("Not signed in: the staff dashboard did not show in time (or the browser "
                   "was closed). Nothing was saved.", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    who_reads = ("only you can read it" if saved.private else
                 "it could NOT be made private: see the warning above")
    click.echo(f"Signed in. The session is kept in {path} ({who_reads}); runs with "
               "the same site and username use it until the site ends it.")


_walk_options = [
    click.option("--state-id", help="The participant to walk through (one without an outcome)."),
    click.option("--user-id", help="Or their User ID."),
    click.option("--application", help="The WIOA application number, if they have several."),
    click.option("--runs-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                 help="Where the walk's screenshots go, made private to you (default runs)."),
]


def with_walk_options(command):  # type: ignore[no-untyped-def]
    """The participant a read-only walk (check, calibrate) goes through, and where to."""
    for option in reversed(_walk_options):
        command = option(command)
    return with_site_options(command)


def _walk(site: dict[str, object], state_id: str | None, user_id: str | None,
          application: str | None, runs_dir: Path | None, *, label: str,
          fixer: object = None, restart: bool = False, headless: bool | None = None,
          settings: Settings | None = None) -> tuple[str, Path, object]:
    """Sign in and walk the screens read-only (bots/steps/preflight.py); (base URL, evidence
    folder, the Preflight with its findings and suggestions)."""
    from datetime import datetime

    from playwright.sync_api import sync_playwright

    from caljobs_bot.settings.browser import BrowserNotFound, find_browser, launch
    from caljobs_bot.settings.private import private_folder
    from caljobs_bot.steps.preflight import Preflight

    if not (state_id or user_id):
        raise click.UsageError("Give --state-id or --user-id of a participant to walk through "
                               "(one whose WIOA application has no outcome yet).")
    settings = settings or _site_settings(site, runs_dir=runs_dir)
    base_url = _base_url(settings)
    options = _run_options(settings, base_url, site)
    evidence = private_folder(settings.runs_dir / f"{label}-{datetime.now():%Y%m%d-%H%M%S}")
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright, find_browser(options.browser_path, playwright),
                             headless=options.headless if headless is None else headless,
                             slow_mo=options.slow_mo_ms)
            context = browser.new_context(ignore_https_errors=options.ignore_https_errors,
                                          storage_state=options.storage_state)
            context.set_default_timeout(options.timeout_ms)
            preflight = Preflight(context.new_page(), base_url, options.credentials, evidence,
                                  fixer=fixer, restart=restart)  # type: ignore[arg-type]
            preflight.run(state_id=state_id, user_id=user_id, application=application)
            browser.close()
    except BrowserNotFound as problem:
        click.echo(str(problem), err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    return base_url, evidence, preflight


def _print_findings(base_url: str, findings: Sequence[object]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Preflight check of {base_url}")
    for column in ("screen", "element", "found", "detail"):
        table.add_column(column, overflow="fold")
    for finding in findings:
        table.add_row(finding.screen, finding.element,  # type: ignore[attr-defined]
                      "[green]yes[/]" if finding.found else "[bold red]NO[/]",  # type: ignore[attr-defined]
                      finding.detail)  # type: ignore[attr-defined]
    Console(highlight=False).print(table)


@main.command()
@click.option("--suggest", "suggest_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Write the wording lines check suggests to this file (a new "
                                 "file; --force to overwrite one), for --wording FILE.")
@click.option("--force", is_flag=True, help="Let --suggest overwrite an existing file.")
@with_walk_options
def check(state_id: str | None, user_id: str | None, application: str | None,
          runs_dir: Path | None, suggest_file: Path | None, force: bool,
          **site: object) -> None:
    """Read-only preflight: sign in, open a participant's case, the outcome form and the
    contacts pop-up, and report which elements each screen offers. Never presses Save.

    Where an element is missing but its screen shows exactly one thing it could be, check
    names it and prints the wording line to add (--suggest FILE writes them).
    Exits 0 when everything was found, 1 when something was not (see the screenshots)."""
    from caljobs_bot.pages.candidates import single_candidate
    from caljobs_bot.pages.site_wording import in_force, wording_lines, write_wording

    if suggest_file is not None and suggest_file.exists() and not force:
        raise click.UsageError(f"{suggest_file} exists: give another file for --suggest, or "
                               "--force to overwrite it.")
    base_url, evidence, preflight = _walk(site, state_id, user_id, application, runs_dir,
                                          label="check", fixer=single_candidate)
    findings = preflight.findings  # type: ignore[attr-defined]
    suggestions = preflight.suggestions  # type: ignore[attr-defined]
    _print_findings(base_url, findings)
    missing = [f for f in findings if not f.found]
    if suggestions:
        click.echo("Suggested wording (the only candidate on each screen; check it is the "
                   "right one, then add it to your wording file):")
        words = {s.key: [s.words] for s in suggestions}
        for line in wording_lines(words):
            click.echo(f"  {line}")
        if suggest_file is not None:
            combined = {key: list(texts) for key, texts in in_force().added().items()}
            for key, texts in words.items():
                combined.setdefault(key, [])
                combined[key] += [t for t in texts if t not in combined[key]]
            comments = {s.key: f"suggested by caljobs-bot check ({s.screen}): {s.how}"
                        for s in suggestions}
            write_wording(suggest_file, combined, comments)
            click.echo(f"Written to {suggest_file}: use it with --wording {suggest_file}, or "
                       f"name it in caljobs-bot.toml (wording = \"{suggest_file.name}\").")
    elif suggest_file is not None:
        click.echo(f"No suggestion: {suggest_file} was not written.")
    if missing:
        click.echo(f"{len(missing)} element(s) not found; screenshots in {evidence}. Do not "
                   "start a big run until the screens match (a wording file, or 'caljobs-bot "
                   "calibrate' to point at what differs).")
    else:
        click.echo("Every screen offers what a run needs. Nothing was saved.")
    raise SystemExit(EXIT_RECORDS_FAILED if missing else EXIT_OK)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The wording file to record into (default: the wording file in force, "
                   "else site-wording.toml).")
@click.option("--wait", "wait_minutes", type=click.FloatRange(0.01, 120), default=10,
              show_default=True, help="Minutes to wait for each click.")
@click.option("--headless", is_flag=True, hidden=True, help="For tests: no visible window.")
@with_walk_options
def calibrate(state_id: str | None, user_id: str | None, application: str | None,
              runs_dir: Path | None, output: Path | None, wait_minutes: float, headless: bool,
              **site: object) -> None:
    """Point at what the site words differently: walks the screens as check does (read-only,
    never Save) in a visible browser, and for each element it cannot find asks you to click
    it; its words go into the wording file."""
    from caljobs_bot.settings.calibrate import Calibrator

    settings = _site_settings(site, runs_dir=runs_dir)
    target = output or settings.wording or Path("site-wording.toml")
    calibrator = Calibrator(target, wait_ms=wait_minutes * 60_000,
                            tell=lambda said: click.echo(said))
    base_url, evidence, preflight = _walk(site, state_id, user_id, application, runs_dir,
                                          label="calibrate", fixer=calibrator, restart=True,
                                          headless=headless, settings=settings)
    findings = preflight.findings  # type: ignore[attr-defined]
    _print_findings(base_url, findings)
    still = [f for f in findings if not f.found and "clicked by you" not in f.detail]
    if calibrator.learned:
        click.echo(f"Recorded {len(calibrator.learned)} element(s) in {target}; runs use it "
                   f"with --wording {target} (or wording = \"{target.name}\" in "
                   "caljobs-bot.toml).")
    if still:
        click.echo(f"{len(still)} element(s) still not found; screenshots in {evidence}.")
    raise SystemExit(EXIT_RECORDS_FAILED if still else EXIT_OK)


@main.group()
def wording() -> None:
    """The site's words the bot looks for: the built-in table and your wording file."""


@wording.command("show")
@click.option("--profile", metavar="NAME", help="A [profiles.NAME] of caljobs-bot.toml.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False,
                                                         path_type=Path),
              help="The config file (default: ./caljobs-bot.toml, then your config folder).")
@click.option("--wording", "wording_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="A wording file, instead of the one caljobs-bot.toml names.")
def wording_show(profile: str | None, config_path: Path | None,
                 wording_file: Path | None) -> None:
    """Print the wording table in force, element by element, and where each word came from."""
    from caljobs_bot.pages.site_wording import describe_table, in_force

    settings = _settings(profile, config_path, wording=wording_file)
    _use_wording(settings.wording, settings.sources.get("wording", "--wording"))
    where = (f"{settings.wording} ({settings.sources.get('wording')})" if settings.wording
             else "none (built-in words only)")
    click.echo(f"Wording file: {where}")
    click.echo(describe_table(in_force()))


@wording.command("template")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the template.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def wording_template(output: Path, force: bool) -> None:
    """Write a wording file with every key, commented out, with its meaning and built-in
    words: uncomment and fill the lines for what your site words differently."""
    from caljobs_bot.pages.site_wording import template_text

    if output.exists() and not force:
        raise click.UsageError(f"{output} exists: give another file, or --force.")
    output.write_text(template_text(), encoding="utf-8")
    click.echo(f"Wrote {output}: every element the bot looks for, commented out.")


@main.command()
@click.option("--job", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=EXAMPLE_JOB, show_default=True, help="The job to run on the sandbox.")
@_sandbox_options
@with_browser_options
def demo(job: Path, ui: str, captions: str, popup: str, headed: bool, slow_mo: float,
         browser_path: str | None) -> None:
    """Start the mock site in-process and run the example job against it."""
    from caljobs_bot.fixtures.sandbox.client import SandboxClient
    from caljobs_bot.fixtures.sandbox.server import Sandbox
    from caljobs_bot.running.run import RunOptions
    from caljobs_bot.settings.credentials import Credentials

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


# -- trainers: the walkthrough and the guide ---------------------------------------------

def _trainer_options(command):  # type: ignore[no-untyped-def]
    """What `walkthrough` and `guide` share: the record, the site, and stopping before Save."""
    return _sandbox_options(with_browser_options(_record_and_site_options(command)))


def _visible_browser_options(command):  # type: ignore[no-untyped-def]
    """The browser options without --headed, for commands whose window is always shown
    (a --headed that does nothing would only mislead)."""
    for option in reversed(browser_options[1:]):
        command = option(command)
    return command


def _record_and_site_options(command):  # type: ignore[no-untyped-def]
    """--record, --base-url, --no-save, --timeout and --wording."""
    for option in reversed([
        click.option("--record", "record_number", type=click.IntRange(min=1), default=1,
                     show_default=True, help="Which record of JOB to perform (1 is the first)."),
        click.option("--base-url", default=None,
                     help="A real site's sign-in address. Default: the practice sandbox, "
                          "started here (--ui, --captions, --popup choose its screens)."),
        click.option("--no-save", is_flag=True,
                     help="Fill every field, then Cancel instead of Save (nothing is changed "
                          "on the site): practice on live data."),
        click.option("--timeout", type=click.FloatRange(1, 600), default=15, show_default=True,
                     help="Seconds to wait for the site at each step."),
    ]):
        command = option(command)
    return with_wording_option(command)


def _pick(job: Job, record_number: int) -> Record:
    """The record --record names, or a usage error saying how many there are."""
    for record in job.records:
        if record.index == record_number:
            return record
    raise click.BadParameter(f"the job has no record {record_number} (it has "
                             f"{len(job.records)})", param_hint="--record")


@contextmanager
def _trainer_site(base_url: str | None, no_save: bool, ui: str, captions: str,
                  popup: str) -> Iterator[tuple[str, Credentials, str]]:
    """(sign-in address, credentials, a name for the site): the sandbox started in-process,
    or the real site at --base-url, where a Save is confirmed first."""
    if base_url is None:
        from caljobs_bot.fixtures.sandbox.server import Sandbox
        from caljobs_bot.settings.credentials import Credentials

        with Sandbox(port=0, ui=ui, captions=captions, popup=popup) as server:
            yield (server.sign_in_url, Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD),
                   f"the practice sandbox ({ui} screens)")
        return
    from urllib.parse import urlsplit

    host = urlsplit(base_url).netloc or base_url
    if not no_save:
        if not sys.stdin.isatty():
            raise click.UsageError(f"This would save a real outcome on {host}: add --no-save, "
                                   "or run it from a terminal to confirm.")
        click.confirm(f"This saves a real Exit/Outcome on {host} (it cannot be undone without "
                      "a Data Change Request). Go on?", abort=True)
    yield base_url, _credentials(base_url=base_url), host


@contextmanager
def _trainer_errors() -> Iterator[None]:
    """Browser and sign-in problems as a sentence and exit code 2, not a traceback."""
    from playwright.sync_api import Error as PlaywrightError

    from caljobs_bot.pages.login import SignInFailed
    from caljobs_bot.settings.browser import BrowserNotFound
    from caljobs_bot.trainer.output import OutputNotWritable

    try:
        yield
    except OutputNotWritable as problem:
        click.echo(str(problem), err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    except BrowserNotFound as problem:
        click.echo(str(problem), err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    except SignInFailed as problem:
        click.echo(f"Sign-in failed: {problem} Nothing was entered.", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    except PlaywrightError:
        click.echo("The browser was closed or stopped answering; stopped.", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    except KeyboardInterrupt:
        click.echo("\nStopped.", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None


@main.command()
@click.argument("job", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--pause", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="Go on by itself after SECONDS at each step (Next goes on sooner). "
                   "Default: step by step, on Enter here or Next in the caption panel.")
@click.option("--headless", is_flag=True, hidden=True, help="No window (for smoke tests).")
@_sandbox_options
@_visible_browser_options
@_record_and_site_options
def walkthrough(job: Path, pause: float | None, headless: bool, record_number: int,
                base_url: str | None, no_save: bool, timeout: float, ui: str, captions: str,
                popup: str, slow_mo: float, browser_path: str | None) -> None:
    """Perform one record of JOB in a visible browser, explaining each step on screen.

    A caption panel shows the step's number, title and explanation, and the element about
    to be used is outlined: the same steps, in the same order, as `run`. Against the practice
    sandbox unless --base-url is given. Exits 1 if the record was not finished.
    """
    from caljobs_bot.trainer.walkthrough import Pace, Stop, run_walkthrough

    record = _pick(_load(job), record_number)
    # Without a terminal (stdin piped or closed) nobody can press Enter here: say so once,
    # and go on with the panel's Next only.
    terminal = sys.stdin is not None and sys.stdin.isatty()
    pace = Pace(pause, enter_key=pause is None and terminal)
    if pause is None and not terminal:
        click.echo("No terminal to press Enter in: click Next in the browser's caption panel "
                   "to go on at each step.")

    def on_stop(stop: Stop) -> None:
        click.echo(f"{stop.caption.counter}: {stop.caption.title}")
        if stop.caption.note:
            click.echo(f"    {stop.caption.note}")
        if pause is None:
            button = "Next" if stop.step is not None else "Finish"
            where = f"Enter here, or {button} in the browser," if terminal else (
                f"{button} in the browser's panel")
            click.echo(f"    ({where} to go on; clicking the outlined element goes on too)")

    with _trainer_errors(), _trainer_site(base_url, no_save, ui, captions, popup) as site:
        sign_in_url, credentials, where = site
        click.echo(f"Walkthrough of {record.label()} on {where}.")
        result = run_walkthrough(sign_in_url, credentials, record, pace=pace, dry_run=no_save,
                                 headless=headless, slow_mo_ms=slow_mo,
                                 browser_path=browser_path, timeout_ms=timeout * 1000,
                                 on_stop=on_stop)
    click.echo(f"{record.label()}: {result.status.value} - {result.reason}")
    raise SystemExit(EXIT_OK if result.ok else EXIT_RECORDS_FAILED)


@main.command()
@click.argument("job", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="The folder for guide.html, .md, .pdf, .docx, the video "
                                  "(guide.webm, guide.vtt) and images/.")
@click.option("--mask-pii", is_flag=True,
              help="Hide participant data (names, ids, login name, contacts, case-note text) "
                   "in the pictures with ████.")
@_trainer_options
def guide(job: Path, output: Path, mask_pii: bool, record_number: int, base_url: str | None,
          no_save: bool, timeout: float, ui: str, captions: str, popup: str, headed: bool,
          slow_mo: float, browser_path: str | None) -> None:
    """Replay one record of JOB and write an illustrated step-by-step guide.

    Each step gets a screenshot with its element outlined, its title and explanation, and
    the words the screen shows for it (e.g. the button's name on this version of the site).
    Against the practice sandbox unless --base-url is given. Exits 1 if the record was not
    finished (the guide is still written, up to where it stopped).
    """
    from caljobs_bot.trainer.guide import OUTPUT_FILES, OUTPUT_FOLDERS, make_guide
    from caljobs_bot.trainer.output import check_writable

    record = _pick(_load(job), record_number)
    # Before anything is replayed (and, on a real site, saved): the files must be writable.
    with _trainer_errors():
        check_writable(output, OUTPUT_FILES, OUTPUT_FOLDERS)
    with _trainer_errors(), _trainer_site(base_url, no_save, ui, captions, popup) as site:
        sign_in_url, credentials, where = site
        made, files = make_guide(sign_in_url, credentials, record, output, site=where,
                                 mask_pii=mask_pii, dry_run=no_save, headed=headed,
                                 slow_mo_ms=slow_mo, browser_path=browser_path,
                                 timeout_ms=timeout * 1000)
    result = made.result
    written = [files.markdown.name, files.pdf.name]
    written += [path.name for path in (files.docx, files.video, files.captions) if path]
    click.echo(f"Wrote {files.html}, {', '.join(written)}, with {len(files.images)} pictures "
               f"in {files.html.parent / 'images'}.")
    if files.no_video:
        click.echo(files.no_video)
    if base_url is not None and not mask_pii:
        click.echo("The pictures show participant data: keep them private, or make the guide "
                   "with --mask-pii.")
    if result is not None:
        click.echo(f"{record.label()}: {result.status.value} - {result.reason}")
    raise SystemExit(EXIT_OK if result is not None and result.ok else EXIT_RECORDS_FAILED)


@main.command()
@click.argument("job", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--record", "record_number", type=click.IntRange(min=1), default=1,
              show_default=True, help="Which record of JOB to practise (1 is the first).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("practice-report.md"), show_default=True,
              help="Where to write the report a trainer collects.")
@click.option("--timeout", type=click.FloatRange(1, 600), default=15, show_default=True,
              help="Seconds Show me waits for the site at each action.")
@click.option("--headless", is_flag=True, hidden=True, help="No window (for smoke tests).")
@_sandbox_options
@_visible_browser_options
def practice(job: Path, record_number: int, report_path: Path, timeout: float, headless: bool,
             ui: str, captions: str, popup: str, slow_mo: float,
             browser_path: str | None) -> None:
    """Practise one record of JOB on the practice sandbox, in a visible browser: you do each
    step, the caption panel says what to do with the record's values, and the tool checks.

    A wrong button or value gets a hint (naming the right one after two misses); "Show me"
    in the panel does the current action for you. At the end: the outcome as the sandbox
    saved it, time and mistakes per step, and a report file for your trainer.
    """
    from caljobs_bot.trainer.output import check_writable

    record = _pick(_load(job), record_number)
    with _trainer_errors():
        check_writable(report_path.parent, [report_path.name], option="--report")
    from caljobs_bot.trainer.practice import run_practice

    with _trainer_errors():
        result = run_practice(record, report_path, ui=ui, captions=captions, popup=popup,
                              headless=headless, slow_mo_ms=slow_mo, browser_path=browser_path,
                              timeout_ms=timeout * 1000,
                              on_prompt=lambda prompt: click.echo(
                                  f"{prompt.caption.counter}: {prompt.caption.text}"
                                  + (f"\n    {prompt.caption.note}" if prompt.caption.note
                                     else "")))
    for score in result.steps.values():
        if score.seconds:
            click.echo(f"  {score.title}: {score.seconds:.0f} s, {score.mistakes} mistakes"
                       + (f", {score.shown} shown" if score.shown else ""))
    outcome = result.outcome
    click.echo("Saved: " + (f"{outcome['exit_reason']} on {outcome['exit_date']} "
                            f"(application {outcome['application_number']})" if outcome
                            else "nothing"))
    click.echo(f"Report written to {result.report}.")
    raise SystemExit(EXIT_OK if result.finished else EXIT_RECORDS_FAILED)


if __name__ == "__main__":
    main()
