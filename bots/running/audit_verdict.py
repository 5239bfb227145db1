"""What `audit` concludes about one participant: the site's reading against the job.

Kept apart from the browser so the rules are plain functions a unit test checks in
milliseconds. The application a record targets is chosen as `run` chooses it
(steps/open_application.py `pick_application`), with one addition a finished run needs: an
application whose listed outcome is the job's own is the target, since after `run` saved it
that application has exited and `run`'s rule alone would look elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from caljobs_bot.jobfile.exit_reasons import ExitReason, normalise, parse_exit_reason
from caljobs_bot.pages.case import ApplicationSummary, ListedOutcome
from caljobs_bot.steps.open_application import OPEN_APPLICATION, pick_application
from caljobs_bot.steps.read_case import ApplicationReading
from caljobs_bot.steps.results import RecordFailed, RecordSkipped


class Verdict(StrEnum):
    """One word or phrase per participant, as the README explains them."""

    AS_THE_JOB_SAYS = "as the job says"
    NO_OUTCOME_YET = "no outcome yet"
    DIFFERENT_OUTCOME = "different outcome"
    OTHER_APPLICATIONS_OPEN = "other applications open"
    NOT_FOUND = "participant not found"
    NOT_READABLE = "not readable"
    # A list of participants (a sheet of ids) names no outcome: there is nothing to compare.
    READ = "read"
    # The audit stopped (Ctrl-C, an outage) before this participant was read.
    NOT_RUN = "not run"


# The verdicts of a participant that was read to the end: an audit that is resumed does not
# read them again (a "not readable" or "not run" one is read again).
FINAL = frozenset(Verdict) - {Verdict.NOT_READABLE, Verdict.NOT_RUN}


@dataclass(frozen=True)
class Expected:
    """What the job says the site should hold for one participant."""

    application: str | None
    exit_date: date
    exit_reason: ExitReason

    def words(self) -> str:
        """The job's values as the report shows them: "06/24/2021 Institutionalized"."""
        return f"{self.exit_date:%m/%d/%Y} {self.exit_reason.label}"


@dataclass(frozen=True)
class Judgement:
    """A participant's verdict, the application it is about (if one), and why."""

    verdict: Verdict
    application: str | None
    detail: str


def same_outcome(expected: Expected, listed: ListedOutcome) -> bool:
    """Whether a listed outcome has the job's exit date and reason (the reason by its
    wording or code, case and spacing ignored)."""
    return (_day(listed.exit_date) == expected.exit_date
            and _reason_is(listed.exit_reason, expected.exit_reason))


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError:
        return None


def _reason_is(text: str | None, reason: ExitReason) -> bool:
    if not text:
        return False
    try:
        return parse_exit_reason(text).code == reason.code
    except ValueError:  # a wording the bot does not know: compare the words themselves
        return normalise(text) == normalise(reason.label)


def site_words(application: ApplicationReading) -> str:
    """The outcomes an application lists, as the report shows them."""
    shown = [" ".join(v for v in (o.exit_date, o.exit_reason) if v) or o.text
             for o in application.outcomes]
    return "; ".join(shown) if shown else "none listed"


def judge(expected: Expected | None, applications: list[ApplicationReading]) -> Judgement:
    """The verdict for a participant whose case was read (found, tree read)."""
    with_outcome = [a for a in applications if a.outcomes]
    if expected is None:
        return Judgement(Verdict.READ, None,
                         f"{len(applications)} WIOA application(s), {len(with_outcome)} with "
                         "an outcome listed")
    by_number = {a.number: a for a in applications}
    matching = [a for a in applications if any(same_outcome(expected, o) for o in a.outcomes)]
    if expected.application is None and matching:
        return _judged(expected, matching[0], applications)
    summaries = [ApplicationSummary(a.number, a.status) for a in applications]
    try:
        number = pick_application(summaries, expected.application)
    except RecordSkipped:
        # Every application has exited and none lists the job's outcome.
        listed = "; ".join(f"application {a.number}: {site_words(a)}" for a in applications)
        target = applications[0].number if len(applications) == 1 else None
        return Judgement(Verdict.DIFFERENT_OUTCOME, target,
                         f"the job says {expected.words()}; the site holds {listed}")
    except RecordFailed as failed:
        open_ones = [a for a in applications if a.is_open]
        if applications and not expected.application and len(open_ones) > 1:
            return Judgement(Verdict.OTHER_APPLICATIONS_OPEN, None,
                             f"{failed}; none lists the job's outcome ({expected.words()})")
        step = f"step 2 '{OPEN_APPLICATION.title}'"
        return Judgement(Verdict.NOT_READABLE, expected.application, f"{step}: {failed}")
    return _judged(expected, by_number[number], applications)


def _judged(expected: Expected, target: ApplicationReading,
            applications: list[ApplicationReading]) -> Judgement:
    """The verdict about the application the record targets."""
    others = [a.number for a in applications if a.is_open and a.number != target.number]
    still_open = (f"; other WIOA applications still open: {', '.join(others)}"
                  if others else "")
    if any(same_outcome(expected, o) for o in target.outcomes):
        return Judgement(Verdict.AS_THE_JOB_SAYS, target.number,
                         f"application {target.number} lists {expected.words()}{still_open}")
    if target.outcomes:
        return Judgement(Verdict.DIFFERENT_OUTCOME, target.number,
                         f"the job says {expected.words()}; the site holds "
                         f"{site_words(target)} on application {target.number}")
    return Judgement(Verdict.NO_OUTCOME_YET, target.number,
                     f"application {target.number} ({target.status}) lists no outcome; the "
                     f"job says {expected.words()}{still_open}")
