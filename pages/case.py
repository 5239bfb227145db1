"""The Case Management Profile: a participant's program applications, as a tree.

The tree is read as a person reads it, in document order: an application's line, then its
details and sections, until the next application's line. That holds whether the site nests a
node's children inside it (a list) or writes them after it (an ASP.NET TreeView), and whether
the (+) is a button, an image link or "(+)" text (pages/reading.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import Error, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from caljobs_bot.pages.fields import action, each_value, squeeze, title, unshown_value, wait_for_any
from caljobs_bot.pages.notfound import ElementNotFound, must_show
from caljobs_bot.pages.postback import postback
from caljobs_bot.pages.reading import (
    clickable_before,
    lines_of_region,
    nearest_texts_before,
    pick,
    state_words,
)
from caljobs_bot.pages.site_wording import in_force as wording

if TYPE_CHECKING:
    from caljobs_bot.pages.outcome_form import OutcomeForm

SCREEN = "Case Management Profile"
# The board line's key in ApplicationNode.details(), whether the screen says LWDB or LWIA.
LWDB_KEY = "LWDB"
# "WIOA #2244266 - Complete": the line that names an application in the tree.
# (Patterns handed to Playwright run as JavaScript regexes: numbered groups only.)
WIOA_APPLICATION = re.compile(r"^\s*WIOA\s*#\s*(\d+)\s*-\s*(.+?)\s*$")
# Any program's application line ("Wagner-Peyser #2244390 - Complete"): where the lines of the
# application before it end.
ANY_APPLICATION = re.compile(r"^\s*[A-Za-z][^#:]{0,40}#\s*\d+\s*-\s*.+$")
# "Caption: value" (or "Caption:" alone, the value on the next line) inside an application.
DETAIL_LINE = re.compile(r"^(?P<caption>[^:]{1,60}?)\s*:\s*(?P<value>.*)$")
# The (+) / (-) a toggle shows, when it shares a line with the node's label.
TOGGLE_GLYPH = re.compile(r"^\s*\(\s*[+-]\s*\)\s*")
# What an open Exit / Outcome node shows besides a create button: a listed outcome.
OUTCOME_LINE = re.compile(r"\bExit\s*(Date|Reason)\b", re.IGNORECASE)
# How long an expanded node may take to show its contents (the real site may fetch them).
CONTENT_TIMEOUT_MS = 5_000


def _any_section() -> re.Pattern[str]:
    """Every child node of an application that has a (+) of its own: where one section's
    contents end and the next section begins."""
    return wording().either("case.closure_section", "case.exit_outcome_section")


@dataclass(frozen=True)
class ExitOutcomeListing:
    """What an application's Exit / Outcome node shows: the outcomes listed under it (e.g.
    "Exit Date: 06/24/2021 Exit Reason: Deceased") and whether Create is offered."""

    listed: tuple[str, ...]
    can_create: bool


@dataclass(frozen=True)
class ApplicationSummary:
    """An application as the tree names it: "WIOA #2244266 - Complete"."""

    number: str
    status: str


def _application_line(number: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*WIOA\s*#\s*{re.escape(number)}\b.*$")


class _TreeNode:
    """One expandable node of the tree: its label, and the (+)/(-) just before it."""

    def __init__(self, page: Page, label: Locator, name: str,
                 contents: Callable[[], Locator]) -> None:
        self.page = page
        self.label = label
        self.name = name
        self._contents = contents

    def toggle(self) -> Locator:
        """The node's (+)/(-): the clickable element just before its text, named like one."""
        toggle = wording().either("case.expand", "case.collapse")
        return clickable_before(self.label).and_(action(self.page, toggle))

    def _state(self) -> str:
        """"open", "closed" or "unknown", by what the toggle says of itself."""
        try:
            shown = state_words(self.toggle())
        except PlaywrightTimeoutError:
            raise ElementNotFound(SCREEN, f"(+) button or link before '{self.name}'",
                                  "case.expand") from None
        if shown["expanded"] in ("true", "false"):
            return "open" if shown["expanded"] == "true" else "closed"
        if wording().pattern("case.collapse").match(shown["words"]):
            return "open"
        if wording().pattern("case.expand").match(shown["words"]):
            return "closed"
        return "unknown"

    def expand(self) -> None:
        """Open the node if it is closed (clicking an open node would close it)."""
        state = self._state()
        if state == "open" or (state == "unknown" and self._contents().count()):
            return
        self.toggle().click()
        opened = self.toggle().and_(action(self.page, wording().pattern("case.collapse")))
        if state == "unknown":
            opened = opened.or_(self._contents())
        must_show(opened, screen=SCREEN, element=f"contents of '{self.name}' after its (+)",
                  key="case.collapse")


class CasePage:
    """Case Management Profile for one participant (Programs tab)."""

    def __init__(self, page: Page) -> None:
        self.page = page
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

    def _applications_or_none(self) -> Locator:
        no_data = wording().pattern("case.no_data")
        return self.page.get_by_text(ANY_APPLICATION).or_(self.page.get_by_text(no_data))

    def _show_programs(self) -> None:
        """Make sure the Programs tab (which holds the applications) is the one showing."""
        shown = self._applications_or_none()
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

    def participant_ids(self) -> dict[str, str]:
        """The ids shown beside the name: {"User ID": "37762", "State ID": "34712"}."""
        return _participant_ids(self.page)

    def wioa_applications(self) -> list[ApplicationSummary]:
        """The WIOA applications listed in the tree (other programs are left out)."""
        labels: list[str] = each_value(self.wioa_items(), "e => e.textContent")
        summaries = []
        for label in labels:
            match = WIOA_APPLICATION.match(squeeze(label))
            if match:
                summaries.append(ApplicationSummary(match[1], match[2]))
        return summaries

    def application(self, number: str) -> ApplicationNode:
        """The tree node of one WIOA application, by its number (with or without "#")."""
        return ApplicationNode(self.page, number.lstrip("#").strip())

    def confirmation(self) -> Locator:
        """The message shown after a save ("The Exit/Outcome has been saved.", "Outcome record
        saved successfully"), e.g. to point at it in a walkthrough."""
        saved = wording().pattern("case.saved_message")
        status = self.page.get_by_role("status").or_(self.page.get_by_text(saved))
        return status.filter(visible=True)

    def message(self) -> str | None:
        """The message shown after a save, if any."""
        text = squeeze(" ".join(self.confirmation().all_inner_texts()))
        return text or None

    def wioa_items(self) -> Locator:
        """The line of every WIOA application (what step 2 of the help sheet opens)."""
        return self.page.get_by_text(WIOA_APPLICATION).filter(visible=True)

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


class ApplicationNode:
    """One WIOA application in the tree, with its details and its Exit / Outcome node."""

    def __init__(self, page: Page, number: str) -> None:
        self.page = page
        self.number = number
        self._line = _application_line(number)
        label = page.get_by_text(self._line).filter(visible=True)
        self._item = _TreeNode(page, label, f"WIOA #{number}", self._sections)

    def _sections(self) -> Locator:
        return self.page.get_by_text(_any_section()).filter(visible=True)

    def tree_item(self) -> Locator:
        """The application's own line in the tree."""
        return self._item.label

    def expand(self) -> None:
        """Show the application's details and sections (no-op when already shown)."""
        self._item.expand()

    def _own_lines(self) -> list[str]:
        """The visible lines under this application, down to the next application's line;
        a line that is only a link or button's words is left out (it is no detail or listed
        outcome, whatever it says)."""
        read, clickable = lines_of_region(self.page, ANY_APPLICATION, _any_section())
        lines = [TOGGLE_GLYPH.sub("", line) for line in read
                 if line not in clickable or ANY_APPLICATION.match(TOGGLE_GLYPH.sub("", line))
                 or _any_section().match(TOGGLE_GLYPH.sub("", line))]
        start = next((i for i, line in enumerate(lines) if self._line.match(line)), None)
        if start is None:
            return []
        end = next((i for i in range(start + 1, len(lines))
                    if ANY_APPLICATION.match(lines[i])), len(lines))
        return lines[start + 1:end]

    def details(self) -> dict[str, str]:
        """The application's own lines ("LWDB", "Onestop", "Open/Total Activities", "Program",
        and whatever else it shows, e.g. "Application Date"), as shown; the board line is
        keyed "LWDB" whether the screen says LWDB or LWIA."""
        self.expand()
        own_lines: list[str] = []
        for line in self._own_lines():
            if _any_section().match(line):
                break  # the sections (Closure, Exit / Outcome) and what they hold follow
            own_lines.append(line)
        details: dict[str, str] = {}
        for index, line in enumerate(own_lines):
            match = DETAIL_LINE.match(line)
            if not match:
                continue
            caption, value = squeeze(match["caption"]), match["value"].strip()
            if not value and index + 1 < len(own_lines):
                value = own_lines[index + 1]
            key = LWDB_KEY if wording().pattern("case.lwdb_caption").match(caption) else caption
            details[key] = value
        return details

    def program(self) -> str:
        """The application's program: Adult, Dislocated Worker or Youth."""
        return self.details().get("Program", "")

    def _exit_outcome_label(self) -> Locator:
        """The "Exit / Outcome" line of this application: the one whose nearest application
        line before it is this application's."""
        section = wording().pattern("case.exit_outcome_section")
        candidates = self.page.get_by_text(section).filter(visible=True)
        owners = nearest_texts_before(candidates, ANY_APPLICATION)
        for index, (application,) in enumerate(owners):
            if application is not None and self._line.match(application):
                return pick(candidates, index)
        raise ElementNotFound(SCREEN, f"{wording().describe('case.exit_outcome_section')} "
                                      f"section under application {self.number}",
                              "case.exit_outcome_section")

    def _exit_outcome(self) -> _TreeNode:
        return _TreeNode(self.page, self._exit_outcome_label(), "Exit / Outcome",
                         self._exit_outcome_contents)

    def _exit_outcome_contents(self) -> Locator:
        create = wording().pattern("case.create_button")
        shown = action(self.page, create).or_(self.page.get_by_text(OUTCOME_LINE))
        return shown.filter(visible=True)

    def expand_exit_outcome(self) -> None:
        """Open the application and its Exit / Outcome node (no-op when already open)."""
        self.expand()
        self._exit_outcome().expand()
        # Wait for the node's contents: a create button, or at least one listed outcome.
        # An empty node is possible: outcomes() and can_create_outcome() report what is there.
        with suppress(Error):
            wait_for_any(self._exit_outcome_contents(), timeout=CONTENT_TIMEOUT_MS)

    def outcomes(self) -> list[str]:
        """The lines listed under Exit / Outcome (e.g. "Exit Date: 06/24/2021 Exit Reason:
        Deceased"); [] when none."""
        self.expand_exit_outcome()
        return self._listed()

    def can_create_outcome(self) -> bool:
        """Whether the Create (Exit/)Outcome button is there."""
        self.expand_exit_outcome()
        return self._create_action() is not None

    def exit_outcome(self) -> ExitOutcomeListing:
        """Both of the above after opening the node once (what a bot asks before creating an
        outcome and after saving one)."""
        self.expand_exit_outcome()
        return ExitOutcomeListing(tuple(self._listed()), self._create_action() is not None)

    def _listed(self) -> list[str]:
        """The lines after this application's Exit / Outcome line, to the next section."""
        listed: list[str] = []
        inside = False
        words = wording()
        exit_outcome, any_section = words.pattern("case.exit_outcome_section"), _any_section()
        create, no_data = words.pattern("case.create_button"), words.pattern("case.no_data")
        for line in self._own_lines():
            if any_section.match(line):
                inside = bool(exit_outcome.match(line))
            elif inside and not (create.match(line) or no_data.match(line)):
                listed.append(line)
        return listed

    def _create_action(self) -> Locator | None:
        """This application's Create (Exit/)Outcome button or link, if shown: the one whose
        nearest application line before it is this one's and whose nearest section is Exit /
        Outcome (another open application may show its own)."""
        words = wording()
        candidates = action(self.page, words.pattern("case.create_button")).filter(visible=True)
        owners = nearest_texts_before(candidates, ANY_APPLICATION, _any_section())
        exit_outcome = words.pattern("case.exit_outcome_section")
        for index, (application, section) in enumerate(owners):
            if (application is not None and self._line.match(application)
                    and section is not None and exit_outcome.match(section)):
                return pick(candidates, index)
        return None

    def create_outcome(self) -> OutcomeForm:
        """Open a new outcome form for this application."""
        from caljobs_bot.pages.outcome_form import OutcomeForm

        # Usually the node is open already (the bot has just looked at it): one look, no
        # re-opening; otherwise open it and look again.
        create = self._create_action()
        if create is None:
            self.expand_exit_outcome()
            create = self._create_action()
        if create is None:
            raise ElementNotFound(
                SCREEN, f"{wording().describe('case.create_button')} button or link under "
                        f"application {self.number}'s Exit / Outcome section",
                "case.create_button")
        with postback(self.page):
            create.click()
        return OutcomeForm(self.page)


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
    "User ID": re.compile(r"\bUser ID\s*:\s*(\w+)", re.IGNORECASE),
    "State ID": re.compile(r"\bState ID\s*:\s*(\w+)", re.IGNORECASE),
}


def _participant_ids(page: Page) -> dict[str, str]:
    """The ids the participant's banner shows, by caption ("User ID", "State ID")."""
    text = _banner(page)
    return {caption: match[1] for caption, pattern in IDS_SHOWN.items()
            if (match := pattern.search(text))}
