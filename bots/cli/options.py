"""The options several commands share, each written once and handed over as a typed value.

`site_options` gives every command that signs in to a site (run, check, calibrate, login,
walkthrough, guide) the same `--profile --config --base-url --username --timeout
--browser-path --wording`, collected into one `SiteOptions`; `browser_options` adds `--headed`
and `--slow-mo` as a `BrowserFlags`. A command reads attributes, never string keys, and the
settings are resolved from them in one place (cli/site.py).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from caljobs_bot.cli.common import CheckedPath

Command = Callable[..., Any]


@dataclass(frozen=True)
class SiteOptions:
    """Which site, who, and how long to wait, as typed on the command line (None: not given;
    the config file, CALJOBS_ variables or a default then decide)."""

    profile: str | None = None
    config_path: Path | None = None
    base_url: str | None = None
    username: str | None = None
    timeout: float | None = None
    browser_path: str | None = None
    wording: Path | None = None

    def flags(self) -> dict[str, object]:
        """The flags by the config file's key names, for settings.config.load_settings."""
        return {"base_url": self.base_url, "username": self.username, "timeout": self.timeout,
                "browser_path": self.browser_path, "wording": self.wording}


@dataclass(frozen=True)
class BrowserFlags:
    """How the browser is shown: `headed` None when the command has no --headed (its own
    rule decides), and a pause after each action."""

    headed: bool | None = None
    slow_mo: float = 0


def _with_options(command: Command, options: list[Callable[[Command], Command]]) -> Command:
    for option in reversed(options):
        command = option(command)
    return command


def _profile_option(help_text: str) -> Callable[[Command], Command]:
    return click.option("--profile", metavar="NAME", help=help_text)


_CONFIG_OPTION = click.option(
    "--config", "config_path", type=CheckedPath(exists=True, dir_okay=False, path_type=Path),
    help="The config file (default: ./caljobs-bot.toml, then your config folder).")

_SITE_OPTIONS: list[Callable[[Command], Command]] = [
    _profile_option("A [profiles.NAME] of caljobs-bot.toml, e.g. training or production "
                    "(or CALJOBS_PROFILE)."),
    _CONFIG_OPTION,
    click.option("--base-url", default=None,
                 help="The address where staff sign in (the page with the sign-in form)."),
    click.option("--username", default=None,
                 help="Staff username (default: CALJOBS_USERNAME or the config file)."),
    click.option("--timeout", type=click.FloatRange(1, 600), default=None,
                 help="Seconds to wait for the site at each step (default 15)."),
    click.option("--browser-path", type=CheckedPath(dir_okay=False), default=None,
                 help="A Chrome, Edge or Chromium executable to use instead of the one found."),
    click.option("--wording", type=CheckedPath(dir_okay=False, path_type=Path), default=None,
                 help="A site-wording file: the site's own words for buttons, captions, "
                      "titles and messages (default: wording in caljobs-bot.toml; see "
                      "'caljobs-bot wording template')."),
]


def site_options(command: Command) -> Command:
    """Add the options of every command that signs in to a site; the command receives them
    as `site: SiteOptions`."""

    @functools.wraps(command)
    def with_site(*args: Any, profile: str | None, config_path: Path | None,
                  base_url: str | None, username: str | None, timeout: float | None,
                  browser_path: str | None, wording: Path | None, **kwargs: Any) -> Any:
        site = SiteOptions(profile, config_path, base_url, username, timeout, browser_path,
                           wording)
        return command(*args, site=site, **kwargs)

    return _with_options(with_site, _SITE_OPTIONS)


_SLOW_MO = click.option("--slow-mo", type=float, default=0, metavar="MS",
                        help="Pause MS milliseconds after each browser action.")


def browser_options(command: Command) -> Command:
    """--headed and --slow-mo, received as `browser: BrowserFlags`."""

    @functools.wraps(command)
    def with_browser(*args: Any, headed: bool, slow_mo: float, **kwargs: Any) -> Any:
        return command(*args, browser=BrowserFlags(headed, slow_mo), **kwargs)

    return _with_options(with_browser, [
        click.option("--headed", is_flag=True, help="Show the browser window."), _SLOW_MO])


def visible_browser_options(command: Command) -> Command:
    """--slow-mo alone, for commands whose window is always shown (a --headed that does
    nothing would only mislead); received as `browser: BrowserFlags`."""

    @functools.wraps(command)
    def with_browser(*args: Any, slow_mo: float, **kwargs: Any) -> Any:
        return command(*args, browser=BrowserFlags(None, slow_mo), **kwargs)

    return _SLOW_MO(with_browser)


def browser_path_option(command: Command) -> Command:
    """--browser-path, for the commands that open a browser on the sandbox only (demo,
    practice) and so take no site options."""
    return click.option(
        "--browser-path", type=CheckedPath(dir_okay=False), default=None,
        help="A Chrome, Edge or Chromium executable to use instead of the one found.")(command)


def config_file_options(command: Command) -> Command:
    """--profile and --config, for commands that read the settings without a site (validate,
    config show, wording show)."""
    return _with_options(command, [_profile_option("A [profiles.NAME] of caljobs-bot.toml "
                                                   "(or CALJOBS_PROFILE)."), _CONFIG_OPTION])


attachments_dir_option = click.option(
    "--attachments-dir", type=CheckedPath(file_okay=False, path_type=Path), default=None,
    help="The folder case-note attachments must be in (default: the job file's folder, or "
         "attachments_dir in caljobs-bot.toml).")


def sandbox_options(command: Command) -> Command:
    """The mock site's variants (--ui, --captions, --popup, --markup), shared by `sandbox`,
    `demo` and the trainers.

    `--markup accessible|plain` reaches the sandbox these commands start without a parameter
    of their own: unless the command takes `markup` itself, it runs inside
    `fixtures.sandbox.server.default_markup(...)`, so its `Sandbox(...)` serves that markup.
    """
    run = command
    takes_markup = "markup" in inspect.signature(run).parameters

    @functools.wraps(run)
    def with_markup(*args: Any, markup: str = "accessible", **kwargs: Any) -> Any:
        if takes_markup:
            return run(*args, markup=markup, **kwargs)
        from caljobs_bot.fixtures.sandbox.server import default_markup

        with default_markup(markup):
            return run(*args, **kwargs)

    return _with_options(with_markup, [
        click.option("--ui", type=click.Choice(["2021", "2016"]), default="2021",
                     help="Screens as in the 2021 or the 2016 help sheet."),
        click.option("--captions", type=click.Choice(["label", "cell"]), default="label",
                     help="Field captions as <label>s or as plain table cells."),
        click.option("--popup", type=click.Choice(["window", "dialog", "ajax"]),
                     default="window",
                     help="Contacts pop-up as a separate window, an in-page dialog holding an "
                          "iframe, or a div in the page filled by AJAX."),
        click.option("--markup", type=click.Choice(["accessible", "plain"]),
                     default="accessible",
                     help="Markup as now (ARIA roles, <label>s) or plain WebForms-like "
                          "markup with no ARIA at all."),
    ])
