"""One way to open a browser for every command that drives a site.

`run`, `check`, `calibrate`, `login`, `walkthrough`, `guide` and `practice` all need the same
things from a browser: the one the settings name (or the one found on this machine), seen or
not, waiting as long as the settings say, ignoring certificate errors only where a test site's
profile allows it, carrying the session `caljobs-bot login` saved for this site and user, and
tracing as `--trace` says. Written once here, so a trainer's command can never again miss what
a run has (a saved sign-in on a site with multi-factor sign-in, a test site's certificate).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from caljobs_bot.running.scrub import scrub_trace
from caljobs_bot.settings.browser import BrowserChoice, find_browser, launch
from caljobs_bot.settings.config import Settings, TraceMode
from caljobs_bot.settings.saved_sign_in import saved_session

# A file being written (a trace before it is scrubbed): never left for anyone to read.
PARTIAL_SUFFIX = ".part"


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
        are Playwright's own context options (the guide's viewport and video)."""
        context = self.browser.new_context(
            ignore_https_errors=self.options.ignore_https_errors,
            storage_state=self.options.storage_state, **extra)
        context.set_default_timeout(self.options.timeout_ms)
        return context

    def new_page(self, **extra: Any) -> Page:
        """A page in a context of its own (see new_context)."""
        return self.new_context(**extra).new_page()

    def tracer(self, context: BrowserContext, password: str | None) -> Tracer:
        """A tracer of `context` in the session's --trace mode; `password` is scrubbed out."""
        return Tracer(context, self.options.trace, password)

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
        choice = find_browser(options.browser_path, playwright)
        browser = launch(playwright, choice, headless=options.headless,
                         slow_mo=options.slow_mo_ms)
        session = BrowserSession(playwright, choice, browser, options)
        try:
            yield session
        finally:
            session.close()


class Tracer:
    """One Playwright trace chunk per record, kept as the --trace mode says."""

    def __init__(self, context: BrowserContext, mode: TraceMode,
                 password: str | None = None) -> None:
        self._context = context
        self._mode = mode
        self._password = password
        self._title = ""
        self._recording = False  # tracing started: everything the browser does is recorded
        self._open = False  # a chunk for the current record is open

    def begin(self, title: str) -> None:
        """Start the chunk of one record (nothing with --trace off)."""
        if self._mode == "off":
            return
        self._title = title
        if not self._recording:
            self._context.tracing.start(screenshots=True, snapshots=True, sources=False)
            self._recording = True
        self._context.tracing.start_chunk(title=title)
        self._open = True

    def end(self, failed: bool, path: Path) -> Path | None:
        """End the record's chunk; the trace file when the mode keeps it, scrubbed."""
        if not self._open:
            return None
        self._open = False
        keep = self._mode == "always" or (failed and self._mode == "on-failure")
        # Written under a temporary name and scrubbed before it takes its own: a run killed in
        # between leaves only a ".part", which the next run of the job deletes unread.
        raw = path.with_name(path.name + PARTIAL_SUFFIX)
        self._context.tracing.stop_chunk(path=raw if keep else None)
        if not keep:
            return None
        secrets = [self._password, *(c["value"] for c in self._context.cookies())]
        scrub_trace(raw, secrets)
        raw.replace(path)
        return path

    @contextmanager
    def untraced(self) -> Iterator[None]:
        """Keep a sign-in (the typed password) out of the trace: recording stops entirely
        (a stopped chunk alone still records the network) and starts again afterwards."""
        was_open, was_recording = self._open, self._recording
        if was_recording:
            self._context.tracing.stop()
            self._open = self._recording = False
        try:
            yield
        finally:
            if was_open:
                self.begin(self._title)
