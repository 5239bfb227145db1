"""The run ledger: an append-only record of what happened to each record, across runs.

A data team must be able to kill a run at any moment and start it again without saving any
outcome twice. So each record's fate is appended as one JSON line and forced to disk before the
next record starts, and the bot writes an intent line ("saving") just before it presses Save:
a record whose last line is "saving" may have been stored even though no answer came back, and
the next run looks at the site before it tries again.

The ledger holds no participant data: records are known by a hash of their identifiers.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from caljobs_bot.settings.private import FILE_MODE, private_folder

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record


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
    who = record.participant
    key = "|".join((f"state:{who.state_id or ''}", f"user:{who.user_id or ''}",
                    f"application:{record.application or ''}"))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


class Ledger:
    """The ledger file of one job. Safe to share between worker threads of one process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        private_folder(path.parent)

    def lines(self) -> list[LedgerLine]:
        """Every line so far; a line cut short by a crash is ignored."""
        if not self.path.exists():
            return []
        found = []
        for text in self.path.read_text(encoding="utf-8").splitlines():
            try:
                data = json.loads(text)
                data["status"] = Entry(data["status"])
                found.append(LedgerLine(**data))
            except (ValueError, TypeError, KeyError):
                continue
        return found

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
        """Append one line and force it to disk before returning."""
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
        text = json.dumps(asdict(line), ensure_ascii=False) + "\n"
        with self._lock:
            # Binary mode: no newline translation on Windows, and os.open (not open()) so the
            # file is created owner-only on POSIX; the private folder's ACL covers Windows.
            flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
            with os.fdopen(os.open(self.path, flags, FILE_MODE), "a+b") as file:
                if _ends_torn(file):
                    text = "\n" + text  # a crash cut the last line short: start a fresh one
                file.write(text.encode("utf-8"))
                file.flush()
                os.fsync(file.fileno())
        return line


def _ends_torn(file: BinaryIO) -> bool:
    """Whether the file's last line lacks its newline (a write cut short by a crash).

    A seek and a one-byte read, not os.pread: Windows has no pread, and this is the call that
    made every run there crash at its second ledger write. Writes still go to the end: the
    file is open for appending."""
    size = file.seek(0, os.SEEK_END)
    if size == 0:
        return False
    file.seek(size - 1)
    return file.read(1) != b"\n"
