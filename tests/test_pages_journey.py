"""The page objects on a whole journey over shuffled markup, and what they report when the
site misbehaves."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_pages import open_form, participant, search_page
from test_pages_contacts import MARIA

from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.form_fields import BY_ATTRIBUTE as FIELD
from caljobs_bot.pages.contacts_popup import Contact
from caljobs_bot.pages.login import LoginPage
from caljobs_bot.pages.outcome_form import OutcomeForm, ParticipantInfo
from caljobs_bot.pages.wording import (
    SAVE_CONFIRMATION,
)

pytestmark = pytest.mark.browser


# --- the same journey on shuffled markup (README: Markup shuffle) -------------------------------


@pytest.mark.parametrize(
    ("seed", "captions", "popup", "ui"),
    [
        (7, "label", "window", "2021"),
        (11, "cell", "dialog", "2016"),
        (23, "cell", "window", "2021"),
    ],
)
def test_whole_journey_on_shuffled_markup(
    page: Page,
    sandbox: SandboxClient,
    sandbox_server: Sandbox,
    tmp_path: Path,
    seed: int,
    captions: str,
    popup: str,
    ui: str,
) -> None:
    """Other ids, names, classes, wrappers and field order: what a person sees is the same, so
    the page objects must do the same."""
    sandbox.configure(markup_seed=seed, captions=captions, popup=popup, ui=ui)
    search = search_page(page, sandbox_server)
    (shauna,) = search.search(last_name="O'Connor", first_name="Shauna")
    case = search.open_participant(shauna)
    assert case.participant_name() == "Shauna O'Connor"
    node = case.application("2244302")
    details = node.details()
    assert (details["LWDB"], details["Program"]) == ("13 - Los Angeles County WDACS", "Youth")

    form = node.create_outcome()
    assert form.general.participant() == ParticipantInfo(
        login_name=participant(sandbox, "37802")["login_name"],
        user_id="37802",
        state_id="34802",
        name="Shauna O'Connor",
    )
    form.general.choose(FIELD["lwia_region"], "San Diego Workforce Partnership")
    form.general.choose(FIELD["office_location"], "3705 - North County Career Center")
    form.general.choose(FIELD["staff_position"], "Supervisor")
    form.exit.set_exit_date(datetime.date(2021, 7, 1))

    contacts = form.contacts.manage()
    contacts.add(Contact(first_name="Moira", last_name="O'Connor", relationship="Mother"))
    assert [c.name for c in contacts.contacts()] == ["Moira O'Connor"]
    contacts.close()

    form = form.staff.assign_case_manager().assign("Tran, Minh")
    assert form.staff.current_case_manager() == "Tran, Minh"
    note = form.staff.add_case_note()
    document = tmp_path / "placement.pdf"
    document.write_bytes(b"%PDF-1.4 placement letter\n")
    note.fill("Foster care move", "Moved out of the area by the foster care system.", document)
    form = note.save()
    assert [n.subject for n in form.staff.case_notes()] == ["Foster care move"]

    assert form.exit.reason() == "None Selected"  # lost in the postbacks, chosen again now
    form.exit.choose_reason("in foster care and moved from area by foster care system")
    assert form.general.shown(FIELD["office_location"]) == "3705 - North County Career Center"
    assert form.exit.exit_date() == "07/01/2021"
    saved = form.save()

    assert saved is not None
    expect(saved.confirmation()).to_have_text(SAVE_CONFIRMATION)
    stored = participant(sandbox, "37802")
    (outcome,) = stored["applications"][0]["outcomes"]
    assert (outcome["exit_date"], outcome["exit_reason_code"]) == ("2021-07-01", "05")
    assert outcome["office_location"] == "3705 - North County Career Center"
    assert stored["case_manager"] == "Tran, Minh"
    assert [c["first_name"] for c in stored["contacts"]] == ["Moira"]
    assert stored["case_notes"][0]["attachment_name"] == "placement.pdf"


# --- what the page objects report when the site misbehaves (README: Faults) ---------------------


def filled_form(page: Page, server: Sandbox) -> OutcomeForm:
    """Karen James's form with every field a valid Save needs."""
    form = open_form(page, server, "37762", "2244266")
    form.general.choose(FIELD["office_location"], "2710 - Sunny Hills AJCC")
    form.exit.set_exit_date(datetime.date(2021, 6, 24))
    form.exit.choose_reason("Deceased")
    return form


def test_save_refused_by_the_site_is_reported_as_errors(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox
) -> None:
    sandbox.set_faults(save_error_for=["37762"])
    form = filled_form(page, sandbox_server)
    assert form.save() is None
    assert form.errors() == [
        "The participant has open or future services; close them before exiting."
    ]
    assert form.is_shown()
    assert participant(sandbox, "37762")["applications"][0]["outcomes"] == []


def test_save_into_an_expired_session_lands_on_sign_in(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox
) -> None:
    form = filled_form(page, sandbox_server)
    sandbox.set_faults(expire_on_save=1)
    assert form.save() is None
    assert not form.is_shown()
    assert LoginPage(page).is_shown()
    assert form.errors() == ["Your session has expired. Please sign in again."]
    assert participant(sandbox, "37762")["applications"][0]["outcomes"] == []


def test_save_whose_answer_is_lost_returns_promptly(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox
) -> None:
    form = filled_form(page, sandbox_server)
    sandbox.set_faults(lose_save_response=1)
    assert form.save() is None
    expect(page.get_by_text("Server Error", exact=True)).to_be_visible()
    assert form.errors() == []
    assert not LoginPage(page).is_shown()
    # The site stored it anyway: the bot must look at the case before trying again.
    assert len(participant(sandbox, "37762")["applications"][0]["outcomes"]) == 1


@pytest.mark.parametrize("popup", ("window", "dialog"))
def test_slow_contacts_popup_and_slow_site(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, popup: str
) -> None:
    sandbox.configure(popup=popup, faults={"popup_delay_ms": 1500, "latency_ms": 150})
    form = open_form(page, sandbox_server, "37801", "2244301")
    contacts = form.contacts.manage()
    assert contacts.contacts() == [MARIA]
    contacts.add(Contact(first_name="Luis", last_name="Álvarez", relationship="Son"))
    assert [c.name for c in contacts.contacts()] == ["María Álvarez", "Luis Álvarez"]
    contacts.close()
    assert form.is_shown()
    stored = participant(sandbox, "37801")["contacts"]
    assert [c["first_name"] for c in stored] == ["María", "Luis"]


def test_scripts_that_arrive_late(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox
) -> None:
    """A WebForms page shows its controls before its script resources have run, and a click
    on a scripted control (a tree toggle, a postback link) does nothing until then. Before the
    fix, the dialog's Edit link was clicked too early and the contact form never showed."""
    sandbox.configure(popup="dialog", faults={"script_delay_ms": 1000})
    form = open_form(page, sandbox_server, "37801", "2244301")
    contacts = form.contacts.manage()
    contacts.edit("María Álvarez", Contact(first_name="María", last_name="Álvarez",
                                           phone="213-555-0199"))
    assert [c.phone for c in contacts.contacts()] == ["213-555-0199"]
    contacts.close()
    assert form.is_shown()
    assert [c["phone"] for c in participant(sandbox, "37801")["contacts"]] == ["213-555-0199"]
