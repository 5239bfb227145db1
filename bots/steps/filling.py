"""Filling the outcome form's values, which several steps do: the General Information
step and the Exit Information step fill their section, and the review step fills both again
(a case note or a case-manager change may have reloaded the form). Also how a participant
the site shows is matched against the record's ids (the search and the form both show one).
The rules live here; markup lives in the page objects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from caljobs_bot.matching import fold, same_name, same_option
from caljobs_bot.pages.participant_search import SearchResult
from caljobs_bot.steps.results import RecordFailed

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.pages.outcome_form import OutcomeForm


def check_participant(form: OutcomeForm, record: Record) -> None:
    """The form must show the person the job names; else it is cancelled."""
    shown = form.general.participant()
    who = record.participant
    if not same_ids(shown, who.state_id, who.user_id) or (
        who.name and not same_name(who.name, shown.name)
    ):
        form.cancel()
        raise RecordFailed(
            "the outcome form shows a different participant than the job file names; "
            "the form was cancelled"
        )


def fill_general(form: OutcomeForm, record: Record) -> None:
    """Choose each General Information value that differs (accents ignored when matching)."""
    general = form.general
    wanted = (
        (general.lwia_region, general.set_lwia_region, record.lwia_region, "LWIA/Region"),
        (general.office_location, general.set_office_location, record.office_location,
         "Office Location"),
        (general.staff_position, general.set_staff_position, record.staff_position,
         "Staff Position"),
    )
    for read, write, value, caption in wanted:
        if same_option(value, read()):
            continue
        try:
            write(value)  # the usual case: the job spells the option as the site does
            continue
        except ValueError:
            pass  # no option with that spelling: look for it with accents ignored
        options = general.options(caption)
        match = next((o for o in options if same_option(value, o)), None)
        if match is None:
            form.cancel()
            raise RecordFailed(
                f"{caption} '{value}' is not offered by the site; it offers: "
                + ", ".join(o for o in options if fold(o) != "none selected")
            )
        write(match)


def fill_exit(form: OutcomeForm, record: Record) -> None:
    """Type the exit date and choose the reason, each only when it differs."""
    exit_information = form.exit
    wanted_date = f"{record.exit_date:%m/%d/%Y}"
    if exit_information.exit_date() != wanted_date:
        exit_information.set_exit_date(record.exit_date)
    if not same_option(record.exit_reason.label, exit_information.reason()):
        try:
            exit_information.choose_reason(record.exit_reason.label)
        except ValueError as problem:
            form.cancel()
            raise RecordFailed(str(problem)) from None


def same_ids(shown: SearchResult | object, state_id: str | None, user_id: str | None) -> bool:
    """Whether the ids the site shows agree with every id the record gives."""
    return (not state_id or getattr(shown, "state_id", None) == state_id) and (
        not user_id or getattr(shown, "user_id", None) == user_id
    )
