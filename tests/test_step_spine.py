"""A help-sheet step is defined once: add one definition and the bulk run announces it, the
walkthrough's panel shows it with its element outlined, the guide prints it with its
picture, and practice mode coaches its check, each numbered in place, with nothing else
changed. The steps are given as a
parameter (`steps=`), as any caller may; nothing private is patched."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from bulk_jobs import options
from playwright.sync_api import Browser, Page, expect

from caljobs_bot.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.pages.case import CasePage
from caljobs_bot.pages.overlay import OUTLINE_ATTRIBUTE, panel
from caljobs_bot.running.run import run_job
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.definitions import (
    FIND_PARTICIPANT,
    STEPS,
    HelpSheets,
    Step,
)
from caljobs_bot.steps.instructions import Say
from caljobs_bot.steps.practice_checks import Check
from caljobs_bot.steps.results import Status
from caljobs_bot.steps.state import RecordRun
from caljobs_bot.steps.targets import Target
from caljobs_bot.trainer.guide import replay, write_guide
from caljobs_bot.trainer.practice import Prompt, checks_for, practise_on
from caljobs_bot.trainer.walkthrough import Pace, Stop, walk

pytestmark = pytest.mark.browser

CREDENTIALS = Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD)
LI_WEI: Record = load_job(EXAMPLE_JOB).records[3]  # two WIOA applications; a case note
TITLE = "Look over the program applications"
programs_counted: list[int] = []
READ_THEM = "Read the application numbers on the Programs tab."


def count_programs(run: RecordRun) -> None:
    """The harmless action: read the case's WIOA applications (changes nothing)."""
    programs_counted.append(len(run.case.wioa_applications()))


def practise_looking(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """The step's practice check: its own instruction in the panel, the applications
    outlined; done once Show me has read them on the case page (until then it is not)."""
    return [Check(step.key, step.instructions(record, Say())[0],
                  "the WIOA applications on the Programs tab",
                  lambda page: CasePage(page).wioa_items(),
                  lambda page: CasePage.is_shown(page) and bool(programs_counted),
                  lambda page: programs_counted.append(
                      len(CasePage(page).wioa_applications())),
                  strict=False)]


LOOK_AT_PROGRAMS = Step(
    "look_at_programs",
    TITLE,
    "Before expanding anything, read the Programs tab: each WIOA application is listed with "
    "its number and status, so you know which one the exit belongs to.",
    HelpSheets(None, "After accessing the participant's case"),
    count_programs,
    target=lambda page, record: Target(CasePage(page).wioa_items()),
    instructions=lambda record, say: [READ_THEM],
    practice=practise_looking,
    screen="case",
    changes_screen=True,
)
# The new step second, right after the participant's case is opened.
WITH_EXTRA = (FIND_PARTICIPANT, LOOK_AT_PROGRAMS, *STEPS[1:])


def test_the_new_step_is_in_the_run_log(sandbox: SandboxClient, sandbox_server: Sandbox,
                                        tmp_path: Path) -> None:
    job = load_job(EXAMPLE_JOB)
    announced: list[tuple[int, str]] = []
    programs_counted.clear()

    outcome = run_job(job, options(sandbox_server, tmp_path, steps=WITH_EXTRA),
                      records=[job.records[3]],
                      observer=lambda step, record: announced.append((record.index, step.title)))

    [result] = outcome.results
    assert result.status is Status.SAVED, result
    titles = [title for _, title in announced]
    assert titles[:3] == [FIND_PARTICIPANT.title, TITLE, STEPS[1].title]
    assert programs_counted == [2]  # the action ran, on the case the step before opened
    stored = [o for o in sandbox.outcomes() if o["application_number"] == "2244304"]
    assert len(stored) == 1, "the rest of the steps still saved the outcome once"


def test_the_new_step_is_in_the_walkthrough_panel(page: Page, sandbox: SandboxClient,
                                                  sandbox_server: Sandbox) -> None:
    shown: list[str] = []

    def on_stop(stop: Stop) -> None:
        if stop.step is not LOOK_AT_PROGRAMS:
            return
        expect(panel(stop.page)).to_contain_text(f"Step 2 of {len(WITH_EXTRA)}")
        expect(panel(stop.page)).to_contain_text(TITLE)
        expect(panel(stop.page)).to_contain_text("read the Programs tab")
        assert stop.target is not None
        expect(stop.target.first).to_have_attribute(OUTLINE_ATTRIBUTE, "")
        shown.append(panel(stop.page).inner_text())

    result = walk(page, sandbox_server.sign_in_url, CREDENTIALS, LI_WEI, pace=Pace(0),
                  dry_run=True, on_stop=on_stop, steps=WITH_EXTRA)

    assert result.status is Status.DRY_RUN, result
    assert len(shown) == 1


def test_the_new_step_is_in_the_guide(page: Page, browser: Browser, sandbox: SandboxClient,
                                      sandbox_server: Sandbox, tmp_path: Path) -> None:
    guide = replay(page, sandbox_server.sign_in_url, CREDENTIALS, LI_WEI, tmp_path,
                   site="the sandbox", dry_run=True, steps=WITH_EXTRA)
    files = write_guide(guide, tmp_path, browser)

    assert guide.result is not None and guide.result.status is Status.DRY_RUN
    entry = guide.steps[1]
    assert entry.step is LOOK_AT_PROGRAMS and entry.number == 2 and entry.done
    assert entry.actions == ["Read the application numbers on the Programs tab."]
    assert [shot.file for shot in entry.shots] == ["images/step-02-before.png"]
    markdown = files.markdown.read_text(encoding="utf-8")
    assert f"## Step 2. {TITLE}" in markdown
    assert f"## Step 3. {STEPS[1].title}" in markdown  # the steps after it moved down one
    assert "![Step 2: " in markdown and "step-02-before.png" in markdown
    assert TITLE in files.html.read_text(encoding="utf-8")
    assert (tmp_path / "images" / "step-02-before.png").read_bytes()[:4] == b"\x89PNG"


def test_the_new_step_is_practised(page: Page, sandbox: SandboxClient,
                                   sandbox_server: Sandbox, tmp_path: Path) -> None:
    prompted: list[str] = []
    programs_counted.clear()

    def trainee(prompt: Prompt) -> None:
        if prompt.check.step == LOOK_AT_PROGRAMS.key:
            expect(panel(prompt.page)).to_contain_text(f"step 2 of {len(WITH_EXTRA)}")
            expect(panel(prompt.page)).to_contain_text(TITLE)
            expect(panel(prompt.page)).to_contain_text(READ_THEM)
            expect(CasePage(prompt.page).wioa_items().first).to_have_attribute(
                OUTLINE_ATTRIBUTE, "")
            assert programs_counted == []  # not done before the trainee does it
        prompted.append(prompt.check.step)
        prompt.check.show_me(prompt.page)

    report = tmp_path / "report.md"
    result = practise_on(page, sandbox_server.sign_in_url, SANDBOX_USERNAME, SANDBOX_PASSWORD,
                         LI_WEI, sandbox, report, on_prompt=trainee, patience_seconds=30,
                         steps=WITH_EXTRA)

    assert result.finished and result.mistakes == 0
    planned = [check.step for check in checks_for(LI_WEI, steps=WITH_EXTRA)]
    assert planned[:5] == [FIND_PARTICIPANT.key] * 3 + [LOOK_AT_PROGRAMS.key, STEPS[1].key]
    assert planned == [check.step for check in checks_for(LI_WEI)][:3] + [
        LOOK_AT_PROGRAMS.key] + [check.step for check in checks_for(LI_WEI)][3:]
    assert prompted == planned  # each check prompted once, in that order
    assert programs_counted == [2]  # Show me read the case the step before opened
    stored = [o for o in sandbox.outcomes() if o["application_number"] == "2244304"]
    assert len(stored) == 1 and result.outcome == stored[0]
    text = report.read_text(encoding="utf-8")
    assert f"| 2. {TITLE} |" in text
    assert "| 6. Enter the Exit Information |" in text  # the steps after it moved down one


def test_a_step_without_tools_of_its_own_still_shows_everywhere() -> None:
    """Only the key, the words and the action are required: every tool has a default."""
    bare = Step("bare", "A bare step", "Explained in words only.", HelpSheets(None, None),
                lambda run: None)
    assert bare.applies_to(LI_WEI)
    assert bare.instructions(LI_WEI, Say()) == []
    assert bare.practice(LI_WEI, bare, ()) == []
    assert bare.preflight is None and bare.picture_after is None and not bare.presses_save
