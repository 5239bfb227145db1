"""The Case Management Profile: a participant's program applications, as a tree.

The tree is read as a person reads it (pages/screen_text.py): the lines of words shown, top
to bottom. An application is the line where "WIOA #2244266 - Complete" is written, wherever
those words sit (a cell, a link, a span beside its (+), split over bold and plain text); its
details and sections are the lines below it, until the next application's line. A section's
contents run until the next section, the next application, or a line drawn further left than
the section (the tree has ended). A node is opened by what sits before its words and proven
by what the click shows (pages/toggles.py), whatever the toggle is made of.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from caljobs_bot.pages.fields import action, squeeze, title, unshown_value
from caljobs_bot.pages.notfound import ElementNotFound, must_show
from caljobs_bot.pages.participant_id import ParticipantId
from caljobs_bot.pages.postback import postback
from caljobs_bot.pages.screen_text import Clickable, Line, Screen, read_screen, spot
from caljobs_bot.pages.site_wording import in_force as wording
from caljobs_bot.pages.toggles import NodeOnScreen, TreeNode, open_node, toggle_to_click

if TYPE_CHECKING:
    from caljobs_bot.pages.outcome_form import OutcomeForm

SCREEN = "Case Management Profile"
# The board line's key in ApplicationNode.details(), whether the screen says LWDB or LWIA.
LWDB_KEY = "LWDB"
# "WIOA #2244266 - Complete", anywhere in a line: the number, then the status up to the end
# of its cell. (Patterns handed to Playwright run as JavaScript regexes: numbered groups only.)
WIOA_APPLICATION = re.compile(r"\bWIOA\s*#\s*(\d+)\s*[-\u2013\u2014]\s*([^\t]*[^\t\s])",
                              re.IGNORECASE)
# The words that name a WIOA application, for pointing at its line.
WIOA_WORDS = re.compile(r"\bWIOA\s*#\s*\d+", re.IGNORECASE)
# Any program's application line ("Wagner-Peyser #2244390 - Complete"): where the lines of the
# application before it end.
ANY_APPLICATION = re.compile(r"[A-Za-z][^#:\t]{0,40}#\s*\d+\s*[-\u2013\u2014]\s*\S")
# "Caption: value" (or "Caption:" alone, the value on the next line) inside an application.
DETAIL_LINE = re.compile(r"^(?P<caption>[^:]{1,60}?)\s*:\s*(?P<value>.*)$")
# A cell that is only a toggle's sign: "(+)", "[-]", "+", "▶".
GLYPH_ONLY = re.compile(r"^[\W_]{1,5}$")
# A leading sign before a node's words in the same cell: "+ Exit / Outcome".
LEADING_GLYPH = re.compile(r"^[^\w]{1,5}\s*")
# A section name may carry a count after it: "Exit / Outcome (1)".
TRAILING_COUNT = re.compile(r"\s*[(\[]\s*\d+\s*[)\]]\s*$")
# The words of a listed outcome ("Exit Date: 06/24/2021 Exit Reason: Deceased").
OUTCOME_LINE = re.compile(r"\bExit\s*(Date|Reason)\b", re.IGNORECASE)
APPLICATION_DATE = re.compile(r"Application\s+Date", re.IGNORECASE)
# What a line of a listed outcome reads like under Exit / Outcome: its captions, or a date (a
# small table's row of values: "06/24/2021 Deceased").
OUTCOME_LIKE = re.compile(r"\bExit\s*(Date|Reason)\b|\b\d{1,2}/\d{1,2}/\d{4}\b", re.IGNORECASE)
# A listed outcome's header row in a small table: captions only, no value.
HEADER_CELL = re.compile(r"^[A-Za-z][A-Za-z /]*:?$")
# How far left of a section's line its contents may start (pixels): further left, the tree ended.
OUTDENT_PX = 4.0


def _any_section() -> re.Pattern[str]:
    """Every child node of an application that has a (+) of its own: where one section's
    contents end and the next section begins."""
    return wording().either("case.closure_section", "case.exit_outcome_section")


def _is_section_name(cell: str, section: re.Pattern[str]) -> bool:
    """Whether a cell is the section's name, a sign or a count around it allowed ("+ Exit /
    Outcome", "Exit / Outcome (1)")."""
    bare = TRAILING_COUNT.sub("", LEADING_GLYPH.sub("", cell))
    return bool(section.match(cell) or (bare and section.match(bare)))


def _names_section(line: Line, section: re.Pattern[str]) -> bool:
    """Whether one of the line's cells is the section's name."""
    return any(_is_section_name(cell, section) for cell in line.cells())


def _plain_text(line: Line) -> str:
    """The line's words without cells that are only a toggle's sign, cells joined by a space."""
    return " ".join(cell for cell in line.cells() if not GLYPH_ONLY.match(cell))


@dataclass(frozen=True)
class ExitOutcomeListing:
    """What an application's Exit / Outcome node shows: the outcomes listed under it (e.g.
    "Exit Date: 06/24/2021 Exit Reason: Deceased") and whether Create is offered."""

    listed: tuple[str, ...]
    can_create: bool


# A listed outcome's values, whether it reads "Exit Date: 06/24/2021 Exit Reason: Deceased" or
# was joined from a small table's header and row (_outcomes_in gives both that form).
LISTED_EXIT_DATE = re.compile(r"\bExit\s*Date\s*:?\s*(\d{1,2}/\d{1,2}/\d{4})", re.IGNORECASE)
# The reason runs to the exit date's caption, another one-word caption ("Staff:") or the end.
LISTED_EXIT_REASON = re.compile(
    r"(?i:\bExit\s*Reason)\s*:?\s*(.+?)\s*(?=(?i:\bExit\s*Date\b)|\s[A-Z][\w/]*\s*:|$)")


@dataclass(frozen=True)
class ListedOutcome:
    """One outcome listed under an application's Exit / Outcome node, as the site words it
    (`text`), with its exit date (MM/DD/YYYY) and reason where the words show them."""

    text: str
    exit_date: str | None
    exit_reason: str | None

    @classmethod
    def read(cls, text: str) -> ListedOutcome:
        """The values of one listed outcome's words; None for a value they do not show."""
        date_match = LISTED_EXIT_DATE.search(text)
        reason_match = LISTED_EXIT_REASON.search(text)
        reason = reason_match[1].strip() if reason_match else None
        return cls(text, date_match[1] if date_match else None, reason or None)


@dataclass(frozen=True)
class ApplicationSummary:
    """An application as the tree names it: "WIOA #2244266 - Complete"."""

    number: str
    status: str


@dataclass(frozen=True)
class _Part:
    """A stretch of the screen under a node: its lines and clickables, and where it ends."""

    lines: tuple[Line, ...]
    clickables: tuple[Clickable, ...]

    @property
    def size(self) -> int:
        return len(self.lines) + len(self.clickables)


def _part_after(screen: Screen, line: Line, ends_at: re.Pattern[str] | None,
                *, sections_end: bool, outdent: bool) -> _Part:
    """The lines below `line` until the next application line (and, if asked, the next
    section or a line drawn left of `line`), with the clickables drawn among them."""
    lines: list[Line] = []
    bottom = math.inf
    for later in screen.lines[line.index + 1:]:
        if (ANY_APPLICATION.search(later.text)
                or (sections_end and ends_at is not None and _names_section(later, ends_at))
                or (outdent and later.box.left < line.box.left - OUTDENT_PX)):
            bottom = later.box.top
            break
        lines.append(later)
    clickables = screen.clickables_between(line.box.bottom, bottom)
    return _Part(tuple(lines), tuple(clickables))


class CasePage:
    """Case Management Profile for one participant (Programs tab)."""

    def __init__(self, page: Page, *, title_shown: bool = False) -> None:
        """The case page, once its title shows (`title_shown`: the caller has just seen it,
        is_shown, so it is not waited for again) and its Programs tab is the one showing."""
        self.page = page
        # The screen as the last read of the tree found it, handed to the next application
        # asked for (application()) and forgotten then: nothing acted on the page between.
        self._last_read: Screen | None = None
        if not title_shown:
            must_show(self.title(), screen=SCREEN,
                      element=f"title {wording().describe('case.title')}", key="case.title")
        self._show_programs()

    def title(self) -> Locator:
        """The page's title ("Case Management Profile", maybe followed by the name)."""
        return title(self.page, wording().pattern("case.title"))

    @staticmethod
    def is_shown(page: Page) -> bool:
        """Whether the case page is the one showing (no waiting)."""
        return title(page, wording().pattern("case.title")).filter(visible=True).count() > 0

    @staticmethod
    def ids_now(page: Page) -> dict[ParticipantId, str] | None:
        """The ids the banner shows beside the name, read without waiting (None while it
        cannot be read): practice looks many times a second, and CasePage(...) waits for
        the banner and may click the Programs tab."""
        banner = page.get_by_text(NAME_BEFORE_IDS).filter(visible=True)
        try:
            if not CasePage.is_shown(page) or not banner.count():
                return None
            text = squeeze(banner.first.inner_text())
        except PlaywrightError:
            return None
        return _ids_in(text)

    @staticmethod
    def outcome_section_words(page: Page) -> str | None:
        """The words the outcome section's heading shows now ("Exit / Outcome" on the 2021
        screens, "Outcome" on the 2016 ones), read without waiting; None while no section
        is on show (the tree is still closed)."""
        for words in sorted(wording().texts("case.exit_outcome_section"), key=len,
                            reverse=True):
            heading = page.get_by_text(words, exact=True).filter(visible=True)
            try:
                if heading.count() and heading.first.is_visible():
                    return words
            except PlaywrightError:
                continue
        return None

    @staticmethod
    def outcome_lines(page: Page) -> Locator:
        """The outcome lines on show under the applications (Exit Date, Exit Reason)."""
        return page.get_by_text(OUTCOME_LINE).filter(visible=True)

    @staticmethod
    def shows_outcome_dated(page: Page, day: str) -> bool:
        """Whether an outcome line and this exit date (MM/DD/YYYY) are on show, in one line
        or as a small table's header and its row (any outcome line alone may be another
        application's; an application's own date is not an exit date). No waiting."""
        dated = page.get_by_text(day).filter(visible=True).filter(has_not_text=APPLICATION_DATE)
        try:
            return (CasePage.outcome_lines(page).count() > 0 and dated.count() > 0
                    and dated.first.is_visible())
        except PlaywrightError:
            return False

    def _applications_or_none(self) -> Locator:
        no_data = wording().pattern("case.no_data")
        return self.page.get_by_text(ANY_APPLICATION).or_(self.page.get_by_text(no_data))

    def _show_programs(self) -> None:
        """Make sure the Programs tab (which holds the applications) is the one showing."""
        shown = self._applications_or_none()
        # Shown already (the usual case, once the page has loaded): one look, no wait.
        if shown.filter(visible=True).count():
            return
        programs = wording().caption("case.programs_tab")
        tab = self.page.get_by_role("tab", name=programs).or_(action(self.page, programs))
        must_show(shown.or_(tab), screen=SCREEN,
                  element=f"{wording().describe('case.programs_tab')} tab and no program "
                          "applications", key="case.programs_tab")
        if shown.filter(visible=True).count():
            return
        tab.filter(visible=True).first.click()
        # A participant without applications has no tree, only "No data found.".
        must_show(shown, screen=SCREEN,
                  element="program applications ('WIOA #...' lines) or 'No data found.'")

    def participant_name(self) -> str:
        """The participant's name as the profile shows it."""
        return _participant_name(self.page)

    def participant_ids(self) -> dict[ParticipantId, str]:
        """The ids shown beside the name: {USER: "37762", STATE: "34712"}."""
        return _participant_ids(self.page)

    def wioa_applications(self) -> list[ApplicationSummary]:
        """The WIOA applications listed in the tree (other programs are left out)."""
        summaries: dict[str, ApplicationSummary] = {}
        self._last_read = read_screen(self.page)
        for _, match in self._last_read.find(WIOA_APPLICATION):
            summaries.setdefault(match[1], ApplicationSummary(match[1], match[2].strip()))
        return list(summaries.values())

    def application(self, number: str) -> ApplicationNode:
        """The tree node of one WIOA application, by its number (with or without "#"). Asked
        right after wioa_applications(), it starts from that read instead of reading again."""
        last_read, self._last_read = self._last_read, None
        return ApplicationNode(self.page, number.lstrip("#").strip(), last_read)

    def confirmation(self) -> Locator:
        """The message shown after a save ("The Exit/Outcome has been saved.", "Outcome record
        saved successfully"), e.g. to point at it in a walkthrough."""
        saved = wording().pattern("case.saved_message")
        status = self.page.get_by_role("status").or_(self.page.get_by_text(saved))
        return status.filter(visible=True)

    def message(self, screen: Screen | None = None) -> str | None:
        """The message shown after a save, if any, wherever it sits and whatever surrounds it;
        read from `screen` when the caller has just read the page (ApplicationNode.last_read)."""
        saved = wording().pattern("case.saved_message")
        for line in (screen if screen is not None else read_screen(self.page)).lines:
            for cell in line.cells():
                found = _message_in(saved, cell)
                if found:
                    return found
        return None

    def wioa_items(self) -> Locator:
        """The words of every WIOA application (what step 2 of the help sheet opens)."""
        return self.page.get_by_text(WIOA_WORDS).filter(visible=True)

    def create_outcome_button(self) -> Locator:
        """The Create (Exit/)Outcome button on show (the bot opens one application at a time).

        Last resort, by order: should two nodes be open, the first button is taken.
        """
        create = wording().pattern("case.create_button")
        return action(self.page, create).filter(visible=True).first

    def login_name(self) -> str:
        """The participant's Login Name from the General Info tab, read without opening it
        ("" when the page does not carry it); the guide hides it on screenshots."""
        return unshown_value(self.page, wording().texts("outcome.login_name"))


def _message_in(pattern: re.Pattern[str], text: str) -> str | None:
    """The part of `text` that reads as the message: the whole, a sentence, or the text from
    some word on ("Success: Outcome record saved successfully")."""
    sentences = [text, *re.split(r"(?<=[.!?])\s+", text)]
    for sentence in sentences:
        for start in [0, *(m.start() for m in re.finditer(r"(?<=\s)\S", sentence))]:
            if pattern.match(sentence[start:]):
                return sentence[start:].strip()
    return None


class ApplicationNode:
    """One WIOA application in the tree, with its details and its Exit / Outcome node."""

    def __init__(self, page: Page, number: str, last_read: Screen | None = None) -> None:
        self.page = page
        self.number = number
        # The screen as this node's last read (or the case page's, just before) found it:
        # the next opening starts from it instead of reading again. Only this node's own
        # opening and the bot's steps, which do nothing else on the page between, use it.
        self._last_read = last_read
        self._line = re.compile(rf"\bWIOA\s*#\s*{re.escape(number)}\b", re.IGNORECASE)
        self._node = TreeNode(SCREEN, f"WIOA #{number}", "application", self._find)
        self._section_node = TreeNode(SCREEN, f"Exit / Outcome of WIOA #{number}", "section",
                                      self._find_exit_outcome)

    # -- reading the tree ------------------------------------------------------------------

    def _application_line(self, screen: Screen) -> tuple[Line, re.Match[str]] | None:
        found = screen.find(self._line)
        return found[0] if found else None

    def _own(self, screen: Screen, line: Line) -> _Part:
        return _part_after(screen, line, None, sections_end=False, outdent=False)

    def _find(self, screen: Screen) -> NodeOnScreen | None:
        """The application's line, and whether its sections show under it."""
        found = self._application_line(screen)
        if found is None:
            return None
        line, match = found
        own = self._own(screen, line)
        sections = _any_section()
        is_open = any(_names_section(later, sections) for later in own.lines)
        whole = WIOA_APPLICATION.search(line.text, match.start())
        end = whole.end() if whole else match.end()
        return NodeOnScreen(line, match.start(), end, own.size, is_open)

    def _exit_outcome_line(self, screen: Screen) -> Line | None:
        found = self._application_line(screen)
        if found is None:
            return None
        section = wording().pattern("case.exit_outcome_section")
        for later in self._own(screen, found[0]).lines:
            if _names_section(later, section):
                return later
        return None

    def _exit_outcome_part(self, screen: Screen, line: Line) -> _Part:
        return _part_after(screen, line, _any_section(), sections_end=True, outdent=True)

    def _find_exit_outcome(self, screen: Screen) -> NodeOnScreen | None:
        """This application's Exit / Outcome line, and whether its contents show."""
        line = self._exit_outcome_line(screen)
        if line is None:
            return None
        part = self._exit_outcome_part(screen, line)
        words = wording()
        create, no_data = words.pattern("case.create_button"), words.pattern("case.no_data")
        is_open = (any(c.says(create) for c in part.clickables)
                   or any(OUTCOME_LIKE.search(later.text) or no_data.search(later.text)
                          for later in part.lines))
        name = _section_words(line, words.pattern("case.exit_outcome_section"))
        return NodeOnScreen(line, name[0], name[1], part.size, is_open)

    def tree_item(self) -> Locator:
        """The words of the application's own line in the tree."""
        return self.page.get_by_text(self._line).filter(visible=True)

    def toggle(self) -> Locator | None:
        """The (+) that opens the application, as `expand` finds it (by place: what sits
        just before its words), while the application is closed; None when it shows open or
        not at all. For pointing at it: the mark lasts until the page is read again."""
        return toggle_to_click(self.page, self._node)

    def expand(self) -> Screen:
        """Show the application's details and sections (no-op when already shown); the screen
        as it reads then."""
        last_read, self._last_read = self._last_read, None
        self._last_read = open_node(self.page, self._node, last_read)
        return self._last_read

    @property
    def last_read(self) -> Screen | None:
        """The screen as this node's last opening left it (None before any)."""
        return self._last_read

    def details(self) -> dict[str, str]:
        """The application's own lines ("LWDB", "Onestop", "Open/Total Activities", "Program",
        and whatever else it shows, e.g. "Application Date"), as shown; the board line is
        keyed "LWDB" whether the screen says LWDB or LWIA."""
        screen = self.expand()
        found = self._application_line(screen)
        if found is None:
            return {}
        own_lines: list[Line] = []
        sections = _any_section()
        for line in self._own(screen, found[0]).lines:
            if _names_section(line, sections):
                break  # the sections (Closure, Exit / Outcome) and what they hold follow
            own_lines.append(line)
        return _details_of(own_lines)

    def program(self) -> str:
        """The application's program: Adult, Dislocated Worker or Youth."""
        return self.details().get("Program", "")

    def expand_exit_outcome(self) -> Screen:
        """Open the application and its Exit / Outcome node (no-op when already open); the
        screen as it reads then."""
        screen = self.expand()
        if self._exit_outcome_line(screen) is None:
            raise ElementNotFound(SCREEN, f"{wording().describe('case.exit_outcome_section')} "
                                          f"section under application {self.number}",
                                  "case.exit_outcome_section")
        self._last_read = open_node(self.page, self._section_node, screen)
        return self._last_read

    def outcomes(self) -> list[str]:
        """The outcomes listed under Exit / Outcome (e.g. "Exit Date: 06/24/2021 Exit Reason:
        Deceased"); [] when none."""
        return list(self.exit_outcome().listed)

    def listed_outcomes(self) -> list[ListedOutcome]:
        """The outcomes listed under Exit / Outcome with their exit date and reason read out
        (what `audit` compares with the job); [] when none. Only opens tree nodes."""
        return [ListedOutcome.read(text) for text in self.exit_outcome().listed]

    def can_create_outcome(self) -> bool:
        """Whether the Create (Exit/)Outcome button is there."""
        return self.exit_outcome().can_create

    def exit_outcome(self) -> ExitOutcomeListing:
        """Both of the above after opening the node once (what a bot asks before creating an
        outcome and after saving one)."""
        screen = self.expand_exit_outcome()
        return ExitOutcomeListing(tuple(self._listed(screen)),
                                  self._create_action(screen) is not None)

    def _listed(self, screen: Screen) -> list[str]:
        """The outcomes under this application's Exit / Outcome line: lines that read as one
        (its captions or a date), a small table's header joined to its values."""
        line = self._exit_outcome_line(screen)
        if line is None:
            return []
        words = wording()
        create = words.pattern("case.create_button")
        lines = [later for later in self._exit_outcome_part(screen, line).lines
                 if not any(create.match(cell) for cell in later.cells())]
        return _outcomes_in(lines)

    def _create_action(self, screen: Screen) -> Clickable | None:
        """This application's Create (Exit/)Outcome button or link, if shown under its Exit /
        Outcome line (another open application may show its own)."""
        line = self._exit_outcome_line(screen)
        if line is None:
            return None
        create = wording().pattern("case.create_button")
        for clickable in self._exit_outcome_part(screen, line).clickables:
            if clickable.says(create):
                return clickable
        return None

    def create_outcome(self) -> OutcomeForm:
        """Open a new outcome form for this application."""
        from caljobs_bot.pages.outcome_form import SCREEN as FORM_SCREEN
        from caljobs_bot.pages.outcome_form import OutcomeForm

        screen = self.expand_exit_outcome()
        create = self._create_action(screen)
        if create is None:
            raise ElementNotFound(
                SCREEN, f"{wording().describe('case.create_button')} button or link under "
                        f"application {self.number}'s Exit / Outcome section",
                "case.create_button")
        self._last_read = None  # the page is left
        with postback(self.page, FORM_SCREEN):  # a 5xx instead of the form: said at once
            spot(self.page, create).click()
        return OutcomeForm(self.page)


def _section_words(line: Line, section: re.Pattern[str]) -> tuple[int, int]:
    """Where the section's name is in the line's text (start, end)."""
    offset = 0
    for cell in line.text.split("\t"):
        stripped = cell.strip()
        if stripped and _is_section_name(stripped, section):
            bare = TRAILING_COUNT.sub("", LEADING_GLYPH.sub("", stripped))
            start = line.text.index(stripped, offset)
            inner = stripped.find(bare) if bare else 0
            return start + max(inner, 0), start + len(stripped)
        offset += len(cell) + 1
    return 0, len(line.text)


def _details_of(lines: list[Line]) -> dict[str, str]:
    """"Caption: value" lines (the value maybe on the next line, or in the next cell)."""
    texts = [_plain_text(line) for line in lines]
    details: dict[str, str] = {}
    for index, line in enumerate(lines):
        match = DETAIL_LINE.match(texts[index])
        cells = [c for c in line.cells() if not GLYPH_ONLY.match(c)]
        if match:
            caption, value = squeeze(match["caption"]), match["value"].strip()
            if not value and index + 1 < len(texts):
                value = texts[index + 1]
        elif len(cells) == 2:
            caption, value = cells[0], cells[1]
        else:
            continue
        key = LWDB_KEY if wording().pattern("case.lwdb_caption").match(caption) else caption
        details[key] = value
    return details


def _outcomes_in(lines: list[Line]) -> list[str]:
    """The listed outcomes among a section's lines: a line with the captions and values
    ("Exit Date: 06/24/2021 Exit Reason: Deceased"), consecutive caption lines of one outcome
    ("Exit Date: 06/24/2021" / "Exit Reason: Deceased") joined, and a small table's header row
    ("Exit Date | Exit Reason") joined to each row of values after it."""
    outcomes: list[str] = []
    header: list[str] | None = None
    for line in lines:
        cells = [c for c in line.cells() if not GLYPH_ONLY.match(c)]
        if cells and all(HEADER_CELL.match(c) for c in cells) and OUTCOME_LINE.search(line.text):
            header = [c.rstrip(":").strip() for c in cells]
            continue
        if header is not None and len(cells) == len(header):
            outcomes.append(" ".join(f"{h}: {v}" for h, v in zip(header, cells, strict=True)))
            continue
        header = None
        if not OUTCOME_LIKE.search(line.text):
            continue
        text = _plain_text(line)
        if outcomes and _continues(outcomes[-1], text):
            outcomes[-1] = f"{outcomes[-1]} {text}"
        else:
            outcomes.append(text)
    return outcomes


def _continues(previous: str, text: str) -> bool:
    """Whether `text` is the rest of the outcome `previous` began: "Exit Reason: Deceased"
    after "Exit Date: 06/24/2021" (each caption once per outcome)."""
    date, reason = re.compile(r"\bExit\s*Date\b", re.I), re.compile(r"\bExit\s*Reason\b", re.I)
    return ((bool(date.search(previous)) and not reason.search(previous)
             and bool(reason.search(text)) and not date.search(text))
            or (bool(reason.search(previous)) and not date.search(previous)
                and bool(date.search(text)) and not reason.search(text)))


# The profile shows the name just before the participant's identifiers:
# "Karen James  User ID: 37762  State ID: 34712".
NAME_BEFORE_IDS = re.compile(r"^\s*(\S.*?)\s+User ID\s*:", re.IGNORECASE)


def _banner(page: Page) -> str:
    """The participant's banner: the name, then the ids."""
    banner = page.get_by_text(NAME_BEFORE_IDS).filter(visible=True).first
    must_show(banner, screen=SCREEN, element="participant's name followed by 'User ID:'")
    return squeeze(banner.inner_text())


def _participant_name(page: Page) -> str:
    """The name the profile shows: the text before "User ID:" in the participant's banner."""
    match = NAME_BEFORE_IDS.match(_banner(page))
    return match[1] if match else ""


# The identifiers in the same banner, each after its caption.
IDS_SHOWN = {
    ParticipantId.USER: re.compile(r"\bUser ID\s*:\s*(\w+)", re.IGNORECASE),
    ParticipantId.STATE: re.compile(r"\bState ID\s*:\s*(\w+)", re.IGNORECASE),
}


def _participant_ids(page: Page) -> dict[ParticipantId, str]:
    """The ids the participant's banner shows, by which they are."""
    return _ids_in(_banner(page))


def _ids_in(banner: str) -> dict[ParticipantId, str]:
    """The ids a banner's text shows, by which they are."""
    return {which: match[1] for which, pattern in IDS_SHOWN.items()
            if (match := pattern.search(banner))}
