"""`caljobs-bot login`: a person signs in by hand, the signed-in session is kept for runs.

Some sites add steps a bot must not take for a person (multi-factor codes, notices to read).
The person signs in once in a visible browser; the browser's cookies are then saved to a
file only its owner can read, and later runs reuse them without typing a password until the
site ends the session (the bot then stops and says to log in again).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page

from pages.dashboard import StaffDashboard
from pages.login import LoginPage


def wait_for_person_to_sign_in(page: Page, sign_in_url: str, *,
                               tell_person: Callable[[], None], timeout_ms: float) -> None:
    """Open the sign-in page and wait, up to `timeout_ms`, until the person reaches the staff
    dashboard (a browser still signed in gets there at once)."""
    LoginPage(page).open(sign_in_url)
    tell_person()
    StaffDashboard.heading_in(page).wait_for(timeout=timeout_ms)


def save_session(context: BrowserContext, path: Path) -> Path:
    """Write the context's cookies and storage to `path`, readable by its owner only.

    The file is created owner-only before anything is written, so the session cookie is never
    readable by others, not even for a moment."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(descriptor)
    os.chmod(path, 0o600)
    context.storage_state(path=path)
    os.chmod(path, 0o600)
    return path
