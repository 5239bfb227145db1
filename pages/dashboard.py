"""The staff home page ("My Staff Dashboard", "Staff Home"): where staff land after signing in.

Its title differs between releases, so it is recognised by what every signed-in page has: a
Sign Out link, or the staff menu.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from pages.fields import action, title
from pages.notfound import ElementNotFound, must_show
from pages.postback import postback

if TYPE_CHECKING:
    from pages.participant_search import ParticipantSearch

SCREEN = "staff home page"
# The menu path the help sheets and staff guides name, top to bottom. A release may leave a
# level out, show it as plain text, or list the next level on a page of its own.
MENU_PATH = ("Services for Workforce Staff", "Manage Individuals", "Assist an Individual")
SIGN_OUT = re.compile(r"^\s*(sign|log)\s*(out|off)\s*$", re.IGNORECASE)


class StaffDashboard:
    """The staff home page, with the Services for Workforce Staff menu."""

    def __init__(self, page: Page) -> None:
        self.page = page
        must_show(self.signs_of_signed_in(page), screen=SCREEN,
                  element="'Sign Out' link or staff menu (the page after signing in)")

    @staticmethod
    def signs_of_signed_in(page: Page) -> Locator:
        """What every page shows once signed in: a Sign Out link or an entry of the staff menu
        (also used to notice that a saved session still works)."""
        signs = action(page, SIGN_OUT)
        for level in MENU_PATH:
            signs = signs.or_(action(page, level)).or_(title(page, level))
        return signs

    def assist_an_individual(self) -> ParticipantSearch:
        """Services for Workforce Staff > Manage Individuals > Assist an Individual.

        Clicks the deepest level of the menu path that is shown as a link, until the search
        screen shows: straight to Assist an Individual when the menu shows it, else through
        the page a higher level opens. A menu that opens on hover is hovered first.
        """
        from pages.participant_search import ParticipantSearch

        for _ in range(len(MENU_PATH) + 1):
            if ParticipantSearch.is_shown(self.page):
                return ParticipantSearch(self.page)
            link = self._deepest_menu_link() or self._deepest_menu_link(hover=True)
            if link is None:
                break
            with postback(self.page):
                link.click()
        if ParticipantSearch.is_shown(self.page):
            return ParticipantSearch(self.page)
        raise ElementNotFound(
            SCREEN, "link to the search screen (looked for "
            + ", ".join(f"'{level}'" for level in reversed(MENU_PATH)) + ")"
        )

    def _deepest_menu_link(self, *, hover: bool = False) -> Locator | None:
        """The shown link of the deepest menu level, or None; with `hover`, each level's words
        are hovered first (menus that open on hover)."""
        for level in MENU_PATH if hover else ():
            words = _menu_entry(self.page, level)
            if words.is_visible():
                words.hover()
        for level in reversed(MENU_PATH):
            link = action(self.page, level).filter(visible=True)
            if link.count():
                return _first(link)
        return None


def _menu_entry(page: Page, name: str) -> Locator:
    """A menu level by its words, whether a link, a button or a plain caption."""
    return _first(action(page, name).or_(title(page, name)))


def _first(found: Locator) -> Locator:
    """The first of several matches.

    Last resort, by order: the same words may appear again further down the page (a title
    that repeats the menu's name, a link in the page's content); the menu entry comes first.
    """
    return found.first
