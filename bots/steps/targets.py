"""The element a help-sheet step is about (`Target`), and the contacts pop-up's targets.

The walkthrough outlines it and the guide photographs it. Each step's module says which
element is its target (steps/step.py asks for it just before the bot performs the step: that
is when the bot's observer is called), so it is the element about to be used: the search box,
the Create (Exit/)Outcome button, a form section, Save. Some targets also carry the words the
screen shows (the button's own text), read from the page at that moment, so a guide made on
the 2016 screens says "Create Outcome" and one made on the 2021 screens "Create Exit/Outcome".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from caljobs_bot.pages.candidates import words_on
from caljobs_bot.steps.state import PopupMoment as PopupMoment  # re-exported: defined once

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.pages.contacts_popup import AlternateContactsPopup

# What the walkthrough and the guide say about the contacts pop-up at each moment the bot
# reports it (the step's own explanation covers the whole step).
POPUP_NOTES: dict[str, str] = {
    "opened": "The pop-up window lists the participant's alternate contacts (or says No data "
              "found). Edit a contact, or click Add New Contact, fill it in and Save.",
    "closing": "The contacts are saved and listed again. Click Close to go back to the form.",
}


@dataclass(frozen=True)
class Target:
    """The element a step is about (None when the screen does not show it) and, optionally,
    an element whose visible text the caption quotes ("Button on this screen: ...")."""

    element: Locator | None = None
    wording: Locator | None = None
    wording_kind: str | None = None

    def on_screen(self) -> str | None:
        """"Button on this screen: Create Outcome", read from the page now; None if absent."""
        if self.wording is None:
            return None
        try:
            if not self.wording.count():
                return None
            text = words_on(self.wording.first)
            kind = self.wording_kind or _kind_of(self.wording.first)
        except PlaywrightError:
            return None
        return f"{kind} on this screen: {text}" if text else None


def _kind_of(element: Locator) -> str:
    """"Link" or "Button", as a person would call what they click."""
    is_link: bool = element.evaluate(
        "e => e.tagName === 'A' || e.getAttribute('role') === 'link'"
    )
    return "Link" if is_link else "Button"


def clickable(element: Locator) -> Target:
    """A button or link: outlined, and its own words quoted ("Button on this screen: Save")."""
    return Target(element, element)


def nothing(page: Page, record: Record) -> Target:
    """No element to point at: a step of a new kind until it names one."""
    return Target()


def for_popup(popup: AlternateContactsPopup, moment: PopupMoment) -> Target:
    """The target inside the contacts pop-up: Add New Contact as it opens (what the trainee
    clicks next, as the 2016 help sheet says), Close before closing."""
    if moment == "opened":
        return clickable(popup.add_button())
    return clickable(popup.close_button())
