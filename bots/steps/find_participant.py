"""Step 1, find the participant: search by State ID (else User ID), check the name, open the
case. Everything the tools do at this step is here (steps/step.py says what each part is for).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from playwright.sync_api import Page

from caljobs_bot.matching import same_name
from caljobs_bot.pages.case import CasePage
from caljobs_bot.pages.dashboard import StaffDashboard
from caljobs_bot.pages.participant_id import ParticipantId
from caljobs_bot.pages.participant_search import ParticipantSearch
from caljobs_bot.steps.filling import same_ids
from caljobs_bot.steps.instructions import Say, Values
from caljobs_bot.steps.practice_checks import Check, visible
from caljobs_bot.steps.results import RecordFailed
from caljobs_bot.steps.step import HelpSheets, Step
from caljobs_bot.steps.targets import Target
from caljobs_bot.steps.walk_ends import WalkEnds

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import ParticipantRef, Record
    from caljobs_bot.pages.participant_search import SearchResult
    from caljobs_bot.steps.preflight import Preflight
    from caljobs_bot.steps.state import RecordRun


def act(run: RecordRun) -> None:
    """Search by State ID (else User ID), check the name, open the case."""
    search = run.participant_search()
    found = found_participant(search, run.record.participant)
    run.show("search_results", search.page)
    case = run.open_case(search, found)
    # The bot may open the case in another tab than the search's: the record goes on there.
    run.reached_case, run.page = case, case.page


def found_participant(search: ParticipantSearch, who: ParticipantRef) -> SearchResult:
    """The one search result for these ids, its name checked (RecordFailed otherwise): what
    `run` and `audit` both open, so both find the same person or neither does."""
    if who.state_id:
        results = search.search(state_id=who.state_id)
    else:
        results = search.search(user_id=who.user_id)
    matches = [r for r in results if same_ids(r, who.state_id, who.user_id)]
    if not matches:
        which = ParticipantId.searched_by(who.state_id)
        raise RecordFailed(f"no participant found with {which.label} "
                           f"{who.state_id or who.user_id}")
    if len(matches) > 1:
        raise RecordFailed("the search found several participants with these ids")
    found = matches[0]
    if who.name and not same_name(who.name, found.name):
        raise RecordFailed(
            "the name in the job file does not match the participant the site found "
            "for these ids; nothing was entered"
        )
    return found


def preflight(walk: Preflight) -> None:
    """Search by the ids given and open the first participant found."""
    screen = "Assist an Individual"
    search = walk.need(walk.search)
    results = walk.look(screen, "search by State ID / User ID, Search Results",
                        lambda: search.search(state_id=walk.state_id, user_id=walk.user_id),
                        lambda rows: f"{len(rows)} result(s)", needed=True)
    if not results:
        walk.note(screen, "the participant to check", False,
                  "no participant found with these ids; pick another with --state-id")
        raise WalkEnds
    walk.case = walk.look(screen, "participant name link", lambda: search.open_participant(
        results[0]), needed=True)


def target(page: Page, record: Record) -> Target:
    """The search box the record's id goes in, and Search."""
    if not ParticipantSearch.is_shown(page):
        return Target()
    search = ParticipantSearch(page)
    box = search.search_box(ParticipantId.searched_by(record.participant.state_id))
    return Target(box.or_(search.search_button()), search.search_button())


def instructions(record: Record, say: Say) -> list[str]:
    """The menus, the search by the record's id, the name to check."""
    values = Values(say.masked)
    who = record.participant
    lines = ["Open Services for Workforce Staff, Manage Individuals, Assist an Individual."]
    if who.state_id:
        state_id = values.private(who.state_id, "the participant's State ID")
        lines.append(f"Type {state_id} in State ID and click Search.")
    else:
        user_id = values.private(who.user_id, "the participant's User ID")
        lines.append(f"Type {user_id} in User ID and click Search.")
    name = values.private(who.name, "the participant's name")
    lines.append(f"In the results, check that the name reads {name}, then click it.")
    return lines


def practice(record: Record, step: Step, earlier: Sequence[Check]) -> list[Check]:
    """The menus, the search, then the participant's name."""
    who = record.participant
    lines = step.lines(record)
    which = ParticipantId.searched_by(who.state_id)
    caption = which.label
    key = who.state_id or who.user_id or ""
    search_by = {which.attribute: key}

    def search_done(page: Page) -> bool:
        return ParticipantSearch.is_shown(page) and visible(
            ParticipantSearch(page).name_link(key))

    def right_case(page: Page) -> bool:
        return CasePage.ids_now(page) is not None and not other_case(page)

    def other_case(page: Page) -> str | None:
        if not CasePage.is_shown(page):
            return None
        shown = CasePage.ids_now(page)
        if shown is None:
            return None
        wanted = {ParticipantId.STATE: who.state_id, ParticipantId.USER: who.user_id}
        if all(shown.get(shown_id) == value for shown_id, value in wanted.items() if value):
            return None
        ids = ", ".join(f"{shown_id.label} {value}" for shown_id, value in shown.items())
        return (f"this case is {ids}, not the record's participant: go back to the search "
                f"and open the row with {caption} {key}")

    def open_case(page: Page) -> None:
        search = ParticipantSearch(page)
        found = [r for r in search.search(**search_by)
                 if key in (r.state_id, r.user_id)]
        if found:
            search.open_participant(found[0])

    return [
        Check(step.key, lines[0],
              "the menu Services for Workforce Staff, then Manage Individuals, then Assist an "
              "Individual", lambda page: None, ParticipantSearch.is_shown,
              lambda page: StaffDashboard(page).assist_an_individual(), strict=False),
        Check(step.key, lines[1],
              f"the {caption} box: type {key}, then click Search",
              lambda page: ParticipantSearch(page).search_box(which).or_(
                  ParticipantSearch(page).search_button()), search_done,
              lambda page: ParticipantSearch(page).search(**search_by),
              value=key),
        Check(step.key, lines[2],
              f"the name in the row with {caption} {key}",
              lambda page: ParticipantSearch(page).name_link(key), right_case,
              open_case, strict=False, wrong=other_case),
    ]


FIND_PARTICIPANT = Step(
    "find_participant",
    "Find the participant",
    "From the staff dashboard open Services for Workforce Staff, Manage Individuals, Assist "
    "an Individual, and search by State ID or User ID. Check the name before you open the "
    "case: an outcome cannot be undone without a Data Change Request.",
    # The sheets take it as done: both begin "After accessing the participant's case".
    HelpSheets("After accessing the participant's case", "After accessing the participant's "
               "case"),
    act, target=target, instructions=instructions, practice=practice, preflight=preflight,
    screen="search", changes_screen=True, only_looks=True,
)
