"""The sandbox in a real browser: its scripts (tree, calendar, postbacks, pop-ups) do what
the contract says."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Dialog, Page, expect
from test_sandbox import KAREN, SAVED_2021

from caljobs_bot.fixtures.sandbox.client import SandboxClient, SandboxError
from caljobs_bot.pages.postback import click_closing_window

# --- in a real browser ------------------------------------------------------------------------


def browser_sign_in(page: Page, sandbox: SandboxClient) -> None:
    # These tests check the accessible markup's contract (roles, labels); the plain markup
    # has its own tests (test_sandbox_plain.py).
    sandbox.configure(markup="accessible")
    page.goto(sandbox.sign_in_url)
    page.get_by_label("Username").fill("sandbox")
    page.get_by_label("Password").fill("practice")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Agree").click()
    expect(page.get_by_role("heading", name="My Staff Dashboard")).to_be_visible()


def open_case(page: Page, sandbox: SandboxClient, user_id: str) -> None:
    browser_sign_in(page, sandbox)
    page.get_by_role("link", name="Manage Individuals").click()
    page.get_by_role("link", name="Assist an Individual").click()
    page.get_by_label("User ID").fill(user_id)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("table", name="Search Results").get_by_role("link").click()
    expect(page.get_by_role("heading", name="Case Management Profile")).to_be_visible()
    # The heading shows before the deferred sandbox.js has wired the tree; a click then
    # does nothing (a CI run failed so, under load).
    page.wait_for_load_state()


def open_outcome_form(page: Page, sandbox: SandboxClient, user_id: str, number: str) -> None:
    open_case(page, sandbox, user_id)
    application = page.get_by_role("treeitem", name=re.compile(rf"#{number} - "))
    application.get_by_role("button", name="Expand").click()
    section = application.get_by_role("treeitem", name="Exit / Outcome")
    section.get_by_role("button", name="Expand").click()
    section.get_by_role("button", name="Create Exit/Outcome").click()
    expect(page.get_by_role("heading", name="Exit/Outcome", level=1)).to_be_visible()
    page.wait_for_load_state()  # the calendar, postbacks and pop-ups need sandbox.js


def mark_document(page: Page) -> None:
    """Leave a mark in the page that a reload would wipe."""
    page.evaluate("window.__sandboxMark = 'still here'")


def document_marked(page: Page) -> bool:
    return page.evaluate("window.__sandboxMark === 'still here'")


@pytest.mark.browser
def test_tree_expands_in_the_page(page: Page, sandbox: SandboxClient) -> None:
    open_case(page, sandbox, KAREN["user_id"])
    mark_document(page)
    application = page.get_by_role("treeitem", name="WIOA #2244266 - Complete")
    lwdb = application.get_by_text("13 - Los Angeles County WDACS")
    expect(lwdb).to_be_hidden()
    application.get_by_role("button", name="Expand").click()
    expect(lwdb).to_be_visible()
    expect(application.get_by_role("button", name="Collapse")).to_have_attribute(
        "aria-expanded", "true"
    )
    section = application.get_by_role("treeitem", name="Exit / Outcome")
    create = section.get_by_role("button", name="Create Exit/Outcome")
    expect(create).to_be_hidden()
    section.get_by_role("button", name="Expand").click()
    expect(create).to_be_visible()
    assert document_marked(page)
    application.get_by_role("button", name="Collapse").first.click()
    expect(lwdb).to_be_hidden()


@pytest.mark.browser
def test_today_link_and_calendar_fill_the_exit_date(page: Page, sandbox: SandboxClient) -> None:
    open_outcome_form(page, sandbox, KAREN["user_id"], KAREN["number"])
    exit_date = page.get_by_label("Exit Date")
    page.get_by_role("link", name="Today").click()
    expect(exit_date).to_have_value(f"{date.today():%m/%d/%Y}")
    exit_date.fill("06/10/2021")
    page.get_by_role("button", name="Calendar").click()
    expect(page.get_by_text("June 2021")).to_be_visible()
    page.locator(".calendar").get_by_role("button", name="24", exact=True).click()
    expect(exit_date).to_have_value("06/24/2021")


@pytest.mark.browser
def test_contacts_open_in_a_real_window(page: Page, sandbox: SandboxClient) -> None:
    open_outcome_form(page, sandbox, KAREN["user_id"], KAREN["number"])
    with page.expect_popup() as popup_info:
        page.get_by_role("button", name="Manage Alternate Contacts").click()
    popup = popup_info.value
    expect(popup.get_by_role("heading", name="Alternate Contacts")).to_be_visible()
    expect(popup.get_by_text("No data found.")).to_be_visible()
    popup.get_by_role("button", name="Add New Contact").click()
    popup.get_by_label("First Name").fill("Robert")
    popup.get_by_label("Last Name").fill("James")
    popup.get_by_label("Relationship").fill("Brother")
    popup.get_by_label("Phone").fill("213-555-0123")
    popup.get_by_role("button", name="Save").click()
    expect(popup.get_by_role("cell", name="Robert James")).to_be_visible()
    contacts = sandbox.participant(KAREN["user_id"])["contacts"]
    assert [(c["first_name"], c["relationship"]) for c in contacts] == [("Robert", "Brother")]
    # The click's own handler closes the window; click_closing_window tells that from a failure.
    click_closing_window(popup, popup.get_by_role("button", name="Close"))
    assert popup.is_closed()


@pytest.mark.browser
def test_contacts_open_in_a_dialog_iframe(page: Page, sandbox: SandboxClient) -> None:
    sandbox.configure(popup="dialog")
    open_outcome_form(page, sandbox, "37801", "2244301")
    page.get_by_role("button", name="Manage Alternate Contacts").click()
    dialog = page.get_by_role("dialog", name="Alternate Contacts")
    expect(dialog).to_be_visible()
    frame = dialog.frame_locator('iframe[title="Alternate Contacts"]')
    expect(frame.get_by_role("cell", name="María Álvarez")).to_be_visible()
    frame.get_by_role("link", name="Edit").click()
    frame.get_by_label("Phone").fill("213-555-0999")
    frame.get_by_role("button", name="Save").click()
    # The saved list, not the edit form: a form cell holding the Phone box is named by the
    # box's value too, so a cell named 213-555-0999 shows before Save has been answered.
    expect(frame.get_by_text("The contact has been saved.")).to_be_visible()
    expect(frame.get_by_role("row").filter(has_text="María Álvarez")).to_contain_text(
        "213-555-0999")
    assert sandbox.participant("37801")["contacts"][0]["phone"] == "213-555-0999"
    frame.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    assert len(page.context.pages) == 1


@pytest.mark.browser
def test_cell_captions_leave_no_labels(page: Page, sandbox: SandboxClient) -> None:
    open_outcome_form(page, sandbox, KAREN["user_id"], KAREN["number"])
    expect(page.get_by_label("Exit Date")).to_have_count(1)
    sandbox.configure(captions="cell")
    page.reload()
    expect(page.get_by_role("group", name="General Information")).to_be_visible()
    expect(page.locator("label")).to_have_count(0)
    expect(page.get_by_label("Exit Date")).to_have_count(0)
    row = page.get_by_role("row").filter(has_text="Login Name:")
    expect(row.get_by_role("cell").nth(1)).to_have_text("USERNAME000")


@pytest.mark.browser
def test_region_change_posts_back_with_new_offices(page: Page, sandbox: SandboxClient) -> None:
    open_outcome_form(page, sandbox, KAREN["user_id"], KAREN["number"])
    page.get_by_label("Exit Date").fill("06/24/2021")
    page.get_by_label("Staff Position").select_option(label="Supervisor")
    office = page.get_by_label("Office Location")
    expect(office.locator("option")).to_have_text(
        [
            "None Selected",
            "2703 - LAO Community and Senior Services",
            "2710 - Sunny Hills AJCC",
            "2715 - Antelope Valley AJCC",
        ]
    )
    mark_document(page)
    page.get_by_label("LWIA/Region").select_option(label="City of Los Angeles")
    expect(office.locator("option")).to_have_text(
        [
            "None Selected",
            "2801 - WorkSource Center Downtown",
            "2805 - Boyle Heights WorkSource Center",
        ]
    )
    assert not document_marked(page)  # the page really reloaded
    expect(page.get_by_label("Exit Date")).to_have_value("06/24/2021")
    expect(page.get_by_label("Staff Position").locator("option:checked")).to_have_text("Supervisor")


@pytest.mark.browser
def test_case_note_postback_resets_exit_reason(page: Page, sandbox: SandboxClient) -> None:
    open_outcome_form(page, sandbox, KAREN["user_id"], KAREN["number"])
    page.get_by_label("Office Location").select_option(label="2710 - Sunny Hills AJCC")
    page.get_by_label("Exit Date").fill("06/24/2021")
    page.get_by_label("Exit Reason").select_option(label="Deceased")
    page.get_by_role("link", name="Add a new Case Note").click()
    note = page.get_by_role("region", name="Case Note")
    note.get_by_label("Subject").fill("Global exclusion")
    note.get_by_label("Comments").fill("Verified with a document.")
    note.get_by_label("Attachment").set_input_files(
        {"name": "proof.txt", "mimeType": "text/plain", "buffer": b"verified"}
    )
    note.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Global exclusion")).to_be_visible()
    expect(page.get_by_label("Exit Reason").locator("option:checked")).to_have_text("None Selected")
    expect(page.get_by_label("Exit Date")).to_have_value("06/24/2021")
    expect(page.get_by_label("Office Location").locator("option:checked")).to_have_text(
        "2710 - Sunny Hills AJCC"
    )
    [stored_note] = sandbox.participant(KAREN["user_id"])["case_notes"]
    assert (stored_note["attachment_name"], stored_note["attachment_size"]) == ("proof.txt", 8)


@pytest.mark.browser
def test_remove_case_manager_asks_first_then_saves(page: Page, sandbox: SandboxClient) -> None:
    open_outcome_form(page, sandbox, KAREN["user_id"], KAREN["number"])
    questions: list[str] = []

    def answer(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    page.get_by_role("link", name="Remove Case Manager Assignment").click()
    expect(page.locator("#current-case-manager")).to_have_text("None")
    assert questions == ["Are you sure you want to remove the case manager assignment?"]
    assert sandbox.participant(KAREN["user_id"])["case_manager"] is None
    page.get_by_label("Office Location").select_option(
        label="2703 - LAO Community and Senior Services"
    )
    page.get_by_label("Exit Date").fill("06/24/2021")
    page.get_by_label("Exit Reason").select_option(label="Institutionalized")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(SAVED_2021)
    [outcome] = [o for o in sandbox.outcomes() if o["application_number"] == KAREN["number"]]
    assert (outcome["exit_date"], outcome["exit_reason"]) == ("2021-06-24", "Institutionalized")


def test_generated_participants_are_fresh_searchable_and_go_on_reset(
    sandbox: SandboxClient,
) -> None:
    first = sandbox.add_participants(2)
    more = sandbox.add_participants(1)
    ids = [p["user_id"] for p in first + more]
    assert ids == ["50001", "50002", "50003"]
    state = sandbox.state()
    stored = {p["user_id"]: p for p in state["participants"]}
    assert stored["50003"]["state_id"] == more[0]["state_id"]
    apps = {a["number"]: a for a in state["applications"]}
    assert apps[more[0]["application"]]["participant_user_id"] == "50003"
    assert apps[more[0]["application"]]["kind"] == "WIOA"
    assert not [o for o in state["outcomes"] if o["participant_user_id"] in ids]
    sandbox.reset()
    assert "50001" not in {p["user_id"] for p in sandbox.state()["participants"]}
    with pytest.raises(SandboxError):
        sandbox.add_participants(0)
