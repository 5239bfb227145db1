"""Checking an output folder before any work that could save something.

A trainer's command that writes files (the guide, the practice report) replays a record first,
and the replay may save a real outcome. If the files could not be written afterwards, that
save would have been for nothing, and the trainer would see a Python traceback. So the folder
is created and every file the command will write is opened for appending (which creates it
without truncating what is there) before the replay starts; any problem becomes one sentence.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from caljobs_bot.running.disk import free_kb, full_disk_in


class OutputNotWritable(OSError):
    """The output folder or one of its files cannot be written; the message says which and
    what to do, in one sentence."""


_WHY = {
    errno.ENOTDIR: "a file is in the way (part of the path is a file, not a folder)",
    errno.EEXIST: "a file with that name is in the way",
    errno.EACCES: "you do not have permission to write there",
    errno.EPERM: "you do not have permission to write there",
    errno.EROFS: "the disk is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EISDIR: "a folder has that file's name",
}


def explain(problem: OSError, path: Path, option: str = "-o") -> OutputNotWritable:
    """One sentence for an OSError met while writing `path` (no traceback, no errno soup),
    naming the `option` that chooses another place."""
    if full_disk_in(problem) is not None:
        return _full(path, option)
    why = _WHY.get(problem.errno or 0, problem.strerror or type(problem).__name__)
    return OutputNotWritable(f"Cannot write {path}: {why}. Choose another place with {option}.")


def _full(path: Path, option: str) -> OutputNotWritable:
    """A full disk, named with the folder and its free space (bots/running/disk.py measures
    it, as for a run's full disk): the person can free that much or choose another place."""
    folder = path if path.is_dir() else path.parent
    free = free_kb(folder)
    room = "unknown" if free is None else f"{free} KB"
    return OutputNotWritable(f"Cannot write {path}: the disk holding {folder} is full "
                             f"({room} free); free some space there or choose another place "
                             f"with {option}.")


def check_room(folder: Path, needed_kb: int, what: str, *, option: str = "-o") -> None:
    """Raise OutputNotWritable, before anything is replayed, when the disk holding `folder`
    has less than `needed_kb` free: a replay that saves an outcome and then cannot write its
    guide has saved it for nothing."""
    free = free_kb(folder)
    if free is not None and free < needed_kb:
        raise OutputNotWritable(f"Not enough space for {what} in {folder}: {free} KB free, "
                                f"about {needed_kb} KB needed; nothing was replayed or saved, so "
                                f"free some space there or choose another place with {option}.")


@contextmanager
def removing_partial(path: Path) -> Iterator[None]:
    """Remove `path` when the write inside fails: a half-written file is worse than none
    (a truncated video or PDF looks like a guide and is not one)."""
    try:
        yield
    except BaseException:
        with suppress(OSError):  # the original problem is the one to tell
            path.unlink(missing_ok=True)
        raise


def check_writable(folder: Path, files: Iterable[str] = (), subfolders: Iterable[str] = (),
                   *, option: str = "-o") -> None:
    """Create `folder` (and `subfolders` in it) and prove each of `files` can be written there.

    Raises OutputNotWritable. Files that did not exist before are removed again, so a failed
    run leaves no empty guide.html behind.
    """
    for path in (folder, *(folder / name for name in subfolders)):
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as problem:
            raise explain(problem, path, option) from None
        if not os.access(path, os.W_OK | os.X_OK):
            raise explain(OSError(errno.EACCES, "permission denied"), path, option)
    for name in files:
        path = folder / name
        existed = path.exists()
        try:
            with path.open("ab"):
                pass
        except OSError as problem:
            raise explain(problem, path, option) from None
        if not existed:
            path.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    """Write a text file; OutputNotWritable instead of a raw OSError."""
    try:
        with removing_partial(path):
            path.write_text(text, encoding="utf-8")
    except OSError as problem:
        raise explain(problem, path) from None
