"""Waiting out WebForms postbacks, answering the site's "Are you sure?" confirms, and clicking
a button that closes its own window.

A postback submits the form to its own URL and the server sends a new page: waiting for a URL
change would return at once, and locators found before it would point at the old page. So an
action that posts back runs inside `postback(page)`, which returns once the new page has
loaded; locators (which are lazy) then find the new elements.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Dialog, Locator, Page
from playwright.sync_api import Error as PlaywrightError

# How long a window may take to go once its Close button reported a closed target.
CLOSE_GRACE_MS = 5_000


@contextmanager
def postback(page: Page) -> Iterator[None]:
    """Run the enclosed action and wait until the page it posts back to has loaded."""
    with page.expect_navigation(wait_until="load"):
        yield


@contextmanager
def accepting_confirm(page: Page) -> Iterator[None]:
    """Accept a confirm() the enclosed action raises (Playwright dismisses them by default,
    which silently cancels the action); the handler is removed afterwards either way."""

    def accept(dialog: Dialog) -> None:
        dialog.accept()

    page.once("dialog", accept)
    try:
        yield
    finally:
        page.remove_listener("dialog", accept)


def click_closing_window(window: Page, button: Locator) -> None:
    """Click a button whose own click handler calls window.close(), and wait until it has gone.

    The browser may tear the window down before it has answered the click, and Playwright
    then reports the click itself as failed ("Target page ... has been closed"); how often
    depends only on timing. For this click a closed window is the success wanted, so the
    error counts only while the window is still open once its close event had time to arrive.
    """
    try:
        with window.expect_event("close"):
            button.click()
    except PlaywrightError as error:
        if window.is_closed():
            return
        try:
            window.wait_for_event("close", timeout=CLOSE_GRACE_MS)
        except PlaywrightError:
            raise error from None
