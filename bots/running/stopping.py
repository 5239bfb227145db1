"""Why a run stopped early, in the two forms the report needs: a short cause for the row of
every record it did not reach, and a sentence for the notes.

A stopped run must still account for every record of the job (issue 20: an outage left a
report with no row for the records not reached, and a sign-in that kept failing left no
report at all). Each record the run did not reach gets a row "not run: <cause> (stopped at
<time>)", whatever stopped it: the site, the disk, the sign-in, Ctrl-C or a surprise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from caljobs_bot.jobfile.models import Record
from caljobs_bot.running.disk import DiskFull
from caljobs_bot.steps.results import (
    Interrupted,
    RecordResult,
    SessionExpired,
    SignInOutage,
    SiteUnavailable,
    SiteUnreachable,
    Status,
)

# What the run says when it was asked to stop (Ctrl-C) and nothing went wrong.
STOPPED_BY_REQUEST = "the run was stopped (Ctrl-C) before this record"


@dataclass(frozen=True)
class StopCause:
    """Why the run stopped: `short` goes into each not-run row, `sentence` into the notes."""

    short: str
    sentence: str
    at: datetime

    def not_run(self, record: Record) -> RecordResult:
        """The row of a record the run did not reach."""
        return RecordResult(record.index, record.line, Status.NOT_RUN,
                            f"not run: {self.short} (the run stopped at {self.stamp})")

    @property
    def stamp(self) -> str:
        return self.at.strftime("%Y-%m-%d %H:%M:%S")


def cause_of(error: BaseException) -> StopCause:
    """The cause for whatever ended the run: a halt (site, session, disk), a refused or
    failing sign-in, Ctrl-C, or an error nobody expected (named by its kind only: its text
    may quote page text, which may be participant data)."""
    from caljobs_bot.pages.login import SignInFailed
    from caljobs_bot.pages.notfound import ElementNotFound

    now = datetime.now()
    if isinstance(error, SiteUnreachable):
        return StopCause("the site could not be reached", (
            f"{error}, and it still did not answer when asked again. Nothing more was "
            "tried; run the same command again when the site is back."), now)
    if isinstance(error, SignInOutage):
        return StopCause("the site was failing at sign-in", (
            f"signing in did not get through: {error}. That is the site failing, not the "
            "records; nothing more was tried. Run the same command again later: saved "
            "records are not entered twice."), now)
    if isinstance(error, SiteUnavailable):
        return StopCause("the site was down (a maintenance or outage page)", (
            f"the site shows a maintenance or outage page ('{error}'). Nothing more was "
            "tried; run the same command again when the site is back."), now)
    if isinstance(error, SessionExpired):
        return StopCause("the saved session expired", str(error), now)
    if isinstance(error, DiskFull):
        return StopCause("the disk holding the runs folder is full", str(error), now)
    if isinstance(error, SignInFailed):
        return StopCause("sign-in failed", f"sign-in failed: {error}", now)
    if isinstance(error, ElementNotFound):
        return StopCause("sign-in did not get through",
                         f"the site does not look as expected: {error}.", now)
    if isinstance(error, KeyboardInterrupt):
        return StopCause("the run was stopped at once (Ctrl-C twice)",
                         "the run was stopped at once (Ctrl-C twice).", now)
    kind = type(error).__name__
    return StopCause(f"a browser stopped on an unexpected error ({kind})", (
        f"a browser stopped on an unexpected error ({kind}); the records it had not reached "
        "were not run."), now)


def stopped_during(record: Record, interrupted: Interrupted) -> RecordResult:
    """The record the run was on when it had to stop: "not known" when its Save had been
    pressed (it may be stored: the next run looks first), else "not run" (nothing saved)."""
    step = f" during step '{interrupted.during}'" if interrupted.during else ""
    if interrupted.save_pressed:
        return RecordResult(record.index, record.line, Status.NOT_KNOWN,
                            f"not known: the run stopped{step} after Save was pressed; the "
                            "next run looks at the case before anything is typed again")
    return RecordResult(record.index, record.line, Status.NOT_RUN,
                        f"not run: the run stopped{step}, before Save; nothing was saved")


def disk_full_during(record: Record) -> RecordResult:
    """The record the run was on when the ledger could not take its next line: the outcome's
    Save was not pressed (its intent line comes first), though a case note may have been
    stored; the next run reads the case (notes included) before typing anything."""
    return RecordResult(record.index, record.line, Status.NOT_RUN,
                        "not run: the disk holding the runs folder filled up during this "
                        "record, before its outcome's Save; the next run reads the case "
                        "before anything is typed again")
