"""Waiting out WebForms postbacks, answering the site's "Are you sure?" confirms, and clicking
a button that closes its own window.

A postback submits the form to its own URL and the server sends a new page: waiting for a URL
change would return at once, and locators found before it would point at the old page. So an
action that posts back runs inside `postback(page)`, which returns once the new page has
loaded; locators (which are lazy) then find the new elements.

Some actions post back on one site and not on another (a dropdown with or without
AutoPostBack): those run inside `ReloadWatch(page)`, which tells afterwards whether a reload
started and waits for it only then.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType
from weakref import WeakKeyDictionary

from playwright.sync_api import Dialog, Frame, Locator, Page, Request, Response
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from caljobs_bot.pages.notfound import HTTP_SERVER_ERROR, ServerErrorAnswer

# How long a window may take to go once its Close button reported a closed target.
CLOSE_GRACE_MS = 5_000


@contextmanager
def postback(page: Page, screen: str | None = None) -> Iterator[None]:
    """Run the enclosed action and wait until the page it posts back to has loaded.

    `page.expect_navigation` would do the same, but it then asks the driver for the new
    document's response, which nobody here reads: one round trip more for every Search,
    Create and Save (bench/RESULTS.md counts them). This waits for the same events instead:
    the main frame's navigation, then its load. A navigation the network refused is raised
    as expect_navigation raises it ("net::ERR_..."), not taken for the browser's error page.
    Given the `screen` that should come, a page answered with a server error instead is
    ServerErrorAnswer at once: none of that screen's elements will ever show, and waiting
    for them would only run into the time-out. (Without it, the caller reads what came.)
    """
    watch = _navigations(page)
    watch.refused.clear()
    watch.status = None
    try:
        with page.expect_event("framenavigated",
                               predicate=lambda frame: frame == page.main_frame):
            yield
    except PlaywrightTimeoutError:
        # A navigation cancelled before any page came (no error page either) ends here.
        if watch.refused:
            raise PlaywrightError(watch.refused[-1]) from None
        raise
    # A navigation another one replaced is reported aborted: only a refusal counts here.
    failed = [failure for failure in watch.refused if _ABORTED not in failure]
    if failed:
        raise PlaywrightError(failed[-1])
    page.wait_for_load_state("load")
    if screen is not None and watch.status is not None and watch.status >= HTTP_SERVER_ERROR:
        raise ServerErrorAnswer(screen, watch.status)


# How the browser reports a navigation it dropped (replaced by another, or no page came).
_ABORTED = "ERR_ABORTED"


@dataclass
class _Navigations:
    """What a page's main frame met since the last postback began: the navigations the
    network refused ("net::ERR_..."), and the HTTP status of the last page it was sent."""

    refused: list[str] = field(default_factory=list)
    status: int | None = None


_watched: WeakKeyDictionary[Page, _Navigations] = WeakKeyDictionary()


def _navigations(page: Page) -> _Navigations:
    """The page's main-frame navigations, listened for from now on. The listeners are added
    once per page and kept (adding one costs a round trip to the driver). The browser reports
    a refused navigation before it shows its error page, and a page's answer before showing
    it, so both are known by the time postback sees the new page."""
    watch = _watched.get(page)
    if watch is None:
        watch = _Navigations()

        def refused(request: Request, watch: _Navigations = watch) -> None:
            if request.is_navigation_request() and request.frame == page.main_frame:
                watch.refused.append(request.failure or "the page could not be loaded")

        def answered(response: Response, watch: _Navigations = watch) -> None:
            if response.request.is_navigation_request() and response.frame == page.main_frame:
                watch.status = response.status

        page.on("requestfailed", refused)
        page.on("response", answered)
        _watched[page] = watch
    return watch


class ReloadWatch:
    """Whether an action made the page load a new document, for actions that may or may not
    post back (a dropdown with or without AutoPostBack).

    Use: `with ReloadWatch(page) as reload: act(); reload.settle()`, then
    `reload.wait_loaded()` (returns at once when nothing started). Listening starts before the
    action, so a postback that is quick is not missed; `settle` lets the page run what the
    action queued for "right after" (ASP.NET's AutoPostBack calls __doPostBack from
    `setTimeout(..., 0)`), so a postback has been sent by the time it returns.
    """

    # A timer of our own, queued after the page's: when it fires, the page's zero-delay timers
    # (the postback) have run.
    _SETTLE = "() => new Promise(resolve => setTimeout(resolve, 0))"

    def __init__(self, page: Page) -> None:
        self.page = page
        self._requested = False
        self._committed = False

    def _on_request(self, request: Request) -> None:
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self._requested = True

    def _on_navigated(self, frame: Frame) -> None:
        if frame == self.page.main_frame:
            self._committed = True

    def __enter__(self) -> ReloadWatch:
        self.page.on("request", self._on_request)
        self.page.on("framenavigated", self._on_navigated)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.page.remove_listener("request", self._on_request)
        self.page.remove_listener("framenavigated", self._on_navigated)

    @property
    def started(self) -> bool:
        """Whether the page began loading a new document since the watch began."""
        return self._requested or self._committed

    def settle(self) -> None:
        """Let the page run the zero-delay work the action queued (a postback among it)."""
        try:
            self.page.evaluate(self._SETTLE)
        except PlaywrightError as error:
            # The page went away under our timer: that is the postback, already committed.
            if self.page.is_closed() or "context was destroyed" not in str(error):
                raise
            self._requested = True

    def wait_loaded(self) -> None:
        """If a new document started, wait until it has loaded; else return at once."""
        if not self.started:
            return
        if not self._committed:
            self.page.wait_for_event("framenavigated",
                                     predicate=lambda frame: frame == self.page.main_frame)
        self.page.wait_for_load_state("load")


# Per page, whether the next dialog is to be accepted (see accepting_confirm).
_accepting: WeakKeyDictionary[Page, list[bool]] = WeakKeyDictionary()


@contextmanager
def accepting_confirm(page: Page) -> Iterator[None]:
    """Accept a confirm() the enclosed action raises (Playwright dismisses them by default,
    which silently cancels the action); outside the block, dialogs are dismissed as before.

    One listener per page, added the first time and kept: adding and removing one around
    every Save cost two round trips to the browser per record."""
    wanted = _accepting.get(page)
    if wanted is None:
        wanted = [False]

        def answer(dialog: Dialog, wanted: list[bool] = wanted) -> None:
            if wanted[0]:
                wanted[0] = False
                dialog.accept()
            else:
                dialog.dismiss()  # what Playwright does with no listener

        page.on("dialog", answer)
        _accepting[page] = wanted
    wanted[0] = True
    try:
        yield
    finally:
        wanted[0] = False


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
