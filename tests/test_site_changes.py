"""When the site changes its words: a renamed sandbox, `check --suggest`, `run --wording`, and
`calibrate` with a person pointing (real browser, real clicks)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page
from test_cli import caljobs_bot

from caljobs_bot.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.renames import RENAME_SEEDS
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.pages.candidates import single_candidate
from caljobs_bot.pages.wording_file import read_wording_file
from caljobs_bot.settings.calibrate import Calibrator
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.preflight import Preflight

pytestmark = pytest.mark.browser
SIGNED_IN = {"CALJOBS_USERNAME": SANDBOX_USERNAME, "CALJOBS_PASSWORD": SANDBOX_PASSWORD}
CREDENTIALS = Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD)
# A participant with one open WIOA application and no outcome: the walks go through them.
WALKED = "34801"


def test_a_renamed_site_fails_with_a_not_found_naming_the_wording_key(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    sandbox.configure(rename={"case.create_button": "Add Exit/Outcome"})
    before = len(sandbox.outcomes())
    ran = caljobs_bot("run", str(EXAMPLE_JOB), "--only", "1", "--retries", "0", "--timeout", "3",
                      "--base-url", sandbox_server.sign_in_url, "--runs-dir", str(tmp_path),
                      env=SIGNED_IN)
    said = ran.stdout + ran.stderr
    assert ran.returncode == 1, said
    assert "failed" in said and "'Create Exit/Outcome' or 'Create Outcome' button or link" in said
    assert "(wording key case.create_button)" in said, said
    assert len(sandbox.outcomes()) == before


def test_check_suggest_then_run_with_the_wording_saves_every_record(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    # A menu link, the Create button, a field caption and the save confirmation renamed.
    sandbox.configure(rename_seed=1)
    words = tmp_path / "w.toml"
    checked = caljobs_bot("check", "--state-id", WALKED, "--suggest", str(words),
                          "--base-url", sandbox_server.sign_in_url, "--timeout", "5",
                          "--runs-dir", str(tmp_path / "runs"), env=SIGNED_IN)  # a miss waits 5 s
    said = checked.stdout + checked.stderr
    assert checked.returncode == 1, said  # what differed is reported as not found
    assert 'case.create_button = ["Add Exit/Outcome"]' in checked.stdout, said
    given, replace = read_wording_file(words)
    assert given == {"home.assist_an_individual": ("Find a Participant",),
                     "case.create_button": ("Add Exit/Outcome",),
                     "outcome.exit_date": ("Date of Exit",)}, said
    assert not replace

    before = len(sandbox.outcomes())
    ran = caljobs_bot("run", str(EXAMPLE_JOB), "--wording", str(words),
                      "--base-url", sandbox_server.sign_in_url,
                      "--runs-dir", str(tmp_path / "runs"), env=SIGNED_IN)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "4 saved" in ran.stdout
    assert len(sandbox.outcomes()) == before + 4
    assert sandbox.state()["config"]["rename"] == RENAME_SEEDS[1]


def test_check_suggests_nothing_where_a_screen_has_several_candidates(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    sandbox.configure(rename={"outcome.exit_date": "Date of Exit",
                              "outcome.exit_reason": "Reason for Leaving"})
    page.set_default_timeout(3_000)
    walk = Preflight(page, sandbox_server.sign_in_url, CREDENTIALS, tmp_path,
                     fixer=single_candidate)
    findings = walk.run(state_id=WALKED)
    assert walk.suggestions == []
    [missing] = [f for f in findings if not f.found]
    assert "(wording key outcome.exit_reason)" in missing.detail


def where_words_show(page: Page, words: str) -> tuple[float, float]:
    """The middle of the words on screen, scrolled into view: where a person clicks (the
    element holding them may have no box of its own, e.g. a `display: contents` wrapper)."""
    point = page.get_by_text(words).first.evaluate("""e => {
      let boxed = e;
      while (boxed && !boxed.getClientRects().length) boxed = boxed.parentElement;
      boxed.scrollIntoView({block: "center"});
      const range = document.createRange();
      range.selectNodeContents(e);
      const r = range.getBoundingClientRect();
      return [r.x + r.width / 2, r.y + r.height / 2];
    }""")
    return point[0], point[1]


def test_calibrate_records_what_the_person_clicks_and_never_presses_it(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    # Two captions renamed in one section (no single candidate), and the Create button.
    renames = {"case.create_button": "New Exit", "outcome.exit_date": "Date of Exit",
               "outcome.exit_reason": "Reason for Leaving"}
    sandbox.configure(rename=renames)
    before = sandbox.state()
    page.set_default_timeout(3_000)
    asked: list[str] = []

    def person(shown: Page, key: str) -> None:
        """Read the panel, click what it asks for, as a person would."""
        asked.append(key)
        panel = shown.locator("#__caljobs_calibrate")
        assert panel.is_visible() and "Click the" in panel.inner_text()
        address = shown.url
        shown.mouse.click(*where_words_show(shown, renames[key]))
        assert shown.url == address, "the click was only recorded: nothing was pressed"
        assert not panel.count(), "the panel goes once the click is recorded"

    words = tmp_path / "site-wording.toml"
    calibrator = Calibrator(words, wait_ms=10_000, person=person, tell=lambda _: None)
    walk = Preflight(page, sandbox_server.sign_in_url, CREDENTIALS, tmp_path / "evidence",
                     fixer=calibrator, restart=True)
    (tmp_path / "evidence").mkdir()
    findings = walk.run(state_id=WALKED)

    assert sorted(asked) == sorted(renames)
    given, _ = read_wording_file(words)
    assert given == {key: (text,) for key, text in renames.items()}
    assert all(f.found or "clicked by you" in f.detail for f in findings), findings
    assert findings[-1].element == "Cancel (nothing saved)" and findings[-1].found
    assert sandbox.state() == before, "calibrating changed what the site stores"

    ran = caljobs_bot("run", str(EXAMPLE_JOB), "--only", "2", "--wording", str(words),
                      "--base-url", sandbox_server.sign_in_url,
                      "--runs-dir", str(tmp_path / "runs"), env=SIGNED_IN)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert len(sandbox.outcomes()) == len(before["outcomes"]) + 1


def test_calibrate_on_the_command_line_says_what_to_click_and_waits(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    sandbox.configure(rename={"outcome.exit_date": "Date of Exit"})
    ran = caljobs_bot("calibrate", "--headless", "--wait", "0.05", "--timeout", "3",
                      "--state-id", WALKED,
                      "-o", str(tmp_path / "w.toml"), "--base-url",
                      sandbox_server.sign_in_url, "--runs-dir", str(tmp_path), env=SIGNED_IN)
    said = ran.stdout + ran.stderr
    assert ran.returncode == 1, said
    assert "In the browser: Click the 'Exit Date' box's caption" in said, said
    assert "No click in time: outcome.exit_date skipped." in said
    # A prompt that timed out takes its click catcher away: the walk's next click (Manage
    # Alternate Contacts) reaches the page and the pop-up opens.
    assert "contacts.add" not in said, said
    assert not (tmp_path / "w.toml").exists()
