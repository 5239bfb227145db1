"""Step 6, manage alternate contacts (only for a record that gives some): in the pop-up, edit
a contact listed under the same name, add the others, close it. Everything the tools do at
this step is here (steps/step.py); practice cannot see inside the pop-up, so the trainee
declares it done (Step.declared_checks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from playwright.sync_api import Page

from caljobs_bot.matching import same_name
from caljobs_bot.pages.contacts_popup import Contact, ContactNotSaved
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.steps.instructions import Say, Values, quoted
from caljobs_bot.steps.results import RecordFailed
from caljobs_bot.steps.step import HelpSheets, Step
from caljobs_bot.steps.targets import Target, clickable

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import AlternateContact, Record
    from caljobs_bot.pages.contacts_popup import AlternateContactsPopup
    from caljobs_bot.steps.preflight import Preflight
    from caljobs_bot.steps.state import RecordRun

# The contact form's fields, in the order the pop-up shows them, with how a masked guide
# names each value.
_CONTACT_FIELDS = (
    ("First Name", "first_name", "the contact's first name"),
    ("Last Name", "last_name", "the contact's last name"),
    ("Relationship", "relationship", "the relationship"),
    ("Phone", "phone", "the contact's phone number"),
    ("Email", "email", "the contact's email"),
    ("Address", "address", "the contact's address"),
)


def applies(record: Record) -> bool:
    """Only a record that gives contacts."""
    return bool(record.alternate_contacts)


def act(run: RecordRun) -> None:
    """Edit a contact listed under the same name, add the others (not in a dry run)."""
    record = run.record
    popup = run.form.contacts.manage()
    if run.popup_observer is not None:
        run.popup_observer(popup, record, "opened")
    for number, contact in enumerate(record.alternate_contacts, start=1):
        # The list as the site shows it now (after the last Save it is the site's answer),
        # read before each contact: another writer's contact of the same name is edited,
        # not added twice.
        existing = [row.name for row in popup.contacts()]
        wanted = Contact(
            first_name=contact.first_name,
            last_name=contact.last_name,
            relationship=contact.relationship,
            phone=contact.phone,
            email=contact.email,
            address=contact.address,
        )
        full_name = f"{contact.first_name} {contact.last_name}"
        same = next((name for name in existing if same_name(full_name, name)), None)
        if run.dry_run:
            continue
        try:
            def before_save(popup: AlternateContactsPopup = popup) -> None:
                run.show("contact_form", popup)

            if same is None:
                popup.add(wanted, before_save=before_save)
            else:
                popup.edit(same, wanted, before_save=before_save)
        except ContactNotSaved as refused:
            raise RecordFailed(f"the site refused alternate contact {number}: "
                               f"{refused}") from None
    if run.popup_observer is not None:
        run.popup_observer(popup, record, "closing")
    popup.close()


def preflight(walk: Preflight) -> None:
    """The pop-up opens, lists its contacts, and closes."""
    screen = "Alternate contacts pop-up"
    popup = walk.look(screen, "Manage Alternate Contacts opens the pop-up",
                      walk.need(walk.form).contacts.manage,
                      lambda p: {"window": "separate window", "dialog": "in-page dialog",
                                 "in-page": "content in the page"}[p.kind])
    if popup is not None:
        walk.look(screen, "contact list", popup.contacts,
                  lambda rows: f"{len(rows)} contact(s)")
        walk.look(screen, "Close", popup.close)


def target(page: Page, record: Record) -> Target:
    """The Manage Alternate Contacts button, with its own words."""
    return clickable(OutcomeForm(page).contacts.manage_button())


def instructions(record: Record, say: Say) -> list[str]:
    """Open the pop-up, each contact added or edited, Close."""
    lines = [f"Click {say.button or 'Manage Alternate Contacts'}: a pop-up lists the contacts."]
    lines += contact_lines(record, masked=say.masked, listed_contacts=say.listed_contacts)
    return [*lines, "Click Close."]


def contact_lines(record: Record, *, masked: bool = False,
                  listed_contacts: Sequence[str] = ()) -> list[str]:
    """What to do in the contacts pop-up: add each contact, or edit it when already listed."""
    values = Values(masked)
    lines: list[str] = []
    for contact in record.alternate_contacts:
        full_name = f"{contact.first_name} {contact.last_name}"
        existing = any(same_name(full_name, shown) for shown in listed_contacts)
        lines += _contact_lines(contact, values, existing=existing)
    return lines


def _contact_lines(contact: AlternateContact, values: Values, existing: bool) -> list[str]:
    who = values.private(f"{contact.first_name} {contact.last_name}", "the contact")
    lines = [f"Click Edit beside {who}." if existing else "Click Add New Contact."]
    for caption, attribute, description in _CONTACT_FIELDS:
        value = getattr(contact, attribute)
        if value:
            shown = quoted(value) if attribute == "address" else value
            lines.append(f"Type {values.private(shown, description)} in {caption}.")
    lines.append("Click Save: the contact is listed.")
    return lines


ALTERNATE_CONTACTS = Step(
    "alternate_contacts",
    "Manage alternate contacts",
    "Click Manage Alternate Contacts. A pop-up lists the participant's contacts: edit one, "
    "or click Add New Contact, fill it in and Save. Close the pop-up when done.",
    HelpSheets("Alternate contact information for the participant may be added or edited in "
               "this section by clicking the \u201cManage Alternate Contacts\u201d button. "
               "Existing contacts may be edited or a new contact can be added by clicking the "
               "\u201cAdd New Contact\u201d button.",
               "Alternate Contact Information for the participant may be added or edited in "
               "the next section by clicking the \"Manage Alternate Contacts\" button."),
    act, applies_to=applies, target=target, instructions=instructions, preflight=preflight,
    changes_screen=True,
)
