"""The sandbox's faults, counters and markup shuffle keep their contract (sandbox README).

Fast tests drive the Flask app in-process and assert on what the server stored and counted;
the `browser` tests prove a person (and so a page object that relies only on what a person
sees) can still fill and save a form whose markup is shuffled.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sandbox_http import complete_form, outcome_url, sign_in, token

from caljobs_bot.fixtures.sandbox.__main__ import parse_args
from caljobs_bot.fixtures.sandbox.app import create_app
from caljobs_bot.fixtures.sandbox.client import SandboxClient, SandboxError
from caljobs_bot.fixtures.sandbox.views_outcome import EVENT_TARGET, Field

KAREN = {"user_id": "37762", "number": "2244266"}  # Adult, applied 01/15/2021
SHAUNA = {"user_id": "37802", "number": "2244302"}  # Youth, applied 02/10/2021
JOSE = "37801"  # has an alternate contact
EXPIRED = "Your session has expired. Please sign in again."
OPEN_SERVICES = "The participant has open or future services; close them before exiting."
SAVED_2021 = "The Exit/Outcome has been saved."


# --- in-process helpers ------------------------------------------------------------------------


def contacts_url(app: Flask, user_id: str) -> str:
    return f"/vosnet/Individual/AltContacts.aspx?enc={token(app, 'p', user_id)}"


def shauna_form() -> dict[str, str]:
    return complete_form(**{Field.OFFICE: "2710", Field.EXIT_DATE: "03/01/2021"})


def alert_messages(html: str) -> list[str]:
    match = re.search(r'role="alert">(.*?)</div>', html, re.S)
    if not match:
        return []
    return re.findall(r"<li>(.*?)</li>", match.group(1)) or [match.group(1).strip()]


def stored_outcomes(app: Flask, number: str) -> list[dict[str, Any]]:
    state = app.test_client().get("/__sandbox__/state").get_json()
    return [o for o in state["outcomes"] if o["application_number"] == number]


def configure(client: FlaskClient, **settings: Any) -> dict[str, Any]:
    response = client.post("/__sandbox__/config", json=settings)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def stored(app: Flask) -> dict[str, Any]:
    return app.test_client().get("/__sandbox__/state").get_json()


def stats(app: Flask) -> dict[str, Any]:
    return app.test_client().get("/__sandbox__/stats").get_json()


def timed(call: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


# --- the fault knobs ---------------------------------------------------------------------------


def test_faults_start_off_and_update_in_part(client: FlaskClient) -> None:
    faults = client.get("/__sandbox__/config").get_json()["faults"]
    assert faults["error_rate"] == 0.0 and faults["maintenance"] is False
    assert configure(client, faults={"latency_ms": 50})["faults"]["latency_ms"] == 50
    both = configure(client, faults={"error_rate": 0.25, "save_error_for": [37762]})["faults"]
    assert (both["latency_ms"], both["error_rate"]) == (50, 0.25)  # the first change stays
    assert both["save_error_for"] == ["37762"]
    assert client.get("/__sandbox__/state").get_json()["config"]["faults"] == both


def test_reset_restores_the_faults_the_app_started_with() -> None:
    app = create_app(faults={"latency_ms": 5, "save_error_for": ["37762"]}, markup_seed=3)
    test_client = app.test_client()
    configure(test_client, faults={"latency_ms": 0, "maintenance": True}, markup_seed=None)
    test_client.post("/__sandbox__/reset")
    config = test_client.get("/__sandbox__/config").get_json()
    assert config["markup_seed"] == 3
    assert config["faults"]["latency_ms"] == 5
    assert config["faults"]["save_error_for"] == ["37762"]
    assert config["faults"]["maintenance"] is False


@pytest.mark.parametrize(
    "body",
    [
        {"faults": {"colour": 1}},
        {"faults": {"error_rate": 1.5}},
        {"faults": {"latency_ms": -1}},
        {"faults": {"maintenance": "yes"}},
        {"faults": {"expire_after_requests": 0}},
        {"faults": {"expire_on_save": 1.5}},
        {"faults": {"save_error_for": [True]}},
        {"faults": {"seed": "abc"}},
        {"faults": [1, 2]},
        {"markup_seed": "seven"},
        {"ui": "2016", "faults": {"error_rate": 3}},  # all or nothing: ui is not switched
    ],
)
def test_bad_settings_are_refused_whole(client: FlaskClient, body: dict[str, Any]) -> None:
    response = client.post("/__sandbox__/config", json=body)
    assert response.status_code == 400
    assert "error" in response.get_json()
    config = client.get("/__sandbox__/config").get_json()
    assert config["ui"] == "2021" and config["markup_seed"] is None
    assert config["faults"]["error_rate"] == 0.0


def test_create_app_checks_faults() -> None:
    with pytest.raises(ValueError, match="error_rate"):
        create_app(faults={"error_rate": 2})
    with pytest.raises(ValueError, match="unknown fault"):
        create_app(faults={"latency": 100})


def test_latency_holds_pages_but_not_static_files_or_the_endpoint() -> None:
    app = create_app(faults={"latency_ms": 400})
    test_client = app.test_client()
    page, page_time = timed(lambda: test_client.get("/vosnet/Default.aspx"))
    assert page.status_code == 200 and page_time >= 0.4
    css, css_time = timed(lambda: test_client.get("/static/sandbox.css"))
    assert css.status_code == 200 and css_time < 0.4
    css.close()
    endpoint, endpoint_time = timed(lambda: test_client.get("/__sandbox__/config"))
    assert endpoint.status_code == 200 and endpoint_time < 0.4


def test_error_rate_one_fails_every_page_before_any_work(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    configure(client, faults={"error_rate": 1.0})
    saved = client.post(outcome_url(app, KAREN["number"]), data=complete_form())
    assert saved.status_code == 503
    assert "<h1>Service Unavailable</h1>" in saved.text
    assert "Services for Workforce Staff" not in saved.text  # a plain page, no site frame
    assert stored_outcomes(app, KAREN["number"]) == []
    fresh = app.test_client()
    refused = fresh.post(
        "/vosnet/Default.aspx", data={"username": "sandbox", "password": "practice"}
    )
    assert refused.status_code == 503
    assert stats(app)["sign_ins"] == 1  # only the sign-in before the errors began
    assert client.get("/static/sandbox.css").status_code == 200
    configure(client, faults={"error_rate": 0})
    assert fresh.get("/vosnet/Dashboard.aspx").location.endswith("/vosnet/Default.aspx")


def status_codes(test_client: FlaskClient, count: int) -> list[int]:
    return [test_client.get("/vosnet/Default.aspx").status_code for _ in range(count)]


def test_error_rate_is_a_seeded_share() -> None:
    first = create_app(faults={"error_rate": 0.5, "seed": 3}).test_client()
    second = create_app(faults={"error_rate": 0.5, "seed": 3}).test_client()
    other = create_app(faults={"error_rate": 0.5, "seed": 4}).test_client()
    codes = status_codes(first, 40)
    assert set(codes) == {200, 503}
    # Seed 3's draws at 0.5 (Python's generator is stable across versions): one request
    # more or less drawing an error would show here, as a replayed run would differ.
    assert codes.count(503) == 18
    assert status_codes(second, 40) == codes  # the same seed replays the same run
    assert status_codes(other, 40) != codes
    configure(first, faults={"seed": 3})  # setting the faults restarts the generator
    assert status_codes(first, 40) == codes


def test_session_expires_after_n_requests(client: FlaskClient) -> None:
    configure(client, faults={"expire_after_requests": 3})
    sign_in(client)  # the notice's Agree is request 1 of the session
    assert client.get("/vosnet/Dashboard.aspx").status_code == 200  # 2
    assert client.get("/vosnet/Individual/AssistIndividual.aspx").status_code == 200  # 3
    expired = client.get("/vosnet/Individual/ManageIndividuals.aspx")
    assert expired.status_code == 303
    assert expired.location.endswith("/vosnet/Default.aspx")
    page = client.get(expired.location)
    assert f'<div class="errors" role="alert">{EXPIRED}</div>' in page.text
    assert "<h1>Staff Sign In</h1>" in page.text
    assert EXPIRED not in client.get("/vosnet/Default.aspx").text  # said once
    assert client.get("/vosnet/Dashboard.aspx").location.endswith("/vosnet/Default.aspx")
    sign_in(client)  # a new session counts from zero
    assert client.get("/vosnet/Dashboard.aspx").status_code == 200  # 2
    assert client.get("/vosnet/Dashboard.aspx").status_code == 200  # 3
    sign_in(client)  # signing in again is never refused, even with the session used up
    assert client.get("/vosnet/Dashboard.aspx").status_code == 200
    assert stats(client.application)["sign_ins"] == 3


def test_expire_on_save_stores_nothing_for_the_first_n_saves(
    app: Flask, client: FlaskClient
) -> None:
    configure(client, faults={"expire_on_save": 1})
    sign_in(client)
    url = outcome_url(app, KAREN["number"])
    assert client.get(url).status_code == 200  # opening the form is not a Save
    expired = client.post(url, data=complete_form())
    assert expired.status_code == 303 and expired.location.endswith("/vosnet/Default.aspx")
    assert EXPIRED in alert_messages(client.get(expired.location).text)
    assert stored_outcomes(app, KAREN["number"]) == []
    sign_in(client)
    assert client.post(url, data=complete_form()).status_code == 303
    assert [o["exit_reason"] for o in stored_outcomes(app, KAREN["number"])] == ["Deceased"]
    assert stats(app)["faults"]["injected"] == {"expire_on_save": 1}


def test_popup_delay_holds_only_the_contacts_page() -> None:
    app = create_app(faults={"popup_delay_ms": 400})
    test_client = app.test_client()
    sign_in(test_client)
    contacts, contacts_time = timed(lambda: test_client.get(contacts_url(app, JOSE)))
    assert contacts.status_code == 200 and "<h1>Alternate Contacts</h1>" in contacts.text
    assert contacts_time >= 0.4
    dashboard, dashboard_time = timed(lambda: test_client.get("/vosnet/Dashboard.aspx"))
    assert dashboard.status_code == 200 and dashboard_time < 0.4


def test_lost_save_response_still_stores_the_outcome(app: Flask, client: FlaskClient) -> None:
    configure(client, faults={"lose_save_response": 1})
    sign_in(client)
    url = outcome_url(app, KAREN["number"])
    lost = client.post(url, data=complete_form())
    assert lost.status_code == 500
    assert "<h1>Server Error</h1>" in lost.text
    [outcome] = stored_outcomes(app, KAREN["number"])
    assert outcome["exit_reason"] == "Deceased"
    case = client.get(f"/vosnet/Individual/CaseProfile.aspx?enc={token(app, 'p', '37762')}")
    assert "WIOA #2244266 - Exited" in case.text and SAVED_2021 not in case.text
    again = client.post(url, data=complete_form())  # a blind retry is refused, not doubled
    assert alert_messages(again.text) == ["This application already has an Exit/Outcome."]
    assert len(stored_outcomes(app, KAREN["number"])) == 1
    shauna = client.post(outcome_url(app, SHAUNA["number"]), data=shauna_form())
    assert shauna.status_code == 303  # only the first N saves lose their answer
    assert stats(app)["saves"] == 2


def test_a_careless_site_stores_every_outcome_and_counts_every_save(
    app: Flask, client: FlaskClient
) -> None:
    configure(client, faults={"accept_duplicates": True})
    sign_in(client)
    url = outcome_url(app, KAREN["number"])
    for _ in range(3):
        assert client.post(url, data=complete_form()).status_code == 303
    assert [o["exit_reason"] for o in stored_outcomes(app, KAREN["number"])] == ["Deceased"] * 3
    case = client.get(f"/vosnet/Individual/CaseProfile.aspx?enc={token(app, 'p', '37762')}")
    assert "WIOA #2244266 - Exited" in case.text
    assert stats(app)["saves"] == 3
    assert stats(app)["save_attempts"] == {KAREN["number"]: 3}


def test_a_careful_site_refuses_a_second_outcome_but_counts_the_attempt(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client)
    url = outcome_url(app, KAREN["number"])
    assert client.post(url, data=complete_form()).status_code == 303
    again = client.post(url, data=complete_form())
    assert alert_messages(again.text) == ["This application already has an Exit/Outcome."]
    assert len(stored_outcomes(app, KAREN["number"])) == 1
    assert stats(app)["saves"] == 1
    assert stats(app)["save_attempts"] == {KAREN["number"]: 2}
    cancel = {k: v for k, v in complete_form().items() if k != Field.SAVE}
    client.post(url, data={**cancel, Field.CANCEL: "Cancel"})  # Cancel is no Save
    assert stats(app)["save_attempts"] == {KAREN["number"]: 2}


def test_save_error_for_refuses_those_participants(app: Flask, client: FlaskClient) -> None:
    configure(client, faults={"save_error_for": ["37762"]})
    sign_in(client)
    url = outcome_url(app, KAREN["number"])
    refused = client.post(url, data=complete_form())
    assert refused.status_code == 200
    assert alert_messages(refused.text) == [OPEN_SERVICES]
    incomplete = client.post(url, data=complete_form(**{Field.EXIT_DATE: ""}))
    assert alert_messages(incomplete.text) == ["Exit Date is required."]  # fields come first
    assert stored_outcomes(app, KAREN["number"]) == []
    assert client.post(outcome_url(app, SHAUNA["number"]), data=shauna_form()).status_code == 303
    assert len(stored_outcomes(app, SHAUNA["number"])) == 1


def test_maintenance_closes_every_page(app: Flask, client: FlaskClient) -> None:
    configure(client, faults={"maintenance": True})
    for response in (
        client.get("/vosnet/Default.aspx"),
        client.post("/vosnet/Default.aspx", data={"username": "sandbox", "password": "practice"}),
        client.get("/vosnet/Dashboard.aspx"),
        client.get(outcome_url(app, KAREN["number"])),
    ):
        assert response.status_code == 503
        assert "<h1>CalJOBS is currently unavailable</h1>" in response.text
        assert (
            "The system is undergoing scheduled maintenance. Please try again later."
            in response.text
        )
    assert client.get("/static/sandbox.js").status_code == 200
    assert stats(app)["sign_ins"] == 0
    configure(client, faults={"maintenance": False})
    assert client.get("/vosnet/Default.aspx").status_code == 200


def test_command_line_flags_become_faults() -> None:
    args = parse_args(
        [
            "--latency-ms",
            "250",
            "--error-rate",
            "0.1",
            "--expire-after-requests",
            "30",
            "--save-error-for",
            "37762,37801",
            "--save-error-for",
            "37802",
            "--maintenance",
            "--seed",
            "9",
            "--markup-seed",
            "4",
        ]
    )
    assert args.faults == {
        "latency_ms": 250,
        "error_rate": 0.1,
        "expire_after_requests": 30,
        "save_error_for": ["37762", "37801", "37802"],
        "maintenance": True,
        "seed": 9,
    }
    assert args.markup_seed == 4
    assert parse_args([]).faults == {}


# --- counters ----------------------------------------------------------------------------------


def test_stats_count_pages_sign_ins_and_saves(app: Flask, client: FlaskClient) -> None:
    assert stats(app) == {
        "requests": 0,
        "page_loads": 0,
        "sign_ins": 0,
        "sign_outs": 0,
        "keep_alives": 0,
        "saves": 0,
        "save_attempts": {},
        "by_path": {},
        "page_load_times": [],
        "faults": {"injected": {}, "left": {"expire_on_save": 0, "lose_save_response": 0,
                                            "popup_errors": 0, "expire_in_popup": 0,
                                            "expire_on_note": 0}},
    }
    began = time.monotonic()
    client.post("/vosnet/Default.aspx", data={"username": "sandbox", "password": "wrong"})
    sign_in(client)  # two redirects: requests, not page loads
    client.get("/vosnet/Dashboard.aspx")
    client.get("/static/sandbox.css").close()
    client.get("/__sandbox__/state")
    client.post(outcome_url(app, KAREN["number"]), data=complete_form())  # redirect
    client.post(outcome_url(app, KAREN["number"]), data=complete_form())  # refused: a page
    counted = stats(app)
    assert {k: counted[k] for k in ("requests", "page_loads", "sign_ins", "saves")} == {
        "requests": 6,
        "page_loads": 3,
        "sign_ins": 1,
        "saves": 1,
    }
    assert counted["save_attempts"] == {KAREN["number"]: 2}  # the refused one too
    assert counted["by_path"] == {
        "/vosnet/Dashboard.aspx": 1,
        "/vosnet/Default.aspx": 2,
        "/vosnet/Individual/Outcome.aspx": 2,
        "/vosnet/SystemUseNotification.aspx": 1,
    }
    # When each page load's request arrived, in order, on the server's monotonic clock.
    times = counted["page_load_times"]
    assert len(times) == 3 and times == sorted(times)
    assert began - 0.001 <= times[0] and times[-1] <= time.monotonic()
    client.post("/__sandbox__/reset")
    assert stats(app)["requests"] == 0 and stats(app)["by_path"] == {}
    assert stats(app)["save_attempts"] == {}


def test_client_sets_faults_and_reads_stats(sandbox: SandboxClient) -> None:
    import urllib.error

    from caljobs_bot.fixtures.sandbox.client import DIRECT

    try:
        assert sandbox.set_faults(maintenance=True)["maintenance"] is True
        with pytest.raises(urllib.error.HTTPError) as refused:
            DIRECT.open(sandbox.sign_in_url, timeout=10)
        assert refused.value.code == 503
        counted = sandbox.stats()
        assert counted["requests"] == 1 and counted["page_loads"] == 1
        assert counted["faults"]["injected"] == {"maintenance": 1}
        assert sandbox.configure(markup_seed=5)["markup_seed"] == 5
        with pytest.raises(SandboxError):
            sandbox.set_faults(error_rate=7)
    finally:
        sandbox.reset()
    assert sandbox.stats()["requests"] == 0
    assert sandbox.config()["faults"]["maintenance"] is False
    assert sandbox.config()["markup_seed"] is None


def test_popup_errors_answer_the_first_n_contacts_pages_503_then_heal(
    app: Flask, client: FlaskClient
) -> None:
    configure(client, faults={"popup_errors": 1})
    sign_in(client)
    assert client.get("/vosnet/Dashboard.aspx").status_code == 200  # other pages are healthy
    assert client.get(contacts_url(app, JOSE)).status_code == 503
    assert client.get(contacts_url(app, JOSE)).status_code == 200
    assert stats(app)["faults"]["injected"] == {"popup_errors": 1}


def test_expire_in_popup_sends_the_first_n_contact_saves_to_sign_in(
    app: Flask, client: FlaskClient
) -> None:
    configure(client, faults={"expire_in_popup": 1})
    sign_in(client)
    contact = {"first_name": "Ana", "last_name": "Kin", "relationship": "Sister", "save": "Save"}
    expired = client.post(contacts_url(app, JOSE), data=contact)
    assert expired.status_code == 303 and expired.location.endswith("/vosnet/Default.aspx")
    assert [c["last_name"] for c in stored(app)["contacts"]].count("Kin") == 0
    sign_in(client)
    assert client.post(contacts_url(app, JOSE), data=contact).status_code == 200
    assert [c["last_name"] for c in stored(app)["contacts"]].count("Kin") == 1


def test_expire_on_note_sends_the_first_n_case_note_saves_to_sign_in(
    app: Flask, client: FlaskClient
) -> None:
    configure(client, faults={"expire_on_note": 1})
    sign_in(client)
    note = {**complete_form(**{EVENT_TARGET: Field.NOTE_SAVE}), Field.NOTE_SUBJECT: "Hard exit"}
    del note[Field.SAVE]
    expired = client.post(outcome_url(app, KAREN["number"]), data=note)
    assert expired.status_code == 303 and expired.location.endswith("/vosnet/Default.aspx")
    assert "Hard exit" not in [n["subject"] for n in stored(app)["case_notes"]]
    sign_in(client)
    assert client.post(outcome_url(app, KAREN["number"]), data=note).status_code == 200
    assert [n["subject"] for n in stored(app)["case_notes"]].count("Hard exit") == 1


def test_script_delay_holds_only_the_script_file() -> None:
    app = create_app(faults={"script_delay_ms": 400})
    test_client = app.test_client()
    script, script_time = timed(lambda: test_client.get("/static/sandbox.js"))
    assert script.status_code == 200 and script_time >= 0.4
    page, page_time = timed(lambda: test_client.get("/vosnet/Dashboard.aspx"))
    assert page.status_code in (200, 302, 303) and page_time < 0.4
