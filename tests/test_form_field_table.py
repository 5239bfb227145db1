"""A General Information field is declared once (bots/form_fields.py) and every tool follows:
the job model, the sheet's columns, the wording table, and the bot on the sandbox, where the
optional Funding Stream is saved when a record gives it and left alone when it does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from job_files import job_yaml
from playwright.sync_api import Page

from caljobs_bot.cli import SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.form_fields import GENERAL_INFORMATION
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.jobfile.sheet_columns import BY_NAME
from caljobs_bot.pages.wording_table import ELEMENT
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.definitions import step
from caljobs_bot.steps.outcome_bot import OutcomeBot, SiteAccess
from caljobs_bot.steps.results import Status

JOB = job_yaml("""\
  - participant: {user_id: "37762"}
    exit_date: 2021-06-24
    exit_reason: Institutionalized
    funding_stream: Dislocated Worker
  - participant: {state_id: "34803", name: Li Wei}
    application: "2244304"
    exit_date: 2021-06-24
    exit_reason: Reservist called to Active Duty
""")


def test_every_field_of_the_table_reaches_the_model_the_sheet_and_the_wording_table() -> None:
    for field in GENERAL_INFORMATION:
        assert field.attribute in Record.model_fields
        assert (Record.model_fields[field.attribute].is_required()) is field.required
        assert BY_NAME[field.attribute].meaning == field.description
        assert ELEMENT[field.wording].words[0] == field.label


def test_an_optional_field_is_an_instruction_only_when_the_record_gives_it(
        tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text(JOB, encoding="utf-8")
    given, left_out = load_job(tmp_path / "job.yaml").records
    general = step("general_information")
    assert "Choose Dislocated Worker in Funding Stream." in general.lines(given)
    assert not any("Funding Stream" in line for line in general.lines(left_out))


@pytest.mark.browser
def test_the_bot_saves_an_optional_field_given_and_leaves_it_alone_otherwise(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    (tmp_path / "job.yaml").write_text(JOB, encoding="utf-8")
    given, left_out = load_job(tmp_path / "job.yaml").records
    bot = OutcomeBot(page, SiteAccess(sandbox_server.sign_in_url,
                                      Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD)))
    for record in (given, left_out):
        result = bot.process(record)
        assert result.status is Status.SAVED, result.reason
    stored = {o["application_number"]: o for o in sandbox.outcomes()}
    assert stored["2244266"]["funding_stream"] == "Dislocated Worker"
    assert stored["2244304"]["funding_stream"] is None
    assert stored["2244304"]["staff_position"] == "Staff"
