"""The (Exit/)Outcome form: one small class per section, as the help sheets walk through it."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from caljobs_bot.form_fields import FormField
from caljobs_bot.pages.fields import (
    action,
    choose_option,
    data_table,
    field,
    messages_in_red,
    option_labels,
    option_pattern,
    read_only_value,
    read_only_values,
    section,
    selected_label,
    squeeze,
    table_records,
    title,
)
from caljobs_bot.pages.fields import field as captioned
from caljobs_bot.pages.login import SignedOutMeanwhile
from caljobs_bot.pages.notfound import click_shown, looking_for, must_show
from caljobs_bot.pages.postback import ReloadWatch, accepting_confirm, postback
from caljobs_bot.pages.site_wording import in_force as wording
from caljobs_bot.pages.wording_table import ELEMENT

SCREEN = "Exit/Outcome form"
NOTE_COLUMNS = ("Create Date", "Subject")
APPLICATION_NUMBER = re.compile(r"\bWIOA\s*#\s*(\d+)")
DATE_SHOWN = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{4}\s*$")
# "Current Case Manager: Staff25, Lac": how many words may come before the caption.
CASE_MANAGER_WORDS_BEFORE = 3

if TYPE_CHECKING:
    from caljobs_bot.pages.case import CasePage
    from caljobs_bot.pages.case_manager import CaseManagerPicker
    from caljobs_bot.pages.case_note import CaseNoteForm
    from caljobs_bot.pages.contacts_popup import AlternateContactsPopup


def _looking(key: str) -> AbstractContextManager[None]:
    """A time-out while using the element of this wording key becomes ElementNotFound that
    names it (no extra browser call: the action's own wait is the look)."""
    element, words = ELEMENT[key], wording().describe(key)
    said = f"{words} ({element.what})" if element.clickable else f"field captioned {words}"
    return looking_for(SCREEN, said, key)


def value_in(box: Locator) -> str:
    """A form field's value as shown: a dropdown's chosen option, a box's text (for code that
    holds the field's locator from a page object and must not wait for the form)."""
    if box.evaluate("e => e.tagName") == "SELECT":
        return selected_label(box)
    return box.input_value()


@dataclass(frozen=True)
class ParticipantInfo:
    """The participant as the form's General Information pre-fills it."""

    login_name: str
    user_id: str
    state_id: str
    name: str


@dataclass(frozen=True)
class CaseNoteRow:
    """One case note listed under Staff Information."""

    create_date: str
    subject: str


class GeneralInformation:
    """General Information: who the participant is, and where and by whom they are served.

    Its fields are asked for by their row of the section's table (bots/form_fields.py), so a
    new field needs no method of its own."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.section = section(page, wording().texts("outcome.general_section"))
        # True once this section changed a field others follow (the region) without the page
        # reloading: a script may still be refreshing the next list (choose waits for it).
        self._options_may_lag = False

    def participant(self) -> ParticipantInfo:
        """The read-only participant lines (Login Name, User ID, State ID, Name)."""
        keys = ("outcome.login_name", "outcome.user_id", "outcome.state_id", "outcome.name")
        # One read of the section's lines serves the four (one round trip); a caption it
        # cannot place is read alone, which waits for it and names it when it never shows.
        with _looking("outcome.general_section"):
            shown = read_only_values(self.section, {key: wording().texts(key) for key in keys})

        def read(key: str) -> str:
            if key in shown:
                return shown[key]
            with _looking(key):
                return read_only_value(self.section, wording().texts(key))

        return ParticipantInfo(
            login_name=read("outcome.login_name"),
            user_id=read("outcome.user_id"),
            state_id=read("outcome.state_id"),
            name=read("outcome.name"),
        )

    def name_line(self) -> Locator:
        """The participant's Name as the section shows it (read-only), for the guide's crop."""
        return captioned(self.section, wording().texts("outcome.name"))

    def box(self, field: FormField) -> Locator:
        """The field's dropdown or box, found by its caption's words (what practice outlines
        and the guide photographs)."""
        return captioned(self.section, wording().texts(field.wording))

    def choose(self, field: FormField, text: str) -> None:
        """Choose (or, in a box, type) the field's value; raises ValueError listing the
        options when a dropdown does not offer it.

        A field that others follow (the region: its offices depend on it) may set off a
        reload. Sites differ: the dropdown posts the form back (AutoPostBack: the page reloads
        with that region's offices), or a script refreshes the office list in the page (maybe
        after asking the server, so the list is stale for a moment), or the list holds every
        office and nothing happens. A reload is waited for only when one starts (locators are
        lazy, so they find the new page's elements afterwards); otherwise the next dropdown
        chosen waits for its option to be offered.
        """
        box = self.box(field)
        if field.kind != "choice":
            with _looking(field.wording):
                box.fill(text)
            box.blur()  # leave the box, as a person would
            return
        if not field.others_follow:
            with _looking(field.wording):
                if self._options_may_lag:
                    self._wait_until_offered(box, text)
                choose_option(box, text)
            return
        with _looking(field.wording):
            shown = selected_label(box)
        if squeeze(shown).casefold() == squeeze(text).casefold():
            return  # already chosen: choosing it again would only reload the page
        with ReloadWatch(self.page) as reload:
            with _looking(field.wording):
                choose_option(box, text)
            reload.settle()
            reload.wait_loaded()
        self._options_may_lag = not reload.started

    def _wait_until_offered(self, dropdown: Locator, text: str) -> None:
        """Wait until the dropdown has an option reading `text` (case and spacing ignored).
        Gives up quietly at the time-out: choosing then says which options are offered."""
        wanted = dropdown.locator("option").filter(has_text=option_pattern(text))
        with suppress(PlaywrightTimeoutError):
            wanted.first.wait_for(state="attached")

    def shown(self, field: FormField) -> str:
        """The field's value as shown: a dropdown's chosen option ("None Selected" when
        none), a box's text ("" when empty)."""
        box = self.box(field)
        with _looking(field.wording):
            if field.kind == "choice":
                return selected_label(box)
            return box.input_value().strip()

    def shown_now(self, fields: Sequence[FormField]) -> dict[str, str]:
        """The values of these fields as shown, by wording key, in one read of the section (as
        `shown` reads them one at a time); a field that read cannot place is left out (ask
        `shown`, which waits for it and names it)."""
        with _looking("outcome.general_section"):
            return read_only_values(self.section,
                                    {field.wording: wording().texts(field.wording)
                                     for field in fields})

    def options(self, field: FormField) -> list[str]:
        """The options a dropdown of this section offers, as shown (placeholder included)."""
        with _looking(field.wording):
            return option_labels(self.box(field))

    @staticmethod
    def is_placeholder(option: str) -> bool:
        """Whether an option is the dropdown's "nothing chosen" line ("None Selected",
        "-- Select --"), which a list of what the site offers leaves out."""
        return bool(wording().caption("outcome.none_selected").match(option))


class ExitInformation:
    """Exit Information: the exit date and the global-exclusion reason."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.section = section(page, wording().texts("outcome.exit_section"))

    def date_box(self) -> Locator:
        """The Exit Date box (what practice outlines and the guide photographs)."""
        return field(self.section, wording().texts("outcome.exit_date"))

    def reason_box(self) -> Locator:
        """The Exit Reason dropdown (what practice outlines and the guide shows opened)."""
        return field(self.section, wording().texts("outcome.exit_reason"))

    def set_exit_date(self, day: datetime.date) -> None:
        """Type the exit date as MM/DD/YYYY (and leave the field, as a person would)."""
        date_field = self.date_box()
        with _looking("outcome.exit_date"):
            date_field.fill(f"{day:%m/%d/%Y}")
        date_field.blur()

    def shown_now(self) -> tuple[str, str]:
        """The exit date and the Exit Reason as shown, in one read of the section when it can
        place both (else each read alone, as exit_date and reason do)."""
        keys = ("outcome.exit_date", "outcome.exit_reason")
        with _looking("outcome.exit_section"):
            shown = read_only_values(self.section, {key: wording().texts(key) for key in keys})
        day = shown["outcome.exit_date"] if keys[0] in shown else self.exit_date()
        return day, shown[keys[1]] if keys[1] in shown else self.reason()

    def exit_date(self) -> str:
        """The exit date as shown (MM/DD/YYYY, or "" when empty)."""
        with _looking("outcome.exit_date"):
            return self.date_box().input_value().strip()

    def use_today(self) -> None:
        """Fill the exit date with today's date (the Today link)."""
        with _looking("outcome.today"):
            action(self.section, wording().pattern("outcome.today")).click()
        # The link fills the field in the page; wait (not sleep) until a date shows.
        expect(self.date_box()).to_have_value(DATE_SHOWN)

    def choose_reason(self, label: str) -> None:
        """Choose the Exit Reason whose text matches `label` (case and spacing ignored).

        Raises ValueError listing the options when none matches.
        """
        with _looking("outcome.exit_reason"):
            choose_option(self.reason_box(), label)

    def reason(self) -> str:
        """The Exit Reason shown ("None Selected" when none)."""
        with _looking("outcome.exit_reason"):
            return selected_label(self.reason_box())

    def reason_options(self) -> list[str]:
        """The Exit Reason options, as shown (placeholder included)."""
        with _looking("outcome.exit_reason"):
            return option_labels(self.reason_box())


class AlternateContactInformation:
    """Alternate Contact Information: the Manage Alternate Contacts pop-up."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.section = section(page, wording().texts("outcome.contacts_section"))

    def manage(self) -> AlternateContactsPopup:
        """Open the contacts pop-up (a window or an in-page dialog, whichever the site uses)."""
        from caljobs_bot.pages.contacts_popup import AlternateContactsPopup

        return AlternateContactsPopup.open_from(self.page, self.manage_button())

    def manage_button(self) -> Locator:
        """The Manage Alternate Contacts button."""
        return action(self.section, wording().pattern("outcome.manage_contacts"))


class StaffInformation:
    """Staff Information: case notes and the case manager."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.section = section(page, wording().texts("outcome.staff_section"))

    def case_notes_table(self) -> Locator:
        """The case notes list (a table with columns Create Date, Subject)."""
        return data_table(self.section, *NOTE_COLUMNS)

    def case_notes(self) -> list[CaseNoteRow]:
        """The case notes listed ([] when the list says "No data found.")."""
        table = self.case_notes_table()
        must_show(table, screen=SCREEN,
                  element="case notes list (a table with columns Create Date, Subject)")
        return table_records(table, CaseNoteRow,
                             {"create_date": "Create Date", "subject": "Subject"}, *NOTE_COLUMNS)

    def case_note_row(self, subject: str) -> Locator:
        """The last row of the case notes list that shows this subject (the newest note with
        it, where the list runs oldest first), e.g. to picture a note just added."""
        return self.case_notes_table().get_by_role("row").filter(has_text=subject).last

    def add_case_note(self) -> CaseNoteForm:
        """Open the case note panel (Add a new Case Note)."""
        from caljobs_bot.pages.case_note import CaseNoteForm

        click_shown(self.add_case_note_link(), screen=SCREEN,
                    element=f"{wording().describe('outcome.add_case_note')} link in Staff "
                            "Information", key="outcome.add_case_note")
        return CaseNoteForm(self.page)

    def add_case_note_link(self) -> Locator:
        """The Add a new Case Note link."""
        return action(self.section, wording().pattern("outcome.add_case_note"))

    def assign_case_manager_link(self) -> Locator:
        """The Assign Case Manager link (a button on 2016 screens)."""
        return self._assign_link()

    def remove_case_manager_link(self) -> Locator:
        """The Remove Case Manager Assignment link."""
        return self._remove_link()

    def current_case_manager(self) -> str | None:
        """The case manager shown, or None when the form says "None" (or nothing).

        Shown as a caption and its value ("Case Manager: Staff25, Lac" in a block of such
        lines), or as one line of text with words before the caption and a link after the
        name ("Current Case Manager: Staff25, Lac Assign"): the name is what lies between.
        """
        with _looking("outcome.case_manager"):
            name = read_only_value(self.section, wording().texts("outcome.case_manager"),
                                   words_before=CASE_MANAGER_WORDS_BEFORE)
        nothing = wording().caption("outcome.none_selected")
        return None if not name or nothing.match(name) or name.casefold() == "none" else name

    def current_case_manager_line(self) -> Locator:
        """Where the form shows the case manager, for the guide's picture: the caption with
        its value ("Case Manager: Staff25, Lac", "Case Manager: None" once removed) when they
        form a line of their own; else the name alone, or the caption alone. (Not "Temporary
        Case Manager:": the caption's words begin the line.)"""
        name = self.current_case_manager()
        captions = "|".join(r"\s+".join(map(re.escape, text.split()))
                            for text in wording().texts("outcome.case_manager"))
        value = re.escape(name) if name else "None"
        line = self.section.get_by_text(re.compile(
            rf"^\s*(?:{captions})\s*:\s*(?:{value})\s*$", re.IGNORECASE)).filter(visible=True)
        if line.count() and line.first.is_visible():
            return line.first
        alone = (self.section.get_by_text(name, exact=True) if name else
                 self.section.get_by_text(re.compile(rf"^\s*(?:{captions})\s*:?\s*$",
                                                     re.IGNORECASE)))
        return alone.filter(visible=True).first

    def _assign_link(self) -> Locator:
        """The link (or button) that opens the Assign Case Manager panel, by its words: the
        full "Assign Case Manager", or a short "Assign" / "Change" right after the name.

        Last resort, by order: the panel it opens has an "Assign" button of its own. Hidden
        until the panel opens, it is left out by showing; while the panel is open, the link
        is the first one, as it comes before the panel it opens.
        """
        found = action(self.section, wording().pattern("outcome.assign_case_manager"))
        return found.filter(visible=True).first

    def _remove_link(self) -> Locator:
        return action(self.section, wording().pattern("outcome.remove_case_manager"))

    def can_assign_case_manager(self) -> bool:
        """Whether this staff account is offered Assign Case Manager."""
        return self._assign_link().is_visible()

    def can_remove_case_manager(self) -> bool:
        """Whether this staff account is offered Remove Case Manager Assignment."""
        return self._remove_link().is_visible()

    def assign_case_manager(self) -> CaseManagerPicker:
        """Open the Assign Case Manager panel."""
        from caljobs_bot.pages.case_manager import CaseManagerPicker

        click_shown(self._assign_link(), screen=SCREEN,
                    element=f"{wording().describe('outcome.assign_case_manager')} link in "
                            "Staff Information", key="outcome.assign_case_manager")
        return CaseManagerPicker(self.page)

    def remove_case_manager(self) -> None:
        """Remove the case manager: accepts the site's confirm and waits out the postback."""
        with accepting_confirm(self.page), postback(self.page):
            self._remove_link().click()


class OutcomeForm:
    """The (Exit/)Outcome form with its four sections and Save / Cancel."""

    def __init__(self, page: Page) -> None:
        """Waits for the form's Exit Reason; a session that expired on the way shows the
        sign-in form instead, which is said at once (SignedOutMeanwhile), not after the
        time-out. One wait for either, which says which it found: no extra round trip."""
        self.page = page
        password = captioned(page, wording().texts("sign_in.password"))
        with looking_for(SCREEN, f"{wording().describe('outcome.exit_reason')} dropdown",
                         "outcome.exit_reason"):
            # get_attribute waits for the element and reads it in one call (evaluate takes 3).
            shown_type = (self._exit_reason().or_(password).filter(visible=True).first
                          .get_attribute("type"))
        if shown_type == "password":
            raise SignedOutMeanwhile(SCREEN)
        self.general = GeneralInformation(page)
        self.exit = ExitInformation(page)
        self.contacts = AlternateContactInformation(page)
        self.staff = StaffInformation(page)

    def _exit_reason(self) -> Locator:
        """What tells this form from every other screen: its Exit Reason dropdown (its title,
        "Outcome" on 2016 screens, is also a section name on the case page)."""
        return field(self.page, wording().texts("outcome.exit_reason"))

    def heading(self) -> Locator:
        """The form's title ("Exit/Outcome" or "Outcome"), a heading or not."""
        return title(self.page, wording().pattern("outcome.title"))

    def is_shown(self) -> bool:
        """Whether the outcome form is on screen."""
        return self._exit_reason().is_visible()

    @staticmethod
    def showing(page: Page) -> bool:
        """Whether the outcome form is on screen, asked of any page without waiting (practice
        looks many times a second; OutcomeForm(page) waits for the form)."""
        reason = field(page, wording().texts("outcome.exit_reason"))
        return reason.count() > 0 and reason.first.is_visible()

    def application_number(self) -> str | None:
        """The number of the application the form says it is for ("WIOA #2244266"), if shown."""
        shown = self.page.get_by_text(APPLICATION_NUMBER).filter(visible=True)
        for text in shown.all_inner_texts():
            match = APPLICATION_NUMBER.search(text)
            if match:
                return match[1]
        return None

    def _form_button(self, key: str) -> Locator:
        """Save / Cancel at the bottom of the form, by wording key.

        Last resort, by order: an open case note panel has its own Save and Cancel with the
        same names; the form's own buttons are the last ones on the page.
        """
        return action(self.page, wording().pattern(key)).last

    def save_button(self) -> Locator:
        """The form's Save button (the one at the bottom, not a case note panel's)."""
        return self._form_button("outcome.save")

    def save(self) -> CasePage | None:
        """Click Save. Returns the case page when the site went back to it (saved), else None:
        the form shown again (errors() says why), or another page (the sign-in page after a
        timed-out session, whose alert errors() also reads, or a server error page)."""
        from caljobs_bot.pages.case import CasePage

        with accepting_confirm(self.page), postback(self.page):
            self._form_button("outcome.save").click()
        # The answer has loaded: look, without waiting for a page that may never come.
        if CasePage.is_shown(self.page):
            return CasePage(self.page, title_shown=True)
        return None

    def cancel(self) -> CasePage:
        """Click Cancel: back to the case page, nothing stored."""
        from caljobs_bot.pages.case import CasePage

        with postback(self.page), _looking("outcome.cancel"):
            self._form_button("outcome.cancel").click()
        return CasePage(self.page)

    def errors(self) -> list[str]:
        """The site's validation messages (an alert, or the red text of a WebForms validation
        summary), one per line or list item."""
        return messages_in_red(self.page)
