"""The Case Note panel of the outcome form (Add a new Case Note)."""

from __future__ import annotations

import pathlib
import re
from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from pages.fields import action, field, section
from pages.notfound import must_show
from pages.postback import postback

if TYPE_CHECKING:
    from pages.outcome_form import OutcomeForm

PANEL_NAME = re.compile(r"^\s*Case Note\s*$", re.IGNORECASE)


class CaseNoteForm:
    """The Case Note panel: Subject, Comments, Attachment; Save, Cancel, Print."""

    def __init__(self, page: Page) -> None:
        self.page = page
        must_show(self.panel(), screen="Exit/Outcome form",
                  element="'Case Note' panel after 'Add a new Case Note'")

    def panel(self) -> Locator:
        """The panel itself: the block under the title "Case Note"."""
        return section(self.page, PANEL_NAME)

    def fill(self, subject: str, comments: str, attachment: pathlib.Path | None = None) -> None:
        """Write the note; attach the verifying document when one is given."""
        field(self.panel(), "Subject").fill(subject)
        field(self.panel(), "Comments").fill(comments)
        if attachment is not None:
            field(self.panel(), "Attachment").set_input_files(attachment)

    def save(self) -> OutcomeForm:
        """Save the note: the whole form posts back and shows the note in the list."""
        from pages.outcome_form import OutcomeForm

        with postback(self.page):
            self._button("Save").click()
        return OutcomeForm(self.page)

    def cancel(self) -> OutcomeForm:
        """Close the panel without saving the note."""
        from pages.outcome_form import OutcomeForm

        self._button("Cancel").click()
        self.panel().wait_for(state="hidden")
        self.page.wait_for_load_state()
        return OutcomeForm(self.page)

    def _button(self, name: str) -> Locator:
        return action(self.panel(), name)
