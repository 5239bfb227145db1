"""Which element each help-sheet step is about, found through the page objects.

The walkthrough outlines it and the guide photographs it. Each target is asked for just
before the bot performs the step (that is when the bot's observer is called), so it is the
element about to be used: the search box, the Create (Exit/)Outcome button, a form section,
Save. Some targets also carry the words the screen shows (the button's own text), read from
the page at that moment, so a guide made on the 2016 screens says "Create Outcome" and one
made on the 2021 screens "Create Exit/Outcome".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from caljobs_bot.pages.candidates import words_on
from caljobs_bot.pages.case import CasePage
from caljobs_bot.pages.fields import action
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.pages.participant_search import ParticipantSearch
from caljobs_bot.steps.state import PopupMoment as PopupMoment  # re-exported: defined once

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.pages.contacts_popup import AlternateContactsPopup
    from caljobs_bot.steps.definitions import Step

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


def _clickable(element: Locator) -> Target:
    return Target(element, element)


def nothing(page: Page, record: Record) -> Target:
    """No element to point at: a step of a new kind until it names one."""
    return Target()


def find_participant(page: Page, record: Record) -> Target:
    if not ParticipantSearch.is_shown(page):
        return Target()
    search = ParticipantSearch(page)
    box = search.search_box("State ID" if record.participant.state_id else "User ID")
    return Target(box.or_(search.search_button()), search.search_button())


def open_application(page: Page, record: Record) -> Target:
    """The (+) the step's text names ("Click the (+) left of WIOA #2244266"): the toggle the
    bot is about to click, found the way the bot finds it; the application's words when the
    screen shows no toggle to click (already open)."""
    case = CasePage(page)
    numbers = ([record.application] if record.application
               else [a.number for a in case.wioa_applications()])
    toggles = [t for t in (case.application(n).toggle() for n in numbers) if t is not None]
    if not toggles:
        words = (case.application(record.application).tree_item() if record.application
                 else case.wioa_items())
        return Target(words)
    element = toggles[0]
    for other in toggles[1:]:
        element = element.or_(other)
    return Target(element)


def create_outcome(page: Page, record: Record) -> Target:
    return _clickable(CasePage(page).create_outcome_button())


def general_information(page: Page, record: Record) -> Target:
    form = OutcomeForm(page)
    return Target(form.general.section, form.heading(), "Form title")


def exit_information(page: Page, record: Record) -> Target:
    return Target(OutcomeForm(page).exit.section)


def alternate_contacts(page: Page, record: Record) -> Target:
    return _clickable(OutcomeForm(page).contacts.manage_button())


def case_manager(page: Page, record: Record) -> Target:
    staff = OutcomeForm(page).staff
    removing = record.case_manager is not None and record.case_manager.remove
    link = staff.remove_case_manager_link() if removing else staff.assign_case_manager_link()
    return _clickable(link)


def case_note(page: Page, record: Record) -> Target:
    return _clickable(OutcomeForm(page).staff.add_case_note_link())


def review(page: Page, record: Record) -> Target:
    form = OutcomeForm(page)
    return Target(form.general.section.or_(form.exit.section))


def save(page: Page, record: Record) -> Target:
    return _clickable(OutcomeForm(page).save_button())


def confirm(page: Page, record: Record) -> Target:
    message = CasePage(page).confirmation()
    return Target(message, message, "Message")


def for_step(step: Step, page: Page, record: Record) -> Target:
    """The target of a step on the page as it is now; an empty Target when the page does not
    show it (a walkthrough goes on without an outline rather than stop)."""
    try:
        return step.target(page, record)
    except PlaywrightError:
        return Target()


def for_popup(popup: AlternateContactsPopup, moment: PopupMoment) -> Target:
    """The target inside the contacts pop-up: Add New Contact as it opens (what the trainee
    clicks next, as the 2016 help sheet says), Close before closing."""
    if moment == "opened":
        return _clickable(action(popup.content, "Add New Contact"))
    return _clickable(popup.close_button())
