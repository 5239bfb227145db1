"""Step 2, expand the WIOA application: the one the record names (else the only open one)
and its Exit / Outcome section; a listed outcome means the participant has exited, and the
record is skipped. Everything the tools do at this step is here (steps/step.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from playwright.sync_api import Page

from caljobs_bot.matching import fold
from caljobs_bot.pages.case import CasePage
from caljobs_bot.steps.framing import Frame
from caljobs_bot.steps.instructions import Say, Values
from caljobs_bot.steps.practice_checks import (
    SECTION_WORDS,
    Check,
    application,
    create_shown,
    in_section_words,
)
from caljobs_bot.steps.results import RecordFailed, RecordSkipped
from caljobs_bot.steps.step import HelpSheets, Step
from caljobs_bot.steps.targets import Target
from caljobs_bot.steps.walk_ends import WalkEnds

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.pages.case import ApplicationNode, ApplicationSummary
    from caljobs_bot.steps.preflight import Preflight
    from caljobs_bot.steps.state import RecordRun


def act(run: RecordRun) -> None:
    """Expand the application to exit; skip it when an outcome is listed already."""
    record = run.record
    node = _choose_application(run.case, record)
    exit_outcome = node.exit_outcome()
    # An outcome listed means the application has exited: never a second one. Neither an
    # outcome nor a Create button means the screen differs: the next step says what is missing.
    if exit_outcome.listed:
        listed = "; ".join(exit_outcome.listed)
        raise RecordSkipped(
            f"application {node.number} already has an Exit/Outcome ({listed}); "
            "nothing was saved"
        )
    if record.exit_reason.youth_only and fold(node.program()) != "youth":
        raise RecordFailed(
            f"'{record.exit_reason.label}' is only valid on a Youth application; "
            f"application {node.number} is {node.program()}"
        )
    run.reached_node = node


def _choose_application(case: CasePage, record: Record) -> ApplicationNode:
    """The application the record names, else the only one, else the only open one."""
    return case.application(pick_application(case.wioa_applications(), record.application))


def pick_application(applications: Sequence[ApplicationSummary], wanted: str | None) -> str:
    """The number of the application a record targets: the one it names, else the only one,
    else the only open one. RecordFailed or RecordSkipped say why there is none; `run` acts
    on the answer and `audit` judges by it, so both mean the same application."""
    if not applications:
        raise RecordFailed(
            "the participant has no WIOA application, so there is nothing to exit"
        )
    if wanted:
        if wanted not in [a.number for a in applications]:
            numbers = ", ".join(a.number for a in applications)
            raise RecordFailed(
                f"application {wanted} is not one of the participant's WIOA "
                f"applications ({numbers})"
            )
        return wanted
    if len(applications) == 1:
        return applications[0].number
    open_ones = [a for a in applications if fold(a.status) != "exited"]
    if len(open_ones) == 1:
        return open_ones[0].number
    if not open_ones:
        raise RecordSkipped("every WIOA application of the participant has already exited")
    numbers = ", ".join(a.number for a in open_ones)
    raise RecordFailed(
        f"the participant has several open WIOA applications ({numbers}); "
        "say which one with 'application:' in the job file"
    )


def preflight(walk: Preflight) -> None:
    """The application given, else the first open one: its details and Exit / Outcome."""
    screen = "Case: program applications"
    case = walk.need(walk.case)
    found = walk.look(screen, "WIOA application nodes", case.wioa_applications,
                      lambda apps: f"{len(apps)} WIOA application(s)", needed=True)
    open_ones = [a for a in walk.need(found) if fold(a.status) != "exited"]
    numbers = [a.number for a in walk.need(found)]
    wanted = walk.application
    if wanted is not None and wanted not in numbers:
        walk.note(screen, f"application {wanted}", False, "not one of this participant's")
        raise WalkEnds
    chosen = wanted or (open_ones[0].number if open_ones else None)
    if chosen is None:
        walk.note(screen, "an open WIOA application", False,
                  "every WIOA application has exited; pick another participant")
        raise WalkEnds
    node = case.application(chosen)
    walk.look(screen, "application (+) and its details (LWDB, Onestop, Activities)",
              node.details, lambda lines: ", ".join(sorted(lines)))
    walk.look(screen, "Exit / Outcome section (+)", node.expand_exit_outcome, needed=True)
    walk.node = node


def target(page: Page, record: Record) -> Target:
    """The (+) the step's text names ("Click the (+) left of WIOA #2244266"): the toggle the
    bot is about to click, found the way the bot finds it; the application's words when the
    screen shows no toggle to click (already open)."""
    case = CasePage(page)
    numbers = ([record.application] if record.application
               else [a.number for a in case.wioa_applications()])
    toggles = [t for t in (case.application(n).toggle() for n in numbers) if t is not None]
    if not toggles:
        words = (case.application(record.application).tree_item() if record.application
                 else case.wioa_items())
        return Target(words)
    element = toggles[0]
    for other in toggles[1:]:
        element = element.or_(other)
    return Target(element)


def instructions(record: Record, say: Say) -> list[str]:
    """The two (+), with the application by its number when the record names one."""
    application_words = (Values(say.masked).private(f"WIOA #{record.application}",
                                                    "the WIOA application the record names")
                         if record.application else "the WIOA application")
    return [f"Click the (+) left of {application_words}.",
            "Click the (+) next to its Exit / Outcome section: no outcome may be listed."]


def practice(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """The section's name follows the screen once the application is open."""
    say = " ".join(step.lines(record))
    right_one = f"the (+) to the left of the application, then the (+) beside {SECTION_WORDS}"
    return [Check(step.key, say, right_one,
                  lambda page: application(page, record).tree_item(), create_shown,
                  lambda page: application(page, record).expand_exit_outcome(),
                  strict=False, reworded=in_section_words(say, right_one))]


def picture(page: Page, record: Record) -> Frame | None:
    """The opened application outlined (what step 2 did), its Create button in the crop; the
    next step's picture outlines that button, so the two pictures differ."""
    case = CasePage(page)
    create = case.create_outcome_button()
    applications = case.wioa_applications()
    number = record.application or (applications[0].number if len(applications) == 1 else None)
    if number:
        item = case.application(number).tree_item()
        return Frame(item, [item, create],
                     "The application and its Exit / Outcome section are open.")
    return Frame(create, None, "The application and its Exit / Outcome section are open.")


OPEN_APPLICATION = Step(
    "open_application",
    "Expand the WIOA application",
    "On the Programs tab of the Case Management Profile, click the (+) to the left of the "
    "WIOA application, then the (+) next to its Exit / Outcome section. If an outcome is "
    "already listed there, the participant has exited: do not create another.",
    HelpSheets("Expand the WIOA application by clicking the (+) button located to the left "
               "of the application. Then, expand the application further by clicking on the "
               "new (+) button that appears.",
               "Expand the WIOA application by clicking the (+) button located to the left "
               "of the application. Then, expand the application further by clicking on the "
               "new (+) button that appears next to the Exit/Closure section."),
    act, target=target, instructions=instructions, practice=practice, preflight=preflight,
    screen="case", changes_screen=True, picture_after=picture, only_looks=True,
)
