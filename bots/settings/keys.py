"""Every setting, declared once: the `Settings` type is the table.

Each field of `Settings` made with `_setting(...)` is a setting, and its declaration says all
there is to say about it: its type and default (the field's), how a value is read and checked
(its `Kind`), its config-file key, its `CALJOBS_` variable, its command-line flag and the
commands that offer that flag (`FlagGroup`), and the help text. `KEYS` is read from the
fields, so the config file's keys, the variables, the click options (cli/options.py) and
`config show` are generated from it and cannot drift apart (they had: the old table named
flags no command defined).

The defaults of the form's General Information fields come from `GENERAL_INFORMATION`
(form_fields.py): one key, flag and variable per row, kept in `Settings.form_defaults`, so a
new row there is a new setting with no change here.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from enum import Enum
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from caljobs_bot.form_fields import GENERAL_INFORMATION, FormField
from caljobs_bot.settings.limits import (
    MAX_NAME,
    MAX_SITE_TEXT,
    MAX_URL,
    path_too_long,
    text_too_long,
)
from caljobs_bot.settings.values import Origin

ENV_PREFIX = "CALJOBS_"

TraceMode = Literal["always", "on-failure", "off"]
TRACE_MODES: tuple[TraceMode, ...] = ("always", "on-failure", "off")


# -- kinds: how a value is read, from a file, a variable or a flag ---------------------------

Parser = Callable[[object, bool], object]  # (raw value, raw came from text?) -> checked value


class Invalid(ValueError):
    """A value of the wrong kind; the message says what was expected."""


class TooLong(Invalid):
    """A value longer than its field allows; the message says the limit (and the value is
    not quoted back: it is long, and may be anything)."""


@dataclass(frozen=True)
class Kind:
    """How one kind of value is read and checked (the same for the file, a `CALJOBS_`
    variable and a flag, so all three say the same thing about a bad value), what --help
    calls it, and a valid example (for the tests that go through every key)."""

    parse: Parser
    metavar: str
    example: object
    path: bool = False
    """A path: one written in the config file is relative to that file."""


def _text(raw: object, _from_text: bool, limit: int = MAX_SITE_TEXT) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise Invalid("must be non-empty text")
    if (problem := text_too_long(raw.strip(), limit)) is not None:
        raise TooLong(problem)
    return raw.strip()


def _name(raw: object, from_text: bool) -> str:
    """A username: a short name, sent to the site and part of a keyring entry's name."""
    return _text(raw, from_text, MAX_NAME)


def _bool(raw: object, from_text: bool) -> bool:
    if isinstance(raw, bool):
        return raw
    if from_text and isinstance(raw, str):
        word = raw.strip().lower()
        if word in {"true", "1", "yes", "on"}:
            return True
        if word in {"false", "0", "no", "off"}:
            return False
    raise Invalid("must be true or false")


def _number(kind: type, low: float, high: float | None, unit: str, example: float) -> Kind:
    """A whole number (kind=int) or any number (kind=float) from low to high."""
    what = "a whole number" if kind is int else "a number"
    span = f"from {low:g} to {high:g}" if high is not None else f"of at least {low:g}"

    def parse(raw: object, from_text: bool) -> object:
        value: object = raw
        if from_text and isinstance(raw, str):
            try:
                value = kind(raw.strip())
            except ValueError:
                raise Invalid(f"must be {what} {span}{unit}") from None
        ok_kinds = (int,) if kind is int else (int, float)
        if isinstance(value, bool) or not isinstance(value, ok_kinds):
            raise Invalid(f"must be {what} {span}{unit}")
        if value < low or (high is not None and value > high):
            raise Invalid(f"must be {what} {span}{unit}")
        return kind(value)

    return Kind(parse, "N", example)


def _base_url(raw: object, from_text: bool) -> str:
    text = _text(raw, from_text, MAX_URL)
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unclosed "[" of an IPv6 address
        parts = urlsplit("")
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise Invalid("must be the full address of the sign-in page, like "
                      "https://www.caljobs.ca.gov/vosnet/Default.aspx")
    return text


def _trace(raw: object, from_text: bool) -> str:
    text = _text(raw, from_text)
    if text not in TRACE_MODES:
        raise Invalid(f"must be one of {', '.join(TRACE_MODES)}")
    return text


def _path(folder: bool | None) -> Parser:
    """A path; `folder` True or False: if something is there, it must be a folder (or a
    file), so a mistake is named before a run starts, not deep inside it."""

    def parse(raw: object, from_text: bool) -> Path:
        if isinstance(raw, os.PathLike):
            raw = os.fspath(raw)
        text = _text(raw, from_text, sys.maxsize)
        if (problem := path_too_long(text)) is not None:
            raise TooLong(problem)
        path = Path(text).expanduser()
        if folder is True and path.is_file():
            raise Invalid("must be a folder, and this is a file")
        if folder is False and path.is_dir():
            raise Invalid("must be a file, and this is a folder")
        return path

    return parse


def _program(raw: object, from_text: bool) -> str:
    """A browser's executable: a file path, kept as text (Playwright takes it so)."""
    return str(_path(False)(raw, from_text))


TEXT = Kind(_text, "TEXT", "Staff")
NAME = Kind(_name, "NAME", "lac.staff")
BOOL = Kind(_bool, "BOOLEAN", False)
URL = Kind(_base_url, "URL", "https://caljobs.example.gov/vosnet/Default.aspx")
TRACE = Kind(_trace, f"[{'|'.join(TRACE_MODES)}]", "off")
FILE = Kind(_path(False), "FILE", "elsewhere.toml", path=True)
PROGRAM = Kind(_program, "FILE", "msedge.exe", path=True)
FOLDER = Kind(_path(True), "FOLDER", "elsewhere", path=True)


# -- the commands that offer a flag ----------------------------------------------------------

class FlagGroup(Enum):
    """Which commands offer a setting's flag (cli/options.py `settings_options`); every
    command that resolves settings names the groups it takes."""

    SIGN_IN = "every command that signs in to a site"
    BROWSER = "commands whose browser may be hidden"
    RUN = "run"
    WALK = "check and calibrate"
    JOB_FILE = "commands that load a job file with the settings (run, validate)"
    SHEET = "import"
    AUDIT = "audit (reads cases: the run's pace, workers and runs folder, no trace)"
    WORDING = "wording show"


ALL_GROUPS = tuple(FlagGroup)


@dataclass(frozen=True)
class Key:
    """One setting as the file, the environment, the flags and `config show` name it."""

    name: str
    """The config file's key, the `CALJOBS_` variable's suffix, the key of Settings.sources."""
    kind: Kind
    default: object
    help: str
    flag: str | None = None
    """The command-line flag that sets it (None: the file and the variable only)."""
    groups: tuple[FlagGroup, ...] = ()
    switch: object = None
    """For a flag without a value (`--headed`): the value it gives the setting."""
    env: bool = True
    """May a `CALJOBS_` variable set it? Not for what belongs to one named site."""
    profile_only: bool = False
    """Only inside [profiles.NAME]: it describes one site."""
    attribute: str | None = None
    """The Settings field; None: a form default, in Settings.form_defaults[name]."""

    @property
    def env_name(self) -> str:
        return ENV_PREFIX + self.name.upper()

    def value_of(self, settings: Settings) -> object:
        """This setting's value in resolved settings."""
        if self.attribute is None:
            return settings.form_defaults.get(self.name)
        return getattr(settings, self.attribute)


_SPEC = "caljobs_bot.setting"


def _setting(default: Any, kind: Kind, help: str, *, flag: str | None = None,  # noqa: A002
             groups: tuple[FlagGroup, ...] = (), key: str | None = None, switch: object = None,
             env: bool = True, profile_only: bool = False) -> Any:
    """A field of Settings that is a setting: its default, and the rest of its row of the
    table, kept in the field's metadata for `KEYS`."""
    row = {"kind": kind, "help": help, "flag": flag, "groups": groups, "key": key,
           "switch": switch, "env": env, "profile_only": profile_only}
    return field(default=default, metadata={_SPEC: row})


_SIGN_IN, _BROWSER, _RUN = FlagGroup.SIGN_IN, FlagGroup.BROWSER, FlagGroup.RUN
_WALK, _JOB = FlagGroup.WALK, FlagGroup.JOB_FILE


@dataclass(frozen=True)
class Settings:
    """Every setting a run needs, resolved; `sources` maps each key to where it came from.

    `warnings` are sentences the command line shows before a run (a capped worker count, TLS
    errors ignored on a test site); they never stop the run, a `ConfigError` does.
    """

    base_url: str | None = _setting(
        None, URL, "The address where staff sign in (the page with the sign-in form).",
        flag="--base-url", groups=(_SIGN_IN,))
    username: str | None = _setting(
        None, NAME, "Staff username (default: CALJOBS_USERNAME or the config file).",
        flag="--username", groups=(_SIGN_IN,))
    browser_path: str | None = _setting(
        None, PROGRAM, "A Chrome, Edge or Chromium executable to use instead of the one found.",
        flag="--browser-path", groups=(_SIGN_IN,))
    headless: bool = _setting(
        True, BOOL, "Show the browser window.", flag="--headed", switch=False,
        groups=(_BROWSER,))
    timeout_seconds: float = _setting(
        15.0, _number(float, 1, 600, " seconds", 30),
        "Seconds to wait for the site at each step (default 15).", key="timeout",
        flag="--timeout", groups=(_SIGN_IN,))
    workers: int = _setting(
        1, _number(int, 1, 8, "", 2), "Browsers working in parallel, each signed in on its "
        "own (default 1; at most 2 on a site that is not this machine).", flag="--workers",
        groups=(_RUN, FlagGroup.AUDIT))
    rate_limit: float | None = _setting(
        None, _number(float, 1, None, " page loads a minute", 20), "At most N page loads a "
        "minute, across all workers (default and most: 30 on a site that is not this "
        "machine).", flag="--rate-limit", groups=(_RUN, FlagGroup.AUDIT))
    # false: this machine's addresses get the limits of a site that is not this machine too
    # (settings/politeness.py); it can only slow a run down, never speed one up.
    local_exempt: bool = _setting(
        True, BOOL, "false: this machine's sandbox gets the limits of a site that is not "
        "this machine too (a rehearsal of a real run's pace).")
    retries: int = _setting(
        2, _number(int, 0, 10, "", 3), "Tries again after a time-out, server error or "
        "expired session (default 2).", flag="--retries", groups=(_RUN, FlagGroup.AUDIT))
    runs_dir: Path = _setting(
        Path("runs"), FOLDER, "Where ledgers, reports, evidence and screenshots are kept, "
        "made private to you (a warning says if that fails; default runs).",
        flag="--runs-dir", groups=(_RUN, _WALK, FlagGroup.AUDIT))
    trace: TraceMode = _setting(
        "on-failure", TRACE, "Keep a Playwright trace per record (default on-failure; open "
        "one with 'playwright show-trace').", flag="--trace", groups=(_RUN,))
    # One key per row of GENERAL_INFORMATION, here in the table's order (see _form_key).
    form_defaults: Mapping[str, str | None] = field(default_factory=dict)
    # Where case-note attachments must be (default: the job file's folder), and how big.
    attachments_dir: Path | None = _setting(
        None, FOLDER, "The folder case-note attachments must be in (default: the job "
        "file's folder, or attachments_dir in caljobs-bot.toml).", flag="--attachments-dir",
        groups=(_JOB, FlagGroup.SHEET))
    max_attachment_mb: float = _setting(
        10.0, _number(float, 0.1, 100, " MB", 5), "The largest case-note attachment, in MB.")
    # The site's own words where they differ from the help sheets' (pages/site_wording.py):
    # at the top for every site, or in a profile for the one site that words things so.
    wording: Path | None = _setting(
        None, FILE, "A site-wording file: the site's own words for buttons, captions, titles "
        "and messages (default: wording in caljobs-bot.toml; see 'caljobs-bot wording "
        "template').", flag="--wording", groups=(_SIGN_IN, FlagGroup.WORDING))
    # Whether a site is the real one, and whether its certificate may be ignored, belong to a
    # named site: never a variable or a flag that could be left set from another run.
    production: bool = _setting(
        False, BOOL, "This profile is the real site: runs that save ask to type its name.",
        env=False, profile_only=True)
    ignore_https_errors: bool = _setting(
        False, BOOL, "Ignore this test site's certificate errors (never in production).",
        env=False, profile_only=True)
    # Not settings: what the resolving found.
    profile: str | None = None
    config_file: Path | None = None
    sources: Mapping[str, Origin] = field(default_factory=dict, compare=False)
    warnings: tuple[str, ...] = ()


def _form_key(form_field: FormField) -> Key:
    """The default for one General Information field, for records that leave it out."""
    return Key(form_field.attribute, TEXT, None,
               "The default for records that leave it out (after the job file's "
               f"defaults): {form_field.description}",
               flag="--" + form_field.attribute.replace("_", "-"), groups=(_JOB,))


def _keys() -> tuple[Key, ...]:
    """The table, read from Settings' fields (and GENERAL_INFORMATION), in their order."""
    keys: list[Key] = []
    for each in fields(Settings):
        if each.name == "form_defaults":
            keys += [_form_key(form_field) for form_field in GENERAL_INFORMATION]
        row = each.metadata.get(_SPEC)
        if row is not None:
            keys.append(Key(row["key"] or each.name, row["kind"], each.default, row["help"],
                            row["flag"], row["groups"], row["switch"], row["env"],
                            row["profile_only"], attribute=each.name))
    return tuple(keys)


KEYS: tuple[Key, ...] = _keys()
BY_NAME: Mapping[str, Key] = {key.name: key for key in KEYS}
