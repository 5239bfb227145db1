"""`caljobs-bot login`: a person signs in, the session is kept owner-only, runs reuse it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from job_files import job_yaml
from playwright.sync_api import Browser
from portability import assert_owner_only

from caljobs_bot.cli import SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.pages.login import LoginPage
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.settings.saved_sign_in import save_session, wait_for_person_to_sign_in
from caljobs_bot.steps.outcome_bot import OutcomeBot, SiteAccess
from caljobs_bot.steps.results import SessionExpired, Status

pytestmark = pytest.mark.browser

JOB = job_yaml("""\
- participant: {state_id: "34712", name: Karen James}
  exit_date: 2021-06-24
  exit_reason: Deceased
""")


def test_a_saved_session_runs_without_a_password_until_it_expires(
    browser: Browser, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    person = browser.new_context()
    page = person.new_page()
    told: list[str] = []

    def person_signs_in() -> None:
        told.append("asked")
        LoginPage(page).sign_in(SANDBOX_USERNAME, SANDBOX_PASSWORD)

    wait_for_person_to_sign_in(page, sandbox_server.sign_in_url, tell_person=person_signs_in,
                               timeout_ms=30_000)
    session, private = save_session(person, tmp_path / "sessions" / "site.json")
    person.close()
    assert told == ["asked"] and private
    assert_owner_only(session, folder=False)
    assert SANDBOX_PASSWORD not in session.read_text(encoding="utf-8")

    job_file = tmp_path / "job.yaml"
    job_file.write_text(textwrap.dedent(JOB), encoding="utf-8")
    [record] = load_job(job_file).records
    reused = browser.new_context(storage_state=session)
    bot = OutcomeBot(reused.new_page(),
                     SiteAccess(sandbox_server.sign_in_url, Credentials(SANDBOX_USERNAME, None)))
    result = bot.process(record)
    assert result.status is Status.SAVED, result
    assert [o for o in sandbox.outcomes() if o["application_number"] == "2244266"]

    sandbox.set_faults(expire_after_requests=1)
    with pytest.raises(SessionExpired, match="caljobs-bot login"):
        OutcomeBot(reused.new_page(), SiteAccess(sandbox_server.sign_in_url,
                                                 Credentials(SANDBOX_USERNAME, None))
                   ).process(record)
    reused.close()
