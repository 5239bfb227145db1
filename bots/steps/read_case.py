"""Reading a participant's case without changing it: the first two help-sheet steps' looks.

`audit` needs what `run` sees before it creates anything: the participant found by the same
search and name check (find_participant.found_participant), and every WIOA application with
its listed outcomes (the case page object's read methods). Only tree nodes are opened; no
Create, no form, no pop-up. The step being done is kept, so a screen that differs is reported
as `run` reports it: "step 2 'Expand the WIOA application': on the ..., no ...".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from caljobs_bot.matching import fold
from caljobs_bot.steps.find_participant import FIND_PARTICIPANT, found_participant
from caljobs_bot.steps.open_application import OPEN_APPLICATION

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import ParticipantRef
    from caljobs_bot.pages.case import ListedOutcome
    from caljobs_bot.pages.participant_search import ParticipantSearch
    from caljobs_bot.steps.step import Step


@dataclass(frozen=True)
class ApplicationReading:
    """One WIOA application as the case page shows it."""

    number: str
    status: str
    program: str
    outcomes: tuple[ListedOutcome, ...]

    @property
    def is_open(self) -> bool:
        """Whether the tree shows it as not exited (the rule `run` uses to choose)."""
        return fold(self.status) != "exited"


class CaseReader:
    """Reads one participant's applications at a time, remembering the step it is at."""

    def __init__(self) -> None:
        self.step: Step = FIND_PARTICIPANT

    def where(self, steps: tuple[Step, ...]) -> str:
        """"step 2 'Expand the WIOA application'": the step as `run` numbers it."""
        number = steps.index(self.step) + 1 if self.step in steps else 0
        return f"step {number} '{self.step.title}'"

    def read(self, search: ParticipantSearch, who: ParticipantRef) -> list[ApplicationReading]:
        """Search, open the case, read every WIOA application; RecordFailed when the ids (and
        name) find nobody, or several people."""
        self.step = FIND_PARTICIPANT
        case = search.open_participant(found_participant(search, who))
        self.step = OPEN_APPLICATION
        readings = []
        for summary in case.wioa_applications():
            node = case.application(summary.number)
            outcomes = tuple(node.listed_outcomes())
            readings.append(ApplicationReading(summary.number, summary.status, node.program(),
                                               outcomes))
        return readings
