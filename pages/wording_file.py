"""Wording files: a data team's TOML file of the words their site shows, read with the file
and line of every mistake, and written (the template, calibrate's findings).

A file only names elements of the wording table (pages/wording_table.py); making a table in
force out of it is pages/site_wording.py's `load_wording_file`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

from caljobs_bot.pages.wording_table import ELEMENT, ELEMENTS, SCREENS
from caljobs_bot.toml_lines import line_of


class WordingError(ValueError):
    """A wording file the bot cannot use; str() names the file and line and says how to fix."""


def _line_of(text: str, key: str) -> int | None:
    """Where `key` (dotted, "case.create_button") is written: as a dotted key at the top, or
    as `create_button` under [case] (a screen alone: its [case] header); the first of those."""
    screen, _, name = key.partition(".")
    written = (line_of(text, screen, name or None), line_of(text, None, key))
    return min((line for line in written if line), default=None)


def where_written(path: Path, text: str, key: str) -> str:
    """"file:line" of `key` in a wording file's text, or the file alone if not found."""
    line = _line_of(text, key)
    return f"{path}:{line}" if line else str(path)


def _unknown(path: Path, text: str, key: str, screen: str | None) -> WordingError:
    import difflib

    if screen is None:
        choices = list(SCREENS)
        what = f"unknown screen {key!r}"
    else:
        choices = [e.key for e in ELEMENTS if e.screen == screen]
        what = f"unknown element {key!r}"
    close = difflib.get_close_matches(key, choices, n=1)
    hint = f" Did you mean {close[0]}?" if close else ""
    return WordingError(f"{where_written(path, text, key)}: {what}.{hint} "
                        f"Valid: {', '.join(choices)} "
                        "('caljobs-bot wording template' writes every key with its meaning).")


def read_wording_file(path: Path) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """The words a wording file gives per element, and the elements it replaces.

    The file is TOML; each element is `screen.element = "words"` or a list of words, written
    as a dotted key or under a [screen] table; `{ words = [...], replace = true }` replaces the
    built-in words of that element instead of adding to them. Raises WordingError naming the
    file, line and the valid keys.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise WordingError(f"{path}: cannot be read ({problem}).") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise WordingError(f"{path}: not valid TOML ({problem}).") from None
    given: dict[str, tuple[str, ...]] = {}
    replace: set[str] = set()
    for screen, elements in data.items():
        if screen not in SCREENS:
            raise _unknown(path, text, screen, None)
        if not isinstance(elements, dict):
            raise WordingError(f"{where_written(path, text, screen)}: {screen} is a screen: write "
                               f"{screen}.ELEMENT = \"words\".")
        for name, value in elements.items():
            key = f"{screen}.{name}"
            if key not in ELEMENT:
                raise _unknown(path, text, key, screen)
            words, replaces = _value(value, path, text, key)
            given[key] = words
            if replaces:
                replace.add(key)
    return given, frozenset(replace)


def _value(value: object, path: Path, text: str, key: str) -> tuple[tuple[str, ...], bool]:
    """An element's words from the file: a string, a list of strings, or an inline table
    `{ words = ..., replace = true|false }`."""
    replaces = False
    if isinstance(value, dict):
        extra = set(value) - {"words", "replace"}
        if extra or "words" not in value:
            raise WordingError(f"{where_written(path, text, key)}: {key} takes words = [...] and "
                               f"optionally replace = true, not {sorted(extra) or 'nothing'}.")
        replaces = value.get("replace", False)
        if not isinstance(replaces, bool):
            raise WordingError(f"{where_written(path, text, key)}: replace is true or false.")
        value = value["words"]
    if isinstance(value, str):
        value = [value]
    if (not isinstance(value, list) or not value
            or not all(isinstance(v, str) and v.strip() for v in value)):
        raise WordingError(f"{where_written(path, text, key)}: {key} must be words in quotes, or a "
                           "list of them, e.g. [\"Add Exit/Outcome\"].")
    return tuple(" ".join(v.split()) for v in value), replaces


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escaping is valid TOML for these characters)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def wording_lines(words: Mapping[str, Sequence[str]], *,
                  comments: Mapping[str, str] | None = None) -> list[str]:
    """`screen.element = ["words"]` lines (dotted keys at the top of the file, so lines can
    be added to a file without minding its tables), each after its comment if any."""
    lines: list[str] = []
    for key, texts in words.items():
        if comments and key in comments:
            lines.append(f"# {comments[key]}")
        listed = ", ".join(_toml_string(text) for text in texts)
        lines.append(f"{key} = [{listed}]")
    return lines


FILE_HEADER = """\
# caljobs-bot site wording: the words the site shows, where they differ from the built-in ones.
# Each line adds words for one element: screen.element = ["words", ...]. The bot then accepts
# the built-in words AND these. To accept only yours for an element, write
#   screen.element = { words = ["..."], replace = true }
# Name this file in caljobs-bot.toml (wording = "site-wording.toml", at the top or in a
# [profiles.NAME] table) or give --wording FILE; 'caljobs-bot wording show' prints the table
# in force and where each word came from.
"""


def template_text() -> str:
    """A wording file with every key, commented out, each with its meaning and built-in
    words: what `caljobs-bot wording template` writes."""
    out = [FILE_HEADER]
    for screen, name in SCREENS.items():
        out.append(f"\n# == {screen}: {name} ==")
        for element in (e for e in ELEMENTS if e.screen == screen):
            built_in = ", ".join(_toml_string(t) for t in element.words)
            out.append(f"# {element.what}; built in: {built_in}")
            out.append(f"# {element.key} = [\"...\"]")
    return "\n".join(out) + "\n"


def write_wording(path: Path, words: Mapping[str, Sequence[str]],
                  comments: Mapping[str, str] | None = None,
                  replace: frozenset[str] = frozenset()) -> None:
    """Write a wording file holding `words` (and the header that says how to use it)."""
    lines = []
    for key, texts in words.items():
        if comments and key in comments:
            lines.append(f"# {comments[key]}")
        listed = ", ".join(_toml_string(text) for text in texts)
        value = f"{{ words = [{listed}], replace = true }}" if key in replace else f"[{listed}]"
        lines.append(f"{key} = {value}")
    path.write_text(FILE_HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
