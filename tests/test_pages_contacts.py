"""The Alternate Contacts pop-up's page object: add, edit, close, and an empty list, in a
window, a dialog's iframe, or a `<div>` of the page filled by AJAX."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from test_pages import open_form, participant

from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.pages.contacts_popup import AlternateContactsPopup, Contact, ContactRow

pytestmark = pytest.mark.browser


# --- Alternate Contacts: a window, a dialog or a div filled by AJAX -----------------------------

MARIA = ContactRow(
    name="María Álvarez",
    relationship="Spouse",
    phone="213-555-0142",
    email="maria.alvarez@example.org",
)


KINDS = {"window": "window", "dialog": "dialog", "ajax": "in-page"}


@pytest.mark.parametrize(("popup", "captions", "markup"), [
    ("window", "label", "plain"), ("dialog", "cell", "plain"), ("ajax", "cell", "plain"),
    ("ajax", "label", "accessible")])
def test_contacts_popup_add_edit_close(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, popup: str, captions: str,
    markup: str,
) -> None:
    sandbox.configure(popup=popup, captions=captions, markup=markup)
    form = open_form(page, sandbox_server, "37801", "2244301")
    contacts = form.contacts.manage()
    assert isinstance(contacts, AlternateContactsPopup)
    assert contacts.is_window() == (popup == "window")
    assert contacts.kind == KINDS[popup]
    target = contacts.screenshot_target()
    assert target is not page
    assert contacts.contacts() == [MARIA]

    contacts.add(
        Contact(
            first_name="Rosa",
            last_name="O'Hara",
            relationship="Sister",
            phone="213-555-0199",
            email="rosa@example.org",
            address="1 Main St, Los Angeles, CA",
        )
    )
    assert [c.name for c in contacts.contacts()] == ["María Álvarez", "Rosa O'Hara"]
    contacts.edit(
        "álvarez,  maría",
        Contact(
            first_name="María",
            last_name="Álvarez",
            relationship="Spouse",
            phone="213-555-0100",
            email="maria.alvarez@example.org",
        ),
    )
    assert contacts.contacts()[0].phone == "213-555-0100"

    stored = {c["first_name"]: c for c in participant(sandbox, "37801")["contacts"]}
    assert stored["Rosa"]["last_name"] == "O'Hara"
    assert stored["Rosa"]["address"] == "1 Main St, Los Angeles, CA"
    assert stored["María"]["phone"] == "213-555-0100"
    with pytest.raises(ValueError, match="Rosa O'Hara"):
        contacts.edit("Nobody", Contact(first_name="N", last_name="O"))

    contacts.close()
    if popup == "window":
        assert isinstance(target, Page) and target.is_closed()
    elif popup == "dialog":
        expect(page.locator("iframe").filter(visible=True)).to_have_count(0)
    else:
        expect(page.get_by_text("María Álvarez")).to_have_count(0)
    # Back on the form, which still works.
    assert form.is_shown()
    assert form.general.participant().name == "José Álvarez-Núñez"


@pytest.mark.parametrize("popup", ("window", "dialog", "ajax"))
def test_contacts_popup_starts_empty_for_a_participant_without_contacts(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, popup: str
) -> None:
    sandbox.configure(popup=popup)
    form = open_form(page, sandbox_server, "37762", "2244266")
    contacts = form.contacts.manage()
    assert contacts.contacts() == []
    contacts.add(Contact(first_name="Pat", last_name="James", relationship="Parent"))
    assert contacts.contacts() == [ContactRow("Pat James", "Parent", "", "")]
    contacts.close()
    (stored,) = participant(sandbox, "37762")["contacts"]
    assert (stored["first_name"], stored["last_name"]) == ("Pat", "James")
