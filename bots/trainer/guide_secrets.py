"""The participant data a guide made with --mask-pii hides, and the names of its screens.

The record's own data is known before the replay; what the screens show besides (the name
as the site spells it, the other id and the city in the search results, the login name, the
application numbers, notes already listed, contacts in the pop-up and the values of a contact
being edited) is read as each screen is reached, before its picture, so the pictures and
captions never show it. Dates need no reading: every date is hidden (pages/masking.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import FrameLocator, Locator, Page

from caljobs_bot.matching import squeeze
from caljobs_bot.pages.case import CasePage
from caljobs_bot.pages.contacts_popup import AlternateContactsPopup
from caljobs_bot.pages.masking import MASK, PATTERNS
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.pages.participant_search import ParticipantSearch

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.steps.definitions import Step


class Secrets:
    """The participant data to hide: from the record, and as each screen shows it."""

    def __init__(self, record: Record) -> None:
        self.terms: set[str] = set()
        # Hidden only as a whole text or field: a city's words are also a public region's.
        self.cells: set[str] = set()
        self._record = record
        who = record.participant
        self._name(who.name)
        self._whole(who.state_id, who.user_id, record.application)
        for contact in record.alternate_contacts:
            self._name(f"{contact.first_name} {contact.last_name}")
            self._whole(contact.phone, contact.email, contact.address)
        if record.case_note is not None:
            self._whole(record.case_note.subject, record.case_note.comments)
            if record.case_note.attachment is not None:
                # A file's name may name the person ("karen-james-letter.pdf").
                self._whole(record.case_note.attachment.name)

    def _whole(self, *values: str | None) -> None:
        self.terms.update(squeeze(value) for value in values if value and value.strip())

    def _name(self, name: str | None) -> None:
        """A name, and each of its words: screens write "Last, First" as often as not."""
        if not name:
            return
        self._whole(name)
        for word in re.split(r"[\s,]+", name):
            parts = [word, *word.split("-")]
            self._whole(*(part for part in parts if len(part) >= 2))

    def read_search(self, page: Page) -> None:
        """The participant's row in the search results: the id the record did not give,
        the name as listed, the city (the first picture shows them all)."""
        who = self._record.participant
        search = ParticipantSearch(page)
        for row in search.rows_shown():
            if (who.state_id and row.state_id == who.state_id) or (
                    who.user_id and row.user_id == who.user_id):
                self._name(row.name)
                self._whole(row.user_id, row.state_id)
                self.cells.update(squeeze(city) for city in [row.city] if city)

    def read_case(self, page: Page) -> None:
        case = CasePage(page)
        self._name(case.participant_name())
        self._whole(case.login_name(), *case.participant_ids().values())
        self._whole(*(application.number for application in case.wioa_applications()))

    def read_form(self, page: Page) -> None:
        form = OutcomeForm(page)
        shown = form.general.participant()
        self._name(shown.name)
        self._whole(shown.login_name, shown.user_id, shown.state_id)
        self._whole(*(note.subject for note in form.staff.case_notes()))

    def read_screen(self, page: Page, step: Step) -> None:
        """What the screen the step starts on shows (the search screen shows nobody yet)."""
        if step.screen == "case":
            self.read_case(page)
        elif step.screen == "form":
            self.read_form(page)

    def read_popup(self, popup: AlternateContactsPopup) -> None:
        """The contacts the pop-up lists now (none while its contact form is open)."""
        for contact in popup.contacts(wait=False):
            self._name(contact.name)
            self._whole(contact.phone, contact.email)

    def read_contact_form(self, popup: AlternateContactsPopup) -> None:
        """The contact form as shown: a contact being edited keeps values the record does
        not give (its address, say), and the picture shows them."""
        shown = popup.form_values()
        self._whole(*(shown.get(key) for key in ("contacts.phone", "contacts.email",
                                                  "contacts.address")))
        first, last = shown.get("contacts.first_name"), shown.get("contacts.last_name")
        if first is not None and last is not None:
            self._name(f"{first} {last}")

    def hide(self, text: str) -> str:
        """The text with every term and date replaced, as the page masking does (for
        captions and notes); a cell only when it is the whole text."""
        if squeeze(text).casefold() in {cell.casefold() for cell in self.cells}:
            return MASK
        words = "|".join([
            *(r"\s+".join(map(re.escape, term.split()))
              for term in sorted(self.terms, key=len, reverse=True)),
            *PATTERNS,
        ])
        return re.sub(rf"(?<![^\W_])(?:{words})(?![^\W_])", MASK, text, flags=re.IGNORECASE)


def screen_name(scope: Page | FrameLocator | Locator) -> str:
    """The screen's name as a person reads it in the browser's tab: the document title up to
    its first " - " ("Case Management Profile - CalJOBS"), else the page's main heading.

    Not the visible title first: a site's title may carry the participant's name ("Case
    Management Profile for Karen James"), and a WebForms title is often no heading at all.
    """
    document_title = scope.locator("title").first
    if document_title.count():
        text = squeeze(document_title.text_content() or "").split(" - ")[0]
        if text:
            return text
    for heading in (scope.get_by_role("heading", level=1), scope.get_by_role("heading")):
        if heading.count():
            return squeeze(heading.first.inner_text())
    return ""

