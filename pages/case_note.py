"""The Case Note panel of the outcome form (Add a new Case Note)."""

from __future__ import annotations

import pathlib
from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from caljobs_bot.pages.fields import action, field, section
from caljobs_bot.pages.login import SignedOutMeanwhile, sign_in_form_shown
from caljobs_bot.pages.notfound import must_show
from caljobs_bot.pages.postback import postback
from caljobs_bot.pages.site_wording import BUILT_IN
from caljobs_bot.pages.site_wording import in_force as wording

if TYPE_CHECKING:
    from caljobs_bot.pages.outcome_form import OutcomeForm


# The panel's title in the built-in words (for code outside the page objects); the panel
# object itself reads the wording table in force.
PANEL_NAME = BUILT_IN.caption("case_note.title")

class CaseNoteForm:
    """The Case Note panel: Subject, Comments, Attachment; Save, Cancel, Print."""

    def __init__(self, page: Page) -> None:
        self.page = page
        must_show(self.panel(), screen="Exit/Outcome form",
                  element=f"{wording().describe('case_note.title')} panel after "
                          f"{wording().describe('outcome.add_case_note')}",
                  key="case_note.title")

    def panel(self) -> Locator:
        """The panel itself: the block under the title "Case Note"."""
        return section(self.page, wording().caption("case_note.title"))

    def comments_box(self) -> Locator:
        """The Comments box (the guide's picture of the panel outlines it)."""
        return field(self.panel(), wording().texts("case_note.comments"))

    def fill(self, subject: str, comments: str, attachment: pathlib.Path | None = None) -> None:
        """Write the note; attach the verifying document when one is given."""
        words = wording()
        field(self.panel(), words.texts("case_note.subject")).fill(subject)
        field(self.panel(), words.texts("case_note.comments")).fill(comments)
        if attachment is not None:
            field(self.panel(), words.texts("case_note.attachment")).set_input_files(attachment)

    def save(self) -> OutcomeForm:
        """Save the note: the whole form posts back and shows the note in the list."""
        from caljobs_bot.pages.outcome_form import OutcomeForm

        with postback(self.page):
            self._button("case_note.save").click()
        # A session that expired meanwhile lands on the sign-in form: said at once, not after
        # waiting for the form's Exit Reason.
        if sign_in_form_shown(self.page):
            raise SignedOutMeanwhile("Exit/Outcome form")
        return OutcomeForm(self.page)

    def cancel(self) -> OutcomeForm:
        """Close the panel without saving the note."""
        from caljobs_bot.pages.outcome_form import OutcomeForm

        self._button("case_note.cancel").click()
        self.panel().wait_for(state="hidden")
        self.page.wait_for_load_state()
        return OutcomeForm(self.page)

    def _button(self, key: str) -> Locator:
        return action(self.panel(), wording().pattern(key))
