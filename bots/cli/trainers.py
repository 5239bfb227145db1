"""The trainers' commands: `walkthrough` (the bot explains each step on screen), `guide` (an
illustrated step-by-step guide) and `practice` (the trainee does the steps, the tool checks).

`walkthrough` and `guide` take the same site options as `run`: against the practice sandbox
started here unless --base-url or --profile names a real site, where the profile, the saved
session of `caljobs-bot login` and a test site's certificate rule apply as for a run.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from caljobs_bot.cli.common import (
    EXIT_OK,
    EXIT_RECORDS_FAILED,
    EXIT_UNUSABLE,
    CheckedPath,
    load_job_or_stop,
    say,
)
from caljobs_bot.cli.options import (
    BrowserFlags,
    Command,
    SiteOptions,
    browser_path_option,
    sandbox_options,
    setting_option,
    settings_options,
    visible_browser_options,
)
from caljobs_bot.cli.site import base_url_or_stop, site_session, site_settings
from caljobs_bot.fixtures.sandbox import SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.settings.keys import FlagGroup

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Job, Record
    from caljobs_bot.settings.browser_session import SessionOptions
    from caljobs_bot.settings.credentials import Credentials


@dataclass(frozen=True)
class TrainerSite:
    """Where a trainer's replay runs: its sign-in address, who signs in, a name to show, how
    the browser opens, and whether it is a real site (its pictures show real data)."""

    sign_in_url: str
    credentials: Credentials
    name: str
    session: SessionOptions
    real: bool


def _record_options(command: Command) -> Command:
    """--record and --no-save, shared by walkthrough and guide."""
    command = click.option(
        "--no-save", is_flag=True, help="Fill every field, then Cancel instead of Save "
                                        "(nothing is changed on the site): practice on live "
                                        "data.")(command)
    return click.option("--record", "record_number", type=click.IntRange(min=1), default=1,
                        show_default=True,
                        help="Which record of JOB to perform (1 is the first).")(command)


def _pick(job: Job, record_number: int) -> Record:
    """The record --record names, or a usage error saying how many there are."""
    for record in job.records:
        if record.index == record_number:
            return record
    raise click.BadParameter(f"the job has no record {record_number} (it has "
                             f"{len(job.records)})", param_hint="--record")


@contextmanager
def _trainer_site(site: SiteOptions, browser: BrowserFlags, *, headless: bool, no_save: bool,
                  ui: str, captions: str, popup: str) -> Iterator[TrainerSite]:
    """The practice sandbox started in-process, or the real site --base-url or --profile
    names, where a Save is confirmed first.

    Only the command line moves a trainer off the sandbox: a base_url in the config file or
    CALJOBS_BASE_URL alone does not (the sandbox is where trainees practise). The sandbox
    speaks the help sheets' words, so only --wording, not the config file's, applies there."""
    from caljobs_bot.settings.browser_session import SessionOptions

    real = site.base_url is not None or site.profile is not None
    settings = site_settings(site, use_file_wording=real)
    if not real:
        from caljobs_bot.fixtures.sandbox.server import Sandbox
        from caljobs_bot.settings.credentials import Credentials

        with Sandbox(port=0, ui=ui, captions=captions, popup=popup) as server:
            session = SessionOptions.for_site(settings, server.sign_in_url, headless=headless,
                                              slow_mo_ms=browser.slow_mo, saved_sign_in=False)
            yield TrainerSite(server.sign_in_url,
                              Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD),
                              f"the practice sandbox ({ui} screens)", session, real=False)
        return
    from urllib.parse import urlsplit

    base_url = base_url_or_stop(settings)
    host = urlsplit(base_url).netloc or base_url
    if not no_save:
        if not sys.stdin.isatty():
            raise click.UsageError(f"This would save a real outcome on {host}: add --no-save, "
                                   "or run it from a terminal to confirm.")
        click.confirm(f"This saves a real Exit/Outcome on {host} (it cannot be undone without "
                      "a Data Change Request). Go on?", abort=True)
    session, credentials = site_session(settings, base_url, browser, headless=headless)
    yield TrainerSite(base_url, credentials, host, session, real=True)


@contextmanager
def _trainer_errors() -> Iterator[None]:
    """Browser and sign-in problems as a sentence and exit code 2, not a traceback."""
    from playwright.sync_api import Error as PlaywrightError

    from caljobs_bot.pages.login import SignInFailed
    from caljobs_bot.settings.browser import BrowserNotFound
    from caljobs_bot.trainer.output import OutputNotWritable

    try:
        yield
    except (OutputNotWritable, BrowserNotFound) as problem:
        say(str(problem), err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    except SignInFailed as problem:
        say(f"Sign-in failed: {problem} Nothing was entered.", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    except PlaywrightError:
        say("The browser was closed or stopped answering; stopped.", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    except KeyboardInterrupt:
        say("\nStopped.", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None


@click.command()
@click.argument("job", type=CheckedPath(exists=True, dir_okay=False, path_type=Path))
@click.option("--pause", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="Go on by itself after SECONDS at each step (Next goes on sooner). "
                   "Default: step by step, on Enter here or Next in the caption panel.")
@click.option("--headless", is_flag=True, hidden=True, help="No window (for smoke tests).")
@_record_options
@sandbox_options
@settings_options(FlagGroup.SIGN_IN)
@visible_browser_options
def walkthrough(job: Path, pause: float | None, headless: bool, record_number: int,
                no_save: bool, ui: str, captions: str, popup: str, site: SiteOptions,
                browser: BrowserFlags) -> None:
    """Perform one record of JOB in a visible browser, explaining each step on screen.

    A caption panel shows the step's number, title and explanation, and the element about
    to be used is outlined: the same steps, in the same order, as `run`. Against the practice
    sandbox (--ui, --captions, --popup choose its screens) unless --base-url or --profile
    names a real site. Exits 1 if the record was not finished.
    """
    from caljobs_bot.trainer.walkthrough import Pace, Stop, run_walkthrough

    record = _pick(load_job_or_stop(job), record_number)
    # Without a terminal (stdin piped or closed) nobody can press Enter here: say so once,
    # and go on with the panel's Next only.
    terminal = sys.stdin is not None and sys.stdin.isatty()
    pace = Pace(pause, enter_key=pause is None and terminal)
    if pause is None and not terminal:
        say("No terminal to press Enter in: click Next in the browser's caption panel "
                   "to go on at each step.")

    def on_stop(stop: Stop) -> None:
        say(f"{stop.caption.counter}: {stop.caption.title}")
        if stop.caption.note:
            say(f"    {stop.caption.note}")
        if pause is None:
            button = "Next" if stop.step is not None else "Finish"
            where = f"Enter here, or {button} in the browser," if terminal else (
                f"{button} in the browser's panel")
            say(f"    ({where} to go on; clicking the outlined element goes on too)")

    with _trainer_errors(), _trainer_site(site, browser, headless=headless, no_save=no_save,
                                          ui=ui, captions=captions, popup=popup) as where:
        say(f"Walkthrough of {record.label()} on {where.name}.")
        result = run_walkthrough(where.sign_in_url, where.credentials, record, pace=pace,
                                 dry_run=no_save, session=where.session, on_stop=on_stop)
    say(f"{record.label()}: {result.status.value} - {result.reason}")
    raise SystemExit(EXIT_OK if result.ok else EXIT_RECORDS_FAILED)


@click.command()
@click.argument("job", type=CheckedPath(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=CheckedPath(file_okay=False, path_type=Path),
              required=True, help="The folder for guide.html, .md, .pdf, .docx, the video "
                                  "(guide.webm, guide.vtt) and images/.")
@click.option("--mask-pii", is_flag=True,
              help="Hide participant data (names, ids, login name, city, contacts, "
                   "application numbers, dates, case-note text and attachment name) with "
                   "████ in the pictures, and describe it instead in the text.")
@_record_options
@sandbox_options
@settings_options(FlagGroup.SIGN_IN, FlagGroup.BROWSER)
def guide(job: Path, output: Path, mask_pii: bool, record_number: int, no_save: bool,
          ui: str, captions: str, popup: str, site: SiteOptions, browser: BrowserFlags) -> None:
    """Replay one record of JOB and write an illustrated step-by-step guide.

    Each step gets a screenshot with its element outlined, its title and explanation, and
    the words the screen shows for it (e.g. the button's name on this version of the site).
    Against the practice sandbox (--ui, --captions, --popup choose its screens) unless
    --base-url or --profile names a real site. Exits 1 if the record was not finished (the
    guide is still written, up to where it stopped).
    """
    from caljobs_bot.trainer.guide import (
        OUTPUT_FILES,
        OUTPUT_FOLDERS,
        check_room_for_guide,
        make_guide,
    )
    from caljobs_bot.trainer.output import check_writable

    record = _pick(load_job_or_stop(job), record_number)
    # Before anything is replayed (and, on a real site, saved): the files must be writable
    # and the disk must have room for them.
    with _trainer_errors():
        check_writable(output, OUTPUT_FILES, OUTPUT_FOLDERS)
        check_room_for_guide(output)
    with _trainer_errors(), _trainer_site(site, browser, headless=not browser.headed,
                                          no_save=no_save, ui=ui, captions=captions,
                                          popup=popup) as where:
        made, files = make_guide(where.sign_in_url, where.credentials, record, output,
                                 site=where.name, mask_pii=mask_pii, dry_run=no_save,
                                 session=where.session)
    result = made.result
    written = [files.markdown.name, files.pdf.name]
    written += [path.name for path in (files.docx, files.video, files.captions) if path]
    say(f"Wrote {files.html}, {', '.join(written)}, with {len(files.images)} pictures "
               f"in {files.html.parent / 'images'}.")
    if files.no_video:
        say(files.no_video)
    if where.real and not mask_pii:
        say("The pictures show participant data: keep them private, or make the guide "
                   "with --mask-pii.")
    if result is not None:
        say(f"{record.label()}: {result.status.value} - {result.reason}")
    raise SystemExit(EXIT_OK if result is not None and result.ok else EXIT_RECORDS_FAILED)


@click.command()
@click.argument("job", type=CheckedPath(exists=True, dir_okay=False, path_type=Path))
@click.option("--record", "record_number", type=click.IntRange(min=1), default=1,
              show_default=True, help="Which record of JOB to practise (1 is the first).")
@click.option("--report", "report_path", type=CheckedPath(dir_okay=False, path_type=Path),
              default=Path("practice-report.md"), show_default=True,
              help="Where to write the report a trainer collects.")
@setting_option("timeout", default=15.0, show_default=True,
                help="Seconds Show me waits for the site at each action.")
@click.option("--headless", is_flag=True, hidden=True, help="No window (for smoke tests).")
@sandbox_options
@visible_browser_options
@browser_path_option
def practice(job: Path, record_number: int, report_path: Path, timeout: float, headless: bool,
             ui: str, captions: str, popup: str, browser: BrowserFlags,
             browser_path: str | None) -> None:
    """Practise one record of JOB on the practice sandbox, in a visible browser: you do each
    step, the caption panel says what to do with the record's values, and the tool checks.

    A wrong button or value gets a hint (naming the right one after two misses); "Show me"
    in the panel does the current action for you. At the end: the outcome as the sandbox
    saved it, time and mistakes per step, and a report file for your trainer.
    """
    from caljobs_bot.settings.browser_session import SessionOptions
    from caljobs_bot.trainer.output import check_writable
    from caljobs_bot.trainer.practice import run_practice

    record = _pick(load_job_or_stop(job), record_number)
    with _trainer_errors():
        check_writable(report_path.parent, [report_path.name], option="--report")
    session = SessionOptions(browser_path=browser_path, headless=headless,
                             slow_mo_ms=browser.slow_mo, timeout_ms=timeout * 1000)
    with _trainer_errors():
        result = run_practice(record, report_path, ui=ui, captions=captions, popup=popup,
                              session=session,
                              on_prompt=lambda prompt: say(
                                  f"{prompt.caption.counter}: {prompt.caption.text}"
                                  + (f"\n    {prompt.caption.note}" if prompt.caption.note
                                     else "")))
    for score in result.steps.values():
        if score.seconds:
            say(f"  {score.title}: {score.seconds:.0f} s, {score.mistakes} mistakes"
                       + (f", {score.shown} shown" if score.shown else ""))
    outcome = result.outcome
    say("Saved: " + (f"{outcome['exit_reason']} on {outcome['exit_date']} "
                            f"(application {outcome['application_number']})" if outcome
                            else "nothing"))
    # The verdict is what the site holds, not the clicks: a finished practice with a wrong
    # result is not a success.
    if result.well_done:
        say("Well done: the site holds what the record asks for, and nothing else changed.")
    for problem in result.problems:
        say(f"  Mistake: {problem}")
    say(f"Report written to {result.report}.")
    raise SystemExit(EXIT_OK if result.well_done else EXIT_RECORDS_FAILED)
