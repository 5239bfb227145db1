"""Traces of a run: one Playwright trace chunk per record, scrubbed before it is kept.

A trace holds every request of the record, with the session cookie and the typed password;
it is written under a temporary name, scrubbed (scrub.py), and only then renamed into place.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import BrowserContext

from caljobs_bot.running.scrub import scrub_trace
from caljobs_bot.settings.config import TraceMode

# A file being written (a trace before it is scrubbed): never left for anyone to read.
PARTIAL_SUFFIX = ".part"


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
