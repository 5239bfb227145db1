"""The run ledger: an append-only record of what happened to each record, across runs.

A data team must be able to kill a run at any moment and start it again without saving any
outcome twice. So each record's fate is appended as one JSON line and forced to disk before the
next record starts, and the bot writes an intent line ("saving") just before it presses Save:
a record whose last line is "saving" may have been stored even though no answer came back, and
the next run looks at the site before it tries again.

The ledger holds no participant data: records are known by a hash of their identifiers.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import threading
import warnings
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from caljobs_bot.running.disk import naming_full_disk
from caljobs_bot.settings.private import FILE_MODE, private_folder
from caljobs_bot.steps.results import RecordResult, Status

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import ParticipantRef, Record
    from caljobs_bot.steps.state import SideEffectKind, SideEffectStage


class Entry(StrEnum):
    """What a ledger line says about a record."""

    SAVING = "saving"  # Save is about to be pressed: the outcome may exist after this line
    SAVED = "saved"
    SKIPPED = "skipped-already-exited"
    FAILED = "failed"
    DRY_RUN = "dry-run"
    # The run stopped around this record's Save (the site went away): it may be stored. Like
    # "saving", the next run looks at the site before typing anything.
    NOT_KNOWN = "not-known"
    # A case note saves at once on the site: intent just before its Save, done after.
    NOTE_ADDING = "note-adding"
    NOTE_ADDED = "note-added"


@dataclass(frozen=True)
class LedgerLine:
    """One line of the ledger."""

    time: str
    run: str
    index: int
    line: int | None
    identity: str
    content_hash: str
    status: Entry
    reason: str = ""


def record_identity(record: Record) -> str:
    """A stable, anonymous key for "this participant's outcome on this application"."""
    return participant_identity(record.participant, record.application)


def participant_identity(who: ParticipantRef, application: str | None) -> str:
    """The same key from the ids alone: `audit` reads participants that a spreadsheet of ids
    names (no record), and keys them as `run` keys its records."""
    key = "|".join((f"state:{who.state_id or ''}", f"user:{who.user_id or ''}",
                    f"application:{application or ''}"))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


class LedgerUnusable(Exception):
    """Something that is not a file stands where the ledger should be; the message names the
    path and what to do (every run of the job would stop there until it is moved)."""


class LedgerDamagedWarning(UserWarning):
    """Ledger lines that could not be read were set aside; the message says where."""

    sentence = True  # shown as one line by the command line, not as Python's warning form


# A damaged line may still show whose it was: that record is then looked up on the site as
# one whose Save may have gone through.
_IDENTITY = re.compile(rb'"identity":\s*"([0-9a-f]{20})"')


class Ledger:
    """The ledger file of one job. Safe to share between worker threads of one process; one
    process at a time writes it (running/job_lock.py)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.bad_path = path.with_name(path.name + ".bad")
        self._lock = threading.Lock()
        # Identities seen in lines set aside as damaged: not known, looked up on the site.
        self.damaged_identities: set[str] = set()
        with naming_full_disk(path.parent):
            private_folder(path.parent)

    def check_usable(self) -> None:
        """Raise LedgerUnusable when a folder (or any non-file) has the ledger's name."""
        if self.path.exists() and not self.path.is_file():
            kind = "a folder" if self.path.is_dir() else "not a regular file"
            raise LedgerUnusable(
                f"{self.path} is {kind}, where this job's ledger should be: move or rename "
                "it (keep it if it holds an earlier ledger), then run the same command again")

    def lines(self) -> list[LedgerLine]:
        """Every readable line so far; a line that cannot be read (cut short by a crash, a
        byte that is not UTF-8) is left out (set_aside_damaged moves it away)."""
        return [line for line in map(_parse, self._raw_lines()) if line is not None]

    def _raw_lines(self) -> list[bytes]:
        self.check_usable()
        if not self.path.exists():
            return []
        return [raw for raw in self.path.read_bytes().split(b"\n") if raw.strip()]

    def set_aside_damaged(self) -> int:
        """Move every line that cannot be read into ledger.jsonl.bad (appended), keep the rest
        in order, and warn in one sentence; returns how many were moved.

        Without this, one bad byte would be met by every later run. The record a damaged line
        was about is then "not known": if the line shows its identity, the run treats it as a
        Save that may have gone through; either way the site is read before anything is
        typed, so nothing is saved twice. Call it only while holding the job's lock."""
        raw_lines = self._raw_lines()
        bad = [raw for raw in raw_lines if _parse(raw) is None]
        if not bad:
            return 0
        good = [raw for raw in raw_lines if _parse(raw) is not None]
        with self._lock, naming_full_disk(self.path.parent):
            with os.fdopen(os.open(self.bad_path, _APPEND_FLAGS, FILE_MODE), "ab") as out:
                out.write(b"".join(raw + b"\n" for raw in bad))
                out.flush()
                os.fsync(out.fileno())
            kept = self.path.with_name(self.path.name + ".kept")
            with os.fdopen(os.open(kept, _REWRITE_FLAGS, FILE_MODE), "wb") as out:
                out.write(b"".join(raw + b"\n" for raw in good))
                out.flush()
                os.fsync(out.fileno())
            os.replace(kept, self.path)
        for raw in bad:
            self.damaged_identities.update(m.decode("ascii") for m in _IDENTITY.findall(raw))
        count = len(bad)
        warnings.warn(LedgerDamagedWarning(
            f"{count} line{'s' if count != 1 else ''} of {self.path} could not be read (cut "
            f"short or not UTF-8) and {'were' if count != 1 else 'was'} moved to "
            f"{self.bad_path}; {'their records are' if count != 1 else 'its record is'} "
            "looked up on the site before anything is typed"), stacklevel=2)
        return count

    def last_by_identity(self) -> dict[str, LedgerLine]:
        """The latest line for each record identity (what the next run must know)."""
        latest: dict[str, LedgerLine] = {}
        for line in self.lines():
            latest[line.identity] = line
        return latest

    def saved_by_identity(self) -> dict[str, LedgerLine]:
        """The line that recorded each identity's save, if any run saved it."""
        return {ln.identity: ln for ln in self.lines() if ln.status is Entry.SAVED}

    def append(self, run: str, record: Record, status: Entry, reason: str = "") -> LedgerLine:
        """Append one whole line and force it to disk before returning.

        The line is written in one call and, if the disk fills up part-way, cut back to what
        the file held before: a full disk never leaves a torn line, and raises DiskFull."""
        line = LedgerLine(
            time=datetime.now(UTC).isoformat(timespec="seconds"),
            run=run,
            index=record.index,
            line=record.line,
            identity=record_identity(record),
            content_hash=record.content_hash(),
            status=status,
            reason=reason,
        )
        self.append_json(asdict(line))
        return line

    def append_json(self, payload: dict[str, object]) -> None:
        """Append one JSON object as a whole line, forced to disk (see append): the audit
        ledger writes its own lines with the same guarantees."""
        data = (json.dumps(payload, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock, naming_full_disk(self.path.parent):
            self.check_usable()
            # os.open (not open()) so the file is created owner-only on POSIX; the private
            # folder's ACL covers Windows. Binary: no newline translation on Windows.
            fd = os.open(self.path, _APPEND_FLAGS, FILE_MODE)
            try:
                before = os.fstat(fd).st_size
                if _ends_torn(fd, before):
                    data = b"\n" + data  # a crash cut the last line short: start a fresh one
                try:
                    _write_all(fd, data)
                    os.fsync(fd)
                except OSError:
                    _cut_back(fd, before)
                    raise
            finally:
                os.close(fd)

    def json_lines(self) -> list[dict[str, object]]:
        """Every line that reads as a JSON object; a torn or damaged line is left out (for
        the audit ledger, whose worst case is reading a participant again)."""
        found: list[dict[str, object]] = []
        for raw in self._raw_lines():
            try:
                data = json.loads(raw.decode("utf-8"))
            except ValueError:
                continue
            if isinstance(data, dict):
                found.append(data)
        return found


# The ledger line for each way a record ends ("not run" is never written: nothing happened).
_END_ENTRY = {
    Status.SAVED: Entry.SAVED,
    Status.SKIPPED: Entry.SKIPPED,
    Status.FAILED: Entry.FAILED,
    Status.DRY_RUN: Entry.DRY_RUN,
    Status.NOT_KNOWN: Entry.NOT_KNOWN,
}


class RunLedger:
    """The ledger as one run writes it: the RecordJournal the bot and the runner are given
    (steps/state.py), so neither needs the file's format, the run's id or what earlier runs
    left; the walkthrough and the guide give the bot no journal at all."""

    def __init__(self, ledger: Ledger, run: str, pending: set[str]) -> None:
        self.ledger = ledger
        self.run = run
        # Identities whose Save an earlier run pressed and never heard back about (or whose
        # lines were damaged): each is looked up on the site before anything is typed.
        self._pending = frozenset(pending)

    def may_be_saved(self, record: Record) -> bool:
        return record_identity(record) in self._pending

    def saving(self, record: Record) -> None:
        self.ledger.append(self.run, record, Entry.SAVING, "Save pressed")

    def side_effect(self, record: Record, kind: SideEffectKind,
                    stage: SideEffectStage) -> None:
        entry = Entry.NOTE_ADDING if stage == "intent" else Entry.NOTE_ADDED
        self.ledger.append(self.run, record, entry, kind)

    def ended(self, record: Record, result: RecordResult) -> None:
        self.ledger.append(self.run, record, _END_ENTRY[result.status], result.reason)


_APPEND_FLAGS = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
_REWRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def _parse(raw: bytes) -> LedgerLine | None:
    """One ledger line, or None when it cannot be read (torn, not UTF-8, not ours)."""
    try:
        data = json.loads(raw.decode("utf-8"))
        data["status"] = Entry(data["status"])
        return LedgerLine(**data)
    except (ValueError, TypeError, KeyError):  # UnicodeDecodeError is a ValueError
        return None


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte; a short write goes on with the rest (and meets the disk's error)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, "no byte could be written")
        view = view[written:]


def _cut_back(fd: int, size: int) -> None:
    """Truncate the file back to `size` after a write that failed part-way (best effort: the
    write's own error is what the caller raises, and a line left torn is set aside later)."""
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    except OSError:
        pass


def _ends_torn(fd: int, size: int) -> bool:
    """Whether the file's last line lacks its newline (a write cut short by a crash).

    A seek and a one-byte read, not os.pread: Windows has no pread, and this is the call that
    made every run there crash at its second ledger write. Writes still go to the end: the
    file is open for appending."""
    if size == 0:
        return False
    os.lseek(fd, size - 1, os.SEEK_SET)
    return os.read(fd, 1) != b"\n"
