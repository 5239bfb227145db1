"""The Assign Case Manager panel of the outcome form."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from pages.fields import choose_option, field, real_choices
from pages.postback import postback

if TYPE_CHECKING:
    from pages.outcome_form import OutcomeForm

PANEL_NAME = re.compile(r"^\s*Assign Case Manager\s*$", re.IGNORECASE)


class CaseManagerPicker:
    """The Assign Case Manager panel: a Case Manager dropdown ("Last, First"), Assign, Cancel."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.panel().wait_for()

    def panel(self) -> Locator:
        """The panel itself (a region named "Assign Case Manager")."""
        return self.page.get_by_role("region", name=PANEL_NAME)

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
            self.panel().get_by_role("button", name="Assign", exact=True).click()
        return OutcomeForm(self.page)

    def cancel(self) -> OutcomeForm:
        """Close the panel without assigning anyone."""
        from pages.outcome_form import OutcomeForm

        self.panel().get_by_role("button", name="Cancel", exact=True).click()
        self.panel().wait_for(state="hidden")
        return OutcomeForm(self.page)
