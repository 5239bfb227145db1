"""The practice verdict from the sandbox's stored state, without a browser: the state before,
the state after (edited here as a trainee's clicks would leave it), and what `judge` says.
The browser tests (test_practice.py) play whole trainees; these cover the rules they do not
reach cheaply: the record's other application, a contact's wrong phone, a case manager left,
and a change to somebody else's contacts."""

from __future__ import annotations

import copy
from typing import Any

from flask.testing import FlaskClient

from caljobs_bot.cli import EXAMPLE_JOB
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.trainer.practice_report import judge

RECORDS = load_job(EXAMPLE_JOB).records
JOSE, LI_WEI = RECORDS[1], RECORDS[3]


def _state(client: FlaskClient) -> dict[str, Any]:
    state: dict[str, Any] = client.get("/__sandbox__/state").get_json()
    return state


def _outcome(state: dict[str, Any], user_id: str, number: str, **values: str) -> None:
    state["outcomes"].append({
        "id": 1000 + len(state["outcomes"]), "application_number": number,
        "participant_user_id": user_id, "exit_date": "2021-09-01",
        "exit_reason": "Reservist called to Active Duty",
        "lwia_region": "San Diego Workforce Partnership",
        "office_location": "3705 - North County Career Center", "staff_position": "Staff",
        **values})


def _note(state: dict[str, Any], user_id: str, subject: str, comments: str) -> None:
    state["case_notes"].append({"id": 1000 + len(state["case_notes"]),
                                "participant_user_id": user_id, "subject": subject,
                                "comments": comments, "attachment_name": None})


def test_li_wei_done_right_then_on_her_other_application(client: FlaskClient) -> None:
    before = _state(client)
    after = copy.deepcopy(before)
    _outcome(after, "37803", "2244304")
    note = LI_WEI.case_note
    assert note is not None
    _note(after, "37803", note.subject, note.comments)

    assert judge(before, after, LI_WEI).problems == []

    after["outcomes"][-1]["application_number"] = "2244303"
    problems = judge(before, after, LI_WEI).problems
    assert problems == ["The outcome was saved on application 2244303, not on 2244304 as "
                        "the record asks."]


def test_jose_contact_phone_case_manager_and_someone_elses_contact(
        client: FlaskClient) -> None:
    """José's record edits María Álvarez's phone and removes his case manager; here the
    phone is left, the manager stays, and another participant's contact was edited."""
    before = _state(client)
    after = copy.deepcopy(before)
    _outcome(after, "37801", "2244301", exit_date="2021-03-15", exit_reason="Deceased",
             lwia_region="City of Los Angeles",
             office_location="2801 - WorkSource Center Downtown")
    note = JOSE.case_note
    assert note is not None
    _note(after, "37801", note.subject, note.comments)
    someone_else = next(c for c in after["contacts"] if c["participant_user_id"] != "37801")
    someone_else["phone"] = "213-555-0199"

    problems = judge(before, after, JOSE).problems

    assert "Alternate contact María Álvarez: phone reads 213-555-0142, not 213-555-0199." \
        in problems
    assert "The case manager (Nguyen, Mai) was not removed." in problems
    assert any(p.startswith("Something was done to ") and "a contact changed" in p
               and "User ID " + someone_else["participant_user_id"] in p for p in problems)
    assert len(problems) == 3
