"""Worker threads for a run or an audit: each signs in with a browser of its own (Playwright's
sync API is bound to its thread), takes records from a shared queue, and says when it has
started, so the progress display begins once the first pages are on their way."""

from __future__ import annotations

import threading
from collections.abc import Callable


def run_workers(count: int, work: Callable[[threading.Event], None], name: str,
                on_ready: Callable[[], None] | None = None) -> None:
    """Run `count` threads of `work(started)`; once every one has set its `started`, call
    `on_ready`; return when all have ended. No thread at all when `count` is 0 (nothing left
    to do: no browser is opened)."""
    started = [threading.Event() for _ in range(count)]
    threads = [threading.Thread(target=work, args=(started[n],), name=f"{name}-{n}",
                                daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    for event in started:
        event.wait()
    if on_ready is not None:
        on_ready()
    for thread in threads:
        while thread.is_alive():
            thread.join(timeout=0.5)  # short joins keep Ctrl-C responsive in this thread
