"""Alternate Contacts: the pop-up behind "Manage Alternate Contacts".

The 2016 help sheet calls it a pop-up window; whether today's site opens a separate browser
window or an in-page dialog holding an iframe is unknown. AlternateContactsPopup offers the
same methods either way: `content` is where the contacts page lives (the window's Page, or a
FrameLocator into the dialog's iframe) and `_navigator` is what reloads when it posts back
(the window's Page, or the iframe's Frame).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Frame, FrameLocator, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from caljobs_bot.matching import same_name
from caljobs_bot.pages.fields import (
    action,
    data_table,
    field,
    messages_in_red,
    row_with,
    table_rows,
    title,
    wait_for_any,
)
from caljobs_bot.pages.notfound import click_shown, must_show
from caljobs_bot.pages.postback import click_closing_window
from caljobs_bot.pages.site_wording import in_force as wording

SCREEN = "Alternate Contacts pop-up"
LIST_COLUMNS = ("Name", "Relationship")
# How long the pop-up may take to appear, and how often we look for either kind meanwhile.
OPEN_TIMEOUT_S = 30.0
POLL_MS = 100


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


class AlternateContactsPopup:
    """The Alternate Contacts list and its Add / Edit form, in a window or a dialog."""

    def __init__(
        self,
        content: Page | FrameLocator,
        navigator: Page | Frame,
        *,
        window: Page | None = None,
        dialog: Locator | None = None,
    ) -> None:
        self.content = content
        self._navigator = navigator
        self._window = window
        self._dialog = dialog
        must_show(title(self.content, wording().caption("contacts.title")), screen=SCREEN,
                  element=f"title {wording().describe('contacts.title')}", key="contacts.title")

    @classmethod
    def open_from(cls, page: Page, button: Locator) -> AlternateContactsPopup:
        """Click `button` and wrap whichever kind of pop-up the site opens.

        We listen for a new window before clicking, then look for either a window or the
        dialog every POLL_MS: no fixed wait, and no time lost guessing the wrong kind.
        """
        windows: list[Page] = []

        def on_popup(window: Page) -> None:
            windows.append(window)

        page.on("popup", on_popup)
        try:
            click_shown(button, screen="Exit/Outcome form",
                        element=f"{wording().describe('outcome.manage_contacts')} button in "
                                "Alternate Contact Information", key="outcome.manage_contacts")
            dialog = _contacts_dialog(page)
            deadline = time.monotonic() + OPEN_TIMEOUT_S
            while not windows and not dialog.is_visible():
                if time.monotonic() > deadline:
                    raise PlaywrightTimeoutError(
                        "Manage Alternate Contacts opened neither a window nor a dialog"
                    )
                try:
                    windows.append(page.wait_for_event("popup", timeout=POLL_MS))
                except PlaywrightTimeoutError:
                    continue
        finally:
            page.remove_listener("popup", on_popup)
        if windows:
            window = windows[0]
            window.wait_for_load_state()
            return cls(window, window, window=window)
        iframe = _shown_iframe(page).first
        iframe.wait_for()
        frame = iframe.element_handle().content_frame()
        if frame is None:
            raise RuntimeError("the Alternate Contacts dialog holds no page")
        return cls(iframe.content_frame, frame, dialog=dialog)

    def is_window(self) -> bool:
        """Whether the pop-up is a separate browser window (else an in-page dialog)."""
        return self._window is not None

    def screenshot_target(self) -> Page | Locator:
        """What to photograph as evidence: the window's page, or the dialog."""
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

    def close_button(self) -> Locator:
        """The Close button."""
        return action(self.content, wording().pattern("contacts.close"))

    def contacts(self) -> list[ContactRow]:
        """The contacts listed ([] when the page says "No data found.")."""
        table = self._list()
        wait_for_any(table, self._no_data())
        return [
            ContactRow(
                name=row.get("Name", ""),
                relationship=row.get("Relationship", ""),
                phone=row.get("Phone", ""),
                email=row.get("Email", ""),
            )
            for row in (table_rows(table, *LIST_COLUMNS) if table.count() else [])
        ]

    def add(self, contact: Contact, *, before_save: Callable[[], None] | None = None) -> None:
        """Add New Contact, fill the form, Save; the list shows again with the contact.
        `before_save` is called with the form filled (the guide photographs it there)."""
        action(self.content, wording().pattern("contacts.add")).click()
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
        action(row_with(self._list(), shown), wording().pattern("contacts.edit")).click()
        self._fill(contact)
        if before_save is not None:
            before_save()
        self._save()

    def _fill(self, contact: Contact) -> None:
        """Write the given fields of the contact form; None leaves a field as it is."""
        words = wording()
        field(self.content, words.texts("contacts.first_name")).wait_for()
        values = {
            "contacts.first_name": contact.first_name,
            "contacts.last_name": contact.last_name,
            "contacts.relationship": contact.relationship,
            "contacts.phone": contact.phone,
            "contacts.email": contact.email,
            "contacts.address": contact.address,
        }
        for key, value in values.items():
            if value is not None:
                field(self.content, words.texts(key)).fill(value)

    def _save(self) -> None:
        """Save the form and wait for the list; ContactNotSaved if the site refused."""
        with self._navigator.expect_navigation():
            action(self.content, wording().pattern("contacts.save")).click()
        refused = messages_in_red(self.content)
        if refused:
            raise ContactNotSaved(" ".join(refused))
        wait_for_any(self._list(), self._no_data())

    def close(self) -> None:
        """Close the pop-up; returns once the window has closed or the dialog is hidden."""
        close = self.close_button()
        if self._window is not None:
            click_closing_window(self._window, close)
            return
        assert self._dialog is not None
        close.click()
        self._dialog.wait_for(state="hidden")

    def __repr__(self) -> str:
        kind = "window" if self.is_window() else "dialog"
        return f"<AlternateContactsPopup ({kind})>"
