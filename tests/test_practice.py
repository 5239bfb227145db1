"""Practice mode, played by a test as the trainee: one who does every step right, and one who
clicks the wrong thing and picks wrong values (and asks Show me once). The sandbox's stored
state says what was really saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from caljobs_bot.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.pages.fields import action, field, section
from caljobs_bot.pages.overlay import next_button, panel
from caljobs_bot.trainer.practice import SHOW_ME, Prompt, practise_on

pytestmark = pytest.mark.browser

LI_WEI: Record = load_job(EXAMPLE_JOB).records[3]  # two applications; a case note


def practise(page: Page, sandbox_server: Sandbox, sandbox: SandboxClient, tmp_path: Path,
             trainee: object) -> tuple[object, Path]:
    report = tmp_path / "report.md"
    result = practise_on(page, sandbox_server.sign_in_url, SANDBOX_USERNAME, SANDBOX_PASSWORD,
                         LI_WEI, sandbox, report, on_prompt=trainee,  # type: ignore[arg-type]
                         patience_seconds=30)
    return result, report


def test_a_trainee_who_does_it_right(page: Page, sandbox_server: Sandbox,
                                     sandbox: SandboxClient, tmp_path: Path) -> None:
    said: list[str] = []

    def trainee(prompt: Prompt) -> None:
        expect(panel(prompt.page)).to_contain_text(prompt.check.say)
        said.append(prompt.check.say)
        prompt.check.show_me(prompt.page)  # the trainee's own clicks and typing, done right

    result, report = practise(page, sandbox_server, sandbox, tmp_path, trainee)

    assert result.finished and result.mistakes == 0  # type: ignore[attr-defined]
    assert "Type 34803 in State ID and click Search." in said
    assert "Type 09/01/2021 in Exit Date." in said
    assert "Choose Reservist called to Active Duty in Exit Reason." in said
    stored = [o for o in sandbox.outcomes() if o["application_number"] == "2244304"]
    assert len(stored) == 1 and stored[0]["exit_reason"] == "Reservist called to Active Duty"
    assert result.outcome == stored[0]  # type: ignore[attr-defined]
    text = report.read_text(encoding="utf-8")
    assert "Mistakes: 0" in text and "Matches the record: yes" in text
    assert "| 5. Enter the Exit Information |" in text
    expect(panel(page)).to_contain_text("Practice finished")


def test_a_trainee_who_makes_mistakes_gets_hints_and_show_me(
        page: Page, sandbox_server: Sandbox, sandbox: SandboxClient, tmp_path: Path) -> None:
    hints: list[tuple[str, int, str]] = []
    wrong_reasons = ["Deceased", "Health/Medical"]

    def trainee(prompt: Prompt) -> None:
        check, where = prompt.check, prompt.page
        hints.append((check.say, prompt.misses, prompt.caption.note or ""))
        exit_information = section(where, "Exit Information")
        if check.say.startswith("Type 09/01/2021") and prompt.misses == 0:
            action(exit_information, "Today").click()  # the wrong element
            return
        if check.say.startswith("Choose Reservist") and wrong_reasons:
            field(exit_information, "Exit Reason").select_option(label=wrong_reasons.pop(0))
            return
        if check.step == "case_note":
            expect(next_button(where)).to_have_text(SHOW_ME)
            next_button(where).click()  # the tool does this one
            return
        check.show_me(where)

    result, report = practise(page, sandbox_server, sandbox, tmp_path, trainee)

    assert result.finished  # type: ignore[attr-defined]
    steps = result.steps  # type: ignore[attr-defined]
    assert steps["exit_information"].mistakes == 3
    assert steps["case_note"].shown == 1 and steps["case_note"].mistakes == 0
    assert sum(s.mistakes for s in steps.values()) == 3
    date_hints = [note for say, misses, note in hints if say.startswith("Type 09/01") and misses]
    assert date_hints and date_hints[0].startswith("Not that one") and "Today" in date_hints[0]
    reason_hints = [note for say, misses, note in hints if say.startswith("Choose Reservist")
                    and misses]
    assert reason_hints[0].startswith("Not that one") and "'Deceased'" in reason_hints[0]
    # After two misses the hint names the right value.
    assert reason_hints[1] == "The right one: Reservist called to Active Duty in Exit Reason."
    stored = [o for o in sandbox.outcomes() if o["application_number"] == "2244304"]
    assert len(stored) == 1 and stored[0]["exit_reason"] == "Reservist called to Active Duty"
    assert stored[0]["exit_date"] in ("2021-09-01", "09/01/2021")
    notes = sandbox.participant(LI_WEI.participant.user_id or "37803")["case_notes"]
    assert any(n["subject"] == LI_WEI.case_note.subject for n in notes)  # type: ignore[union-attr]
    text = report.read_text(encoding="utf-8")
    assert "Mistakes: 3" in text and "| 5. Enter the Exit Information |" in text
