"""Step 4, check General Information: the right person pre-filled, then LWIA/Region, Office
Location and Staff Position chosen. Everything the tools do at this step is here
(steps/step.py); filling the values is shared with the review step (steps/filling.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from caljobs_bot.pages.fields import field
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.steps.filling import check_participant, fill_general
from caljobs_bot.steps.framing import Frame, fields
from caljobs_bot.steps.instructions import Say, Values
from caljobs_bot.steps.practice_checks import Check, general_section, is_value
from caljobs_bot.steps.step import HelpSheets, Step
from caljobs_bot.steps.targets import Target

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.steps.preflight import Preflight
    from caljobs_bot.steps.state import RecordRun


def act(run: RecordRun) -> None:
    """The right person, then LWIA/Region, Office Location and Staff Position."""
    check_participant(run.form, run.record)
    fill_general(run.form, run.record)


def check(walk: Preflight) -> None:
    """The participant's data shown, and the three dropdowns with their options."""
    screen = "Outcome form: General Information"
    general = walk.need(walk.form).general
    walk.look(screen, "Login Name, User ID, State ID, Name (read-only)",
              general.participant, lambda _: "shown")
    for caption in ("LWIA/Region", "Office Location", "Staff Position"):
        walk.look(screen, f"{caption} dropdown", partial(general.options, caption),
                  lambda options: f"{len(options)} options")


def target(page: Page, record: Record) -> Target:
    """The section, with the form's title quoted (it names the 2016 or 2021 screens)."""
    form = OutcomeForm(page)
    return Target(form.general.section, form.heading(), "Form title")


def instructions(record: Record, say: Say) -> list[str]:
    """The person to check (masked when asked), then each choice."""
    values = Values(say.masked)
    who = record.participant
    name = values.private(who.name, "the participant's name")
    shown_ids = (("State ID", who.state_id), ("User ID", who.user_id))
    ids = " and ".join(
        f"{caption} reads " + values.private(value, "the participant's " + caption)
        for caption, value in shown_ids if value
    )
    check_line = f"Check that Name reads {name}" + (f" and {ids}." if ids else ".")
    return [check_line,
            f"Choose {values.public(record.lwia_region)} in LWIA/Region.",
            f"Choose {values.public(record.office_location)} in Office Location.",
            f"Choose {values.public(record.staff_position)} in Staff Position."]


def practice(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """One check per dropdown, each with the value it must show."""
    def dropdown(caption: str) -> Callable[[Page], Locator | None]:
        return lambda page: field(general_section(page), caption)

    def choose(setter: str, value: str) -> Callable[[Page], object]:
        return lambda page: getattr(OutcomeForm(page).general, setter)(value)

    return [Check(step.key, f"Choose {value} in {caption}.", f"{value} in {caption}",
                  dropdown(caption), is_value(caption, general_section, value),
                  choose(setter, value), value=value, reviewed=True)
            for caption, value, setter in (
                ("LWIA/Region", record.lwia_region, "set_lwia_region"),
                ("Office Location", record.office_location, "set_office_location"),
                ("Staff Position", record.staff_position, "set_staff_position"))]


def picture(page: Page, record: Record) -> Frame | None:
    """The three choices outlined, the participant's name in the crop."""
    general = OutcomeForm(page).general.section
    outlined, each = fields(general, "LWIA/Region", "Office Location", "Staff Position")
    return Frame(outlined, [field(general, "Name"), *each],
                 "General Information with the three choices made.")


GENERAL_INFORMATION = Step(
    "general_information",
    "Check General Information",
    "Login Name, User ID, State ID and Name are filled in for you: make sure they are the "
    "right person. Then select the LWIA/Region, Office Location and Staff Position.",
    HelpSheets("This section should already have the participant's basic information "
               "pre-populated. For the additional fields that appear, select the LWIA/Region, "
               "Office Location, and Staff Position.",
               "The General Information section should already have the participant's basic "
               "information pre-populated. Ensure that 'LWIA/Region', 'Office Location', and "
               "'Staff Position' are correct."),
    act, target=target, instructions=instructions, practice=practice, check=check,
    picture_after=picture,
)
