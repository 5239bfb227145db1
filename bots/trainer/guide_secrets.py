"""The participant data a guide made with --mask-pii hides, and the names of its screens.

The record's own data is known before the replay; what the screens show besides (the name
as the site spells it, the login name, notes already listed, contacts in the pop-up) is read
as each screen is reached, so the pictures and captions never show it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import FrameLocator, Locator, Page

from caljobs_bot.pages.case import CasePage
from caljobs_bot.pages.contacts_popup import AlternateContactsPopup
from caljobs_bot.pages.fields import squeeze
from caljobs_bot.pages.masking import MASK
from caljobs_bot.pages.outcome_form import OutcomeForm

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.steps.definitions import Step


class Secrets:
    """The participant data to hide: from the record, and as each screen shows it."""

    def __init__(self, record: Record) -> None:
        self.terms: set[str] = set()
        who = record.participant
        self._name(who.name)
        self._whole(who.state_id, who.user_id)
        for contact in record.alternate_contacts:
            self._name(f"{contact.first_name} {contact.last_name}")
            self._whole(contact.phone, contact.email, contact.address)
        if record.case_note is not None:
            self._whole(record.case_note.subject, record.case_note.comments)

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

    def read_case(self, page: Page) -> None:
        case = CasePage(page)
        self._name(case.participant_name())
        self._whole(case.login_name(), *case.participant_ids().values())

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
        for contact in popup.contacts():
            self._name(contact.name)
            self._whole(contact.phone, contact.email)

    def hide(self, text: str) -> str:
        """The text with every term replaced, as the page masking does (for captions)."""
        if not self.terms:
            return text
        words = "|".join(
            r"\s+".join(map(re.escape, term.split()))
            for term in sorted(self.terms, key=len, reverse=True)
        )
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

