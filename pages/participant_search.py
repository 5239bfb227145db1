"""Assist an Individual: searching for a participant and opening their case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urlsplit

from playwright.sync_api import Locator, Page

from caljobs_bot.pages.fields import (
    action,
    data_table,
    field,
    read_only_values,
    squeeze,
    table_records,
)
from caljobs_bot.pages.login import SignedOutMeanwhile, sign_in_form_shown
from caljobs_bot.pages.notfound import looking_for, must_show, raise_if_server_error
from caljobs_bot.pages.participant_id import ParticipantId
from caljobs_bot.pages.postback import postback
from caljobs_bot.pages.site_wording import in_force as wording

if TYPE_CHECKING:
    from caljobs_bot.pages.case import CasePage

SCREEN = "Assist an Individual search screen"
# "No records found.", "No matching individuals were found for the criteria entered.": a
# sentence that says nothing was found, in whichever words the release uses (built in).
NO_RESULTS = wording().pattern("search.no_results")
# The search boxes' wording keys, in the order of search()'s criteria.
SEARCH_FIELDS = ("search.state_id", "search.user_id", "search.last_name", "search.first_name")
# The columns that make a table the list of people found.
RESULT_COLUMNS = ("Name", "User ID", "State ID")
# The address a name link opens, as the browser resolves it (a <base> element included); null
# for a link that only runs script when clicked: a WebForms LinkButton
# (`javascript:__doPostBack(...)`), an `onclick` handler, no href at all, or an element that
# is a link by its role only.
_LINK_ADDRESSES = """links => links.map(link => {
  const raw = link.getAttribute("href");
  if (!raw || link.hasAttribute("onclick") || typeof link.href !== "string") return null;
  return link.href;
})"""
# Schemes a page can be loaded from by its address (not javascript:, mailto:, data: ...).
_LOADABLE = ("http", "https")


class NoCaseAddress(LookupError):
    """The name link of a result has no address to open the case by (it posts back, or runs
    script): click it instead (open_participant)."""


@dataclass(frozen=True)
class SearchResult:
    """One row of the search results, as shown ("Last, First" in name)."""

    name: str
    user_id: str
    state_id: str
    city: str

    def id(self, which: ParticipantId) -> str:
        """The row's State ID or User ID."""
        return self.state_id if which is ParticipantId.STATE else self.user_id


class ParticipantSearch:
    """The Assist an Individual search screen."""

    def __init__(self, page: Page, *, shown: bool = False) -> None:
        """The search screen, once its State ID box shows (`shown`: the caller has just seen
        it, is_shown, so it is not waited for again)."""
        self.page = page
        # The address of each result's name link, read once (case_address) until the next
        # search shows other rows.
        self._addresses: dict[SearchResult, str | None] = {}
        if shown:
            return
        must_show(field(page, wording().texts("search.state_id")), screen=SCREEN,
                  element=f"{wording().describe('search.state_id')} search box",
                  key="search.state_id")

    def results_table(self) -> Locator:
        """The list of people found (a table with columns Name, User ID, State ID)."""
        return data_table(self.page, *RESULT_COLUMNS)

    def result_row(self, shown_id: str) -> Locator:
        """The row of the results list that shows this State ID or User ID in a cell."""
        cell = self.page.get_by_role("cell", name=shown_id, exact=True)
        return self.results_table().get_by_role("row").filter(has=cell)

    def name_link(self, shown_id: str) -> Locator:
        """The link that opens the case of the person whose row shows this State ID or User
        ID: the name in that row (a results row has no other link)."""
        return self.result_row(shown_id).get_by_role("link")

    @staticmethod
    def is_shown(page: Page) -> bool:
        """Whether the search screen is the one showing: its State ID box and Search button
        (its title is not needed, and the menu link of the same name is on every page)."""
        words = wording()
        return (field(page, words.texts("search.state_id")).is_visible()
                and action(page, words.pattern("search.search_button")).is_visible())

    def rows_shown(self) -> list[SearchResult]:
        """The results as listed, read without searching (the guide reads what it must hide
        from them)."""
        return _results(self.results_table())

    def search_box(self, which: ParticipantId) -> Locator:
        """The box a State ID or a User ID is typed in."""
        return field(self.page, wording().texts(which.value))

    def search_button(self) -> Locator:
        """The Search button."""
        return action(self.page, wording().pattern("search.search_button"))

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
        words = wording()
        # One read of what the boxes show: a box that already reads as wanted (empty, for the
        # criteria not given) is left alone; any other, or one the read cannot place, is filled.
        shown = read_only_values(self.page, {key: words.texts(key) for key in SEARCH_FIELDS})
        for key, value in values.items():
            if shown.get(key) == (value or ""):
                continue
            with looking_for(SCREEN, f"{words.describe(key)} search box", key):
                field(self.page, words.texts(key)).fill(value or "")
        self._addresses.clear()
        # A refused search (ASP.NET answers a postback from a stale page with a 500) is said
        # at once, not after waiting out the list below.
        with postback(self.page, SCREEN), looking_for(
                SCREEN, f"{words.describe('search.search_button')} button",
                "search.search_button"):
            action(self.page, words.pattern("search.search_button")).click()
        table = self.results_table()
        # The sign-in form is waited for too: a session that expired sends the search there,
        # which is said at once (SignedOutMeanwhile) instead of after the wait's time-out.
        signed_out = field(self.page, words.texts("sign_in.password"))
        must_show(table.or_(self.page.get_by_text(words.pattern("search.no_results")))
                  .or_(signed_out),
                  screen=SCREEN,
                  element="list of people found (a table with columns Name, User ID, State "
                          "ID) and no message that nobody was found")
        # No table now means the message that nobody was found showed, or the sign-in form.
        found = _results(table, now=True)
        if not found and sign_in_form_shown(self.page):
            raise SignedOutMeanwhile(SCREEN)
        return found

    def _name_link(self, result: SearchResult) -> Locator:
        """The name link in that result's row: the row with its User ID and its name."""
        user_id_cell = self.page.get_by_role("cell", name=result.user_id, exact=True)
        name_link = self.page.get_by_role("link", name=squeeze(result.name), exact=True)
        rows = self.results_table().get_by_role("row")
        row = rows.filter(has=user_id_cell).filter(has=name_link)
        return row.get_by_role("link", name=squeeze(result.name), exact=True)

    def open_participant(self, result: SearchResult) -> CasePage:
        """Open the case of the person in that result row (clicks the name link)."""
        from caljobs_bot.pages.case import CasePage

        with postback(self.page):
            self._name_link(result).click()
        return CasePage(self.page)

    def case_address(self, result: SearchResult) -> str | None:
        """The address the name link of that result row opens, absolute (http or https), so
        the case can be opened in another page (open_participant_in); None when the link
        posts back (a WebForms LinkButton, `javascript:__doPostBack(...)`), runs script on
        its click, has no href, or leads back to this very page: only a click opens it."""
        if result not in self._addresses:
            # One read, no waiting: the results are on screen (search() read them). Not one
            # link (none, or several) is left to open_participant, which says what it found.
            found = self._name_link(result).evaluate_all(_LINK_ADDRESSES)
            address = found[0] if len(found) == 1 else None
            loadable = (isinstance(address, str) and urlsplit(address).scheme in _LOADABLE
                        and urldefrag(address).url != urldefrag(self.page.url).url)
            self._addresses[result] = address if loadable else None
        return self._addresses[result]

    def open_participant_in(self, result: SearchResult, page: Page) -> CasePage:
        """Open the case of the person in that result row in another page (of the same
        browser context: it shares the session) by going to its name link's address; this
        page keeps the results and the search form. NoCaseAddress when the link has no
        address (case_address is None): only open_participant opens such a link."""
        from caljobs_bot.pages.case import SCREEN as CASE_SCREEN
        from caljobs_bot.pages.case import CasePage

        address = self.case_address(result)
        if address is None:
            raise NoCaseAddress("the name link has no address to open the case by (it posts "
                                "back or runs script): click it (open_participant)")
        answer = page.goto(address)
        raise_if_server_error(answer, CASE_SCREEN)
        # A session that expired is sent to the sign-in page (another address); said at once.
        if urlsplit(page.url).path != urlsplit(address).path and sign_in_form_shown(page):
            raise SignedOutMeanwhile(CASE_SCREEN)
        return CasePage(page)


def _results(table: Locator, *, now: bool = False) -> list[SearchResult]:
    """The rows of the list of people found, each as a SearchResult (see table_records)."""
    return table_records(table, SearchResult, {"name": "Name", "user_id": "User ID",
                                               "state_id": "State ID", "city": "City"},
                         *RESULT_COLUMNS, now=now)
