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

    str() is the site's notice, so the person knows it is not the records' fault. Met in the
    middle of a record, the bot returns it as an Interrupted value, which also says where the
    record had got to.
    """


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


@dataclass(frozen=True)
class Interrupted:
    """A record the run had to stop on: why the whole run stops, during which step, and whether
    this record's Save was pressed (by this run, or by an earlier one that never heard back).

    A value the bot returns, not attributes set on the exception on its way up: the runner
    reports the record "not known" (it may be stored) or "not run" from these fields, and a
    type checker sees them."""

    cause: SiteUnavailable | SessionExpired
    during: str = ""
    save_pressed: bool = False
