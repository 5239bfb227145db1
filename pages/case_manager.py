"""The Assign Case Manager panel of the outcome form."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from pages.fields import action, choose_option, field, real_choices, section
from pages.notfound import must_show
from pages.postback import postback

if TYPE_CHECKING:
    from pages.outcome_form import OutcomeForm

PANEL_NAME = re.compile(r"^\s*Assign Case Manager\s*$", re.IGNORECASE)


class CaseManagerPicker:
    """The Assign Case Manager panel: a Case Manager dropdown ("Last, First"), Assign, Cancel."""

    def __init__(self, page: Page) -> None:
        self.page = page
        must_show(self.panel(), screen="Exit/Outcome form",
                  element="'Assign Case Manager' panel after its link")

    def panel(self) -> Locator:
        """The panel itself: the block under the title "Assign Case Manager" (not the link of
        the same words that opens it)."""
        return section(self.page, PANEL_NAME)

    def _dropdown(self) -> Locator:
        return field(self.panel(), "Case Manager")

    def choices(self) -> list[str]:
        """The staff offered, as shown ("Last, First"), without the "None Selected" entry."""
        return real_choices(self._dropdown())

    def assign(self, name: str) -> OutcomeForm:
        """Assign the staff member whose name matches (case and spacing ignored); the form
        posts back. Raises ValueError listing the choices when none matches."""
        from pages.outcome_form import OutcomeForm

        choose_option(self._dropdown(), name)
        with postback(self.page):
            action(self.panel(), "Assign").click()
        return OutcomeForm(self.page)

    def cancel(self) -> OutcomeForm:
        """Close the panel without assigning anyone."""
        from pages.outcome_form import OutcomeForm

        action(self.panel(), "Cancel").click()
        self.panel().wait_for(state="hidden")
        return OutcomeForm(self.page)
