"""The read-only mode of the help-sheet steps: what `caljobs-bot check` does at each step.

Where a step's action fills and saves, its check only asks the page objects for what the
step would use, and records whether each answered (steps/preflight.py keeps the findings). The
checks open the case, the application, the outcome form, the contacts pop-up and the note
form as the actions do, and leave by Cancel and Close: they never press a Save. Each step in
steps/definitions.py names its check; the walk runs them in the steps' order.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from caljobs_bot.jobfile.exit_reasons import EXIT_REASONS
from caljobs_bot.matching import fold, same_option

if TYPE_CHECKING:
    from caljobs_bot.steps.preflight import Preflight


class WalkEnds(Exception):
    """A screen could not be reached; the walk stops there."""


def find_participant(walk: Preflight) -> None:
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


def open_application(walk: Preflight) -> None:
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


def create_outcome(walk: Preflight) -> None:
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


def general_information(walk: Preflight) -> None:
    """The participant's data shown, and the three dropdowns with their options."""
    screen = "Outcome form: General Information"
    general = walk.need(walk.form).general
    walk.look(screen, "Login Name, User ID, State ID, Name (read-only)",
              general.participant, lambda _: "shown")
    for caption in ("LWIA/Region", "Office Location", "Staff Position"):
        walk.look(screen, f"{caption} dropdown", partial(general.options, caption),
                  lambda options: f"{len(options)} options")


def exit_information(walk: Preflight) -> None:
    """Exit Date, and every hard-exit reason offered in Exit Reason."""
    screen = "Outcome form: Exit Information"
    form = walk.need(walk.form)
    walk.look(screen, "Exit Date", form.exit.exit_date, lambda _: "MM/DD/YYYY field")
    reasons = walk.look(screen, "Exit Reason dropdown", form.exit.reason_options,
                        lambda options: f"{len(options)} options")
    if reasons is not None:
        missing = [r.label for r in EXIT_REASONS
                   if not any(same_option(r.label, o) for o in reasons)]
        walk.note(screen, "the hard-exit reasons in Exit Reason", not missing,
                  f"not offered: {', '.join(missing)}" if missing else "all offered")


def alternate_contacts(walk: Preflight) -> None:
    """The pop-up opens, lists its contacts, and closes."""
    screen = "Alternate contacts pop-up"
    popup = walk.look(screen, "Manage Alternate Contacts opens the pop-up",
                      walk.need(walk.form).contacts.manage,
                      lambda p: {"window": "separate window", "dialog": "in-page dialog",
                                 "in-page": "content in the page"}[p.kind])
    if popup is not None:
        walk.look(screen, "contact list", popup.contacts,
                  lambda rows: f"{len(rows)} contact(s)")
        walk.look(screen, "Close", popup.close)


def case_manager(walk: Preflight) -> None:
    """The current case manager and the two links (they depend on the account's rights)."""
    screen = "Outcome form: Staff Information"
    staff = walk.need(walk.form).staff
    walk.look(screen, "Current Case Manager", staff.current_case_manager,
              lambda name: "assigned" if name else "none assigned")
    walk.look(screen, "Assign Case Manager link", staff.can_assign_case_manager,
              lambda shown: "shown" if shown else "not shown for this account")
    walk.look(screen, "Remove Case Manager Assignment link", staff.can_remove_case_manager,
              lambda shown: "shown" if shown else "not shown (no case manager, or no right)")


def case_note(walk: Preflight) -> None:
    """The notes list, and the note form, left by Cancel."""
    screen = "Outcome form: Staff Information"
    staff = walk.need(walk.form).staff
    walk.look(screen, "case notes list", staff.case_notes, lambda rows: f"{len(rows)} note(s)")
    note = walk.look(screen, "Add a new Case Note opens the note form", staff.add_case_note)
    if note is not None:
        walk.look(screen, "case note form Cancel (nothing saved)", note.cancel)


def save(walk: Preflight) -> None:
    """Where the run presses Save, the check cancels: nothing is ever stored."""
    walk.need(walk.form).cancel()
    walk.note("Outcome form", "Cancel (nothing saved)", True)
