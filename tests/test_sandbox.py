"""The sandbox keeps its contract (fixtures/sandbox/README.md).

Fast tests drive the Flask app in-process; the `browser` tests prove what only a browser shows:
the tree opening without a reload, the Today link, the contacts window or dialog, the `cell`
captions, and the postbacks that reload the Outcome form.
"""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Page, expect
from sandbox_http import complete_form, outcome_url, sign_in, token

from caljobs_bot.fixtures.sandbox.app import create_app
from caljobs_bot.fixtures.sandbox.client import SandboxClient, SandboxError
from caljobs_bot.fixtures.sandbox.views_outcome import EVENT_TARGET, Field
from caljobs_bot.pages.postback import click_closing_window

KAREN = {"user_id": "37762", "number": "2244266"}  # Adult, applied 01/15/2021
SHAUNA_YOUTH = "2244302"
DANA_EXITED = "2244305"
SAVED_2021 = "The Exit/Outcome has been saved."
FOSTER = "05"
DECEASED = "03"


# --- in-process helpers ------------------------------------------------------------------------


def case_url(app: Flask, user_id: str) -> str:
    return f"/vosnet/Individual/CaseProfile.aspx?enc={token(app, 'p', user_id)}"


def alert_messages(html: str) -> list[str]:
    match = re.search(r'role="alert">(.*?)</div>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []


def stored(app: Flask) -> dict[str, Any]:
    return app.test_client().get("/__sandbox__/state").get_json()


def html_unescape(text: str) -> str:
    return text.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"')


# --- signing in and finding people -------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/vosnet/Dashboard.aspx",
        "/vosnet/Individual/AssistIndividual.aspx",
        "/vosnet/Individual/ManageIndividuals.aspx",
    ],
)
def test_pages_need_sign_in(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.endswith("/vosnet/Default.aspx")


def test_participant_pages_need_sign_in(app: Flask, client: FlaskClient) -> None:
    for path in (
        case_url(app, KAREN["user_id"]),
        outcome_url(app, KAREN["number"]),
        f"/vosnet/Individual/AltContacts.aspx?enc={token(app, 'p', KAREN['user_id'])}",
    ):
        assert client.get(path).location.endswith("/vosnet/Default.aspx"), path


def test_sign_in_then_notice_then_dashboard(client: FlaskClient) -> None:
    response = client.post(
        "/vosnet/Default.aspx", data={"username": "sandbox", "password": "practice"}
    )
    assert response.location.endswith("/vosnet/SystemUseNotification.aspx")
    assert client.get("/vosnet/Dashboard.aspx").location.endswith("SystemUseNotification.aspx")
    notice = client.get("/vosnet/SystemUseNotification.aspx").text
    assert "System Use Notification" in notice and ">Agree</button>" in notice
    dashboard = client.post("/vosnet/SystemUseNotification.aspx", follow_redirects=True).text
    assert "<h1>My Staff Dashboard</h1>" in dashboard
    assert "Services for Workforce Staff" in dashboard
    assert ">Manage Individuals</a>" in dashboard and ">Assist an Individual</a>" in dashboard


def test_wrong_password_is_refused_with_the_alert(client: FlaskClient) -> None:
    page = client.post("/vosnet/Default.aspx", data={"username": "sandbox", "password": "wrong"})
    assert page.status_code == 200
    assert (
        '<div class="errors" role="alert">The username or password you entered is incorrect.</div>'
        in page.text
    )
    assert client.get("/vosnet/Dashboard.aspx").status_code == 302


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"state_id": "34712"}, ["James, Karen"]),
        ({"user_id": "37762"}, ["James, Karen"]),
        ({"last_name": "james"}, ["James, Karen"]),
        ({"first_name": "Karen"}, ["James, Karen", "Jamison, Karen"]),
        ({"last_name": "alvarez"}, ["Álvarez-Núñez, José"]),  # accents do not matter
        ({"last_name": "O'Connor", "first_name": "Shauna"}, ["O'Connor, Shauna"]),
        ({"user_id": "99999"}, []),
    ],
)
def test_search_by_each_key(
    client: FlaskClient, criteria: dict[str, str], expected: list[str]
) -> None:
    sign_in(client)
    page = client.post("/vosnet/Individual/AssistIndividual.aspx", data=criteria).text
    names = [
        html_unescape(n) for n in re.findall(r'CaseProfile\.aspx\?enc=[^"]+">([^<]+)</a>', page)
    ]
    assert names == expected
    if not expected:
        assert "No records found." in page
    else:
        assert "<caption>Search Results</caption>" in page


def test_links_carry_no_readable_ids(client: FlaskClient) -> None:
    sign_in(client)
    page = client.post("/vosnet/Individual/AssistIndividual.aspx", data={"user_id": "37762"}).text
    link = re.search(r'href="(/vosnet/Individual/CaseProfile\.aspx\?enc=[^"]+)"', page).group(1)
    assert "37762" not in link and "34712" not in link
    case = client.get(link).text
    assert "WIOA #2244266 - Complete" in case
    create = re.search(r'name="enc" value="([^"]+)"', case).group(1)
    assert "2244266" not in create
    assert client.get(link.replace("enc=", "enc=x")).status_code == 404


def test_case_page_tree_wording(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    page = client.get(case_url(app, "37803")).text  # Li Wei: two WIOA applications
    assert "<h1>Case Management Profile</h1>" in page
    assert page.count('role="treeitem" aria-level="1"') == 2
    for text in (
        "WIOA #2244303 - Complete",
        "WIOA #2244304 - Complete",
        '<span class="cap">LWDB:</span> <span class="val">37 - San Diego Workforce Partnership',
        "Open/Total Activities:",
        "Exit / Outcome",
        "Create Exit/Outcome",
        'aria-label="Expand"',
    ):
        assert text in page, text
    no_wioa = client.get(case_url(app, "37804")).text
    assert "Wagner-Peyser #2244390 - Complete" in no_wioa and "WIOA #" not in no_wioa


# --- the Outcome form: Save and its checks ----------------------------------------------------


def test_form_opens_prefilled(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    page = client.get(outcome_url(app, KAREN["number"])).text
    assert "<h1>Exit/Outcome</h1>" in page
    for legend in ("General Information", "Exit Information", "Alternate Contact Information"):
        assert f"<legend>{legend}</legend>" in page
    assert 'value="USERNAME000" readonly' in page and 'value="Karen James" readonly' in page
    assert '<option value="13" selected>Los Angeles County WDACS</option>' in page
    assert page.count('<option value="" selected>None Selected</option>') == 3  # office, reason, CM
    assert 'Case Manager:</span> <span class="val" id="current-case-manager">Staff25, Lac' in page


TODAY = date.today()


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        (
            {
                Field.REGION: "",
                Field.OFFICE: "",
                Field.POSITION: "",
                Field.EXIT_DATE: "",
                Field.EXIT_REASON: "",
            },
            [
                "LWIA/Region is required.",
                "Office Location is required.",
                "Staff Position is required.",
                "Exit Date is required.",
                "Exit Reason is required.",
            ],
        ),
        ({Field.OFFICE: "2801"}, ["Office Location is required."]),  # not an office of region 13
        ({Field.EXIT_DATE: "2021-06-24"}, ["Exit Date must be in MM/DD/YYYY format."]),
        ({Field.EXIT_DATE: "02/30/2021"}, ["Exit Date must be in MM/DD/YYYY format."]),
        (
            {Field.EXIT_DATE: f"{TODAY + timedelta(days=1):%m/%d/%Y}"},
            ["Exit Date cannot be in the future."],
        ),
        (
            {Field.EXIT_DATE: "01/14/2021"},
            ["Exit Date cannot be before the application date (01/15/2021)."],
        ),
        ({Field.EXIT_REASON: "06"}, ["The selected Exit Reason is not a global exclusion."]),
        (
            {Field.EXIT_REASON: FOSTER},
            ["In Foster Care and moved from area by foster care system is only valid for Youth."],
        ),
    ],
)
def test_save_refuses_with_the_contract_messages(
    app: Flask, client: FlaskClient, changes: dict[str, str], messages: list[str]
) -> None:
    sign_in(client)
    response = client.post(outcome_url(app, KAREN["number"]), data=complete_form(**changes))
    assert response.status_code == 200
    assert alert_messages(response.text) == messages
    state = stored(app)
    assert [o for o in state["outcomes"] if o["application_number"] == KAREN["number"]] == []
    assert (
        next(a for a in state["applications"] if a["number"] == KAREN["number"])["status"]
        == "Complete"
    )


def test_save_stores_the_outcome_and_confirms(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    response = client.post(outcome_url(app, KAREN["number"]), data=complete_form())
    assert response.status_code == 303
    assert response.location == case_url(app, KAREN["user_id"])
    [outcome] = [o for o in stored(app)["outcomes"] if o["application_number"] == "2244266"]
    assert outcome | {"saved_at": "*", "id": "*"} == {
        "id": "*",
        "application_number": "2244266",
        "participant_user_id": "37762",
        "exit_date": "2021-06-24",
        "exit_reason": "Deceased",
        "exit_reason_code": "03",
        "lwia_region": "Los Angeles County WDACS",
        "office_location": "2703 - LAO Community and Senior Services",
        "staff_position": "Case Manager",
        "saved_by": "sandbox",
        "saved_at": "*",
    }
    case = client.get(response.location).text
    assert f'<div class="flash" role="status">{SAVED_2021}</div>' in case
    assert "WIOA #2244266 - Exited" in case
    assert (
        '<span class="cap">Exit Date:</span> <span class="val">06/24/2021</span> '
        '<span class="cap">Exit Reason:</span> <span class="val">Deceased</span>'
    ) in case
    assert "Create Exit/Outcome" not in case
    assert SAVED_2021 not in client.get(response.location).text  # shown once


def test_foster_care_is_accepted_for_youth(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    data = complete_form(
        **{
            Field.REGION: "13",
            Field.OFFICE: "2710",
            Field.EXIT_DATE: "03/01/2021",
            Field.EXIT_REASON: FOSTER,
        }
    )
    assert client.post(outcome_url(app, SHAUNA_YOUTH), data=data).status_code == 303
    [outcome] = [o for o in stored(app)["outcomes"] if o["application_number"] == SHAUNA_YOUTH]
    assert outcome["exit_reason_code"] == FOSTER


def test_second_outcome_is_refused(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    url = outcome_url(app, KAREN["number"])
    assert client.post(url, data=complete_form()).status_code == 303
    again = client.post(url, data=complete_form(**{Field.EXIT_REASON: "01"}))
    assert alert_messages(again.text) == ["This application already has an Exit/Outcome."]
    assert alert_messages(client.get(url).text) == ["This application already has an Exit/Outcome."]
    outcomes = [o for o in stored(app)["outcomes"] if o["application_number"] == "2244266"]
    assert [o["exit_reason"] for o in outcomes] == ["Deceased"]


def test_seeded_exit_is_refused_too(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    response = client.post(outcome_url(app, DANA_EXITED), data=complete_form())
    assert alert_messages(response.text) == ["This application already has an Exit/Outcome."]
    assert len([o for o in stored(app)["outcomes"] if o["application_number"] == DANA_EXITED]) == 1


def test_cancel_stores_nothing(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    data = complete_form()
    del data[Field.SAVE]
    data[Field.CANCEL] = "Cancel"
    response = client.post(outcome_url(app, KAREN["number"]), data=data)
    assert response.location == case_url(app, KAREN["user_id"])
    assert all(o["application_number"] != "2244266" for o in stored(app)["outcomes"])


# --- postbacks inside the form -----------------------------------------------------------------


def test_region_postback_replaces_offices_and_keeps_values(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    data = complete_form(**{Field.REGION: "14", EVENT_TARGET: Field.REGION})
    del data[Field.SAVE]
    page = client.post(outcome_url(app, KAREN["number"]), data=data).text
    offices = re.findall(r"<option value=\"(\d{4})\"", page)
    assert offices == ["2801", "2805"]
    assert '<option value="" selected>None Selected</option>' in page  # office reset
    assert 'value="06/24/2021"' in page
    assert f'<option value="{DECEASED}" selected>Deceased</option>' in page  # reason kept here
    assert len(stored(app)["outcomes"]) == 4  # the seeded ones only


def test_case_note_postback_stores_note_and_drops_exit_reason(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client)
    content = b"%PDF-1.4 verifying document"
    data: dict[str, Any] = complete_form(**{EVENT_TARGET: Field.NOTE_SAVE})
    del data[Field.SAVE]
    data[Field.NOTE_SUBJECT] = "Hard exit"
    data[Field.NOTE_COMMENTS] = "Reason verified."
    data[Field.NOTE_FILE] = (io.BytesIO(content), "proof.pdf")
    page = client.post(
        outcome_url(app, KAREN["number"]), data=data, content_type="multipart/form-data"
    ).text
    assert alert_messages(page) == []
    assert "<td>Hard exit</td>" in page
    assert 'value="06/24/2021"' in page and '<option value="2703" selected>' in page
    assert f'<option value="{DECEASED}" selected>' not in page  # the deliberate quirk
    [note] = [n for n in stored(app)["case_notes"] if n["participant_user_id"] == "37762"]
    assert (note["subject"], note["comments"], note["created_by"]) == (
        "Hard exit",
        "Reason verified.",
        "sandbox",
    )
    assert note["attachment_name"] == "proof.pdf"
    assert note["attachment_size"] == len(content)
    assert note["attachment_sha256"] == hashlib.sha256(content).hexdigest()


def test_case_note_needs_a_subject(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    data = {EVENT_TARGET: Field.NOTE_SAVE, Field.NOTE_SUBJECT: " ", Field.NOTE_COMMENTS: "x"}
    page = client.post(outcome_url(app, KAREN["number"]), data=data).text
    assert alert_messages(page) == ["Subject is required."]
    assert all(n["participant_user_id"] != "37762" for n in stored(app)["case_notes"])


def test_assign_and_remove_case_manager(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    url = outcome_url(app, SHAUNA_YOUTH)

    def case_manager() -> str | None:
        return next(p for p in stored(app)["participants"] if p["user_id"] == "37802")[
            "case_manager"
        ]

    assert case_manager() is None
    page = client.post(url, data={EVENT_TARGET: Field.ASSIGN, Field.CASE_MANAGER: "3"}).text
    assert case_manager() == "O'Brien, Pat"
    assert 'id="current-case-manager">O&#39;Brien, Pat' in page
    client.post(url, data={EVENT_TARGET: Field.REMOVE})
    assert case_manager() is None


# --- alternate contacts -----------------------------------------------------------------------


def test_alternate_contacts_add_and_edit(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    url = f"/vosnet/Individual/AltContacts.aspx?enc={token(app, 'p', '37801')}"
    listing = client.get(url).text
    assert "<h1>Alternate Contacts</h1>" in listing and "María Álvarez" in listing
    assert ">Edit</a>" in listing and "Add New Contact" in listing
    form = client.post(url, data={"add": "1"}).text
    assert "First Name" in form and "Relationship" in form
    refused = client.post(url, data={"save": "1", "contact": "", "first_name": "Ana"}).text
    assert alert_messages(refused) == ["Last Name is required."]
    fields = {
        "first_name": "Ana",
        "last_name": "Núñez",
        "relationship": "Sibling",
        "phone": "213-555-0100",
        "email": "",
        "address": "",
    }
    client.post(url, data={"save": "1", "contact": "", **fields})
    edit_token = re.search(r'data-argument="([^"]+)"', listing).group(1)
    edit = client.post(url, data={EVENT_TARGET: "edit", "__EVENTARGUMENT": edit_token}).text
    assert 'value="213-555-0142"' in edit
    client.post(
        url,
        data={
            "save": "1",
            "contact": edit_token,
            **fields,
            "first_name": "María",
            "last_name": "Álvarez",
            "phone": "213-555-0199",
        },
    )
    contacts = [c for c in stored(app)["contacts"] if c["participant_user_id"] == "37801"]
    assert [(c["first_name"], c["phone"]) for c in contacts] == [
        ("María", "213-555-0199"),
        ("Ana", "213-555-0100"),
    ]


# --- variants and the test endpoint -----------------------------------------------------------


def test_cell_captions_have_no_labels(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    client.post("/__sandbox__/config", json={"captions": "cell"})
    for url in (outcome_url(app, KAREN["number"]), "/vosnet/Individual/AssistIndividual.aspx"):
        page = client.get(url).text
        assert "<label" not in page
        controls = re.findall(r"<(?:input|select|textarea)\b[^>]*>", page)
        assert controls and not [c for c in controls if "aria-label" in c or "title=" in c]
    page = client.get(outcome_url(app, KAREN["number"])).text
    assert '<td class="cap"><span class="req">*</span>LWIA/Region:</td>' in page
    assert '<span id="ctl00_Main_content_txtLoginName" class="ro-text">USERNAME000</span>' in page


def test_2016_wording(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    client.post("/__sandbox__/config", json={"ui": "2016"})
    case = client.get(case_url(app, KAREN["user_id"])).text
    assert "Create Outcome" in case and "Create Exit/Outcome" not in case
    assert '<span class="cap">LWIA:</span>' in case and "Exit / Outcome" not in case
    assert "<h1>Outcome</h1>" in client.get(outcome_url(app, KAREN["number"])).text
    client.post(outcome_url(app, KAREN["number"]), data=complete_form())
    assert "The Outcome has been saved." in client.get(case_url(app, KAREN["user_id"])).text


# The settings besides the variants, as a sandbox starts without faults or markup shuffle.
NO_FAULTS_NO_SHUFFLE = {
    "markup_seed": None,
    "rename": {},
    "faults": {
        "latency_ms": 0,
        "error_rate": 0.0,
        "expire_after_requests": None,
        "expire_on_save": 0,
        "popup_delay_ms": 0,
        "lose_save_response": 0,
        "save_error_for": [],
        "maintenance": False,
        "accept_duplicates": False,
        "seed": 0,
    },
}


def test_config_endpoint_switches_and_checks(client: FlaskClient) -> None:
    assert client.get("/__sandbox__/config").get_json() == {
        "ui": "2021",
        "captions": "label",
        "popup": "window",
        "markup": "accessible",
        **NO_FAULTS_NO_SHUFFLE,
    }
    switched = client.post("/__sandbox__/config", json={"popup": "dialog"}).get_json()
    assert switched == {
        "ui": "2021",
        "captions": "label",
        "popup": "dialog",
        "markup": "accessible",
        **NO_FAULTS_NO_SHUFFLE,
    }
    assert client.post("/__sandbox__/config", json={"ui": "2019"}).status_code == 400
    assert client.post("/__sandbox__/config", json={"colour": "red"}).status_code == 400
    assert client.get("/__sandbox__/state").get_json()["config"]["popup"] == "dialog"


def test_reset_restores_seed_and_created_variants(client: FlaskClient) -> None:
    app = create_app(ui="2016", popup="dialog")
    test_client = app.test_client()
    sign_in(test_client)
    test_client.post(outcome_url(app, KAREN["number"]), data=complete_form())
    test_client.post("/__sandbox__/config", json={"ui": "2021", "captions": "cell"})
    assert len(stored(app)["outcomes"]) == 5
    test_client.post("/__sandbox__/reset")
    state = stored(app)
    assert state["config"] == {
        "ui": "2016",
        "captions": "label",
        "popup": "dialog",
        "markup": "accessible",
        **NO_FAULTS_NO_SHUFFLE,
    }
    assert len(state["outcomes"]) == 4
    assert len(state["participants"]) >= 25


def test_seed_facts(client: FlaskClient) -> None:
    state = client.get("/__sandbox__/state").get_json()
    assert "password" not in str(state["staff"])
    people = {p["user_id"]: p for p in state["participants"]}
    assert people["37762"]["login_name"] == "USERNAME000"
    assert people["37762"]["state_id"] == "34712"
    assert people["37762"]["case_manager"] == "Staff25, Lac"
    dana = next(o for o in state["outcomes"] if o["application_number"] == DANA_EXITED)
    assert (dana["exit_date"], dana["exit_reason"]) == ("2021-05-01", "Health/Medical")
    li_wei = [a["number"] for a in state["applications"] if a["participant_user_id"] == "37803"]
    assert li_wei == ["2244303", "2244304"]


def test_file_database_keeps_changes(tmp_path: Path) -> None:
    path = str(tmp_path / "sandbox.sqlite")
    first = create_app(db_path=path)
    first_client = first.test_client()
    sign_in(first_client)
    first_client.post(outcome_url(first, KAREN["number"]), data=complete_form())
    again = create_app(db_path=path)
    assert len(again.test_client().get("/__sandbox__/state").get_json()["outcomes"]) == 5


def test_client_talks_to_the_running_server(sandbox: SandboxClient) -> None:
    assert sandbox.config()["ui"] == "2021"
    assert sandbox.configure(ui="2016")["ui"] == "2016"
    with pytest.raises(SandboxError):
        sandbox.configure(ui="1999")
    karen = sandbox.participant(37762)
    assert [a["number"] for a in karen["applications"]] == ["2244266"]
    assert karen["applications"][0]["outcomes"] == []
    assert sandbox.participant("37801")["contacts"][0]["first_name"] == "María"
    assert len(sandbox.outcomes()) == 4
    sandbox.reset()
    assert sandbox.config()["ui"] == "2021"


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


def open_outcome_form(page: Page, sandbox: SandboxClient, user_id: str, number: str) -> None:
    open_case(page, sandbox, user_id)
    application = page.get_by_role("treeitem", name=re.compile(rf"#{number} - "))
    application.get_by_role("button", name="Expand").click()
    section = application.get_by_role("treeitem", name="Exit / Outcome")
    section.get_by_role("button", name="Expand").click()
    section.get_by_role("button", name="Create Exit/Outcome").click()
    expect(page.get_by_role("heading", name="Exit/Outcome", level=1)).to_be_visible()


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
    page.once("dialog", lambda d: (questions.append(d.message), d.accept()))
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
