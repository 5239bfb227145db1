"""The guide and practice on a site whose words differ (a renamed sandbox, and the same
words in the wording table, as a wording file gives them): like `run`, they find every
element through the page objects, so the guide outlines what each step names and practice
sees each step done."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from caljobs_bot.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.renames import RENAME_SEEDS
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.pages.overlay import outlined
from caljobs_bot.pages.site_wording import BUILT_IN, using
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.framing import DEVICE_SCALE_FACTOR
from caljobs_bot.steps.results import Status
from caljobs_bot.trainer.guide import VIEWPORT, Shot, replay
from caljobs_bot.trainer.practice import Prompt, practise_on

pytestmark = pytest.mark.browser

KAREN = load_job(EXAMPLE_JOB).records[0]  # every step: a contact, a case manager, a note
LI_WEI = load_job(EXAMPLE_JOB).records[3]
SEED = 2  # Exit Date and Office Location worded otherwise
# The seed's renames, and the contact pop-up's Add button and the Exit Reason worded
# otherwise too (the guide outlines both).
RENAMES = {**RENAME_SEEDS[SEED], "contacts.add": "Add a Contact",
           "outcome.exit_reason": "Reason for Exit"}


@pytest.fixture
def renamed(sandbox: SandboxClient) -> Iterator[SandboxClient]:
    """The sandbox with the renames, and the same words in the table in force."""
    sandbox.configure(rename=RENAMES)
    words = {key: (text,) for key, text in RENAMES.items()}
    with using(BUILT_IN.with_words(words, "a test's wording file")):
        yield sandbox


def test_the_guide_outlines_each_step_on_a_renamed_site(
        browser: Browser, sandbox_server: Sandbox, renamed: SandboxClient,
        tmp_path: Path) -> None:
    outlines: dict[str, list[str]] = {}

    def after_screenshot(shot: Shot, page: Page) -> None:
        outlines[Path(shot.file).stem] = [
            text for frame in page.frames for text in outlined(frame).evaluate_all(
                "elements => elements.map(e => e.tagName + ' ' + (e.innerText || e.value"
                " || '').trim())")]

    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=DEVICE_SCALE_FACTOR)
    try:
        guide = replay(context.new_page(), sandbox_server.sign_in_url,
                       Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD), KAREN, tmp_path,
                       site="a renamed sandbox", after_screenshot=after_screenshot)
    finally:
        context.close()
    assert guide.result is not None and guide.result.status is Status.SAVED
    # The pictures whose elements are found by the renamed words: General Information's
    # choices (Office), Exit Information's fields, the Exit Reason list, the pop-up's Add
    # button, the form looked over before Save.
    for name in ("step-04-after", "step-05-after", "step-05-exit-reason-list",
                 "step-06-popup-opened", "step-07-after", "step-09-after", "step-11-after"):
        assert outlines.get(name), f"{name}: nothing outlined ({sorted(outlines)})"
    assert any("Add a Contact" in text for text in outlines["step-06-popup-opened"])
    assert any("06/24/2021" in text for text in outlines["step-05-after"]), outlines


def test_practice_sees_each_step_done_on_a_renamed_site(
        page: Page, sandbox_server: Sandbox, renamed: SandboxClient, tmp_path: Path) -> None:
    said: list[str] = []

    def trainee(prompt: Prompt) -> None:
        said.append(prompt.check.say)
        prompt.check.show_me(prompt.page)  # done right, by the page objects

    result = practise_on(page, sandbox_server.sign_in_url, SANDBOX_USERNAME, SANDBOX_PASSWORD,
                         LI_WEI, renamed, tmp_path / "report.md", on_prompt=trainee,
                         patience_seconds=30)
    assert result.finished and result.mistakes == 0, said
    [stored] = [o for o in renamed.outcomes() if o["application_number"] == "2244304"]
    assert stored["office_location"] == LI_WEI.office_location
    assert stored["exit_date"] == LI_WEI.exit_date.isoformat()
