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
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sandbox_http import complete_form, outcome_url, sign_in, token

from caljobs_bot.fixtures.sandbox.views_outcome import EVENT_TARGET, Field

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


def first_group(pattern: str, html: str) -> str:
    """Group 1 of the first match of `pattern` in `html`; the test fails where none is."""
    found = re.search(pattern, html)
    assert found, f"{pattern} not in the page"
    return found.group(1)


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
    link = first_group(r'href="(/vosnet/Individual/CaseProfile\.aspx\?enc=[^"]+)"', page)
    assert "37762" not in link and "34712" not in link
    case = client.get(link).text
    assert "WIOA #2244266 - Complete" in case
    create = first_group(r'name="enc" value="([^"]+)"', case)
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
    # office, funding stream, reason, case manager
    assert page.count('<option value="" selected>None Selected</option>') == 4
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
        "funding_stream": None,  # optional, not chosen
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
    edit_token = first_group(r'data-argument="([^"]+)"', listing)
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
