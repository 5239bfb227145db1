"""Alternate Contacts: the pop-up behind "Manage Alternate Contacts".

The 2016 help sheet calls it a pop-up window; today's site may open a separate browser window,
an in-page dialog holding an iframe, or a plain `<div>` in the page that an AJAX call fills
(as sites of this family do), whose buttons replace its content instead of loading a page.
Which one is never asked: after the click we wait for whatever appears first, a new window or
new content in the page (a shown iframe, or the pop-up's own words: 'Add New Contact', the
contact list), and AlternateContactsPopup offers the same methods on all three. `content` is
where the contacts screen lives (the window's Page, a FrameLocator into the iframe, or the
`<div>` in the page); `_navigator` is what loads a new page when the screen posts back (the
window's Page or the iframe's Frame; None for the `<div>`, whose content is replaced).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from playwright.sync_api import Frame, FrameLocator, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from caljobs_bot.matching import same_name
from caljobs_bot.pages.fields import (
    action,
    data_table,
    field,
    messages_in_red,
    row_with,
    table_records,
    title,
    wait_for_any,
    words_shown,
)
from caljobs_bot.pages.login import SignedOutMeanwhile, sign_in_form_shown
from caljobs_bot.pages.notfound import (
    ElementNotFound,
    click_shown,
    looking_for,
    must_show,
    raise_if_error_document,
)
from caljobs_bot.pages.postback import click_closing_window
from caljobs_bot.pages.site_wording import in_force as wording

SCREEN = "Alternate Contacts pop-up"
FORM_SCREEN = "Exit/Outcome form"
LIST_COLUMNS = ("Name", "Relationship")
# The contact form's boxes, in the order it shows them.
CONTACT_KEYS = ("contacts.first_name", "contacts.last_name", "contacts.relationship",
                "contacts.phone", "contacts.email", "contacts.address")
# The contact form's title when it edits a listed contact.
EDIT_CONTACT = re.compile(r"^\s*Edit\s+Contact\s*$", re.IGNORECASE)
# How long the pop-up may take to appear after the click (any kind).
OPEN_TIMEOUT_MS = 30_000
# The one mark the bot puts on the site's page, and only while it waits for the pop-up: the
# form's <html> says a window opened, so one locator wait ends with whichever comes first.
WINDOW_OPENED = "data-caljobs-window-opened"

Kind = Literal["window", "dialog", "in-page"]


class ContactNotSaved(Exception):
    """The contacts page refused the contact; str() is the site's message."""


@dataclass(frozen=True)
class Contact:
    """An alternate contact to add, or the new values for an existing one.

    A field left as None is not touched: editing a contact's phone keeps its email.
    """

    first_name: str
    last_name: str
    relationship: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class ContactRow:
    """One contact as the list shows it."""

    name: str
    relationship: str
    phone: str
    email: str


def _shown_iframe(page: Page) -> Locator:
    """The page-in-a-page an in-page pop-up shows (the contacts page inside a modal panel).

    Last resort, by tag: an iframe has no role or caption of its own to find it by (a plain
    WebForms modal panel is a `<div>` with no role either); the form shows no other iframe.
    """
    return page.locator("iframe").filter(visible=True)


def _contacts_dialog(page: Page) -> Locator:
    """The in-page dialog that may hold the contacts page: a dialog when the site marks one
    up, else the shown iframe itself."""
    name = wording().caption("contacts.title")
    return page.get_by_role("dialog", name=name).or_(_shown_iframe(page)).first


def _contacts_shown_in(page: Page) -> Locator:
    """The contacts screen's own content shown in the page itself (the AJAX pop-up): its
    'Add New Contact' button or its list."""
    return action(page, wording().pattern("contacts.add")).or_(data_table(page, *LIST_COLUMNS))


def _in_page_popup(page: Page) -> Locator:
    """The `<div>` in the page that holds the contacts screen: the innermost one with its
    title and either 'Add New Contact' (the list) or the First Name caption (the form).

    By tag and position, as a last resort: the AJAX pop-up has no role, id or caption of its
    own; WebForms renders such a panel as a `<div>`. Every `<div>` around it holds the same
    words, so the innermost, the last of them in document order, is the pop-up. Found anew
    on each use, so it stays right after its content is replaced.
    """
    words = wording()
    inside = action(page, words.pattern("contacts.add")).or_(
        words_shown(page, words.caption("contacts.first_name")))
    return (page.locator("div").filter(has=title(page, words.caption("contacts.title")))
            .filter(has=inside).last)


def _opened_element() -> str:
    return (f"Alternate Contacts pop-up after pressing "
            f"{wording().describe('outcome.manage_contacts')}")


class AlternateContactsPopup:
    """The Alternate Contacts list and its Add / Edit form, in a window, a dialog's iframe or
    a `<div>` of the page."""

    def __init__(
        self,
        content: Page | FrameLocator | Locator,
        navigator: Page | Frame | None,
        *,
        window: Page | None = None,
        dialog: Locator | None = None,
    ) -> None:
        self.content = content
        self._navigator = navigator
        self._window = window
        self._dialog = dialog
        heading = title(self.content, wording().caption("contacts.title"))
        # A session that ended shows the sign-in form here instead: said as such, not as a
        # screen that lacks its title.
        with looking_for(SCREEN, f"title {wording().describe('contacts.title')}",
                         "contacts.title"):
            wait_for_any(heading, field(self.content, wording().texts("sign_in.password")))
        self._raise_if_signed_out()

    @classmethod
    def open_from(cls, page: Page, button: Locator) -> AlternateContactsPopup:
        """Click `button` and wrap whichever kind of pop-up the site opens.

        A new window is heard of as an event, in-page content is seen by a locator; so that
        one wait ends with whichever comes first, the window's event marks the form's page
        (WINDOW_OPENED) and the locator looks for that mark too. No fixed wait, no polling.
        ElementNotFound, saying what was looked for, when nothing appears.
        """
        windows: list[Page] = []

        def on_popup(window: Page) -> None:
            windows.append(window)
            page.evaluate(f"() => document.documentElement.setAttribute('{WINDOW_OPENED}', '')")

        page.on("popup", on_popup)
        try:
            click_shown(button, screen=FORM_SCREEN,
                        element=f"{wording().describe('outcome.manage_contacts')} button in "
                                "Alternate Contact Information", key="outcome.manage_contacts")
            wait_for_any(page.locator(f"[{WINDOW_OPENED}]"), _shown_iframe(page),
                         _contacts_shown_in(page), timeout=OPEN_TIMEOUT_MS)
        except ElementNotFound:
            raise
        except PlaywrightTimeoutError:
            raise ElementNotFound(
                FORM_SCREEN, _opened_element(), "contacts.add",
                tried=f"waited {OPEN_TIMEOUT_MS // 1000} s for a new window, an in-page dialog "
                      f"or iframe, or {wording().describe('contacts.add')} or a list with "
                      f"columns {' and '.join(LIST_COLUMNS)} in the page") from None
        finally:
            page.remove_listener("popup", on_popup)
            if windows:
                page.evaluate(
                    f"() => document.documentElement.removeAttribute('{WINDOW_OPENED}')")
        if windows:
            return cls._in_window(windows[0])
        if _shown_iframe(page).count():
            return cls._in_iframe(page)
        return cls._in_page(page)

    @classmethod
    def _in_window(cls, window: Page) -> AlternateContactsPopup:
        """The pop-up that opened as a browser window of its own."""
        with looking_for(SCREEN, "page in the new window: it never finished loading"):
            window.wait_for_load_state()
        raise_if_error_document(window, SCREEN)
        return cls(window, window, window=window)

    @classmethod
    def _in_iframe(cls, page: Page) -> AlternateContactsPopup:
        """The pop-up shown in the page as an iframe (in a dialog, or a plain modal panel)."""
        iframe = _shown_iframe(page).first
        frame = iframe.element_handle().content_frame()
        if frame is None:
            raise ElementNotFound(FORM_SCREEN, "page in the Alternate Contacts dialog",
                                  tried="its iframe holds no page")
        # Its title shows before the page's deferred scripts have run; an Edit link (a
        # postback) clicked then does nothing. A window is waited for the same way.
        with looking_for(SCREEN, "page in the dialog: it never finished loading"):
            frame.wait_for_url(lambda url: url != "about:blank")  # and loaded
        raise_if_error_document(frame, SCREEN)
        return cls(iframe.content_frame, frame, dialog=_contacts_dialog(page))

    @classmethod
    def _in_page(cls, page: Page) -> AlternateContactsPopup:
        """The pop-up whose content an AJAX call put in the page itself."""
        popup = _in_page_popup(page)
        return cls(popup, None, dialog=popup)

    @property
    def kind(self) -> Kind:
        """How the site showed the pop-up: its own window, an iframe in the page, or content
        in the page itself."""
        if self._window is not None:
            return "window"
        return "dialog" if self._navigator is not None else "in-page"

    def is_window(self) -> bool:
        """Whether the pop-up is a separate browser window (else in the page)."""
        return self.kind == "window"

    def screenshot_target(self) -> Page | Locator:
        """What to photograph as evidence: the window's page, the dialog, or the `<div>`."""
        if self._window is not None:
            return self._window
        assert self._dialog is not None
        return self._dialog

    def _list(self) -> Locator:
        """The contacts table (a list, not a layout table)."""
        return data_table(self.content, *LIST_COLUMNS)

    def contacts_list(self) -> Locator:
        """What the pop-up lists: the contacts table, or its "No data found." text."""
        return self._list().or_(self._no_data())

    def _no_data(self) -> Locator:
        """The text an empty contact list shows ("No data found.")."""
        return self.content.get_by_text(wording().caption("contacts.no_data"))

    def add_button(self) -> Locator:
        """The Add New Contact button."""
        return action(self.content, wording().pattern("contacts.add"))

    def edit_button(self, shown: str) -> Locator:
        """The Edit link in the row of the contact listed as `shown`."""
        return action(row_with(self._list(), shown), wording().pattern("contacts.edit"))

    def first_name_box(self) -> Locator:
        """The contact form's First Name box (the form's first field)."""
        return field(self.content, wording().texts("contacts.first_name"))

    def save_button(self) -> Locator:
        """The contact form's Save button."""
        return action(self.content, wording().pattern("contacts.save"))

    def is_editing(self) -> bool:
        """Whether the contact form edits a listed contact (its title reads "Edit Contact";
        it reads "New Contact" when it adds one)."""
        title = self.content.get_by_text(EDIT_CONTACT)
        return title.count() > 0 and title.first.is_visible()

    def form_values(self) -> dict[str, str]:
        """The contact form's values as shown, by wording key ("contacts.phone"), for the
        boxes the form shows (a contact being edited keeps values the record does not
        give)."""
        shown: dict[str, str] = {}
        for key in CONTACT_KEYS:
            box = field(self.content, wording().texts(key))
            if box.count():
                shown[key] = box.first.input_value()
        return shown

    def close_button(self) -> Locator:
        """The Close button."""
        return action(self.content, wording().pattern("contacts.close"))

    def contacts(self, *, wait: bool = True) -> list[ContactRow]:
        """The contacts listed ([] when the page says "No data found."). With `wait=False`
        the pop-up is read as it is now, [] when it shows no list (its contact form is open):
        waiting there would only run into the time-out."""
        table = self._list()
        if wait:
            wait_for_any(table, self._no_data())
        return table_records(table, ContactRow, {"name": "Name", "relationship": "Relationship",
                                                 "phone": "Phone", "email": "Email"},
                             *LIST_COLUMNS, now=True)

    def add(self, contact: Contact, *, before_save: Callable[[], None] | None = None) -> None:
        """Add New Contact, fill the form, Save; the list shows again with the contact.
        `before_save` is called with the form filled (the guide photographs it there)."""
        click_shown(self.add_button(), screen=SCREEN,
                    element=f"{wording().describe('contacts.add')} button", key="contacts.add")
        self._fill(contact)
        if before_save is not None:
            before_save()
        self._save()

    def edit(self, name: str, contact: Contact, *,
             before_save: Callable[[], None] | None = None) -> None:
        """Edit the contact whose Name matches `name` (caljobs_bot.matching.same_name: the rule
        the bot and the job file use too)
        with the values of `contact`, and Save.

        Raises ValueError listing the names when no row matches.
        """
        rows = self.contacts()
        shown = next((row.name for row in rows if same_name(name, row.name)), None)
        if shown is None:
            listed = ", ".join(repr(row.name) for row in rows) or "none"
            raise ValueError(f"no alternate contact named {name!r}; listed: {listed}")
        click_shown(self.edit_button(shown), screen=SCREEN,
                    element=f"{wording().describe('contacts.edit')} link in the row of "
                            f"{shown!r}", key="contacts.edit")
        self._fill(contact)
        if before_save is not None:
            before_save()
        self._save()

    def _fill(self, contact: Contact) -> None:
        """Write the given fields of the contact form; None leaves a field as it is."""
        words = wording()
        must_show(field(self.content, words.texts("contacts.first_name")), screen=SCREEN,
                  element=f"{words.describe('contacts.first_name')} box of the contact form",
                  key="contacts.first_name")
        if self._navigator is not None:
            # Add or Edit loaded a new page; its Save may need scripts that load after the boxes.
            with looking_for(SCREEN, "contact form: its page never finished loading"):
                self._navigator.wait_for_load_state()
        values = dict(zip(CONTACT_KEYS, (contact.first_name, contact.last_name,
                                         contact.relationship, contact.phone, contact.email,
                                         contact.address), strict=True))
        for key, value in values.items():
            if value is not None:
                field(self.content, words.texts(key)).fill(value)

    def _save(self) -> None:
        """Save the form and wait for the list; ContactNotSaved if the site refused."""
        save = self.save_button()
        with self._replacing(save):
            click_shown(save, screen=SCREEN, element=f"{wording().describe('contacts.save')} "
                        "button of the contact form", key="contacts.save")
        self._raise_if_signed_out()
        refused = messages_in_red(self.content)
        if refused:
            raise ContactNotSaved(" ".join(refused))
        wait_for_any(self._list(), self._no_data())

    def _raise_if_signed_out(self) -> None:
        """SignedOutMeanwhile when the pop-up shows the sign-in form: the session expired,
        which is not the site refusing a contact (its message is red too)."""
        if sign_in_form_shown(self.content):
            raise SignedOutMeanwhile(SCREEN)

    @contextmanager
    def _replacing(self, control: Locator) -> Iterator[None]:
        """Run the enclosed click of `control` and return once the screen it posts back to
        is there: a new page loaded (window, iframe), or, in the page, `control` itself gone
        with the content the AJAX answer replaced (held as that element: the new content may
        have a button of the same name)."""
        if self._navigator is not None:
            with self._navigator.expect_navigation():
                yield
            return
        with looking_for(SCREEN, f"{wording().describe('contacts.save')} button of the "
                         "contact form", "contacts.save"):
            before = control.element_handle()
        yield
        before.wait_for_element_state("hidden")

    def close(self) -> None:
        """Close the pop-up; returns once the window has closed, or the dialog or the
        `<div>` is hidden."""
        close = self.close_button()
        if self._window is not None:
            click_closing_window(self._window, close)
            return
        assert self._dialog is not None
        click_shown(close, screen=SCREEN, element=f"{wording().describe('contacts.close')} "
                    "button", key="contacts.close")
        self._dialog.wait_for(state="hidden")

    def __repr__(self) -> str:
        return f"<AlternateContactsPopup ({self.kind})>"
