"""The page-load limit (`--rate-limit`, and 30 a minute on any site that is not this machine),
with a fake clock: no test waits for real minutes."""

from __future__ import annotations

import threading

from caljobs_bot.running.run import RateLimiter


def test_the_page_load_limiter_spaces_loads_evenly_across_workers() -> None:
    now = [100.0]
    waits: list[float] = []

    def wait(seconds: float) -> None:  # the fake clock moves only when someone waits
        waits.append(round(seconds, 6))

    limiter = RateLimiter(30, threading.Event(), clock=lambda: now[0], wait=wait)
    for _ in range(3):
        limiter.wait_turn()  # three loads asked for at the same moment
    assert waits == [0, 2.0, 4.0]  # 30 a minute: one every 2 s
    now[0] += 10  # a quiet spell: the next load goes at once
    limiter.wait_turn()
    assert waits[-1] == 0
