"""Step 3, create the Exit/Outcome: click Create (Exit/)Outcome, which opens the form, its
words read from the screen (the 2016 screens say "Create Outcome"). Everything the tools do
at this step is here (steps/step.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from caljobs_bot.matching import squeeze
from caljobs_bot.pages.case import CasePage
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.steps.framing import Frame
from caljobs_bot.steps.instructions import Say
from caljobs_bot.steps.practice_checks import Check, application, create_shown, form_shown
from caljobs_bot.steps.step import HelpSheets, Step
from caljobs_bot.steps.targets import Target, clickable
from caljobs_bot.steps.walk_ends import WalkEnds

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.steps.preflight import Preflight
    from caljobs_bot.steps.state import RecordRun


def act(run: RecordRun) -> None:
    """Click Create (Exit/)Outcome."""
    run.reached_form = run.node.create_outcome()


def preflight(walk: Preflight) -> None:
    """The Create (Exit/)Outcome button, and the form it opens."""
    screen = "Case: program applications"
    node = walk.need(walk.node)
    listing = walk.look(screen, "Create Exit/Outcome button", node.exit_outcome,
                        lambda shown: "shown" if shown.can_create else "not shown")
    if listing is not None and not listing.can_create:
        walk.findings.pop()  # said below: exited, or not found (and how it reads now)
    if listing is not None and listing.listed and not listing.can_create:
        walk.note(screen, "Create Exit/Outcome button", False,
                  "not shown: this application already has an outcome; pick a "
                  "participant without one")
        raise WalkEnds
    # Neither an outcome listed nor a Create button: a Create button in other words,
    # which create_outcome reports by its wording key.
    walk.form = walk.look(screen, "Create Exit/Outcome opens the outcome form",
                          node.create_outcome, needed=True)


def target(page: Page, record: Record) -> Target:
    """The Create button, with its own words."""
    return clickable(CasePage(page).create_outcome_button())


def instructions(record: Record, say: Say) -> list[str]:
    """The button in the screen's words when known."""
    return [f"Click {say.button or 'Create Exit/Outcome'}."]


def practice(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """The button in the screen's own words ("Create Outcome" on the 2016 screens)."""
    def reworded(page: Page) -> tuple[str, str] | None:
        # Looked at many times a second: only while the button is on show (a page object
        # asked on another page would wait for it).
        if not create_shown(page):
            return None
        try:
            # A submit input shows its value, not inner text.
            words = squeeze(CasePage(page).create_outcome_button().evaluate(
                "e => e.tagName === 'INPUT' ? e.value : e.innerText") or "")
        except PlaywrightError:
            return None
        if not words:
            return None
        return (step.lines(record, button=words)[0],
                f"the {words} button under the application")

    return [Check(step.key, step.lines(record)[0],
                  "the Create Exit/Outcome button under Exit / Outcome",
                  step.element_for(record), form_shown,
                  lambda page: application(page, record).create_outcome(),
                  reworded=reworded)]


def picture(page: Page, record: Record) -> Frame | None:
    """The form's title and its General Information, filled in by the site."""
    form = OutcomeForm(page)
    return Frame(form.heading(), [form.heading(), form.general.section],
                 "The form opens with General Information filled in.")


CREATE_OUTCOME = Step(
    "create_outcome",
    "Create the Exit/Outcome",
    "Click Create Exit/Outcome (Create Outcome on older screens). Outcomes are only for a "
    "hard exit: the participant cannot continue services because of a global exclusion.",
    HelpSheets("Finally, click the \u201cCreate Outcome\u201d button.",
               "Finally, click the \"Create Exit/Outcome\" button."),
    act, target=target, instructions=instructions, practice=practice, preflight=preflight,
    screen="case", changes_screen=True, picture_after=picture,
)
