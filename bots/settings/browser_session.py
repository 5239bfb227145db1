"""One way to open a browser for every command that drives a site.

`run`, `check`, `calibrate`, `login`, `walkthrough`, `guide` and `practice` all need the same
things from a browser: the one the settings name (or the one found on this machine), seen or
not, waiting as long as the settings say, ignoring certificate errors only where a test site's
profile allows it, carrying the session `caljobs-bot login` saved for this site and user, and
keeping the `--trace` mode a run's tracer follows (running/tracing.py), answering the site's
session-timeout warning on every page (pages/session_warning.py). Written once here,
so a trainer's command can never again miss what a run has (a saved sign-in on a site with
multi-factor sign-in, a test site's certificate).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from caljobs_bot.pages.session_warning import guard_context
from caljobs_bot.settings.browser import BrowserChoice, find_browser, launch
from caljobs_bot.settings.config import Settings, TraceMode
from caljobs_bot.settings.saved_sign_in import saved_session


@dataclass(frozen=True)
class SessionOptions:
    """How a command's browser is opened and what every page of it gets."""

    browser_path: str | None = None
    headless: bool = True
    slow_mo_ms: float = 0
    timeout_ms: float = 15_000
    # Only a test site's profile may set this (bots/settings/config.py refuses it for production).
    ignore_https_errors: bool = False
    # A session saved by `caljobs-bot login`: the browser starts signed in.
    storage_state: Path | None = None
    trace: TraceMode = "off"

    @classmethod
    def for_site(cls, settings: Settings, sign_in_url: str, *, headless: bool | None = None,
                 slow_mo_ms: float = 0, saved_sign_in: bool = True) -> SessionOptions:
        """The options the resolved settings give for the site at `sign_in_url`: its saved
        session when `caljobs-bot login` kept one for this site and user (`saved_sign_in`
        False for `login` itself, which makes a fresh one). `headless` None: as the settings
        say (a command whose window is always shown, or never, gives its own)."""
        stored = (saved_session(settings.runs_dir, sign_in_url, settings.username)
                  if saved_sign_in else None)
        return cls(
            browser_path=settings.browser_path,
            headless=settings.headless if headless is None else headless,
            slow_mo_ms=slow_mo_ms,
            timeout_ms=settings.timeout_seconds * 1000,
            ignore_https_errors=settings.ignore_https_errors,
            storage_state=stored,
            trace=settings.trace,
        )


class BrowserSession:
    """A launched browser; its contexts get the session's options."""

    def __init__(self, playwright: Playwright, choice: BrowserChoice, browser: Browser,
                 options: SessionOptions) -> None:
        self.playwright = playwright
        self.choice = choice
        self.browser = browser
        self.options = options
        self._printer: Browser | None = None

    def new_context(self, **extra: Any) -> BrowserContext:
        """A context with the certificate rule, the saved sign-in and the time-out; `extra`
        are Playwright's own context options (the guide's viewport and video). Every page it
        opens, pop-up windows too, answers the site's session-timeout warning on its own
        (pages/session_warning.py): it may cover any screen at any moment."""
        context = self.browser.new_context(
            ignore_https_errors=self.options.ignore_https_errors,
            storage_state=self.options.storage_state, **extra)
        context.set_default_timeout(self.options.timeout_ms)
        guard_context(context)
        return context

    def new_page(self, **extra: Any) -> Page:
        """A page in a context of its own (see new_context)."""
        return self.new_context(**extra).new_page()

    def printer(self) -> Browser:
        """A headless browser (only a headless one prints to PDF): this one when it is
        headless, else a second one, launched once and closed with the session."""
        if self.options.headless:
            return self.browser
        if self._printer is None:
            self._printer = launch(self.playwright, self.choice)
        return self._printer

    def close(self) -> None:
        """Close the browser (and the printer, if one was launched)."""
        if self._printer is not None:
            self._printer.close()
        self.browser.close()


@contextmanager
def open_session(options: SessionOptions) -> Iterator[BrowserSession]:
    """Find and launch the browser the options name; closed when the block ends.

    Raises BrowserNotFound (or BrowserWouldNotStart) with a sentence for the person."""
    with sync_playwright() as playwright:
        choice = find_browser(options.browser_path, playwright, headless=options.headless)
        browser = launch(playwright, choice, headless=options.headless,
                         slow_mo=options.slow_mo_ms)
        session = BrowserSession(playwright, choice, browser, options)
        try:
            yield session
        finally:
            session.close()
