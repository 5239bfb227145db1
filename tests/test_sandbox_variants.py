"""The sandbox's variants and its test endpoint: captions, 2016 wording, configuration,
reset, seed data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sandbox_http import complete_form, outcome_url, sign_in
from test_sandbox import DANA_EXITED, KAREN, case_url, stored

from caljobs_bot.fixtures.sandbox.app import create_app
from caljobs_bot.fixtures.sandbox.client import SandboxClient, SandboxError

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
NO_FAULTS_NO_SHUFFLE: dict[str, object] = {
    "markup_seed": None,
    "rename": {},
    "faults": {
        "latency_ms": 0,
        "error_rate": 0.0,
        "expire_after_requests": None,
        "expire_on_save": 0,
        "popup_errors": 0,
        "expire_in_popup": 0,
        "expire_on_note": 0,
        "popup_delay_ms": 0,
        "script_delay_ms": 0,
        "lose_save_response": 0,
        "save_error_for": [],
        "maintenance": False,
        "accept_duplicates": False,
        "seed": 0,
        "session_warning_after_ms": None,
        "session_warning_every": None,
    },
}


def test_config_endpoint_switches_and_checks(client: FlaskClient) -> None:
    assert client.get("/__sandbox__/config").get_json() == {
        "ui": "2021",
        "captions": "label",
        "popup": "window",
        "markup": "accessible",
        "region_change": "postback",
        "case_manager_shown": "block",
        **NO_FAULTS_NO_SHUFFLE,
    }
    switched = client.post("/__sandbox__/config", json={"popup": "dialog"}).get_json()
    assert switched == {
        "ui": "2021",
        "captions": "label",
        "popup": "dialog",
        "markup": "accessible",
        "region_change": "postback",
        "case_manager_shown": "block",
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
        "region_change": "postback",
        "case_manager_shown": "block",
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
