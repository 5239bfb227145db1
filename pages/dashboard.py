"""My Staff Dashboard: where staff land after signing in."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from pages.fields import action
from pages.postback import postback

if TYPE_CHECKING:
    from pages.participant_search import ParticipantSearch

HEADING = re.compile(r"^\s*My Staff Dashboard\s*$", re.IGNORECASE)
# The menu path the help sheets and staff guides name, top to bottom.
MENU_PATH = ("Services for Workforce Staff", "Manage Individuals", "Assist an Individual")


class StaffDashboard:
    """My Staff Dashboard, with the Services for Workforce Staff menu."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading_in(page).wait_for()

    @staticmethod
    def heading_in(page: Page) -> Locator:
        """The dashboard's heading (used to notice that the dashboard is showing)."""
        return page.get_by_role("heading", name=HEADING)

    def assist_an_individual(self) -> ParticipantSearch:
        """Services for Workforce Staff > Manage Individuals > Assist an Individual.

        Clicks the link straight away when the menu already shows it; otherwise opens each
        menu level in turn: hovering first (menus that open on hover), then clicking a level
        that is itself a link (a landing page that lists the next level).
        """
        from pages.participant_search import ParticipantSearch

        *menus, target = MENU_PATH
        link = action(self.page, target)
        for menu in menus:
            if link.is_visible():
                break
            entry = _menu_entry(self.page, menu)
            entry.hover()
            if not link.is_visible() and action(self.page, menu).count():
                with postback(self.page):
                    action(self.page, menu).click()
        with postback(self.page):
            link.click()
        return ParticipantSearch(self.page)


def _menu_entry(page: Page, name: str) -> Locator:
    """A menu level by its text, whether a link, a button or a plain caption.

    Last resort, by order: the same words may also appear further down the page (a heading
    that repeats the menu's name); the menu entry comes first.
    """
    return action(page, name).or_(page.get_by_text(name, exact=True)).first
