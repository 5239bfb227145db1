"""`caljobs-bot login`: a person signs in by hand, the signed-in session is kept for runs.

Some sites add steps a bot must not take for a person (multi-factor codes, notices to read).
The person signs in once in a visible browser; the browser's cookies are then saved to a
file only its owner can read, and later runs reuse them without typing a password until the
site ends the session (the bot then stops and says to log in again).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page

from caljobs_bot.pages.dashboard import StaffDashboard
from caljobs_bot.pages.login import LoginPage
from caljobs_bot.safe_names import digest, readable_prefix
from caljobs_bot.settings.private import create_private_file, make_private, private_folder


def session_file_name(sign_in_url: str, username: str | None) -> str:
    """The saved session's file name for this site and user: the host as a readable prefix,
    then a hash of the site (scheme, host and port, as typed) and the username.

    Never the address itself: an address holding `\\` or `..` is a path on Windows, and
    once put the session file outside the private folder. The name holds no separator, no
    character Windows refuses and no username, and is the same for every run of one site."""
    parts = urlsplit(sign_in_url)
    site = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}".lower()
    host = readable_prefix(parts.hostname or "") or "site"
    return f"{host}-{digest(site + chr(10) + (username or 'staff'), 16)}.json"


def session_file(runs_dir: Path, sign_in_url: str, username: str | None) -> Path:
    """Where `caljobs-bot login` keeps the signed-in session for this site and user: one file
    per site and username, in a private sessions folder under the runs folder."""
    return private_folder(runs_dir / "sessions") / session_file_name(sign_in_url, username)


def saved_session(runs_dir: Path, sign_in_url: str, username: str | None) -> Path | None:
    """The session `caljobs-bot login` kept for this site and user, if there is one (a
    session kept under the old name is moved to the new one first)."""
    path = session_file(runs_dir, sign_in_url, username)
    if not path.exists():
        _move_legacy_session(path, sign_in_url, username)
    return path if path.exists() else None


def _move_legacy_session(path: Path, sign_in_url: str, username: str | None) -> None:
    """Move a session saved under the old name (`host_port-user.json`, made of the address)
    to `path`, so a person who signed in before this version need not sign in again. Only a
    file directly in the sessions folder is moved: an old name that is not a plain file name
    (it held `\\`, `/` or `..`) is left where it is and not read."""
    host = urlsplit(sign_in_url).netloc.replace(":", "_") or "site"
    who = "".join(ch if ch.isalnum() else "_" for ch in (username or "staff"))
    name = f"{host}-{who}.json"
    if any(mark in name for mark in ("/", "\\", "..")) or name.startswith("."):
        return
    legacy = path.parent / name
    try:
        if legacy.parent == path.parent and legacy.is_file():
            legacy.replace(path)
    except OSError:  # too long a name for this system, or gone meanwhile: nothing to move
        return


class SavedSession(NamedTuple):
    """Where the session was kept, and whether only its owner can read it (the command line
    must not claim so when it could not be done)."""

    path: Path
    private: bool


def wait_for_person_to_sign_in(page: Page, sign_in_url: str, *,
                               tell_person: Callable[[], None], timeout_ms: float) -> None:
    """Open the sign-in page and wait, up to `timeout_ms`, until the person reaches the
    staff pages (a Sign Out link or the staff menu; a browser still signed in gets there at
    once)."""
    LoginPage(page).open(sign_in_url)
    tell_person()
    signed_in = StaffDashboard.signs_of_signed_in(page)
    signed_in.filter(visible=True).first.wait_for(timeout=timeout_ms)


def save_session(context: BrowserContext, path: Path) -> SavedSession:
    """Write the context's cookies and storage to `path`, readable by its owner only, and say
    whether that restriction worked (when not, it was also warned about).

    The file is created owner-only before anything is written, so the session cookie is never
    readable by others, not even for a moment (on Windows, inside the private sessions
    folder, it inherits that folder's owner-only ACL from the start)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    private = create_private_file(path) is None
    context.storage_state(path=path)
    # Playwright rewrites the file; on POSIX that keeps the mode, but make sure on every system.
    private = make_private(path, folder=False) is None and private
    return SavedSession(path, private)
