"""Assist an Individual: searching for a participant and opening their case."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from pages.fields import action, data_table, field, squeeze, table_rows
from pages.notfound import must_show
from pages.postback import postback

if TYPE_CHECKING:
    from pages.case import CasePage

SCREEN = "Assist an Individual search screen"
# "No records found.", "No matching individuals were found for the criteria entered.": a
# sentence that says nothing was found, in whichever words the release uses.
NO_RESULTS = re.compile(
    r"^\s*(no\b[^.]{0,60}?\b(found|match\w*)|0 (records|results|matches)\b)[^.]{0,80}\.?\s*$",
    re.IGNORECASE,
)
SEARCH_FIELDS = ("State ID", "User ID", "Last Name", "First Name")
# The columns that make a table the list of people found.
RESULT_COLUMNS = ("Name", "User ID", "State ID")


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
        must_show(field(page, "State ID"), screen=SCREEN, element="'State ID' search box")

    def _results_table(self) -> Locator:
        return data_table(self.page, *RESULT_COLUMNS)

    @staticmethod
    def is_shown(page: Page) -> bool:
        """Whether the search screen is the one showing: its State ID box and Search button
        (its title is not needed, and the menu link of the same name is on every page)."""
        return field(page, "State ID").is_visible() and action(page, "Search").is_visible()

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
        says it found nobody."""
        values = dict(zip(SEARCH_FIELDS, (state_id, user_id, last_name, first_name), strict=True))
        for caption, value in values.items():
            field(self.page, caption).fill(value or "")
        with postback(self.page):
            action(self.page, "Search").click()
        table = self._results_table()
        must_show(table.or_(self.page.get_by_text(NO_RESULTS)), screen=SCREEN,
                  element="list of people found (a table with columns Name, User ID, State "
                          "ID) and no message that nobody was found")
        if not table.count():
            return []
        return [
            SearchResult(
                name=row.get("Name", ""),
                user_id=row.get("User ID", ""),
                state_id=row.get("State ID", ""),
                city=row.get("City", ""),
            )
            for row in table_rows(table, *RESULT_COLUMNS)
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
