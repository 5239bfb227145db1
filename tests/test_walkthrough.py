"""The walkthrough shows the bot's own steps on screen, in order, with the element outlined,
and goes on when told to; the sandbox's stored state says what the bot really did."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from caljobs_bot.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.pages.fields import action
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.pages.overlay import OUTLINE_ATTRIBUTE, next_button, outlined, panel
from caljobs_bot.pages.wording import CREATE_OUTCOME, SAVE_CONFIRMATION
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.definitions import STEPS, number
from caljobs_bot.steps.results import Status
from caljobs_bot.trainer.walkthrough import Pace, Stop, walk

pytestmark = pytest.mark.browser

CREDENTIALS = Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD)
JOB = load_job(EXAMPLE_JOB)
KAREN: Record = JOB.records[0]  # every step: contacts, case manager, case note
LI_WEI: Record = JOB.records[3]  # no contacts and no case-manager change


@dataclass
class Seen:
    """What the panel showed at one stop."""

    counter: str
    title: str
    popup: str | None


def panel_lines(page: Page) -> list[str]:
    """The panel's lines as a person reads them: counter, title, explanation, note, hint."""
    return [line.strip() for line in panel(page).inner_text().splitlines() if line.strip()]


def test_panel_shows_each_step_in_order_and_outlines_its_element(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox
) -> None:
    seen: list[Seen] = []

    def on_stop(stop: Stop) -> None:
        expect(panel(stop.page)).to_be_visible()
        lines = panel_lines(stop.page)
        seen.append(Seen(lines[0], lines[1], stop.popup))
        key = stop.step.key if stop.step else None
        if key == "find_participant":
            # The form reloads on every postback: the panel must come back by itself.
            stop.page.reload()
            expect(panel(stop.page)).to_contain_text("Find the participant")
        elif key == "create_outcome" and stop.popup is None:
            button = action(stop.page, CREATE_OUTCOME)
            expect(button).to_have_attribute(OUTLINE_ATTRIBUTE, "")
            expect(button).to_have_css("outline-style", "solid")
            expect(outlined(stop.page)).to_have_count(1)
        elif key == "general_information":
            section = OutcomeForm(stop.page).general.section
            expect(section).to_have_attribute(OUTLINE_ATTRIBUTE, "")
            expect(outlined(stop.page)).to_have_count(1)
        elif key == "alternate_contacts" and stop.popup == "opened":
            # The pop-up window is a page of its own: it has the panel, with the Next button.
            assert stop.page is not page
            expect(panel(stop.page)).to_contain_text("Manage alternate contacts")
            expect(next_button(stop.page)).to_have_text("Next")
            expect(action(stop.page, "Add New Contact")).to_have_attribute(
                OUTLINE_ATTRIBUTE, "")
        elif key == "save":
            save = stop.page.get_by_role("button", name="Save", exact=True)
            expect(save).to_have_attribute(OUTLINE_ATTRIBUTE, "")
            expect(outlined(stop.page)).to_have_count(1)
        elif key == "confirm":
            expect(outlined(stop.page)).to_have_text(SAVE_CONFIRMATION)

    result = walk(page, sandbox_server.sign_in_url, CREDENTIALS, KAREN, pace=Pace(0),
                  on_stop=on_stop)

    assert result.status is Status.SAVED, result
    steps = [s for s in seen if s.popup is None and s.counter.lower().startswith("step")]
    assert [s.title for s in steps] == [s.title for s in STEPS]
    assert [s.counter.lower() for s in steps] == [
        f"step {n} of {len(STEPS)}" for n in range(1, len(STEPS) + 1)
    ]
    assert [s.popup for s in seen if s.popup] == ["opened", "closing"]
    assert seen[-1].title == "Done: the outcome is saved"
    stored = [o for o in sandbox.outcomes() if o["application_number"] == "2244266"]
    assert len(stored) == 1 and stored[0]["exit_reason"] == "Institutionalized"


def test_step_by_step_goes_on_only_when_next_is_clicked(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox
) -> None:
    """Each stop's Next is clicked by the page a moment later; until then the bot must not
    have asked the site for anything (the sandbox counts every request)."""
    stops: list[tuple[str, int]] = []
    clicks: list[tuple[str, int]] = []

    def before_click(_source: object, counter: str) -> None:
        clicks.append((counter, sandbox.stats()["requests"]))

    page.context.expose_binding("testBeforeNext", before_click)

    def on_stop(stop: Stop) -> None:
        button = next_button(stop.page)
        expect(button).to_be_enabled()
        counter = panel_lines(stop.page)[0]
        stops.append((counter, sandbox.stats()["requests"]))
        button.evaluate("""button => setTimeout(async () => {
            const counter = button.parentElement.firstElementChild.textContent;
            await window.testBeforeNext(counter);
            button.click();
        }, 150)""")

    result = walk(page, sandbox_server.sign_in_url, CREDENTIALS, LI_WEI, pace=Pace(None),
                  dry_run=True, on_stop=on_stop)

    assert result.status is Status.DRY_RUN, result
    shown = [counter for counter, _ in stops]
    wanted = [f"Step {number(key)} of {len(STEPS)}" for key in (
        "find_participant", "open_application", "create_outcome", "general_information",
        "exit_information", "case_note", "review")]
    assert [c.lower() for c in shown] == [c.lower() for c in wanted + ["Walkthrough finished"]]
    # One click per stop, made while that stop was still showing, with no request since.
    assert [counter.lower() for counter, _ in clicks] == [c.lower() for c in shown]
    assert [requests for _, requests in clicks] == [requests for _, requests in stops]
    assert stops[-1][1] > stops[0][1], "the bot did go on after each Next"
    # --no-save: Cancel instead of Save, nothing stored.
    assert not [o for o in sandbox.outcomes() if o["application_number"] == "2244304"]


def test_dialog_popup_keeps_the_panel_usable_and_outlines_inside_the_dialog(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox
) -> None:
    sandbox.configure(popup="dialog")
    checked: list[str] = []

    def on_stop(stop: Stop) -> None:
        if stop.popup != "opened":
            return
        assert stop.page is page  # no window: the page's own panel explains the dialog
        expect(page.locator("iframe").filter(visible=True)).to_be_visible()
        expect(panel(page)).to_contain_text("pop-up")
        next_button(page).click(trial=True)  # not covered by the dialog
        assert stop.target is not None
        expect(stop.target).to_have_attribute(OUTLINE_ATTRIBUTE, "")
        checked.append(stop.popup)

    result = walk(page, sandbox_server.sign_in_url, CREDENTIALS, KAREN, pace=Pace(0),
                  dry_run=True, on_stop=on_stop)

    assert result.status is Status.DRY_RUN, result
    assert checked == ["opened"]


def test_a_trainee_who_clicks_the_outlined_element_moves_the_walkthrough_on(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox
) -> None:
    """Clicking the outlined Create button (as a trainee naturally does) counts as Next: the
    bot then performs that very step, instead of finding the page moved under it."""
    took_click: list[bool] = []

    def on_stop(stop: Stop) -> None:
        key = stop.step.key if stop.step else None
        if key == "create_outcome":
            create = action(stop.page, CREATE_OUTCOME)
            expect(create).to_have_attribute(OUTLINE_ATTRIBUTE, "")
            create.click()
            took_click.append(stop.page.evaluate("() => window.__caljobsTookClick === true"))
            expect(stop.page).to_have_title(re.compile("Case Management Profile"))
            return
        next_button(stop.page).click()

    result = walk(page, sandbox_server.sign_in_url, CREDENTIALS, LI_WEI, pace=Pace(None),
                  dry_run=True, on_stop=on_stop)

    assert result.status is Status.DRY_RUN, result
    assert took_click == [True]


def test_without_a_terminal_the_walkthrough_says_next_is_the_way_on(tmp_path: Path) -> None:
    """Enter piped in (no terminal): it says so at once rather than promise Enter."""
    process = subprocess.Popen(
        [sys.executable, "-m", "caljobs_bot.cli", "walkthrough", str(EXAMPLE_JOB), "--headless",
         "--record", "4", "--no-save"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert "No terminal to press Enter in" in first and "Next" in first
    finally:
        process.kill()
        process.communicate(timeout=30)


def test_walkthrough_has_no_headed_option() -> None:
    """The walkthrough's window is always shown: a --headed that does nothing is gone."""
    from click.testing import CliRunner

    from caljobs_bot.cli import main

    shown = CliRunner().invoke(main, ["walkthrough", "--help"])
    assert "--headed" not in shown.output and "--pause" in shown.output
