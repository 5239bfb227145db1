"""postback waits for the page a postback loads, and says at once when the network refused
it; click_closing_window: a Close click the browser answers with "target closed" is a
success only if the window really went. That race depends on timing (it showed on CI, and
locally only under CPU load), so its tests stand in for the browser with fakes that play
both orders of events."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Route
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from caljobs_bot.pages.notfound import ServerErrorAnswer
from caljobs_bot.pages.postback import click_closing_window, postback

# A made-up site, answered by the test's own route: no server needed.
SITE = "http://postback.test"
FORM = f'<form method="post" action="{SITE}/Page.aspx"><input type="submit" value="Save"></form>'


def answered_page(route: Route) -> None:
    """The page the postback loads, with an image the load waits for."""
    if route.request.url.endswith(".png"):
        route.fulfill(status=200, content_type="image/png", body=b"")
        return
    route.fulfill(status=200, content_type="text/html",
                  body='<p id="saved">Saved.</p><img src="/late.png">')


def server_error(route: Route) -> None:
    """ASP.NET's answer to a postback from a page it no longer accepts."""
    route.fulfill(status=500, content_type="text/html",
                  body="<h1>Server Error in '/' Application.</h1>")


def save_answered_by(page: Page, answer: Callable[[Route], None],
                     screen: str | None = None) -> None:
    """Click Save on a form whose post `answer` answers, inside postback."""
    page.route(f"{SITE}/**", answer)
    page.set_content(FORM)
    with postback(page, screen):
        page.get_by_role("button", name="Save").click()


@pytest.mark.browser
def test_a_postback_returns_once_the_page_it_loads_has_loaded(page: Page) -> None:
    save_answered_by(page, answered_page)
    assert page.url == f"{SITE}/Page.aspx"
    assert page.evaluate("document.readyState") == "complete"
    assert page.locator("#saved").count() == 1  # read at once, no waiting


@pytest.mark.browser
def test_a_postback_the_network_refuses_is_its_error_not_the_browsers_error_page(
    page: Page,
) -> None:
    with pytest.raises(PlaywrightError, match="ERR_CONNECTION_REFUSED") as raised:
        save_answered_by(page, lambda route: route.abort("connectionrefused"))
    assert not isinstance(raised.value, PlaywrightTimeoutError)


@pytest.mark.browser
def test_a_server_error_instead_of_the_screen_wanted_is_said_at_once(page: Page) -> None:
    with pytest.raises(ServerErrorAnswer, match=r"the list of people answered with a server "
                       r"error \(HTTP 500\)"):
        save_answered_by(page, server_error, "list of people")


@pytest.mark.browser
def test_without_a_screen_wanted_the_caller_reads_what_came(page: Page) -> None:
    save_answered_by(page, server_error)  # Save reads the answer itself (messages, sign-in)
    assert page.locator("h1").count() == 1


@pytest.mark.browser
def test_a_postback_dropped_before_any_page_came_says_so_after_the_wait(page: Page) -> None:
    page.set_default_timeout(1_000)  # the wait is what ends here: keep it short
    with pytest.raises(PlaywrightError, match="ERR_ABORTED"):
        save_answered_by(page, lambda route: route.abort("aborted"))


class FakeWindow:
    """A window whose close event arrives during the click, after it, or never."""

    def __init__(self, closes: bool) -> None:
        self.closes = closes
        self.closed = False

    @contextmanager
    def expect_event(self, event: str) -> Iterator[None]:
        assert event == "close"
        yield
        if not self.closed:
            raise PlaywrightError("Timeout waiting for event close")

    def is_closed(self) -> bool:
        return self.closed

    def wait_for_event(self, event: str, timeout: float) -> None:
        assert event == "close"
        if not self.closes:
            raise PlaywrightError(f"Timeout {timeout}ms exceeded while waiting for event close")
        self.closed = True


class ClosingButton:
    def __init__(self, window: FakeWindow, closed_before_error: bool) -> None:
        self.window = window
        self.closed_before_error = closed_before_error

    def click(self) -> None:
        self.window.closed = self.closed_before_error
        raise PlaywrightError("Locator.click: Target page, context or browser has been closed")


class QuietButton:
    def __init__(self, window: FakeWindow) -> None:
        self.window = window

    def click(self) -> None:
        self.window.closed = True


@pytest.mark.parametrize("closed_before_error", [True, False])
def test_target_closed_during_the_click_counts_as_closed(closed_before_error: bool) -> None:
    window = FakeWindow(closes=True)
    click_closing_window(window, ClosingButton(window, closed_before_error))  # type: ignore[arg-type]
    assert window.is_closed()


def test_a_click_that_fails_and_leaves_the_window_open_raises_the_clicks_error() -> None:
    window = FakeWindow(closes=False)
    with pytest.raises(PlaywrightError, match="Target page"):
        click_closing_window(window, ClosingButton(window, closed_before_error=False))  # type: ignore[arg-type]
    assert not window.is_closed()


def test_a_plain_click_that_closes_the_window_returns() -> None:
    window = FakeWindow(closes=True)
    click_closing_window(window, QuietButton(window))  # type: ignore[arg-type]
    assert window.is_closed()
