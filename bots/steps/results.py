"""What became of each record: a value the run collects, never an exception that escapes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """How a record ended. The wording is what the summary and ledger show."""

    SAVED = "saved"
    DRY_RUN = "filled (dry run, not saved)"
    SKIPPED = "skipped"
    FAILED = "failed"
    NOT_RUN = "not run"
    # The run stopped around this record's Save: it may be stored. Checked on the site before
    # anything is typed again, on the next run.
    NOT_KNOWN = "not known"


@dataclass(frozen=True)
class RecordResult:
    """The end of one record: its position in the job, status and a reason a person understands."""

    index: int
    line: int | None
    status: Status
    reason: str = ""
    evidence: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Whether the record needs no one's attention (saved, dry-run filled, or skipped)."""
        return self.status not in (Status.FAILED, Status.NOT_RUN, Status.NOT_KNOWN)


class RecordFailed(Exception):
    """A business failure for one record (not found, wrong name, site validation...).

    Raised inside the bot and turned into a FAILED result; the message is shown to the user
    as it is, so it must read as a sentence that says what to do.
    """


class RecordSkipped(Exception):
    """The record needs no action (the application already has an outcome)."""


class SiteUnavailable(Exception):
    """The site answers with a maintenance or outage page: the whole run stops, politely.

    str() is the site's notice, so the person knows it is not the records' fault. Raised in
    the middle of a record, it also says whether that record's Save was pressed and during
    which step, so the record is reported "not known" or "not run", never "failed".
    """

    save_pressed: bool = False
    during: str = ""


class SiteUnreachable(SiteUnavailable):
    """The site does not answer at all (connection refused or reset, name not found, TLS,
    time-out) and still did not after a short, bounded re-check: the run stops as for an
    outage. str() says what the browser met."""


class SignInOutage(SiteUnavailable):
    """Signing in kept meeting server errors, or a session that ended as soon as it began,
    through every bounded retry: the site is failing, which is an outage, not a screen that
    differs. str() says which it was and how many tries."""


class SessionExpired(Exception):
    """A saved sign-in (from `caljobs-bot login`) has expired and there is no password to sign
    in again with; str() says what to do."""
