"""One run of a job at a time: a lock on the job's runs folder, and who holds it.

Two `caljobs-bot run` processes on one job and runs folder (two staff members starting the
same job, a scheduled run overlapping a manual one) each check the site before each Save, but
case notes and contacts save at once, so both would add them: issue 20 found every note
stored twice. So a run holds `run.lock` in the job's folder for as long as it works, and a
second run is refused before it opens a browser, naming the holder from `run.lock.holder`
(host, process id, since when) written beside it.

The lock is filelock's native one (flock on Linux and macOS, msvcrt.locking on Windows), not
a soft lock (a marker file): the operating system releases a native lock when its process
dies, so a run killed outright (a power cut, SIGKILL, taskkill) never leaves a lock that
blocks the next run, and no guess about a stale marker's owner is needed. A file system that
cannot lock (some network shares) is named rather than silently run unlocked or with a
marker a killed run would leave behind.

Dry runs take the lock too: they share the job's folder (the ledger, the clean-up of a killed
run's half-written traces) and would read cases a real run is changing.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from caljobs_bot.running.disk import naming_full_disk
from caljobs_bot.settings.private import FILE_MODE, on_windows, private_folder

LOCK_NAME = "run.lock"
HOLDER_NAME = "run.lock.holder"


class JobBusy(Exception):
    """Another run holds this job's lock; the message names it and what to do."""


class JobLockUnsupported(Exception):
    """The runs folder's file system cannot lock files; the message names it."""


@dataclass(frozen=True)
class Holder:
    """Who holds a job's lock (no participant data: a host name, a process id, a time)."""

    host: str
    pid: int
    since: str
    dry_run: bool = False

    def describe(self) -> str:
        kind = "a dry run, " if self.dry_run else ""
        return f"{kind}process {self.pid} on {self.host}, since {self.since}"


@dataclass
class HeldLock:
    """A lock this process holds; `previous` is whoever held it last and never let go (a run
    that was killed), when its holder file was left behind."""

    folder: Path
    previous: Holder | None


_held: dict[Path, int] = {}
_held_guard = threading.Lock()


@contextmanager
def hold_job_lock(folder: Path, *, dry_run: bool = False) -> Iterator[HeldLock]:
    """Hold the lock of the job folder `folder` (created if need be) for the block, or raise
    JobBusy at once naming its holder. Re-entrant within one process: the command line takes
    it before asking for a password, and run_job takes it again."""
    folder = private_folder_named(folder)
    key = folder.resolve()
    with _held_guard:
        if _held.get(key):
            _held[key] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield HeldLock(folder, None)
        finally:
            with _held_guard:
                _held[key] -= 1
        return
    # Owner-only on POSIX; on Windows a mode means nothing (the private folder's ACL covers
    # the file), and filelock would chmod a descriptor, which Windows cannot.
    mode = -1 if on_windows() else FILE_MODE
    lock = FileLock(folder / LOCK_NAME, timeout=0, mode=mode, thread_local=False,
                    fallback_to_soft=False)
    try:
        with naming_full_disk(folder):
            lock.acquire()
    except Timeout:
        raise JobBusy(_busy_message(folder)) from None
    except OSError as error:
        raise JobLockUnsupported(
            f"{folder} is on a file system that cannot lock files ({error.strerror or error}), "
            "so two runs of this job could not be kept apart: give --runs-dir a folder on "
            "this computer's own disk") from None
    try:
        previous = read_holder(folder)
        try:
            with naming_full_disk(folder):
                _write_holder(folder, dry_run)
        except OSError:
            pass  # who holds it is for the message of a second run; the lock is what counts
        with _held_guard:
            _held[key] = 1
        try:
            yield HeldLock(folder, previous)
        finally:
            with _held_guard:
                _held.pop(key, None)
            (folder / HOLDER_NAME).unlink(missing_ok=True)
    finally:
        lock.release()


def private_folder_named(folder: Path) -> Path:
    """The job folder, created private (a full disk named)."""
    with naming_full_disk(folder.parent):
        return private_folder(folder)


def read_holder(folder: Path) -> Holder | None:
    """Who wrote the holder file in `folder`, if it is there and readable."""
    try:
        data = json.loads((folder / HOLDER_NAME).read_text(encoding="utf-8"))
        return Holder(host=str(data["host"]), pid=int(data["pid"]), since=str(data["since"]),
                      dry_run=bool(data.get("dry_run", False)))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _write_holder(folder: Path, dry_run: bool) -> None:
    """Write who holds the lock, whole (a temporary file renamed over the old one)."""
    holder = Holder(host=socket.gethostname(), pid=os.getpid(),
                    since=datetime.now().astimezone().isoformat(sep=" ", timespec="seconds"),
                    dry_run=dry_run)
    temporary = folder / f"{HOLDER_NAME}.{os.getpid()}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(temporary, flags, FILE_MODE), "wb") as out:
        out.write(json.dumps(asdict(holder)).encode("utf-8"))
    os.replace(temporary, folder / HOLDER_NAME)


def _busy_message(folder: Path) -> str:
    holder = read_holder(folder)
    who = holder.describe() if holder is not None else "it has not said who it is yet"
    return (f"Another run of this job is using {folder} ({who}). Nothing was done: wait for "
            "it to finish, then run the same command again (it goes on where that run "
            "stopped).")
