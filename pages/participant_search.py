"""Assist an Individual: searching for a participant and opening their case."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from pages.fields import action, field, squeeze, table_rows, wait_for_any
from pages.postback import postback

if TYPE_CHECKING:
    from pages.case import CasePage

HEADING = re.compile(r"^\s*Assist an Individual\s*$", re.IGNORECASE)
RESULTS_TABLE = re.compile(r"^\s*Search Results\s*$", re.IGNORECASE)
NO_RECORDS = re.compile(r"^\s*No records found\.?\s*$", re.IGNORECASE)
SEARCH_FIELDS = ("State ID", "User ID", "Last Name", "First Name")


@dataclass(frozen=True)
class SearchResult:
    """One row of the search results, as shown ("Last, First" in name)."""

    name: str
    user_id: str
    state_id: str
    city: str


class ParticipantSearch:
    """The Assist an Individual search screen."""

    def __init__(self, page: Page) -> None:
        self.page = page
        page.get_by_role("heading", name=HEADING).wait_for()

    def _results_table(self) -> Locator:
        return self.page.get_by_role("table", name=RESULTS_TABLE)

    @staticmethod
    def is_shown(page: Page) -> bool:
        """Whether the search screen is the one showing (no waiting)."""
        return page.get_by_role("heading", name=HEADING).is_visible()

    def search_box(self, caption: str) -> Locator:
        """One search criterion's box ("State ID", "User ID", "Last Name", "First Name")."""
        return field(self.page, caption)

    def search_button(self) -> Locator:
        """The Search button."""
        return action(self.page, "Search")

    def search(
        self,
        *,
        state_id: str | None = None,
        user_id: str | None = None,
        last_name: str | None = None,
        first_name: str | None = None,
    ) -> list[SearchResult]:
        """Search by any of the criteria (the others are cleared first); [] when the site
        says "No records found."."""
        values = dict(zip(SEARCH_FIELDS, (state_id, user_id, last_name, first_name), strict=True))
        for caption, value in values.items():
            field(self.page, caption).fill(value or "")
        with postback(self.page):
            action(self.page, "Search").click()
        table = self._results_table()
        none_found = self.page.get_by_text(NO_RECORDS)
        wait_for_any(table, none_found)
        if not table.count():
            return []
        return [
            SearchResult(
                name=row.get("Name", ""),
                user_id=row.get("User ID", ""),
                state_id=row.get("State ID", ""),
                city=row.get("City", ""),
            )
            for row in table_rows(table)
        ]

    def open_participant(self, result: SearchResult) -> CasePage:
        """Open the case of the person in that result row (clicks the name link)."""
        from pages.case import CasePage

        user_id_cell = self.page.get_by_role("cell", name=result.user_id, exact=True)
        name_link = self.page.get_by_role("link", name=squeeze(result.name), exact=True)
        rows = self._results_table().get_by_role("row")
        row = rows.filter(has=user_id_cell).filter(has=name_link)
        with postback(self.page):
            row.get_by_role("link", name=squeeze(result.name), exact=True).click()
        return CasePage(self.page)
