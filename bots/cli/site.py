"""From the typed options to what a command needs for a site: the resolved settings, the
wording in force, the sign-in address, the staff sign-in and how to open the browser.

Every site-facing command goes through here, so `run`, `check`, `login`, `walkthrough` and
`guide` resolve a profile, a saved session and a test site's certificate rule the same way.
The settings modules are small and imported here; Playwright is not (bench/startup.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from caljobs_bot.cli.common import EXIT_UNUSABLE, say
from caljobs_bot.cli.options import BrowserFlags, SiteOptions

if TYPE_CHECKING:
    from caljobs_bot.settings.browser_session import SessionOptions
    from caljobs_bot.settings.config import Settings
    from caljobs_bot.settings.credentials import Credentials


def settings_or_stop(site: SiteOptions | None = None) -> Settings:
    """The resolved settings (flags > CALJOBS_ variables > config file), warnings shown;
    a configuration problem stops the command with one sentence."""
    from caljobs_bot.settings.config import load_settings
    from caljobs_bot.settings.values import ConfigError

    site = site or SiteOptions()
    try:
        settings = load_settings(flags=site.flags, profile=site.profile,
                                 config_path=site.config_path)
    except ConfigError as error:
        say(f"Configuration problem: {error}", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    for warning in settings.warnings:
        say(f"Warning: {warning}", err=True)
    return settings


def site_settings(site: SiteOptions, *, use_file_wording: bool = True) -> Settings:
    """Settings from the command's setting flags, with the wording they name put in force.

    `use_file_wording` False: only --wording counts, not the config file's (the practice
    sandbox speaks the help sheets' words, whatever a real site's wording file says)."""
    settings = settings_or_stop(site)
    if use_file_wording:
        use_wording(settings.wording, str(settings.sources.get("wording", "--wording")))
    else:
        use_wording(site.wording)
    return settings


def use_wording(path: Path | None, source: str = "--wording") -> None:
    """Make the built-in wording plus the file's the table every page object reads; a file
    with a problem stops the command with its file, line and the valid keys."""
    from caljobs_bot.pages.site_wording import BUILT_IN, load_wording_file, use
    from caljobs_bot.pages.wording_file import WordingError

    if path is None:
        use(BUILT_IN)
        return
    if not path.is_file():
        say(f"Wording problem: {path} ({source}): no such file. 'caljobs-bot wording "
                   "template -o FILE' writes one with every key.", err=True)
        raise SystemExit(EXIT_UNUSABLE)
    try:
        use(load_wording_file(path))
    except WordingError as problem:
        say(f"Wording problem: {problem}", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None


def base_url_or_stop(settings: Settings) -> str:
    """The site's sign-in address, or a message saying the three ways to give one."""
    if not settings.base_url:
        raise click.UsageError(
            "Which site? Give --base-url URL, set CALJOBS_BASE_URL, or put base_url in "
            "caljobs-bot.toml (pick a profile with --profile NAME; see 'caljobs-bot config show')."
        )
    return settings.base_url


def credentials_or_stop(settings: Settings, base_url: str, *,
                        saved_session: bool = False) -> Credentials:
    """The staff sign-in: username from the settings (CALJOBS_USERNAME, the config file,
    --username) or asked; password from CALJOBS_PASSWORD, the system keyring, or a hidden
    prompt. With a saved session, a password is used only if one is stored: none is asked."""
    from caljobs_bot.settings.config import PASSWORD_NOT_STORED
    from caljobs_bot.settings.credentials import (
        Credentials,
        CredentialsError,
        get_password,
        get_username,
        password_source,
    )

    try:
        username = get_username(settings.username)
        if saved_session and password_source(base_url, username) == PASSWORD_NOT_STORED:
            return Credentials(username, None)
        return Credentials(username, get_password(base_url, username))
    except CredentialsError as problem:
        say(str(problem), err=True)
        raise SystemExit(EXIT_UNUSABLE) from None


def site_session(settings: Settings, base_url: str, browser: BrowserFlags | None = None, *,
                 headless: bool | None = None) -> tuple[SessionOptions, Credentials]:
    """How to open the browser for this site (the saved session of `caljobs-bot login` when
    there is one for this site and user) and who signs in."""
    from caljobs_bot.settings.browser_session import SessionOptions

    session = SessionOptions.for_site(settings, base_url, headless=headless,
                                      slow_mo_ms=browser.slow_mo if browser else 0)
    credentials = credentials_or_stop(settings, base_url,
                                      saved_session=session.storage_state is not None)
    return session, credentials


@contextmanager
def browser_problems() -> Iterator[None]:
    """A browser that cannot be found or started, or a refused sign-in: one sentence and
    exit code 2, not a traceback."""
    from caljobs_bot.pages.login import SignInFailed
    from caljobs_bot.settings.browser import BrowserNotFound

    try:
        yield
    except BrowserNotFound as problem:
        say(str(problem), err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    except SignInFailed as problem:
        say(f"Sign-in failed: {problem} Nothing was entered.", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
