"""The Case Management Profile: a participant's program applications, as a tree."""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import Error, Locator, Page

from pages.fields import action, squeeze, unshown_value, wait_for_any
from pages.postback import postback
from pages.wording import (
    COLLAPSE,
    CREATE_OUTCOME,
    EXIT_OUTCOME_SECTION,
    LWDB_CAPTION,
    LWDB_KEY,
    TOGGLE,
)

if TYPE_CHECKING:
    from pages.outcome_form import OutcomeForm

HEADING = re.compile(r"^\s*Case Management Profile\s*$", re.IGNORECASE)
PROGRAMS_TAB = re.compile(r"^\s*Programs\s*$", re.IGNORECASE)
# "WIOA #2244266 - Complete": the line that names an application in the tree.
# (Patterns handed to Playwright run as JavaScript regexes: numbered groups only.)
WIOA_APPLICATION = re.compile(r"^\s*WIOA\s*#\s*(\d+)\s*-\s*(.+?)\s*$")
# "Caption: value" (or "Caption:" alone, the value on the next line) inside an application.
DETAIL_LINE = re.compile(r"^(?P<caption>[^:]{1,60}?)\s*:\s*(?P<value>.*)$")
# The (+) / (-) a toggle shows, when it shares a line with the node's label.
TOGGLE_GLYPH = re.compile(r"^\s*\(\s*[+-]\s*\)\s*")
NO_DATA = re.compile(r"^\s*No data found\.?\s*$", re.IGNORECASE)
# How long an expanded node may take to show its contents (the real site may fetch them).
CONTENT_TIMEOUT_MS = 5_000


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


def _own_toggle(node: Locator) -> Locator:
    """A tree node's own (+)/(-) button.

    Last resort, by order: an expanded node also holds its children's buttons with the same
    names, and no role tells them apart; the node's own button comes first in the page.
    """
    return action(node, TOGGLE).first


class _TreeNode:
    """One expandable node of the application tree."""

    def __init__(self, node: Locator) -> None:
        self.node = node

    def is_expanded(self) -> bool:
        """Whether the node is open, by aria-expanded or else by its button's name."""
        toggle = _own_toggle(self.node)
        # get_attribute waits for the button itself: no separate wait_for round trip.
        state = toggle.get_attribute("aria-expanded") or self.node.get_attribute("aria-expanded")
        if state is not None:
            return state == "true"
        return toggle.and_(action(self.node, COLLAPSE)).count() == 1

    def expand(self) -> None:
        """Open the node if it is closed (clicking an open node would close it)."""
        if self.is_expanded():
            return
        _own_toggle(self.node).click()
        opened = self.node.get_by_role("button", expanded=True).or_(action(self.node, COLLAPSE))
        _own_toggle(self.node).and_(opened).wait_for()

    def lines(self) -> list[str]:
        """The node's visible text, one squeezed line per line shown."""
        return [squeeze(line) for line in self.node.inner_text().splitlines() if line.strip()]


class CasePage:
    """Case Management Profile for one participant (Programs tab)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        page.get_by_role("heading", name=HEADING).wait_for()
        self._show_programs()

    def _show_programs(self) -> None:
        """Make sure the Programs tab (which holds the applications) is the one showing."""
        tab = self.page.get_by_role("tab", name=PROGRAMS_TAB)
        if tab.count() and tab.get_attribute("aria-selected") != "true":
            tab.click()
        # A participant without applications has no tree, only "No data found.".
        empty = self.page.get_by_text(NO_DATA)
        wait_for_any(self.tree(), empty)

    def tree(self) -> Locator:
        """The Program Applications tree."""
        return self.page.get_by_role("tree")

    def participant_name(self) -> str:
        """The participant's name as the profile shows it."""
        return _participant_name(self.page)

    def participant_ids(self) -> dict[str, str]:
        """The ids shown beside the name: {"User ID": "37762", "State ID": "34712"}."""
        return _participant_ids(self.page)

    def wioa_applications(self) -> list[ApplicationSummary]:
        """The WIOA applications listed in the tree (other programs are left out)."""
        if not self.tree().count():
            return []
        labels = self.tree().get_by_text(WIOA_APPLICATION).all_inner_texts()
        summaries = []
        for label in labels:
            match = WIOA_APPLICATION.match(squeeze(label))
            if match:
                summaries.append(ApplicationSummary(match[1], match[2]))
        return summaries

    def application(self, number: str) -> ApplicationNode:
        """The tree node of one WIOA application, by its number (with or without "#")."""
        return ApplicationNode(self.page, number.lstrip("#").strip())

    def message(self) -> str | None:
        """The flash message shown after a save (role=status), if any."""
        status = self.page.get_by_role("status").filter(visible=True)
        text = squeeze(" ".join(status.all_inner_texts()))
        return text or None

    def confirmation(self) -> Locator:
        """The flash message itself (role=status), e.g. to point at it in a walkthrough."""
        return self.page.get_by_role("status").filter(visible=True)

    def wioa_items(self) -> Locator:
        """The tree items of every WIOA application (what step 2 of the help sheet opens)."""
        return self.tree().get_by_role("treeitem", name=WIOA_APPLICATION)

    def create_outcome_button(self) -> Locator:
        """The Create (Exit/)Outcome button on show: the one under the Exit / Outcome node
        that is open (the bot opens one application's node at a time).

        Last resort, by order: should two nodes be open, the first button is taken.
        """
        return action(self.tree(), CREATE_OUTCOME).filter(visible=True).first

    def login_name(self) -> str:
        """The participant's Login Name from the General Info tab, read without opening it
        ("" when the page does not carry it); the guide hides it on screenshots."""
        return unshown_value(self.page, "Login Name")


class ApplicationNode:
    """One WIOA application in the tree, with its details and its Exit / Outcome node."""

    def __init__(self, page: Page, number: str) -> None:
        self.page = page
        self.number = number
        name = re.compile(rf"\bWIOA\s*#\s*{re.escape(number)}\b")
        self._item = _TreeNode(page.get_by_role("tree").get_by_role("treeitem", name=name))

    def _exit_outcome(self) -> _TreeNode:
        label = self.page.get_by_text(EXIT_OUTCOME_SECTION)
        return _TreeNode(self._item.node.get_by_role("treeitem").filter(has=label))

    def tree_item(self) -> Locator:
        """The application's own item in the tree (its line and everything under it)."""
        return self._item.node

    def expand(self) -> None:
        """Show the application's details and sections (no-op when already shown)."""
        self._item.expand()

    def details(self) -> dict[str, str]:
        """The application's own lines ("LWDB", "Onestop", "Open/Total Activities", "Program",
        and whatever else it shows, e.g. "Application Date"), as shown; the board line is
        keyed "LWDB" whether the screen says LWDB or LWIA."""
        self.expand()
        # Lines inside child sections (Closure, Exit / Outcome: they have their own toggle)
        # belong to those sections, not to the application.
        sections = self._item.node.get_by_role("treeitem").filter(
            has=self.page.get_by_role("button", name=TOGGLE)
        )
        section_lines = {
            squeeze(line) for text in sections.all_inner_texts() for line in text.splitlines()
        }
        own_lines = [line for line in self._item.lines() if line not in section_lines]
        details: dict[str, str] = {}
        for index, line in enumerate(own_lines):
            match = DETAIL_LINE.match(line)
            if not match:
                continue
            caption, value = squeeze(match["caption"]), match["value"].strip()
            if not value and index + 1 < len(own_lines):
                value = own_lines[index + 1]
            key = LWDB_KEY if LWDB_CAPTION.match(caption) else caption
            details[key] = value
        return details

    def program(self) -> str:
        """The application's program: Adult, Dislocated Worker or Youth."""
        return self.details().get("Program", "")

    def expand_exit_outcome(self) -> None:
        """Open the application and its Exit / Outcome node (no-op when already open)."""
        self.expand()
        node = self._exit_outcome()
        node.expand()
        # Wait for the node's contents: a create button, or at least one listed outcome.
        # An empty node is possible: outcomes() and can_create_outcome() report what is there.
        with suppress(Error):
            wait_for_any(
                action(node.node, CREATE_OUTCOME),
                node.node.get_by_role("treeitem"),
                node.node.get_by_role("listitem"),
                timeout=CONTENT_TIMEOUT_MS,
            )

    def outcomes(self) -> list[str]:
        """The lines listed under Exit / Outcome (e.g. "Exit Date: 06/24/2021 Exit Reason:
        Deceased"); [] when none."""
        self.expand_exit_outcome()
        return self._listed()

    def can_create_outcome(self) -> bool:
        """Whether the Create (Exit/)Outcome button is there."""
        self.expand_exit_outcome()
        return self._create_shown()

    def exit_outcome(self) -> ExitOutcomeListing:
        """Both of the above after opening the node once (what a bot asks before creating an
        outcome and after saving one)."""
        self.expand_exit_outcome()
        return ExitOutcomeListing(tuple(self._listed()), self._create_shown())

    def _listed(self) -> list[str]:
        listed = []
        for line in self._exit_outcome().lines():
            text = TOGGLE_GLYPH.sub("", line)
            if text and not (EXIT_OUTCOME_SECTION.match(text) or CREATE_OUTCOME.match(text)):
                listed.append(text)
        return listed

    def _create_shown(self) -> bool:
        return action(self._exit_outcome().node, CREATE_OUTCOME).is_visible()

    def create_outcome(self) -> OutcomeForm:
        """Open a new outcome form for this application."""
        from pages.outcome_form import OutcomeForm

        self.expand_exit_outcome()
        with postback(self.page):
            action(self._exit_outcome().node, CREATE_OUTCOME).click()
        return OutcomeForm(self.page)


# The profile shows the name just before the participant's identifiers:
# "Karen James  User ID: 37762  State ID: 34712".
NAME_BEFORE_IDS = re.compile(r"^\s*(\S.*?)\s+User ID\s*:", re.IGNORECASE)


def _participant_name(page: Page) -> str:
    """The name the profile shows: the text before "User ID:" in the participant's banner."""
    banner = page.get_by_text(NAME_BEFORE_IDS).filter(visible=True).first
    banner.wait_for()
    match = NAME_BEFORE_IDS.match(squeeze(banner.inner_text()))
    return match[1] if match else ""


# The identifiers in the same banner, each after its caption.
IDS_SHOWN = {
    "User ID": re.compile(r"\bUser ID\s*:\s*(\w+)", re.IGNORECASE),
    "State ID": re.compile(r"\bState ID\s*:\s*(\w+)", re.IGNORECASE),
}


def _participant_ids(page: Page) -> dict[str, str]:
    """The ids the participant's banner shows, by caption ("User ID", "State ID")."""
    banner = page.get_by_text(NAME_BEFORE_IDS).filter(visible=True).first
    banner.wait_for()
    text = squeeze(banner.inner_text())
    return {caption: match[1] for caption, pattern in IDS_SHOWN.items()
            if (match := pattern.search(text))}
