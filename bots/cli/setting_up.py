"""Setting up: `config show` (the settings a run would use), `login` (a saved sign-in for
sites with multi-factor steps) and `wording show|template` (the site's words)."""

from __future__ import annotations

from pathlib import Path

import click

from caljobs_bot.cli.common import EXIT_UNUSABLE, CheckedPath, say
from caljobs_bot.cli.options import BrowserFlags, SiteOptions, settings_options
from caljobs_bot.cli.site import (
    base_url_or_stop,
    browser_problems,
    settings_or_stop,
    site_settings,
    use_wording,
)
from caljobs_bot.settings.keys import FlagGroup


@click.group()
def config() -> None:
    """The settings a run would use (caljobs-bot.toml, CALJOBS_ variables, flags)."""


@config.command("show")
@settings_options(*FlagGroup, browser=False)
def config_show(site: SiteOptions) -> None:
    """Print every setting, its value and where it came from; secrets masked.

    Takes every setting's flag, so it shows what a command given the same flags would use.
    """
    from caljobs_bot.settings.config_show import describe
    from caljobs_bot.settings.credentials import password_source

    settings = settings_or_stop(site)
    source = None
    if settings.base_url and settings.username:
        source = password_source(settings.base_url, settings.username)
    say(describe(settings, source))


@click.command()
@click.option("--wait", "wait_minutes", type=click.FloatRange(0.1, 60), default=5,
              show_default=True, help="Minutes to wait for you to finish signing in.")
@settings_options(FlagGroup.SIGN_IN, FlagGroup.BROWSER)
def login(wait_minutes: float, site: SiteOptions, browser: BrowserFlags) -> None:
    """Sign in by hand in a visible browser (for multi-factor or other extra steps) and keep
    the session for later runs, in a file made private to you. Runs use it until it expires."""
    from playwright.sync_api import Error as PlaywrightError

    from caljobs_bot.settings.browser_session import SessionOptions, open_session
    from caljobs_bot.settings.saved_sign_in import (
        save_session,
        session_file,
        wait_for_person_to_sign_in,
    )

    settings = site_settings(site)
    base_url = base_url_or_stop(settings)
    path = session_file(settings.runs_dir, base_url, settings.username)
    # Always a visible window and a fresh session: the person signs in anew.
    options = SessionOptions.for_site(settings, base_url, headless=False, saved_sign_in=False)
    try:
        with browser_problems(), open_session(options) as session:
            context = session.new_context()
            wait_for_person_to_sign_in(
                context.new_page(), base_url, timeout_ms=wait_minutes * 60_000,
                tell_person=lambda: say(
                    "Sign in in the browser window (and finish any extra steps); this waits "
                    f"until the staff dashboard shows, up to {wait_minutes:g} minutes."))
            saved = save_session(context, path)
    except PlaywrightError:
        say("Not signed in: the staff dashboard did not show in time (or the browser "
                   "was closed). Nothing was saved.", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    who_reads = ("only you can read it" if saved.private else
                 "it could NOT be made private: see the warning above")
    say(f"Signed in. The session is kept in {path} ({who_reads}); runs with "
               "the same site and username use it until the site ends it.")


@click.group()
def wording() -> None:
    """The site's words the bot looks for: the built-in table and your wording file."""


@wording.command("show")
@settings_options(FlagGroup.WORDING)
def wording_show(site: SiteOptions) -> None:
    """Print the wording table in force, element by element, and where each word came from."""
    from caljobs_bot.pages.site_wording import describe_table, in_force

    settings = settings_or_stop(site)
    use_wording(settings.wording, str(settings.sources.get("wording", "--wording")))
    where = (f"{settings.wording} ({settings.sources.get('wording')})" if settings.wording
             else "none (built-in words only)")
    say(f"Wording file: {where}")
    say(describe_table(in_force()))


@wording.command("template")
@click.option("-o", "--output", type=CheckedPath(dir_okay=False, path_type=Path), required=True,
              help="Where to write the template.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def wording_template(output: Path, force: bool) -> None:
    """Write a wording file with every key, commented out, with its meaning and built-in
    words: uncomment and fill the lines for what your site words differently."""
    from caljobs_bot.pages.wording_file import template_text

    if output.exists() and not force:
        raise click.UsageError(f"{output} exists: give another file, or --force.")
    output.write_text(template_text(), encoding="utf-8")
    say(f"Wrote {output}: every element the bot looks for, commented out.")
