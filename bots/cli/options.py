"""The options several commands share, each written once and handed over as a typed value.

The flags of settings are generated from the settings table (settings/keys.py): a command
names the groups of flags it takes (`settings_options(FlagGroup.SIGN_IN, ...)`) and receives
them, with --profile and --config, as one `site: SiteOptions`; the flag's name, type, check
and help all come from the table, so a flag cannot name a setting that does not exist, and a
value is checked the same way on the command line, in CALJOBS_ variables and in the file.
`--slow-mo` is not a setting: it comes with the BROWSER group as `browser: BrowserFlags`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from caljobs_bot.cli.common import CheckedPath
from caljobs_bot.fixtures.sandbox.__main__ import variant_option
from caljobs_bot.settings.keys import BY_NAME, KEYS, FlagGroup, Invalid, Key, TooLong

Command = Callable[..., Any]
# The parameter names the generated options get: never a name a command uses itself.
_DEST = "setting__"


class SettingValue(click.ParamType):
    """A setting's value on the command line, read and checked by its kind in the table: a
    bad one is click's "Invalid value for '--workers'" with the sentence the file and the
    variables give ("must be a whole number from 1 to 8")."""

    def __init__(self, key: Key) -> None:
        self.key = key
        self.name = key.kind.metavar.lower()

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return self.key.kind.metavar

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        try:
            parsed = self.key.kind.parse(value, isinstance(value, str))
        except TooLong as problem:
            self.fail(str(problem), param, ctx)
        except Invalid as problem:
            self.fail(f"{problem}, not {value!r}", param, ctx)
        return parsed


class SettingOption(click.Option):
    """A click option generated from a row of the settings table (`key`)."""

    def __init__(self, param_decls: Sequence[str] | None = None, *, key: Key, dest: str,
                 **overrides: Any) -> None:
        # click passes the declarations given to click.option: there are none, the flag
        # and the parameter's name come from the key.
        assert not param_decls and key.flag is not None, f"{key.name}: no flag"
        self.key = key
        options: dict[str, Any] = {"help": key.help, "default": None}
        if key.switch is not None:
            options["is_flag"] = True
            options["default"] = False
        else:
            options["type"] = SettingValue(key)
        options.update(overrides)
        super().__init__([key.flag, dest], **options)


def setting_option(name: str, dest: str | None = None,
                   **overrides: Any) -> Callable[[Command], Command]:
    """The option of one setting, received as `dest` (default: the key's name), for the
    commands that use a setting's flag without resolving settings (demo, practice: the
    sandbox only); `overrides` are click.Option arguments (a default of its own)."""
    key = BY_NAME[name]
    return click.option(cls=SettingOption, key=key, dest=dest or key.name, **overrides)


@dataclass(frozen=True)
class SiteOptions:
    """--profile, --config and the setting flags given on the command line, by the settings'
    key names (a flag not given is absent: the config file, CALJOBS_ variables or a default
    then decide)."""

    profile: str | None = None
    config_path: Path | None = None
    flags: Mapping[str, object] = field(default_factory=dict)

    @property
    def base_url(self) -> str | None:
        """--base-url, if given (a trainer leaves the practice sandbox only for it)."""
        value = self.flags.get("base_url")
        return value if isinstance(value, str) else None

    @property
    def wording(self) -> Path | None:
        """--wording, if given."""
        value = self.flags.get("wording")
        return Path(value) if isinstance(value, str | Path) else None


@dataclass(frozen=True)
class BrowserFlags:
    """How the browser is shown: `headed` None when the command has no --headed (its own
    rule decides), and a pause after each action."""

    headed: bool | None = None
    slow_mo: float = 0


def _with_options(command: Command, options: Sequence[Callable[[Command], Command]]) -> Command:
    for option in reversed(options):
        command = option(command)
    return command


_PROFILE_OPTION = click.option(
    "--profile", metavar="NAME",
    help="A [profiles.NAME] of caljobs-bot.toml, e.g. training or production (or "
         "CALJOBS_PROFILE).")

_CONFIG_OPTION = click.option(
    "--config", "config_path", type=CheckedPath(exists=True, dir_okay=False, path_type=Path),
    help="The config file (default: ./caljobs-bot.toml, then your config folder).")

_SLOW_MO = click.option("--slow-mo", type=float, default=0, metavar="MS",
                        help="Pause MS milliseconds after each browser action.")


def keys_of(groups: tuple[FlagGroup, ...]) -> list[Key]:
    """The settings whose flag the commands of these groups offer, in the table's order."""
    return [key for key in KEYS if key.flag and set(key.groups) & set(groups)]


def settings_options(*groups: FlagGroup,
                     browser: bool = True) -> Callable[[Command], Command]:
    """Add --profile, --config and the flags of the settings in `groups`; the command
    receives them as `site: SiteOptions` (and, with FlagGroup.BROWSER, `--slow-mo` and
    `--headed` as `browser: BrowserFlags` too, unless `browser` is False: a command that
    opens no browser, like `config show`, takes --headed only as a setting)."""
    keys = keys_of(groups)
    browser = browser and FlagGroup.BROWSER in groups

    def decorate(command: Command) -> Command:
        @functools.wraps(command)
        def with_settings(*args: Any, profile: str | None, config_path: Path | None,
                          **kwargs: Any) -> Any:
            given = {key.name: kwargs.pop(_DEST + key.name) for key in keys}
            flags: dict[str, object] = {}
            for key in keys:
                value = given[key.name]
                if key.switch is not None:
                    if value:
                        flags[key.name] = key.switch
                elif value is not None:
                    flags[key.name] = value
            if browser:
                kwargs["browser"] = BrowserFlags(flags.get("headless") is False,
                                                 kwargs.pop("slow_mo"))
            return command(*args, site=SiteOptions(profile, config_path, flags), **kwargs)

        options = [_PROFILE_OPTION, _CONFIG_OPTION,
                   *(click.option(cls=SettingOption, key=key, dest=_DEST + key.name)
                     for key in keys)]
        return _with_options(with_settings, options + ([_SLOW_MO] if browser else []))

    return decorate


def browser_options(command: Command) -> Command:
    """--headed and --slow-mo, received as `browser: BrowserFlags`, for a command that opens
    a browser on the sandbox only (demo) and so resolves no settings."""

    @functools.wraps(command)
    def with_browser(*args: Any, headed: bool, slow_mo: float, **kwargs: Any) -> Any:
        return command(*args, browser=BrowserFlags(headed, slow_mo), **kwargs)

    return _with_options(with_browser, [setting_option("headless", "headed"), _SLOW_MO])


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
    return setting_option("browser_path")(command)


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

    return _with_options(with_markup, [variant_option(name)
                                       for name in ("ui", "captions", "popup", "markup")])
