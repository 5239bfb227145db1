"""The Assign Case Manager panel of the outcome form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from caljobs_bot.pages.fields import action, choose_option, field, real_choices, section
from caljobs_bot.pages.notfound import must_show
from caljobs_bot.pages.postback import postback
from caljobs_bot.pages.site_wording import BUILT_IN
from caljobs_bot.pages.site_wording import in_force as wording

if TYPE_CHECKING:
    from caljobs_bot.pages.outcome_form import OutcomeForm


# The panel's title in the built-in words (for code outside the page objects); the panel
# object itself reads the wording table in force.
PANEL_NAME = BUILT_IN.caption("case_manager.title")

class CaseManagerPicker:
    """The Assign Case Manager panel: a Case Manager dropdown ("Last, First"), Assign, Cancel."""

    def __init__(self, page: Page) -> None:
        self.page = page
        must_show(self.panel(), screen="Exit/Outcome form",
                  element=f"{wording().describe('case_manager.title')} panel after its link",
                  key="case_manager.title")

    def panel(self) -> Locator:
        """The panel itself: the block under the title "Assign Case Manager" (not the link of
        the same words that opens it)."""
        return section(self.page, wording().caption("case_manager.title"))

    def _dropdown(self) -> Locator:
        return field(self.panel(), wording().texts("case_manager.dropdown"))

    def dropdown(self) -> Locator:
        """The Case Manager dropdown (the guide's picture of the panel outlines it)."""
        return self._dropdown()

    def choices(self) -> list[str]:
        """The staff offered, as shown ("Last, First"), without the "None Selected" entry."""
        return real_choices(self._dropdown())

    def assign(self, name: str) -> OutcomeForm:
        """Assign the staff member whose name matches (case and spacing ignored); the form
        posts back. Raises ValueError listing the choices when none matches."""
        from caljobs_bot.pages.outcome_form import OutcomeForm

        choose_option(self._dropdown(), name)
        with postback(self.page):
            action(self.panel(), wording().pattern("case_manager.assign")).click()
        return OutcomeForm(self.page)

    def cancel(self) -> OutcomeForm:
        """Close the panel without assigning anyone."""
        from caljobs_bot.pages.outcome_form import OutcomeForm

        action(self.panel(), wording().pattern("case_manager.cancel")).click()
        self.panel().wait_for(state="hidden")
        return OutcomeForm(self.page)
