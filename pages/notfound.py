"""What a page object says when a screen does not show what the help sheet describes.

The real CalJOBS will differ from the sandbox in ways nobody here has seen. When that happens
the data team needs one sentence: on which screen, which element, looked for how. A plain
Playwright time-out says none of that, so page objects wait through `must_show`, which turns
the time-out into ElementNotFound naming the screen and the element.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Locator, Page, Response
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# An answer from this status on is the server's failure, not a screen to read.
HTTP_SERVER_ERROR = 500


class ElementNotFound(PlaywrightTimeoutError):
    """A screen lacked an element a step needs; str() says which, where, in a person's words.

    A Playwright time-out underneath, so code that retries time-outs treats it the same.
    `key` is the element's key in the wording table ("case.create_button") when the element
    is found by words a wording file can change: the message names it, so the data team
    knows which line to add (and `check` and `calibrate` know what to fix). `tried` says what
    was looked for where the element's words alone do not ("looked for a new window, ...").
    """

    def __init__(self, screen: str, element: str, key: str | None = None,
                 tried: str | None = None) -> None:
        self.screen = screen
        self.element = element
        self.key = key
        self.tried = tried
        said = f"on the {screen}, no {element}"
        if tried is not None:
            said += f" ({tried})"
        if key is not None:
            said += f" (wording key {key})"
        super().__init__(said)


def must_show(
    target: Locator, *, screen: str, element: str, timeout: float | None = None,
    key: str | None = None,
) -> None:
    """Wait until the target shows (any one of its matches); ElementNotFound if it never does.

    `element` reads after "no": "'Create Exit/Outcome' button or link under application
    2244266's Exit / Outcome section".
    """
    try:
        target.filter(visible=True).first.wait_for(timeout=timeout)
    except PlaywrightTimeoutError:
        raise ElementNotFound(screen, element, key) from None


def click_shown(target: Locator, *, screen: str, element: str, key: str | None = None) -> None:
    """Click the target (which waits for it); ElementNotFound if it never shows.

    No separate wait first: the click's own wait is the look, one round trip.
    """
    try:
        target.click()
    except PlaywrightTimeoutError:
        raise ElementNotFound(screen, element, key) from None


@contextmanager
def looking_for(screen: str, element: str, key: str | None = None) -> Iterator[None]:
    """Within the block, a Playwright time-out (a field's fill or read that found no field)
    becomes ElementNotFound naming the screen, the element and its wording key.

    No extra look first: the action's own wait is the look, so no round trip is added.
    """
    try:
        yield
    except ElementNotFound:
        raise
    except PlaywrightTimeoutError:
        raise ElementNotFound(screen, element, key) from None


class ServerErrorAnswer(PlaywrightError):
    """An address answered with a server error (HTTP 5xx) instead of its screen: waiting for
    the screen's elements would only run into the time-out. A Playwright error underneath, so
    code that retries the site's hiccups retries this the same way."""

    def __init__(self, screen: str, status: int) -> None:
        self.screen, self.status = screen, status
        super().__init__(f"the {screen} answered with a server error (HTTP {status})")


# The HTTP status the document in a page or frame was answered with (0 when the browser
# does not say): for a page whose load we did not start ourselves, such as a pop-up window.
_DOCUMENT_STATUS = """() => {
  const entry = performance.getEntriesByType("navigation")[0];
  return (entry && entry.responseStatus) || 0;
}"""


def raise_if_error_document(navigator: Page | Frame, screen: str) -> None:
    """Raise ServerErrorAnswer when the document `navigator` shows was answered with a server
    error (a pop-up the site opened on a 503): its screen will never show, so waiting for
    it would only run into the time-out."""
    status = navigator.evaluate(_DOCUMENT_STATUS)
    if isinstance(status, int) and status >= HTTP_SERVER_ERROR:
        raise ServerErrorAnswer(screen, status)


def raise_if_server_error(response: Response | None, screen: str) -> None:
    """Raise ServerErrorAnswer when the page load that should have shown `screen` was
    answered with a server error (a navigation that did not load a document, None, is not
    judged here)."""
    if response is not None and response.status >= HTTP_SERVER_ERROR:
        raise ServerErrorAnswer(screen, response.status)
