"""The sandbox's General Information dropdowns are declared once, as rows of
views_outcome.GENERAL_INFORMATION (issue 22 item 1): the form draws them, Save reads and checks
them and the store keeps a column for each, so a new dropdown is one row. These checks keep the
three following the table rather than a list of their own. No browser."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sandbox_http import complete_form, outcome_url, sign_in

from caljobs_bot.fixtures.sandbox import views_outcome
from caljobs_bot.fixtures.sandbox.store import Store
from caljobs_bot.fixtures.sandbox.views_outcome import GENERAL_INFORMATION, Field

KAREN = "2244266"
SANDBOX = Path(views_outcome.__file__).parent


def test_rows_are_distinct_and_a_row_depends_only_on_one_above_it() -> None:
    for attribute in ("caption", "name", "key", "column"):
        values = [getattr(row, attribute) for row in GENERAL_INFORMATION]
        assert len(set(values)) == len(values), f"two rows share a {attribute}: {values}"
    keys = [row.key for row in GENERAL_INFORMATION]
    for place, row in enumerate(GENERAL_INFORMATION):
        assert row.depends_on is None or row.depends_on in keys[:place], row


def test_the_sandbox_keeps_its_own_guess_at_the_form() -> None:
    """An independent mock catches a bot that reads its own table wrongly; one that imported
    the bot's bots/form_fields.py would agree with every mistake in it."""
    for source in sorted(SANDBOX.glob("*.py")):
        text = source.read_text(encoding="utf-8")
        imports = re.findall(r"^\s*(?:from|import)\s+(\S+)", text, re.M)
        outside = [name for name in imports if "form_fields" in name or name.startswith("..")
                   or (name.startswith("caljobs_bot")
                       and not name.startswith("caljobs_bot.fixtures"))]
        assert outside == [], source


def test_the_form_shows_each_row_in_the_tables_order(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    page = client.get(outcome_url(app, KAREN)).text
    selects = re.findall(r'<select id="[^"]*" name="([^"]*)"', page)
    general = [name for name in selects if name in {row.name for row in GENERAL_INFORMATION}]

    assert general == [row.name for row in GENERAL_INFORMATION]


def test_save_requires_the_required_rows_and_stores_every_row(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client)
    url = outcome_url(app, KAREN)
    empty = {row.name: "" for row in GENERAL_INFORMATION}
    refused = client.post(url, data=complete_form(**empty)).text
    messages = re.findall(r"<li>([^<]*) is required\.</li>", refused)
    assert messages == [row.caption for row in GENERAL_INFORMATION if row.required]

    assert client.post(url, data=complete_form(**{Field.FUNDING: "3"})).status_code == 303
    [outcome] = [o for o in client.get("/__sandbox__/state").get_json()["outcomes"]
                 if o["application_number"] == KAREN]
    assert {row.column for row in GENERAL_INFORMATION} <= set(outcome)
    assert outcome["funding_stream"] == "Youth"


def test_an_old_practice_file_gets_the_columns_of_rows_added_since(tmp_path: Path) -> None:
    """A trainer's practice survives a restart in a file; a row added after the file was made
    must not break it (its outcomes have nothing in the new column)."""
    path = str(tmp_path / "practice.sqlite")
    older = Store(path, general=GENERAL_INFORMATION[:-1])
    seeded = older.dump()["outcomes"]
    older.close()
    assert seeded, "the seed has outcomes to keep"

    newer = Store(path, general=GENERAL_INFORMATION)
    added = GENERAL_INFORMATION[-1].column
    assert newer.dump()["outcomes"] == [{**outcome, added: None} for outcome in seeded]
    with sqlite3.connect(path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(outcomes)")]
    assert GENERAL_INFORMATION[-1].column in columns
    newer.close()
