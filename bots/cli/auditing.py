"""Checking what the site holds: `audit`, which reads every listed participant's case and
changes nothing."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from caljobs_bot.cli.common import (
    EXIT_OK,
    EXIT_RECORDS_FAILED,
    EXIT_UNUSABLE,
    CheckedPath,
    data_console,
    echo_problems,
    load_job_or_stop,
    say,
)
from caljobs_bot.cli.options import BrowserFlags, SiteOptions, settings_options
from caljobs_bot.cli.running import chosen_numbers, stop_on_ctrl_c
from caljobs_bot.cli.site import base_url_or_stop, site_session, site_settings
from caljobs_bot.settings.keys import FlagGroup
from caljobs_bot.visible import visible

if TYPE_CHECKING:
    from caljobs_bot.running.audit import AuditList, AuditOutcome
    from caljobs_bot.running.run import RunOptions
    from caljobs_bot.settings.config import Settings

# What a spreadsheet's name ends with (anything else is read as a YAML job file).
SHEET_SUFFIXES = (".csv", ".xlsx", ".xlsm")


@click.command()
@click.argument("job_or_sheet", metavar="JOB_OR_SHEET",
                type=CheckedPath(exists=True, dir_okay=False, path_type=Path))
@click.option("--sheet", "sheet_name", help="For a workbook: the worksheet to read "
                                            "(default: the first).")
@click.option("--only", metavar="N,M-K",
              help="Read only these participants (record numbers of a job; for a sheet, "
                   "the participants counted from 1 in row order).")
@click.option("--resume/--no-resume", default=True, show_default=True,
              help="Go on with an audit of this job that was interrupted, without reading "
                   "again whom it read. An audit that finished is never resumed.")
@click.option("--mask-pii", is_flag=True,
              help="Names and ids read as ████ in audit.html (audit.csv keeps the ids).")
@settings_options(FlagGroup.SIGN_IN, FlagGroup.BROWSER, FlagGroup.AUDIT, FlagGroup.JOB_FILE)
def audit(job_or_sheet: Path, sheet_name: str | None, only: str | None, resume: bool,
          mask_pii: bool, site: SiteOptions, browser: BrowserFlags) -> None:
    """Read what CalJOBS holds for every participant in JOB_OR_SHEET, changing nothing.

    JOB_OR_SHEET is a job file (YAML) or a spreadsheet (.csv, .xlsx) as 'import' reads it;
    a sheet with only a state_id or user_id column is enough. Each participant's WIOA
    applications are read (status, listed exit date and reason) and, for a job, compared with
    it: as the job says, no outcome yet, different outcome, other applications open,
    participant not found or not readable. Writes audit.csv and audit.html in the job's runs
    folder. Exits 1 when any participant is not as the job says, 2 when none could be read.
    """
    from caljobs_bot.running.run import RunOptions

    settings = site_settings(site)
    base_url = base_url_or_stop(settings)
    listed = _list_or_stop(job_or_sheet, settings, sheet_name)
    if only:
        wanted = chosen_numbers(only, len(listed.targets), "participant")
        listed = replace(listed, targets=[t for t in listed.targets if t.index in wanted])
    session, credentials = site_session(settings, base_url, browser)
    options = RunOptions(sign_in_url=base_url, credentials=credentials, session=session,
                         runs_dir=settings.runs_dir, retries=settings.retries,
                         workers=settings.workers, page_loads_per_minute=settings.rate_limit,
                         mask_pii=mask_pii)
    raise SystemExit(_audit_and_report(listed, options, resume))


def _list_or_stop(path: Path, settings: Settings, sheet_name: str | None) -> AuditList:
    """The participants to read, or every problem (file, line or row, field) and exit 2."""
    from caljobs_bot.jobfile.attachments import AttachmentLimits
    from caljobs_bot.jobfile.sheet_problems import SheetError
    from caljobs_bot.running.audit import targets_of_job, targets_of_sheet

    if path.suffix.lower() not in SHEET_SUFFIXES:
        if sheet_name is not None:
            raise click.BadParameter("is only for a spreadsheet (.xlsx)",
                                     param_hint="--sheet")
        return targets_of_job(load_job_or_stop(path, settings))
    try:
        return targets_of_sheet(
            path, sheet=sheet_name, attachments_dir=settings.attachments_dir,
            attachment_limits=AttachmentLimits.from_megabytes(settings.max_attachment_mb))
    except SheetError as error:
        echo_problems(error.problems)
        count = len(error.problems)
        say(f"{path}: {count} problem{'s' if count != 1 else ''}; nobody was read.", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None


def _audit_and_report(listed: AuditList, options: RunOptions, resume: bool) -> int:
    """Read with a progress bar and a line per participant, then the summary; the exit code."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.text import Text

    from caljobs_bot.pages.login import SignInFailed
    from caljobs_bot.running.audit import AuditRunner, AuditTarget, ParticipantAudit
    from caljobs_bot.running.disk import DiskFull
    from caljobs_bot.running.ledger import LedgerUnusable
    from caljobs_bot.settings.browser import BrowserNotFound
    from caljobs_bot.steps.results import SessionExpired, SiteUnavailable

    stop = threading.Event()
    columns = (TextColumn("{task.description}", markup=False), BarColumn(),
               MofNCompleteColumn())
    with stop_on_ctrl_c(stop) as arm_ctrl_c, Progress(*columns, console=data_console(),
                                                      transient=True) as progress:
        task = progress.add_task("signing in", total=len(listed.targets))

        def on_result(target: AuditTarget, result: ParticipantAudit) -> None:
            style = "green" if result.verdict.value in ("as the job says", "read") else "yellow"
            progress.console.print(Text.assemble(
                visible(f"{target.label()}: "), (result.verdict.value, style),
                visible(f" - {result.detail}")))
            progress.advance(task)
            progress.update(task, description="reading cases")

        try:
            runner = AuditRunner(listed, options, resume=resume, on_result=on_result,
                                 on_ready=arm_ctrl_c, stop=stop)
            outcome = runner.run()
        except BrowserNotFound as problem:
            say(str(problem), err=True)
            return EXIT_UNUSABLE
        except SignInFailed as problem:
            say(f"Sign-in failed: {problem} Nothing was read.", err=True)
            return EXIT_UNUSABLE
        except (SiteUnavailable, SessionExpired, DiskFull, LedgerUnusable) as problem:
            say(str(problem), err=True)
            return EXIT_UNUSABLE
    return _print_summary(outcome)


def _print_summary(outcome: AuditOutcome) -> int:
    """The count of each verdict, the notes and where the report is; the exit code."""
    from caljobs_bot.running.audit_verdict import Verdict

    console = data_console()
    counts: dict[str, int] = {}
    for result in outcome.results:
        counts[result.verdict.value] = counts.get(result.verdict.value, 0) + 1
    console.print(", ".join(f"{n} {verdict}" for verdict, n in counts.items()) or "nobody")
    for note in outcome.notes:
        console.print(visible(note))
    console.print(visible(f"Report: {outcome.report_html} (and audit.csv); "
                          f"audit ledger: {outcome.ledger}"))
    verdicts = {r.verdict for r in outcome.results}
    if outcome.results and verdicts <= {Verdict.NOT_RUN}:
        return EXIT_UNUSABLE
    return EXIT_OK if verdicts <= {Verdict.AS_THE_JOB_SAYS, Verdict.READ} else (
        EXIT_RECORDS_FAILED)
