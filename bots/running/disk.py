"""A full disk, named as one: what every write into a job's runs folder turns ENOSPC into.

A run writes its ledger, report, evidence and traces into the runs folder. When that disk
fills up, Python's OSError says "No space left on device" deep inside some write, and the
command line would only know "an unexpected error (OSError)". The person at the keyboard
needs to hear which disk is full and how much room is left, so they can free some and run
the same command again (the ledger makes that safe).
"""

from __future__ import annotations

import errno
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Windows' own codes for a full disk (ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL). Python maps
# them to ENOSPC already; they are checked too in case an error carries only `winerror`.
_WINDOWS_DISK_FULL = (39, 112)


class DiskFull(Exception):
    """A write into the runs folder found its disk full. The message is the sentence a person
    reads; `folder` is the folder whose disk it is."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.free_kb = free_kb(folder)
        free = "unknown" if self.free_kb is None else f"{self.free_kb} KB"
        super().__init__(
            f"The disk holding {folder} is full ({free} free): free some space there (or "
            "give --runs-dir on another disk) and run the same command again; records "
            "already saved are not entered twice")


def is_disk_full(error: BaseException) -> bool:
    """Whether an error is the operating system saying the disk is full."""
    if isinstance(error, DiskFull):
        return True
    if not isinstance(error, OSError):
        # Playwright reports its own writes (a trace, a screenshot) as its Error, with the
        # system's code in the message; only the code is looked at, never shown.
        text = str(error)
        return "ENOSPC" in text or "No space left on device" in text
    return error.errno == errno.ENOSPC or getattr(error, "winerror", None) in _WINDOWS_DISK_FULL


def full_disk_in(error: BaseException) -> BaseException | None:
    """The disk-full error in `error` or its causes (a write wrapped by a library), if any."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if is_disk_full(current):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


@contextmanager
def naming_full_disk(folder: Path) -> Iterator[None]:
    """Turn a full disk met by the writes inside into DiskFull naming `folder`."""
    try:
        yield
    except DiskFull:
        raise
    except Exception as error:
        if full_disk_in(error) is None:
            raise
        raise DiskFull(folder) from error


def free_kb(folder: Path) -> int | None:
    """Free space, in KB, on the disk holding `folder` (or its nearest existing parent)."""
    place = folder
    while not place.exists() and place != place.parent:
        place = place.parent
    try:
        return shutil.disk_usage(place).free // 1024
    except OSError:
        return None
