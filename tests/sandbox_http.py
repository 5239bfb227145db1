"""Driving the sandbox's Flask app in-process (no server, no browser): the fast tests of
test_sandbox.py and test_sandbox_faults.py share these. The `app` and `client` fixtures are
in conftest.py."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from caljobs_bot.fixtures.sandbox.context import encode
from caljobs_bot.fixtures.sandbox.views_outcome import Field

DECEASED = "03"


def sign_in(client: FlaskClient, password: str = "practice") -> Any:
    """Sign in as the sandbox's practice user and agree to the notice; the notice's answer."""
    client.post("/vosnet/Default.aspx", data={"username": "sandbox", "password": password})
    return client.post("/vosnet/SystemUseNotification.aspx")


def token(app: Flask, kind: str, key: str) -> str:
    """The opaque `enc=` token the site puts in its links for this record."""
    with app.test_request_context():
        return encode(kind, key)


def outcome_url(app: Flask, number: str) -> str:
    """The outcome form's address for one application."""
    return f"/vosnet/Individual/Outcome.aspx?enc={token(app, 'a', number)}"


def complete_form(**changes: str) -> dict[str, str]:
    """A valid Save for Karen James' application; `changes` replace fields."""
    data = {
        Field.REGION: "13",  # Los Angeles County WDACS
        Field.OFFICE: "2703",
        Field.POSITION: "2",  # Case Manager
        Field.EXIT_DATE: "06/24/2021",
        Field.EXIT_REASON: DECEASED,
        Field.SAVE: "Save",
    }
    data.update(changes)
    return data
