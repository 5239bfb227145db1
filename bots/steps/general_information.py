"""Step 4, check General Information: the right person pre-filled, then LWIA/Region, Office
Location and Staff Position chosen. Everything the tools do at this step is here
(steps/step.py); filling the values is shared with the review step (steps/filling.py). The
fields are the rows of the section's table (bots/form_fields.py): each tool loops over it, so
a new field needs nothing here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from caljobs_bot.form_fields import GENERAL_INFORMATION as FIELDS
from caljobs_bot.form_fields import FormField
from caljobs_bot.pages.outcome_form import GeneralInformation, OutcomeForm
from caljobs_bot.pages.participant_id import ParticipantId
from caljobs_bot.steps.filling import check_participant, fill_general, general_boxes
from caljobs_bot.steps.framing import Frame, fields
from caljobs_bot.steps.instructions import Say, Values
from caljobs_bot.steps.practice_checks import Check, is_value
from caljobs_bot.steps.step import HelpSheets, Step
from caljobs_bot.steps.targets import Target

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.steps.preflight import Preflight
    from caljobs_bot.steps.state import RecordRun


def act(run: RecordRun) -> None:
    """The right person, then each field of the section the record gives."""
    check_participant(run.form, run.record)
    fill_general(run.form, run.record)


def _given(record: Record) -> list[tuple[FormField, str]]:
    """The section's fields the record gives a value for, in the form's order."""
    return [(field, value) for field in FIELDS
            if (value := getattr(record, field.attribute)) is not None]


def preflight(walk: Preflight) -> None:
    """The participant's data shown, and each field (a dropdown with its options)."""
    screen = "Outcome form: General Information"
    general = walk.need(walk.form).general
    walk.look(screen, "Login Name, User ID, State ID, Name (read-only)",
              general.participant, lambda _: "shown")
    for field in FIELDS:
        element = f"{field.label} {field.element}"
        if field.kind == "choice":
            walk.look(screen, element, partial(general.options, field),
                      lambda options: f"{len(options)} options")
        else:
            walk.look(screen, element, partial(general.shown, field), lambda _: "shown")


def target(page: Page, record: Record) -> Target:
    """The section, with the form's title quoted (it names the 2016 or 2021 screens)."""
    form = OutcomeForm(page)
    return Target(form.general.section, form.heading(), "Form title")


def _doing(field: FormField, value: str) -> str:
    """"Choose Staff in Staff Position.", "Type 2021 in Program Year."."""
    verb = "Choose" if field.kind == "choice" else "Type"
    return f"{verb} {Values.public(value)} in {field.label}."


def instructions(record: Record, say: Say) -> list[str]:
    """The person to check (masked when asked), then each value."""
    values = Values(say.masked)
    who = record.participant
    name = values.private(who.name, "the participant's name")
    shown_ids = ((ParticipantId.STATE, who.state_id), (ParticipantId.USER, who.user_id))
    ids = " and ".join(
        f"{which.label} reads " + values.private(value, "the participant's " + which.label)
        for which, value in shown_ids if value
    )
    check_line = f"Check that Name reads {name}" + (f" and {ids}." if ids else ".")
    return [check_line, *(_doing(field, value) for field, value in _given(record))]


def practice(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """One check per field the record gives, each with the value it must show."""
    def box(field: FormField) -> Callable[[Page], Locator]:
        return lambda page: GeneralInformation(page).box(field)

    def show_me(field: FormField, value: str) -> Callable[[Page], object]:
        return lambda page: OutcomeForm(page).general.choose(field, value)

    return [Check(step.key, _doing(field, value), f"{value} in {field.label}",
                  box(field), is_value(box(field), value),
                  show_me(field, value), value=value, reviewed=True)
            for field, value in _given(record)]


def picture(page: Page, record: Record) -> Frame | None:
    """The values chosen outlined, the participant's name in the crop."""
    outlined, each = fields(general_boxes(page, record))
    name = OutcomeForm(page).general.name_line()
    return Frame(outlined, [name, *each], "General Information with its choices made.")


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
    act, target=target, instructions=instructions, practice=practice, preflight=preflight,
    picture_after=picture,
)
