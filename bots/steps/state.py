"""What the steps of one record share while the bot performs them.

Each help-sheet step's action (steps/actions.py) reads and leaves its screens here: the first
step opens the case, the next the application node, then the outcome form. The bot makes one
per try of a record, so a retry starts clean; the trainers' observers reach the bot through
the hooks it carries, never through the bot itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.pages.case import ApplicationNode, CasePage
    from caljobs_bot.pages.contacts_popup import AlternateContactsPopup
    from caljobs_bot.pages.outcome_form import OutcomeForm
    from caljobs_bot.pages.participant_search import ParticipantSearch

# Told before and after each side effect that saves at once on the site (a case note):
# ("note", "intent") just before its Save, ("note", "done") once the site has it.
SideEffectObserver = Callable[[str, str], None]
# Told when the Alternate Contacts pop-up is open: "opened" (before anything is typed in it)
# and "closing" (the changes made, just before Close), so the walkthrough can explain it and
# the guide can photograph it; the step observer alone only sees the page behind it.
PopupObserver = Callable[["AlternateContactsPopup", "Record", Literal["opened", "closing"]], None]
# Told when a sub-screen that lives only inside one action is shown, filled, just before it is
# left: "search_results", "contact_form" (with the pop-up), "case_manager_picker",
# "case_note_form". The guide photographs them; nothing else needs them.
ScreenObserver = Callable[[str, "Page | AlternateContactsPopup"], None]


def _no_side_effect_observer(_kind: str, _stage: str) -> None:
    """Nobody listens: the walkthrough and the guide keep no ledger."""


@dataclass
class RecordRun:
    """One try of one record: the page, the record, the screens reached so far."""

    page: Page
    record: Record
    dry_run: bool
    participant_search: Callable[[], ParticipantSearch]
    """The search screen, signing in again if the session expired (the bot's)."""
    on_side_effect: SideEffectObserver = _no_side_effect_observer
    popup_observer: PopupObserver | None = None
    screen_observer: ScreenObserver | None = None
    reached_case: CasePage | None = None
    reached_node: ApplicationNode | None = None
    reached_form: OutcomeForm | None = None
    outcome: str = "saved"
    """How the record ended, in words: the confirmation the site showed after Save."""

    @property
    def case(self) -> CasePage:
        """The participant's case, opened by an earlier step."""
        if self.reached_case is None:
            raise RuntimeError("a step needs the participant's case: put it after the step "
                               "that finds the participant")
        return self.reached_case

    @property
    def node(self) -> ApplicationNode:
        """The WIOA application being exited, chosen by an earlier step."""
        if self.reached_node is None:
            raise RuntimeError("a step needs the WIOA application: put it after the step "
                               "that expands it")
        return self.reached_node

    @property
    def form(self) -> OutcomeForm:
        """The outcome form, opened by an earlier step."""
        if self.reached_form is None:
            raise RuntimeError("a step needs the outcome form: put it after the step that "
                               "creates the Exit/Outcome")
        return self.reached_form

    def show(self, name: str, where: Page | AlternateContactsPopup) -> None:
        """Tell the screen observer a sub-screen is shown (see ScreenObserver)."""
        if self.screen_observer is not None:
            self.screen_observer(name, where)
