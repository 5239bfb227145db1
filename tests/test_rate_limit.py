"""The page-load limit (`--rate-limit`, and 30 a minute on any site that is not this machine):
the limiter with a fake clock (no test waits for real minutes), and a short real run on the
sandbox with its local-address exemption turned off, judged by when the site saw each page."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pytest
import yaml
from bulk_jobs import DEFAULTS, bot_env, outcomes_per_application, run_command

from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.running.run import RateLimiter
from caljobs_bot.settings.politeness import REMOTE


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


# -- the limits themselves, as the site sees them ------------------------------------------

# The site sees a load a little after the limiter lets it go (the browser, the network, a
# redirect followed at once): this much earlier than the limiter's spacing still passes. A run
# without the limiter loads its pages a few tenths of a second apart.
SPACING_TOLERANCE = 0.4


# About 40 s spent waiting on the 2-second spacing itself: `make test-all` and CI run it; the
# limiter's arithmetic is proven above with a fake clock in every `make test`.
@pytest.mark.slow
@pytest.mark.browser
def test_a_site_that_is_not_this_machine_gets_two_browsers_and_30_page_loads_a_minute(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    people = sandbox.add_participants(3)  # enough work for 3 of the 4 browsers asked for
    job = tmp_path / "job.yaml"
    records = [{"participant": {"state_id": p["state_id"], "name": p["name"]}} for p in people]
    job.write_text(yaml.safe_dump({"version": 1, "defaults": DEFAULTS, "records": records}),
                   encoding="utf-8")
    # local_exempt = false: the sandbox gets the limits of the real site (settings/politeness).
    ran = subprocess.run(
        run_command(job, sandbox_server, tmp_path / "runs", "--workers", "4", "--trace", "off"),
        env=bot_env(CALJOBS_LOCAL_EXEMPT="false"), stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=600)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "workers: 4 from flag --workers lowered to 2" in ran.stdout + ran.stderr

    stats = sandbox.stats()
    assert stats["sign_ins"] == 2, "each browser signs in once: 2 browsers, not 3"
    assert set(outcomes_per_application(sandbox).values()) == {1}
    times = stats["page_load_times"]
    assert len(times) == stats["page_loads"] > 10
    spacing = 60 / REMOTE.default_rate_limit  # type: ignore[operator]
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert min(gaps) >= spacing - SPACING_TOLERANCE, sorted(gaps)[:5]
    for start in times:  # no minute holds more than the limit
        assert sum(start <= t < start + 60 for t in times) <= REMOTE.default_rate_limit
