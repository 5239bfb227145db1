"""The staff home page ("My Staff Dashboard", "Staff Home"): where staff land after signing in.

Its title differs between releases, so it is recognised by what every signed-in page has: a
Sign Out link, or the staff menu.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from caljobs_bot.pages.fields import action, field, title
from caljobs_bot.pages.login import SignedOutMeanwhile, sign_in_form_shown
from caljobs_bot.pages.notfound import ElementNotFound, must_show
from caljobs_bot.pages.postback import postback
from caljobs_bot.pages.site_wording import in_force as wording

if TYPE_CHECKING:
    from caljobs_bot.pages.participant_search import ParticipantSearch

SCREEN = "staff home page"
# The menu path the help sheets and staff guides name, top to bottom, by wording key. A
# release may leave a level out, show it as plain text, or list the next level on a page of
# its own.
MENU_PATH = ("home.services_menu", "home.manage_individuals", "home.assist_an_individual")


class StaffDashboard:
    """The staff home page, with the Services for Workforce Staff menu."""

    def __init__(self, page: Page) -> None:
        """Waits for the page to show that staff are signed in; a session the site ended at
        once shows the sign-in form instead, which is said at once (SignedOutMeanwhile), not
        after the time-out."""
        self.page = page
        signed_in = self.signs_of_signed_in(page)
        must_show(signed_in.or_(field(page, wording().texts("sign_in.password"))),
                  screen=SCREEN,
                  element="'Sign Out' link or staff menu (the page after signing in)",
                  key="home.sign_out")
        if not signed_in.filter(visible=True).count() and sign_in_form_shown(page):
            raise SignedOutMeanwhile(SCREEN)

    @staticmethod
    def signs_of_signed_in(page: Page) -> Locator:
        """What every page shows once signed in: a Sign Out link or an entry of the staff menu
        (also used to notice that a saved session still works)."""
        words = wording()
        signs = action(page, words.pattern("home.sign_out"))
        for level in MENU_PATH:
            signs = signs.or_(action(page, words.caption(level))).or_(
                title(page, words.loose(level)))
        return signs

    def assist_an_individual(self) -> ParticipantSearch:
        """Services for Workforce Staff > Manage Individuals > Assist an Individual.

        Clicks the deepest level of the menu path that is shown as a link, until the search
        screen shows: straight to Assist an Individual when the menu shows it, else through
        the page a higher level opens. A menu that opens on hover is hovered first.
        """
        from caljobs_bot.pages.participant_search import ParticipantSearch

        clicked: list[int] = []
        for _ in range(len(MENU_PATH) + 1):
            if ParticipantSearch.is_shown(self.page):
                return ParticipantSearch(self.page)
            found = self._deepest_menu_link() or self._deepest_menu_link(hover=True)
            if found is None:
                break
            level, link = found
            clicked.append(level)
            with postback(self.page):
                link.click()
        if ParticipantSearch.is_shown(self.page):
            return ParticipantSearch(self.page)
        # The level missing is the one below the deepest one clicked (the last level when
        # none was: the search link itself is what a run needs).
        missing = MENU_PATH[min(max(clicked, default=len(MENU_PATH) - 2) + 1,
                                len(MENU_PATH) - 1)]
        words = wording()
        raise ElementNotFound(
            SCREEN, "link to the search screen (looked for "
            + ", ".join(words.describe(level) for level in reversed(MENU_PATH)) + ")",
            missing,
        )

    def _deepest_menu_link(self, *, hover: bool = False) -> tuple[int, Locator] | None:
        """The level and shown link of the deepest menu level, or None; with `hover`, each
        level's words are hovered first (menus that open on hover)."""
        words = wording()
        for level in MENU_PATH if hover else ():
            entry = _menu_entry(self.page, level)
            if entry.is_visible():
                entry.hover()
        for index in reversed(range(len(MENU_PATH))):
            link = action(self.page, words.caption(MENU_PATH[index])).filter(visible=True)
            if link.count():
                return index, _first(link)
        return None


def _menu_entry(page: Page, level: str) -> Locator:
    """A menu level (its wording key) by its words, whether a link, a button or a plain
    caption."""
    words = wording()
    return _first(action(page, words.caption(level)).or_(title(page, words.loose(level))))


def _first(found: Locator) -> Locator:
    """The first of several matches.

    Last resort, by order: the same words may appear again further down the page (a title
    that repeats the menu's name, a link in the page's content); the menu entry comes first.
    """
    return found.first
