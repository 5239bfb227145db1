"""The help-sheet steps for creating an Exit/Outcome, in order: STEPS.

A step is the spine everything else hangs on. Each is written in a module of its own
(steps/find_participant.py ... steps/confirm.py) with everything the tools do at it: what
people read (title, explanation in our own words, the 2016 and 2021 help sheets' own
wording), which records it applies to, what the bot does, what its `preflight` does
instead for `caljobs-bot check` (read-only), the element a walkthrough outlines and a guide
photographs, the sentences a trainee follows with the record's values, what practice mode
checks the trainee did and the guide's picture after it. The `Step` type is in
steps/step.py, which imports none of them. The bot runs STEPS in order; the walkthrough,
the guide, practice and `check` read everything about a step from its definition. A
step's number is its position in the tuple, so adding a step is one module and one entry
here.
"""

from __future__ import annotations

from caljobs_bot.steps.alternate_contacts import ALTERNATE_CONTACTS
from caljobs_bot.steps.case_manager import CASE_MANAGER
from caljobs_bot.steps.case_note import CASE_NOTE
from caljobs_bot.steps.confirm import CONFIRM
from caljobs_bot.steps.create_outcome import CREATE_OUTCOME
from caljobs_bot.steps.exit_information import EXIT_INFORMATION
from caljobs_bot.steps.find_participant import FIND_PARTICIPANT
from caljobs_bot.steps.general_information import GENERAL_INFORMATION
from caljobs_bot.steps.open_application import OPEN_APPLICATION
from caljobs_bot.steps.review import REVIEW
from caljobs_bot.steps.save import SAVE
from caljobs_bot.steps.step import HelpSheets, Screen, Step, every_record, step_named

__all__ = [
    "ALTERNATE_CONTACTS", "CASE_MANAGER", "CASE_NOTE", "CONFIRM", "CREATE_OUTCOME",
    "EXIT_INFORMATION", "FIND_PARTICIPANT", "GENERAL_INFORMATION", "OPEN_APPLICATION",
    "REVIEW", "SAVE", "STEPS", "HelpSheets", "Screen", "Step", "every_record", "number", "step",
]

STEPS: tuple[Step, ...] = (
    FIND_PARTICIPANT, OPEN_APPLICATION, CREATE_OUTCOME, GENERAL_INFORMATION, EXIT_INFORMATION,
    ALTERNATE_CONTACTS, CASE_MANAGER, CASE_NOTE, REVIEW, SAVE, CONFIRM,
)


def step(key: str, steps: tuple[Step, ...] = STEPS) -> Step:
    """The step with this key (KeyError names the known keys)."""
    return step_named(key, steps)


def number(key: str, steps: tuple[Step, ...] = STEPS) -> int:
    """The 1-based position of a step, as a person counts it."""
    return steps.index(step(key, steps)) + 1
