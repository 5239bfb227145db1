"""Waiting out WebForms postbacks, and answering the site's "Are you sure?" confirms.

A postback submits the form to its own URL and the server sends a new page: waiting for a URL
change would return at once, and locators found before it would point at the old page. So an
action that posts back runs inside `postback(page)`, which returns once the new page has
loaded; locators (which are lazy) then find the new elements.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Dialog, Page


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
