"""Filling the outcome form's values, which several steps do: the General Information
step and the Exit Information step fill their section, and the review step fills both again
(a case note or a case-manager change may have reloaded the form). Also how a participant
the site shows is matched against the record's ids (the search and the form both show one).
The rules live here; markup lives in the page objects. Where the values show (their boxes,
for practice's outlines and the guide's pictures) is here too, found without waiting for the
form (practice looks many times a second).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from caljobs_bot.form_fields import GENERAL_INFORMATION
from caljobs_bot.matching import same_name, same_option
from caljobs_bot.pages.outcome_form import ExitInformation, GeneralInformation
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
    """Set each General Information value that differs (accents ignored when matching), in
    the section table's order; an optional field the record leaves out is left as shown."""
    general = form.general
    given = [(field, value) for field in GENERAL_INFORMATION
             if (value := getattr(record, field.attribute)) is not None]
    # One read for every value shown; after a choice that others follow (the region), the
    # rest may have changed and is read anew, one at a time.
    shown = general.shown_now([field for field, _ in given])
    for field, value in given:
        now = shown[field.wording] if field.wording in shown else general.shown(field)
        if now == value if field.kind != "choice" else same_option(value, now):
            continue
        if field.others_follow:
            shown = {}  # choosing it may change the fields after it: read them anew
        if field.kind != "choice":
            general.choose(field, value)
            continue
        try:
            general.choose(field, value)  # the usual case: the job spells it as the site does
            continue
        except ValueError:
            pass  # no option with that spelling: look for it with accents ignored
        options = general.options(field)
        match = next((o for o in options if same_option(value, o)), None)
        if match is None:
            form.cancel()
            raise RecordFailed(
                f"{field.label} '{value}' is not offered by the site; it offers: "
                + ", ".join(o for o in options if not general.is_placeholder(o))
            )
        general.choose(field, match)


def fill_exit(form: OutcomeForm, record: Record) -> None:
    """Type the exit date and choose the reason, each only when it differs."""
    exit_information = form.exit
    wanted_date = f"{record.exit_date:%m/%d/%Y}"
    shown_date, shown_reason = exit_information.shown_now()
    if shown_date != wanted_date:
        exit_information.set_exit_date(record.exit_date)
    if not same_option(record.exit_reason.label, shown_reason):
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


def general_boxes(page: Page, record: Record) -> list[Locator]:
    """The General Information boxes of the values the record gives, in the form's order."""
    general = GeneralInformation(page)
    return [general.box(field) for field in GENERAL_INFORMATION
            if getattr(record, field.attribute) is not None]


def date_box(page: Page) -> Locator:
    """The Exit Date box."""
    return ExitInformation(page).date_box()


def reason_box(page: Page) -> Locator:
    """The Exit Reason dropdown."""
    return ExitInformation(page).reason_box()


def exit_boxes(page: Page) -> list[Locator]:
    """Both Exit Information fields."""
    return [date_box(page), reason_box(page)]
