"""The site's wording in force: every word a page object looks for, keyed by screen and element.

CalJOBS renames things between releases ("Create Outcome" in 2016, "Create Exit/Outcome" in
2021). When the words live in Python, the day the real site says "Add Exit/Outcome" a data
team waits for a developer. Here every element a page object looks for is one entry of a
table (`BUILT_IN`, made from the data in pages/wording_table.py), with the 2016 and 2021 help
sheets' words and the live-site variants seen so far as built-in alternatives; a user's
wording file (TOML, pages/wording_file.py; see `load_wording_file`) adds alternatives or
replaces them, element by element, and `in_force()` is the table the page objects read. A
table entry is words; the loose matching helpers of pages/fields.py turn them into patterns,
so "*Exit Date:" still matches "Exit Date".

The table is looked up in Python when a locator is built: no browser round trip is added.
The patterns also run in the browser as JavaScript regexes (numbered groups only).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from caljobs_bot.pages.wording_file import read_wording_file, where_written
from caljobs_bot.pages.wording_table import ELEMENT, ELEMENTS, SCREENS

BUILT_IN_SOURCE = "built in"


@dataclass(frozen=True)
class Word:
    """One alternative for an element, and where it came from ("built in", "file:line")."""

    text: str
    source: str


@dataclass
class SiteWording:
    """The table in force: for every element, its words and where each came from.

    `builtin_pattern[key]` says whether the element's built-in loose pattern (a message in
    any release's words) still counts: a `replace = true` in a wording file turns it off.
    """

    words: dict[str, tuple[Word, ...]]
    builtin_pattern: dict[str, bool] = field(default_factory=dict)
    _patterns: dict[tuple[str, str, int], re.Pattern[str]] = field(
        default_factory=dict, repr=False, compare=False)

    def texts(self, key: str) -> tuple[str, ...]:
        """The element's words in force, e.g. ("Create Exit/Outcome", "Create Outcome")."""
        return tuple(word.text for word in self.words[_known(key)])

    def pattern(self, key: str) -> re.Pattern[str]:
        """The element's words as one pattern, matched as its kind says (see Kind)."""
        element = ELEMENT[_known(key)]
        return self._compiled(key, element.kind, element.extra_words)

    def caption(self, key: str) -> re.Pattern[str]:
        """The element's words as a whole text (`*` and `:` allowed), whatever its kind."""
        return self._compiled(key, "caption", 0)

    def loose(self, key: str, extra_words: int = 6) -> re.Pattern[str]:
        """The element's words among up to `extra_words` others (a title, a menu caption)."""
        return self._compiled(key, "words", extra_words)

    def either(self, *keys: str) -> re.Pattern[str]:
        """Any of several elements (each matched as its kind says): e.g. every section name
        of an application, where one section's contents end and the next begins."""
        cached = self._patterns.get(("|".join(keys), "either", 0))
        if cached is not None:
            return cached
        joined = "|".join(f"(?:{self.pattern(key).pattern})" for key in keys)
        compiled = re.compile(joined, re.IGNORECASE)
        self._patterns[("|".join(keys), "either", 0)] = compiled
        return compiled

    def describe(self, key: str) -> str:
        """The words for a message: "'Create Exit/Outcome' or 'Create Outcome'"."""
        return " or ".join(f"'{text}'" for text in self.texts(key)) or "(no words)"

    def _compiled(self, key: str, kind: str, extra_words: int) -> re.Pattern[str]:
        cached = self._patterns.get((key, kind, extra_words))
        if cached is not None:
            return cached
        from caljobs_bot.pages.fields import caption_pattern, words_pattern

        texts = self.texts(key)
        if kind in ("caption", "message"):
            source = caption_pattern(texts).pattern if texts else ""
        else:
            source = words_pattern(texts, extra_words=extra_words).pattern if texts else ""
        element = ELEMENT[key]
        parts = [part for part in (source,) if part]
        if element.pattern and self.builtin_pattern.get(key, True):
            parts.append(element.pattern)
        joined = "|".join(f"(?:{part})" for part in parts) or r"(?!)"
        compiled = re.compile(joined, re.IGNORECASE)
        self._patterns[(key, kind, extra_words)] = compiled
        return compiled

    def with_words(self, additions: Mapping[str, Sequence[str]], source: str,
                   *, replace: frozenset[str] = frozenset()) -> SiteWording:
        """A new table: these words added to (or, for keys in `replace`, instead of) the
        words of each element."""
        words = dict(self.words)
        builtin = dict(self.builtin_pattern)
        for key, texts in additions.items():
            new = tuple(Word(text, source) for text in texts)
            if key in replace:
                words[key] = new
                builtin[key] = False
            else:
                known = {word.text.casefold() for word in words[key]}
                words[key] = words[key] + tuple(w for w in new if w.text.casefold() not in known)
        return SiteWording(words, builtin)

    def added(self) -> dict[str, tuple[str, ...]]:
        """The words that are not built in, by element (what a wording file holds)."""
        found = {key: tuple(w.text for w in words if w.source != BUILT_IN_SOURCE)
                 for key, words in self.words.items()}
        return {key: texts for key, texts in found.items() if texts}


def _known(key: str) -> str:
    if key not in ELEMENT:
        raise KeyError(f"no wording element {key!r}")
    return key


BUILT_IN = SiteWording({e.key: tuple(Word(t, BUILT_IN_SOURCE) for t in e.words)
                        for e in ELEMENTS})

# The table the page objects read. A module global, not a context variable: a run's worker
# threads must all see the table the command chose.
_in_force: SiteWording = BUILT_IN


def in_force() -> SiteWording:
    """The wording table page objects use now (the built-in one unless a command chose)."""
    return _in_force


def use(table: SiteWording) -> None:
    """Make `table` the one in force for every page object, in every thread."""
    global _in_force
    _in_force = table


@contextmanager
def using(table: SiteWording) -> Iterator[SiteWording]:
    """Within the block, `table` is in force; the previous one afterwards."""
    previous = in_force()
    use(table)
    try:
        yield table
    finally:
        use(previous)


def load_wording_file(path: Path, base: SiteWording = BUILT_IN) -> SiteWording:
    """The table `base` with a wording file's words added (or replacing, element by element)."""
    given, replace = read_wording_file(path)
    lines = path.read_text(encoding="utf-8")
    table = base
    for key, words in given.items():
        source = where_written(path, lines, key)
        table = table.with_words({key: words}, source,
                                 replace=frozenset({key}) if key in replace else frozenset())
    return table


def describe_table(table: SiteWording) -> str:
    """The table in force, element by element, each word with where it came from."""
    out: list[str] = []
    for screen, name in SCREENS.items():
        out.append(f"[{screen}] {name}")
        for element in (e for e in ELEMENTS if e.screen == screen):
            words = table.words[element.key]
            shown = "; ".join(f"{w.text!r} ({w.source})" for w in words) or "(none)"
            loose = ""
            if element.pattern and table.builtin_pattern.get(element.key, True):
                loose = " + the built-in pattern for such messages"
            out.append(f"  {element.key} = {shown}{loose}")
    return "\n".join(out)
