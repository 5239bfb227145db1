"""Before a big run: `check` (a read-only walk through every screen) and `calibrate` (the
same walk, asking the person to click what the site words differently)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from caljobs_bot.cli.common import EXIT_OK, EXIT_RECORDS_FAILED, CheckedPath, data_console, say
from caljobs_bot.cli.options import BrowserFlags, Command, SiteOptions, settings_options
from caljobs_bot.cli.site import base_url_or_stop, browser_problems, site_session, site_settings
from caljobs_bot.settings.keys import FlagGroup
from caljobs_bot.visible import visible

if TYPE_CHECKING:
    from caljobs_bot.settings.config import Settings
    from caljobs_bot.steps.preflight import Finding, Fixer, Preflight

_WALK_OPTIONS = [
    click.option("--state-id", help="The participant to walk through (one without an outcome)."),
    click.option("--user-id", help="Or their User ID."),
    click.option("--application", help="The WIOA application number, if they have several."),
]


def walk_options(command: Command) -> Command:
    """The participant a read-only walk (check, calibrate) goes through; then the site,
    browser and --runs-dir (where the walk's screenshots go) options."""
    for option in reversed(_WALK_OPTIONS):
        command = option(command)
    return settings_options(FlagGroup.SIGN_IN, FlagGroup.BROWSER, FlagGroup.WALK)(command)


@click.command()
@click.option("--suggest", "suggest_file", type=CheckedPath(dir_okay=False, path_type=Path),
              default=None, help="Write the wording lines check suggests to this file (a new "
                                 "file; --force to overwrite one), for --wording FILE.")
@click.option("--force", is_flag=True, help="Let --suggest overwrite an existing file.")
@walk_options
def check(state_id: str | None, user_id: str | None, application: str | None,
          suggest_file: Path | None, force: bool,
          site: SiteOptions, browser: BrowserFlags) -> None:
    """Read-only preflight: sign in, open a participant's case, the outcome form and the
    contacts pop-up, and report which elements each screen offers. Never presses Save.

    Where an element is missing but its screen shows exactly one thing it could be, check
    names it and prints the wording line to add (--suggest FILE writes them).
    Exits 0 when everything was found, 1 when something was not (see the screenshots)."""
    from caljobs_bot.pages.candidates import single_candidate
    from caljobs_bot.pages.site_wording import in_force
    from caljobs_bot.pages.wording_file import wording_lines, write_wording

    if suggest_file is not None and suggest_file.exists() and not force:
        raise click.UsageError(f"{suggest_file} exists: give another file for --suggest, or "
                               "--force to overwrite it.")
    _need_participant(state_id, user_id)
    settings = site_settings(site)
    base_url, evidence, preflight = _walk(settings, browser, state_id, user_id, application,
                                          label="check", fixer=single_candidate)
    findings = preflight.findings
    suggestions = preflight.suggestions
    _print_findings(base_url, findings)
    missing = [f for f in findings if not f.found]
    if suggestions:
        say("Suggested wording (the only candidate on each screen; check it is the "
                   "right one, then add it to your wording file):")
        words = {s.key: [s.words] for s in suggestions}
        for line in wording_lines(words):
            say(f"  {line}")
        if suggest_file is not None:
            combined = {key: list(texts) for key, texts in in_force().added().items()}
            for key, texts in words.items():
                combined.setdefault(key, [])
                combined[key] += [t for t in texts if t not in combined[key]]
            comments = {s.key: f"suggested by caljobs-bot check ({s.screen}): {s.how}"
                        for s in suggestions}
            write_wording(suggest_file, combined, comments)
            say(f"Written to {suggest_file}: use it with --wording {suggest_file}, or "
                       f"name it in caljobs-bot.toml (wording = \"{suggest_file.name}\").")
    elif suggest_file is not None:
        say(f"No suggestion: {suggest_file} was not written.")
    if missing:
        say(f"{len(missing)} element(s) not found; screenshots in {evidence}. Do not "
                   "start a big run until the screens match (a wording file, or 'caljobs-bot "
                   "calibrate' to point at what differs).")
    else:
        say("Every screen offers what a run needs. Nothing was saved.")
    raise SystemExit(EXIT_RECORDS_FAILED if missing else EXIT_OK)


@click.command()
@click.option("-o", "--output", type=CheckedPath(dir_okay=False, path_type=Path), default=None,
              help="The wording file to record into (default: the wording file in force, "
                   "else site-wording.toml).")
@click.option("--wait", "wait_minutes", type=click.FloatRange(0.01, 120), default=10,
              show_default=True, help="Minutes to wait for each click.")
@click.option("--headless", is_flag=True, hidden=True, help="For tests: no visible window.")
@walk_options
def calibrate(state_id: str | None, user_id: str | None, application: str | None,
              output: Path | None, wait_minutes: float, headless: bool,
              site: SiteOptions, browser: BrowserFlags) -> None:
    """Point at what the site words differently: walks the screens as check does (read-only,
    never Save) in a visible browser, and for each element it cannot find asks you to click
    it; its words go into the wording file."""
    from caljobs_bot.settings.calibrate import Calibrator

    _need_participant(state_id, user_id)
    settings = site_settings(site)
    target = output or settings.wording or Path("site-wording.toml")
    calibrator = Calibrator(target, wait_ms=wait_minutes * 60_000,
                            tell=lambda said: say(said))
    base_url, evidence, preflight = _walk(settings, browser, state_id, user_id, application,
                                          label="calibrate", fixer=calibrator, restart=True,
                                          headless=headless)
    findings = preflight.findings
    _print_findings(base_url, findings)
    still = [f for f in findings if not f.found and "clicked by you" not in f.detail]
    if calibrator.learned:
        say(f"Recorded {len(calibrator.learned)} element(s) in {target}; runs use it "
                   f"with --wording {target} (or wording = \"{target.name}\" in "
                   "caljobs-bot.toml).")
    if still:
        say(f"{len(still)} element(s) still not found; screenshots in {evidence}.")
    raise SystemExit(EXIT_RECORDS_FAILED if still else EXIT_OK)


def _need_participant(state_id: str | None, user_id: str | None) -> None:
    """Refuse a walk with nobody to walk through, before anything else is asked."""
    if not (state_id or user_id):
        raise click.UsageError("Give --state-id or --user-id of a participant to walk through "
                               "(one whose WIOA application has no outcome yet).")


def _walk(settings: Settings, browser: BrowserFlags, state_id: str | None,
          user_id: str | None, application: str | None, *, label: str,
          fixer: Fixer | None = None, restart: bool = False,
          headless: bool | None = None) -> tuple[str, Path, Preflight]:
    """Sign in and walk the screens read-only (bots/steps/preflight.py); (base URL, evidence
    folder, the Preflight with its findings and suggestions). `headless` None: as the
    settings say (calibrate's window is always shown, except in its tests)."""
    from datetime import datetime

    from caljobs_bot.settings.browser_session import open_session
    from caljobs_bot.settings.private import private_folder
    from caljobs_bot.steps.preflight import Preflight

    base_url = base_url_or_stop(settings)
    session, credentials = site_session(settings, base_url, browser, headless=headless)
    evidence = private_folder(settings.runs_dir / f"{label}-{datetime.now():%Y%m%d-%H%M%S}")
    with browser_problems(), open_session(session) as opened:
        preflight = Preflight(opened.new_page(), base_url, credentials, evidence,
                              fixer=fixer, restart=restart)
        preflight.run(state_id=state_id, user_id=user_id, application=application)
    return base_url, evidence, preflight


def _print_findings(base_url: str, findings: Sequence[Finding]) -> None:
    """The walk's findings as one table, screen by screen."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=visible(f"Preflight check of {base_url}"))
    for column in ("screen", "element", "found", "detail"):
        table.add_column(column, overflow="fold")
    for finding in findings:
        found = Text("yes", style="green") if finding.found else Text("NO", style="bold red")
        table.add_row(visible(finding.screen), visible(finding.element), found,
                      visible(finding.detail))
    data_console().print(table)
