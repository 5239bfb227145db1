"""Counting the calls a side makes to the Playwright driver (instrumentation, not a framework).

Each call (a click, a fill, an `is_visible`, an `inner_text`, a `wait_for`...) is one message
to the driver and one answer, and the driver in turn talks to the browser: at L = 0 these round
trips, not page loads, are where a careful bot spends its extra time. Counting them by method
shows which checks cost what. Fire-and-forget bookkeeping messages (`__waitInfo__`) are left
out. Works for the sync and the async API alike (both send through the same transport).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

# Set BENCH_CALL_LOG=FILE to also write every call (step, method, selector) to FILE, one JSON
# line each: the exact sequence behind a step's count.
LOG_ENV = "BENCH_CALL_LOG"

CALLS: Counter[str] = Counter()
# Calls by the step under way (set by the side as it announces steps; with one worker only
# is the attribution exact: workers run steps at the same time).
BY_STEP: Counter[str] = Counter()
_step = ["setup"]


def set_step(key: str) -> None:
    """Attribute the calls from now on to this step ("between" after a record ends)."""
    _step[0] = key


def install() -> None:
    """Count every message sent to the driver, by `<object type>.<method>`, in CALLS."""
    from playwright._impl.transport import PipeTransport

    original = PipeTransport.send
    if getattr(original, "_bench_counting", False):
        return
    log_path = os.environ.get(LOG_ENV)
    log = open(log_path, "a", encoding="utf-8") if log_path else None  # noqa: SIM115 - process-long

    def send(self: PipeTransport, message: dict[str, Any]) -> None:
        method = message.get("method", "?")
        if method != "__waitInfo__":
            kind = str(message.get("guid", "?")).split("@", 1)[0]
            CALLS[f"{kind}.{method}"] += 1
            BY_STEP[_step[0]] += 1
            if log is not None:
                params = message.get("params") or {}
                log.write(json.dumps({"step": _step[0], "call": f"{kind}.{method}",
                                      "selector": params.get("selector", "")}) + "\n")
                log.flush()
        original(self, message)

    send._bench_counting = True  # type: ignore[attr-defined]
    PipeTransport.send = send  # type: ignore[method-assign]


def snapshot() -> dict[str, dict[str, int]]:
    """The counts so far, by method and by step, most frequent first."""
    return {"by_method": dict(CALLS.most_common()), "by_step": dict(BY_STEP.most_common())}
