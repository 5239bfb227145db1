"""What the steps of one record share while the bot performs them, and what they tell outside.

Each help-sheet step's action (in the step's own module, steps/find_participant.py ...)
reads and leaves its screens here: the first step opens the case, the next the application
node, then the outcome form. The bot makes one
per try of a record, so a retry starts clean; the trainers' observers and the run's journal
reach the steps through the typed values it carries (Observers, RecordJournal), never
through the bot itself.

The words the steps pass outside (which sub-screen, which moment of the pop-up, which side
effect) are Literal types defined here once: a misspelt screen name is a type error, not a
picture the guide silently never takes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.pages.case import ApplicationNode, CasePage
    from caljobs_bot.pages.contacts_popup import AlternateContactsPopup
    from caljobs_bot.pages.outcome_form import OutcomeForm
    from caljobs_bot.pages.participant_search import ParticipantSearch, SearchResult
    from caljobs_bot.steps.definitions import Step
    from caljobs_bot.steps.results import RecordResult

# The moments the Alternate Contacts pop-up is reported: "opened" (before anything is typed
# in it) and "closing" (the changes made, just before Close).
PopupMoment = Literal["opened", "closing"]
# The sub-screens that live only inside one action, reported shown and filled just before
# they are left (the contact form is inside the pop-up).
SubScreen = Literal["search_results", "contact_form", "case_manager_picker", "case_note_form"]
# A side effect that saves at once on the site, apart from the outcome's own Save.
SideEffectKind = Literal["note"]
# "intent" just before its Save, "done" once the site has it.
SideEffectStage = Literal["intent", "done"]

# Told before each step of a record, so the bulk run can show progress and the walkthrough
# explain on screen.
StepObserver = Callable[["Step", "Record"], None]
# Told when the Alternate Contacts pop-up is open, so the walkthrough can explain it and the
# guide can photograph it; the step observer alone only sees the page behind it.
PopupObserver = Callable[["AlternateContactsPopup", "Record", PopupMoment], None]
# Told when a sub-screen is shown; the guide photographs them, nothing else needs them.
ScreenObserver = Callable[[SubScreen, "Page | AlternateContactsPopup"], None]
# Opens the case of a search result checked already, returning it on whichever page it opened.
CaseOpener = Callable[["ParticipantSearch", "SearchResult"], "CasePage"]


def click_name_link(search: ParticipantSearch, found: SearchResult) -> CasePage:
    """The default: click the name in the results (the case opens where the search is)."""
    return search.open_participant(found)


def _no_step_observer(_step: Step, _record: Record) -> None:
    """The default: the bulk run reports results, not steps."""


@dataclass(frozen=True)
class Observers:
    """Who watches the bot work: one value, so a new watcher is one field, not a parameter
    threaded through the bot, the record's run and every caller."""

    step: StepObserver = _no_step_observer
    popup: PopupObserver | None = None
    screen: ScreenObserver | None = None


class RecordJournal(Protocol):
    """Where what may leave a mark on the site is written down before it is done, so a run
    killed at any moment never saves twice. The run's ledger implements it
    (running/ledger.py); the bot knows only this, so the walkthrough and the guide, which keep
    no ledger, give NO_JOURNAL."""

    def may_be_saved(self, record: Record) -> bool:
        """Whether an earlier run pressed Save for this record and never heard back (the
        case is then read before anything is typed)."""
        ...

    def saving(self, record: Record) -> None:
        """Save is about to be pressed; returns once that is safely written."""
        ...

    def side_effect(self, record: Record, kind: SideEffectKind,
                    stage: SideEffectStage) -> None:
        """A side effect that saves at once (a case note) is about to be, or has been, saved."""
        ...

    def ended(self, record: Record, result: RecordResult) -> None:
        """How the record ended, once the run knows it."""
        ...


class _NoJournal:
    """Nothing is written: the walkthrough and the guide do one record, watched."""

    def may_be_saved(self, record: Record) -> bool:
        return False

    def saving(self, record: Record) -> None:
        pass

    def side_effect(self, record: Record, kind: SideEffectKind,
                    stage: SideEffectStage) -> None:
        pass

    def ended(self, record: Record, result: RecordResult) -> None:
        pass


NO_JOURNAL: RecordJournal = _NoJournal()
NO_OBSERVERS = Observers()


@dataclass
class RecordRun:
    """One try of one record: the page, the record, the screens reached so far."""

    page: Page
    """The page the record is worked on: the case's page once the first step opened it."""
    record: Record
    dry_run: bool
    participant_search: Callable[[], ParticipantSearch]
    """The search screen, signing in again if the session expired (the bot's)."""
    observers: Observers = NO_OBSERVERS
    journal: RecordJournal = NO_JOURNAL
    open_case: CaseOpener = click_name_link
    """Opens the case of the participant found (the bot's: in the page it works on, by the
    name link's address when the search was done in a tab of its own)."""
    reached_case: CasePage | None = None
    reached_node: ApplicationNode | None = None
    reached_form: OutcomeForm | None = None
    outcome: str = "saved"
    """How the record ended, in words: the confirmation the site showed after Save."""

    @property
    def case(self) -> CasePage:
        """The participant's case, opened by an earlier step."""
        return _reached(self.reached_case, "the participant's case",
                        "the step that finds the participant")

    @property
    def node(self) -> ApplicationNode:
        """The WIOA application being exited, chosen by an earlier step."""
        return _reached(self.reached_node, "the WIOA application", "the step that expands it")

    @property
    def form(self) -> OutcomeForm:
        """The outcome form, opened by an earlier step."""
        return _reached(self.reached_form, "the outcome form",
                        "the step that creates the Exit/Outcome")

    @property
    def popup_observer(self) -> PopupObserver | None:
        """Who is told about the contacts pop-up (see Observers)."""
        return self.observers.popup

    @property
    def screen_observer(self) -> ScreenObserver | None:
        """Who is told about sub-screens (see Observers)."""
        return self.observers.screen

    def on_side_effect(self, kind: SideEffectKind, stage: SideEffectStage) -> None:
        """Write a side effect of this record to the journal, before and after its Save."""
        self.journal.side_effect(self.record, kind, stage)

    def show(self, name: SubScreen, where: Page | AlternateContactsPopup) -> None:
        """Tell the screen observer a sub-screen is shown (see ScreenObserver)."""
        if self.observers.screen is not None:
            self.observers.screen(name, where)


Reached = TypeVar("Reached")


def _reached(value: Reached | None, what: str, after: str) -> Reached:
    """What an earlier step reached; a step put before it is a mistake in the list of steps,
    said as one."""
    if value is None:
        raise RuntimeError(f"a step needs {what}: put it after {after}")
    return value
