"""Folders and files only their owner can read, on POSIX and on Windows.

Ledgers, traces, screenshots and the saved session cookie may show participant data or let
someone act as the staff member. On Linux and macOS a mode (0o700 for folders, 0o600 for
files) keeps them private. On Windows a mode does nothing: a new folder inherits the ACL of
its parent (a shared drive, `C:\\caljobs`), so there we replace the ACL with one entry, full
control for the current user, using `icacls`, which every Windows has and which needs no
admin rights for files the user owns. Folders get the entry with (OI)(CI) so the files
written into them later (ledger lines, screenshots) inherit it.

When that fails (icacls missing, a file system without ACLs, a network share that refuses),
we do not pretend: the failure is returned and warned about in a sentence, and callers that
tell the user "only you can read it" say so only when it was done.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


class NotPrivateWarning(UserWarning):
    """A folder or file could not be restricted to its owner; the message says which and why."""


def on_windows() -> bool:
    """Whether to use Windows ACLs rather than POSIX modes (read here so tests can simulate)."""
    return sys.platform == "win32" or os.name == "nt"


def _windows_user() -> str:
    """The account icacls should grant: DOMAIN\\user when the domain is known."""
    user = os.environ.get("USERNAME") or ""
    domain = os.environ.get("USERDOMAIN") or ""
    return f"{domain}\\{user}" if domain and user else user


def _restrict_acl(path: Path, *, folder: bool) -> str | None:
    """Replace `path`'s ACL with full control for the current user only; None when done,
    else why not (a sentence fragment for the warning)."""
    user = _windows_user()
    if not user:
        return "the USERNAME variable is not set, so the current user is unknown"
    grant = f"{user}:(OI)(CI)F" if folder else f"{user}:F"
    command = ["icacls", str(path), "/inheritance:r", "/grant:r", grant, "/q"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError) as problem:
        return f"icacls could not be run ({problem})"
    if done.returncode != 0:
        said = " ".join((done.stderr or done.stdout or "").split())
        return f"icacls refused (exit {done.returncode}{': ' + said if said else ''})"
    return None


def make_private(path: Path, *, folder: bool | None = None) -> str | None:
    """Make an existing folder or file readable by its owner only.

    Returns None when it is done, else a sentence saying why it could not be (also warned as
    NotPrivateWarning, so a command line can show it)."""
    folder = path.is_dir() if folder is None else folder
    if on_windows():
        problem = _restrict_acl(path, folder=folder)
    else:
        try:
            os.chmod(path, FOLDER_MODE if folder else FILE_MODE)
            problem = None
        except OSError as error:
            problem = f"chmod failed ({error.strerror or error})"
    if problem is None:
        return None
    message = (f"Could not make {path} private to you: {problem}. Others who can read its "
               "parent folder may read it; move it somewhere only you can open.")
    warnings.warn(NotPrivateWarning(message), stacklevel=2)
    return message


def private_folder(path: Path) -> Path:
    """Create a folder only its owner can read: ledgers, traces and screenshots are private.

    Folders it creates on the way are private too; folders that existed are left alone,
    except `path` itself, which is made private even if it existed."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        # mkdir's mode is filtered by the umask (POSIX) and ignored (Windows): make_private
        # sets what we mean.
        folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
        if folder != path:
            make_private(folder, folder=True)
    path.mkdir(parents=True, exist_ok=True)
    make_private(path, folder=True)
    return path


def create_private_file(path: Path) -> str | None:
    """Create (or empty) `path` so that it is private before anything is written to it.

    On POSIX the file is created with mode 0o600, so it is never readable by others, not even
    for a moment; on Windows its ACL is restricted right after creation (inside a private
    folder it inherits the owner-only entry from the start). Returns None when the file is
    private, else why not (also warned)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    os.close(os.open(path, flags, FILE_MODE))
    return make_private(path, folder=False)
