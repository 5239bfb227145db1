"""The site's wording as data: every word a page object looks for, keyed by screen and element.

CalJOBS renames things between releases ("Create Outcome" in 2016, "Create Exit/Outcome" in
2021). When the words live in Python, the day the real site says "Add Exit/Outcome" a data
team waits for a developer. Here every element a page object looks for is one entry of a
table (`BUILT_IN`), with the 2016 and 2021 help sheets' words and the live-site variants seen
so far as built-in alternatives; a user's wording file (TOML, see `load_wording_file`) adds
alternatives or replaces them, element by element, and `in_force()` is the table the page
objects read. A table entry is words; the loose matching helpers of pages/fields.py turn them
into patterns, so "*Exit Date:" still matches "Exit Date".

The table is looked up in Python when a locator is built: no browser round trip is added.
The patterns also run in the browser as JavaScript regexes (numbered groups only).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# How an element's words are matched:
#   caption: the whole text is the words (a field caption, a button's name), `*`, `:` allowed;
#   words:   the words among a few others (a title "Case Management Profile for Karen James");
#   message: the whole text is the words, or it reads as the built-in pattern says (a message
#            in whichever words a release uses, a (+)'s tool tip).
Kind = Literal["caption", "words", "message"]

BUILT_IN_SOURCE = "built in"


@dataclass(frozen=True)
class Element:
    """One element a page object looks for: where, what, and its built-in words."""

    key: str                       # "screen.element", as in the wording file
    what: str                      # a person's description, for messages and the template
    words: tuple[str, ...]         # the help sheets' and known live-site words
    kind: Kind = "caption"
    extra_words: int = 0           # kind "words": how many other words may surround them
    pattern: str | None = None     # a built-in loose regex also accepted (messages, toggles)
    clickable: bool = False        # a link or button (calibrate asks for a click on it)

    @property
    def screen(self) -> str:
        """The screen part of the key ("case" of "case.create_button")."""
        return self.key.split(".", 1)[0]


# Screens, as the wording file's keys begin, and how a person names them.
SCREENS: Mapping[str, str] = {
    "sign_in": "sign-in page",
    "home": "staff home page and menu (on every page)",
    "search": "Assist an Individual search screen",
    "case": "Case Management Profile",
    "outcome": "Exit/Outcome form",
    "case_note": "Case Note panel of the Exit/Outcome form",
    "case_manager": "Assign Case Manager panel of the Exit/Outcome form",
    "contacts": "Alternate Contacts pop-up",
    "site": "any page",
}

_NO_RESULTS = (r"^\s*(no\b[^.]{0,60}?\b(found|match\w*)|0 (records|results|matches)\b)"
               r"[^.]{0,80}\.?\s*$")
_SAVED = (r"^\s*(The\s+)?(Exit\s*\/\s*)?Outcome\b[^.]{0,40}\b(has been|was|is)?\s*saved\b"
          r"[^.]{0,40}\.?\s*$")
_OUTAGE = (r"^(?=[^.]{0,80}$).*(currently unavailable|temporarily unavailable|maintenance"
           r"|outage|site is down).*$")


def _e(key: str, what: str, *words: str, kind: Kind = "caption", extra_words: int = 0,
       pattern: str | None = None, clickable: bool = False) -> Element:
    return Element(key, what, tuple(words), kind, extra_words, pattern, clickable)


ELEMENTS: tuple[Element, ...] = (
    # -- sign in ----------------------------------------------------------------------------
    _e("sign_in.username", "'Username' box's caption", "Username"),
    _e("sign_in.password", "'Password' box's caption", "Password"),
    _e("sign_in.sign_in_button", "button that signs in", "Sign In", clickable=True),
    _e("sign_in.agree", "button that accepts the notice shown after signing in", "Agree",
       kind="words", extra_words=2, clickable=True),
    # -- home page and menu (on every page) ------------------------------------------------
    _e("home.services_menu", "top level of the staff menu",
       "Services for Workforce Staff", clickable=True),
    _e("home.manage_individuals", "menu link 'Manage Individuals'", "Manage Individuals",
       clickable=True),
    _e("home.assist_an_individual", "menu link that opens the participant search",
       "Assist an Individual", clickable=True),
    _e("home.sign_out", "link that signs out", "Sign Out", "Log Out", "Sign Off", "Log Off",
       clickable=True),
    # -- Assist an Individual ---------------------------------------------------------------
    _e("search.state_id", "'State ID' search box's caption", "State ID"),
    _e("search.user_id", "'User ID' search box's caption", "User ID"),
    _e("search.last_name", "'Last Name' search box's caption", "Last Name"),
    _e("search.first_name", "'First Name' search box's caption", "First Name"),
    _e("search.search_button", "button that searches", "Search", clickable=True),
    _e("search.no_results", "message that nobody was found", "No records found.",
       "No matching individuals were found for the criteria entered.", kind="message",
       pattern=_NO_RESULTS),
    # -- Case Management Profile --------------------------------------------------------------
    _e("case.title", "page title 'Case Management Profile'", "Case Management Profile",
       kind="words", extra_words=8),
    _e("case.programs_tab", "tab that lists the program applications", "Programs",
       clickable=True),
    _e("case.exit_outcome_section", "application's section that lists its outcomes",
       "Exit / Outcome", "Outcome"),
    _e("case.closure_section", "application's section for closures", "Closure",
       "Exit / Closure"),
    _e("case.create_button", "button or link that creates the Exit/Outcome",
       "Create Exit/Outcome", "Create Outcome", clickable=True),
    _e("case.saved_message", "message shown after an outcome is saved",
       "The Exit/Outcome has been saved.", "The Outcome has been saved.",
       "Exit/Outcome record saved successfully", "Outcome record saved successfully",
       kind="message", pattern=_SAVED),
    _e("case.lwdb_caption", "caption of the workforce board line in an application", "LWDB",
       "LWIA"),
    _e("case.no_data", "text of an empty list", "No data found."),
    _e("case.expand", "tool tip or text of a tree node's (+)", "Expand", "Show", "Open", "(+)",
       kind="message", pattern=r"^\s*(\(\s*\+\s*\)|\+|(expand|show|open)\b.*)$"),
    _e("case.collapse", "tool tip or text of a tree node's (-)", "Collapse", "Hide", "Close",
       "(-)", kind="message", pattern=r"^\s*(\(\s*-\s*\)|-|(collapse|hide|close)\b.*)$"),
    # -- the Exit/Outcome form ----------------------------------------------------------------
    _e("outcome.title", "form title", "Exit/Outcome", "Outcome"),
    _e("outcome.general_section", "section title 'General Information'", "General Information"),
    _e("outcome.exit_section", "section title 'Exit Information'", "Exit Information"),
    _e("outcome.contacts_section", "section title 'Alternate Contact Information'",
       "Alternate Contact Information"),
    _e("outcome.staff_section", "section title 'Staff Information'", "Staff Information"),
    _e("outcome.login_name", "'Login Name' caption", "Login Name"),
    _e("outcome.user_id", "'User ID' caption", "User ID"),
    _e("outcome.state_id", "'State ID' caption", "State ID"),
    _e("outcome.name", "participant 'Name' caption", "Name"),
    _e("outcome.lwia_region", "'LWIA/Region' dropdown's caption", "LWIA/Region", "LWDB/Region"),
    _e("outcome.office_location", "'Office Location' dropdown's caption", "Office Location"),
    _e("outcome.staff_position", "'Staff Position' dropdown's caption", "Staff Position"),
    _e("outcome.exit_date", "'Exit Date' box's caption", "Exit Date"),
    _e("outcome.today", "link that fills today's date", "Today", clickable=True),
    _e("outcome.exit_reason", "'Exit Reason' dropdown's caption", "Exit Reason"),
    _e("outcome.none_selected", "first option of a dropdown (nothing chosen)", "None Selected",
       "-- Select --", "Select One"),
    _e("outcome.manage_contacts", "button that opens the alternate contacts",
       "Manage Alternate Contacts", clickable=True),
    _e("outcome.add_case_note", "link that opens the case note panel", "Add a new Case Note",
       clickable=True),
    _e("outcome.case_manager", "'Case Manager' caption in Staff Information", "Case Manager"),
    _e("outcome.assign_case_manager", "link that opens the Assign Case Manager panel",
       "Assign Case Manager", clickable=True),
    _e("outcome.remove_case_manager", "link that removes the case manager",
       "Remove Case Manager Assignment", clickable=True),
    _e("outcome.save", "form's Save button", "Save", clickable=True),
    _e("outcome.cancel", "form's Cancel button", "Cancel", clickable=True),
    # -- Case Note panel ----------------------------------------------------------------------
    _e("case_note.title", "panel title 'Case Note'", "Case Note"),
    _e("case_note.subject", "'Subject' caption", "Subject"),
    _e("case_note.comments", "'Comments' caption", "Comments"),
    _e("case_note.attachment", "'Attachment' caption", "Attachment"),
    _e("case_note.save", "panel's Save button", "Save", clickable=True),
    _e("case_note.cancel", "panel's Cancel button", "Cancel", clickable=True),
    # -- Assign Case Manager panel ------------------------------------------------------------
    _e("case_manager.title", "panel title 'Assign Case Manager'", "Assign Case Manager"),
    _e("case_manager.dropdown", "'Case Manager' dropdown's caption", "Case Manager"),
    _e("case_manager.assign", "button that assigns", "Assign", clickable=True),
    _e("case_manager.cancel", "panel's Cancel button", "Cancel", clickable=True),
    # -- Alternate Contacts ---------------------------------------------------------------------
    _e("contacts.title", "pop-up title 'Alternate Contacts'", "Alternate Contacts"),
    _e("contacts.add", "button that adds a contact", "Add New Contact", clickable=True),
    _e("contacts.edit", "link that edits a listed contact", "Edit", clickable=True),
    _e("contacts.first_name", "'First Name' caption", "First Name"),
    _e("contacts.last_name", "'Last Name' caption", "Last Name"),
    _e("contacts.relationship", "'Relationship' caption", "Relationship"),
    _e("contacts.phone", "'Phone' caption", "Phone"),
    _e("contacts.email", "'Email' caption", "Email"),
    _e("contacts.address", "'Address' caption", "Address"),
    _e("contacts.save", "button that saves the contact", "Save", clickable=True),
    _e("contacts.close", "button that closes the pop-up", "Close", clickable=True),
    _e("contacts.no_data", "text of an empty contact list", "No data found."),
    # -- any page -----------------------------------------------------------------------------
    _e("site.maintenance", "title of a maintenance or outage page", "Scheduled Maintenance",
       kind="message", pattern=_OUTAGE),
)
ELEMENT: Mapping[str, Element] = {element.key: element for element in ELEMENTS}


class WordingError(ValueError):
    """A wording file the bot cannot use; str() names the file and line and says how to fix."""


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


# -- the wording file --------------------------------------------------------------------------

def _line_of(text: str, key: str) -> int | None:
    """Where `key` (dotted, "case.create_button") is written: as a dotted key at the top, or
    as `create_button` under [case]; best effort, for messages."""
    screen, _, name = key.partition(".")
    current: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = re.match(r"^\[([^\[\]]+)\]", stripped)
        if header:
            current = re.sub(r"[\s\"']", "", header[1])
            if not name and current == screen:
                return number
            continue
        target = key if current is None else (name if current == screen else None)
        if target and re.match(rf"^[\"']?{re.escape(target)}[\"']?\s*[=.]", stripped):
            return number
        if current is None and not name and re.match(rf"^{re.escape(screen)}\s*\.", stripped):
            return number
    return None


def _where(path: Path, text: str, key: str) -> str:
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
    return WordingError(f"{_where(path, text, key)}: {what}.{hint} Valid: {', '.join(choices)} "
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
            raise WordingError(f"{_where(path, text, screen)}: {screen} is a screen: write "
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
            raise WordingError(f"{_where(path, text, key)}: {key} takes words = [...] and "
                               f"optionally replace = true, not {sorted(extra) or 'nothing'}.")
        replaces = value.get("replace", False)
        if not isinstance(replaces, bool):
            raise WordingError(f"{_where(path, text, key)}: replace is true or false.")
        value = value["words"]
    if isinstance(value, str):
        value = [value]
    if (not isinstance(value, list) or not value
            or not all(isinstance(v, str) and v.strip() for v in value)):
        raise WordingError(f"{_where(path, text, key)}: {key} must be words in quotes, or a "
                           "list of them, e.g. [\"Add Exit/Outcome\"].")
    return tuple(" ".join(v.split()) for v in value), replaces


def load_wording_file(path: Path, base: SiteWording = BUILT_IN) -> SiteWording:
    """The table `base` with a wording file's words added (or replacing, element by element)."""
    given, replace = read_wording_file(path)
    lines = path.read_text(encoding="utf-8")
    table = base
    for key, words in given.items():
        source = _where(path, lines, key)
        table = table.with_words({key: words}, source,
                                 replace=frozenset({key}) if key in replace else frozenset())
    return table


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
