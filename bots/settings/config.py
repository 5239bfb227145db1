"""Settings for a run: command-line flags, then `CALJOBS_...` variables, then a config file.

One place decides every setting and remembers where it came from, so `caljobs-bot config show`
can say why a run will do what it does. The file (`caljobs-bot.toml`) holds what stays the same
between runs on one site: its address, the staff username, the browser, how politely to load
pages. Named profiles (`[profiles.training]`, `[profiles.production]`) override the top level,
so one file serves the training site and the real one; a profile marked `production = true`
makes the command line ask the person to type the profile name before a run that saves.

Passwords never live here (see settings/credentials.py): a `password` key in the file is refused.
The real CalJOBS is shared and watched, so a site that is not this machine gets at most
`REMOTE.max_workers` browsers and a rate limit, whatever the settings say (settings/politeness.py).
"""

from __future__ import annotations

import difflib
import os
import re
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caljobs_bot.settings.keys import BY_NAME, KEYS, Key, TooLong
from caljobs_bot.settings.keys import ENV_PREFIX as ENV_PREFIX  # re-exported: callers have
from caljobs_bot.settings.keys import TRACE_MODES as TRACE_MODES  # always found these here
from caljobs_bot.settings.keys import Invalid as _Invalid
from caljobs_bot.settings.keys import Settings as Settings
from caljobs_bot.settings.keys import TraceMode as TraceMode
from caljobs_bot.settings.limits import MAX_NAME, path_too_long, text_too_long
from caljobs_bot.settings.politeness import apply_politeness, is_local, mask_url
from caljobs_bot.settings.values import DEFAULT, Origin, Setting, Source
from caljobs_bot.settings.values import ConfigError as ConfigError
from caljobs_bot.toml_lines import line_of

CONFIG_NAME = "caljobs-bot.toml"
APP_FOLDER = "caljobs-bot"
CONFIG_ENV = "CALJOBS_CONFIG"
PROFILE_ENV = "CALJOBS_PROFILE"
PRODUCTION_PROMPT = "Type the profile name to continue"
# What caljobs_bot.settings.credentials.password_source says when no password is stored anywhere.
PASSWORD_NOT_STORED = "not stored: asked for when a run starts"

_SECRET_KEYS = frozenset({"password", "passwd", "pass", "secret", "token"})


# -- finding and reading the file ------------------------------------------------------------

def user_config_file(env: Mapping[str, str] | None = None,
                     platform: str | None = None) -> Path | None:
    """The per-user config file's path (which may not exist) for this operating system."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform.startswith("win"):
        appdata = env.get("APPDATA")
        return Path(appdata, APP_FOLDER, CONFIG_NAME) if appdata else None
    xdg = env.get("XDG_CONFIG_HOME")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg, APP_FOLDER, CONFIG_NAME)
    home = env.get("HOME")
    base = Path(home) if home else Path.home()
    return base / ".config" / APP_FOLDER / CONFIG_NAME


def find_config_file(explicit: Path | None = None, cwd: Path | None = None,
                     env: Mapping[str, str] | None = None,
                     platform: str | None = None) -> Path | None:
    """The config file to read: --config, else CALJOBS_CONFIG, else ./caljobs-bot.toml,
    else the user's config folder; None when there is none (every setting then has a default).
    """
    env = os.environ if env is None else env
    folder = cwd or Path.cwd()
    for given, where in ((explicit, "--config"), (env.get(CONFIG_ENV) or None, CONFIG_ENV)):
        if given is not None:
            if (problem := path_too_long(os.fspath(given))) is not None:
                raise ConfigError(f"{where}: {problem}.")
            path = folder / Path(given).expanduser()  # an absolute path stays as it is
            if not path.is_file():
                raise ConfigError(f"{where} {path}: no such file.")
            return path
    local = folder / CONFIG_NAME
    if local.is_file():
        return local
    user = user_config_file(env, platform)
    return user if user is not None and user.is_file() else None


def _read_toml(path: Path) -> tuple[dict[str, object], str]:
    """The file's tables and its text (for line numbers); a syntax error names the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise ConfigError(f"{path}: cannot be read ({problem}).") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as problem:
        message = str(problem)
        where = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        if where:
            message = message[: where.start()]
            raise ConfigError(f"{path}:{where[1]}: {message} (column {where[2]}); "
                              "the file must be TOML, like caljobs-bot.example.toml.") from None
        raise ConfigError(f"{path}: {message}; the file must be TOML.") from None


@dataclass(frozen=True)
class _File:
    """The parsed config file: its top-level values and its profiles."""

    path: Path
    text: str
    top: dict[str, object]
    profiles: dict[str, dict[str, object]]

    def where(self, table: str | None, key: str) -> str:
        """"path:line: [table] key" for a message."""
        line = line_of(self.text, table, key)
        place = f"{self.path}:{line}" if line else str(self.path)
        return f"{place}: {f'[{table}] ' if table else ''}{key}"


def _load_file(path: Path) -> _File:
    data, text = _read_toml(path)
    file = _File(path, text, {}, {})
    profiles = data.pop("profiles", {})
    if not isinstance(profiles, dict) or not all(isinstance(v, dict) for v in profiles.values()):
        raise ConfigError(f"{file.where(None, 'profiles')}: profiles are tables, written "
                          "[profiles.NAME] with the settings for that site under them.")
    _check_keys(file, None, data)
    file.top.update(data)
    for name, table in profiles.items():
        _check_keys(file, f"profiles.{name}", table)
        file.profiles[name] = dict(table)
    return file


def _check_keys(file: _File, table: str | None, values: Mapping[str, object]) -> None:
    """Refuse a password, a misspelt key, or a site-only key outside a profile."""
    for name in values:
        if name.lower() in _SECRET_KEYS:
            raise ConfigError(
                f"{file.where(table, name)}: a password must never be kept in the config "
                "file. Remove this line; set CALJOBS_PASSWORD, or type the password when asked "
                "and let caljobs-bot keep it in your system keyring."
            )
        key = BY_NAME.get(name)
        if key is None:
            close = difflib.get_close_matches(name, list(BY_NAME), n=1)
            hint = f" Did you mean {close[0]}?" if close else ""
            raise ConfigError(f"{file.where(table, name)}: unknown setting.{hint} Known: "
                              f"{', '.join(BY_NAME)}, and [profiles.NAME] tables.")
        if key.profile_only and table is None:
            raise ConfigError(f"{file.where(table, name)}: belongs in a [profiles.NAME] "
                              "table, for the one site it describes.")


# -- resolving -------------------------------------------------------------------------------

def _choose_profile(file: _File | None, profile: Setting[str] | None,
                    env: Mapping[str, str]) -> str | None:
    """The profile's name after checking the file has it; an unknown one lists the known."""
    if profile is None:
        return None
    if file is None:
        raise ConfigError(f"Profile {profile.value!r} ({profile.origin}): no config file was "
                          f"found, so there are no profiles. Create {CONFIG_NAME} here or in "
                          f"{user_config_file(env) or 'your config folder'}, or use --config PATH.")
    if profile.value not in file.profiles:
        known = ", ".join(sorted(file.profiles)) or "none"
        raise ConfigError(f"Profile {profile.value!r} ({profile.origin}) is not in "
                          f"{file.path}. Known profiles: {known}.")
    return profile.value


def _resolve(key: Key, flags: Mapping[str, object], env: Mapping[str, str],
             file: _File | None, profile: str | None) -> Setting[Any]:
    """The first of: flag, CALJOBS_ variable, the profile, the file's top level, the default."""
    flag = flags.get(key.name)
    if flag is not None:
        return _parsed(key, flag, False,
                       Origin(Source.COMMAND_LINE, key.flag or "--" + key.name))
    if key.env and env.get(key.env_name, "").strip():
        return _parsed(key, env[key.env_name], True, Origin(Source.ENVIRONMENT, key.env_name))
    if file is not None:
        layers = [(f"profiles.{profile}", file.profiles[profile])] if profile else []
        for table, values in [*layers, (None, file.top)]:
            if key.name in values:
                origin = (Origin(Source.PROFILE, str(file.path), profile) if table
                          else Origin(Source.CONFIG_FILE, str(file.path)))
                setting = _parsed(key, values[key.name], False, origin,
                                  where=file.where(table, key.name))
                if key.kind.path and not Path(setting.value).is_absolute():
                    # Relative to the file, so a run behaves the same from any folder.
                    within = file.path.parent / setting.value
                    return Setting(within if isinstance(setting.value, Path) else str(within),
                                   origin)
                return setting
    return Setting(key.default, DEFAULT)


def _parsed(key: Key, raw: object, from_text: bool, origin: Origin,
            where: str | None = None) -> Setting[Any]:
    try:
        return Setting(key.kind.parse(raw, from_text), origin)
    except TooLong as problem:
        raise ConfigError(f"{where or f'{key.name} ({origin})'}: {problem}.") from None
    except _Invalid as problem:
        where = where or f"{key.name} ({origin})"
        raise ConfigError(f"{where}: {problem}, not {raw!r}.") from None


def load_settings(*, flags: Mapping[str, object], profile: str | None = None,
                  config_path: Path | None = None, env: Mapping[str, str] | None = None,
                  cwd: Path | None = None) -> Settings:
    """Every setting, from flags > CALJOBS_ variables > profile > file top level > default.

    `flags` uses the file's key names (`base_url`, `workers`, `headless`...); a flag whose value
    is None was not given and does not count. `profile` is --profile (CALJOBS_PROFILE is read
    when it is None); `config_path` is --config. Raises ConfigError with a message to show.
    """
    env = os.environ if env is None else env
    unknown = set(flags) - {key.name for key in KEYS if key.flag is not None}
    if unknown:
        raise ValueError(f"load_settings: no such setting {sorted(unknown)}")
    path = find_config_file(config_path, cwd, env)
    file = _load_file(path) if path is not None else None
    chosen: Setting[str] | None = None
    if profile:
        chosen = Setting(profile, Origin(Source.COMMAND_LINE, "--profile"))
    elif env.get(PROFILE_ENV, "").strip():
        chosen = Setting(env[PROFILE_ENV].strip(), Origin(Source.ENVIRONMENT, PROFILE_ENV))
    if chosen is not None and (problem := text_too_long(chosen.value, MAX_NAME)) is not None:
        raise ConfigError(f"The profile's name ({chosen.origin}) {problem}.")
    profile_name = _choose_profile(file, chosen, env)

    resolved = {key.name: _resolve(key, flags, env, file, profile_name) for key in KEYS}
    base_url: str | None = resolved["base_url"].value
    resolved["workers"], resolved["rate_limit"], warnings = apply_politeness(
        base_url, resolved["workers"], resolved["rate_limit"],
        local_exempt=resolved["local_exempt"].value)

    if resolved["ignore_https_errors"].value:
        assert file is not None  # only a profile can set it
        if resolved["production"].value:
            where = file.where(f"profiles.{profile_name}", "ignore_https_errors")
            raise ConfigError(f"{where}: not allowed in a production profile. The real site's "
                             "certificate must be valid; if it is not, tell your IT staff.")
        warnings.append(f"Profile {profile_name!r} ignores TLS certificate errors: use it only "
                        "for a test site you trust, never for participant data.")
    if isinstance(base_url, str) and base_url.startswith("http://") and not is_local(base_url):
        warnings.append(f"{mask_url(base_url)} is not https: the password would cross the network "
                        "unencrypted.")

    values: dict[str, Any] = {key.attribute: resolved[key.name].value for key in KEYS
                              if key.attribute is not None}
    form_defaults = {key.name: resolved[key.name].value for key in KEYS
                     if key.attribute is None}
    sources = {name: setting.origin for name, setting in resolved.items()}
    if chosen is not None:
        sources["profile"] = chosen.origin
    return Settings(**values, form_defaults=form_defaults, profile=profile_name,
                    config_file=path, sources=sources, warnings=tuple(warnings))


def confirm_production(settings: Settings, ask: Callable[[str], str]) -> bool:
    """True when a run may save: not production, or the person typed the profile name."""
    if not settings.production:
        return True
    answer = ask(f"{settings.profile!r} is a production site. {PRODUCTION_PROMPT}")
    return answer.strip() == settings.profile
