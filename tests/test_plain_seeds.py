"""The example job on fifty sites nobody tuned the bot to, and `check` on some of them.

Each markup seed draws every screen of the sandbox's plain markup anew (fixtures/sandbox
README: Markup: accessible and plain): titles, grids, sections, the program tree's toggles of
every kind and its lines in every layout, the listed outcome as a sentence or a table. The
page objects hold no list of those shapes; this test is where that shows. One browser, signed
in once, goes through every seed (the sandbox reset between them), so a failing seed names
itself in the one assertion with the record's reason.

Each seed takes one record of the example job (they rotate: every record meets a dozen seeds)
and then the same record again, which must be skipped: the program tree is what the seeds vary
most, and every record reads it twice. The whole job on every seed, twice, is the benchmark
`python -m bench.plain_seeds --seeds 1-50` (about half a minute a seed).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from caljobs_bot.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.outcome_bot import OutcomeBot, SiteAccess
from caljobs_bot.steps.preflight import Preflight
from caljobs_bot.steps.results import Status

pytestmark = pytest.mark.browser

SEEDS = range(1, 51)
CREDENTIALS = Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD)


def _variants(seed: int) -> dict[str, str]:
    """Both help sheets' wording and both pop-up kinds, spread over the seeds."""
    return {"ui": "2016" if seed % 2 else "2021", "popup": "dialog" if seed % 3 == 0 else "window"}


@pytest.mark.slow  # fifty seeds in a row: make test-all
def test_the_example_job_saves_once_on_fifty_plain_seeds(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox
) -> None:
    job = load_job(EXAMPLE_JOB)
    bot = OutcomeBot(page, SiteAccess(sandbox_server.sign_in_url, CREDENTIALS))
    short: list[str] = []
    for seed in SEEDS:
        sandbox.reset()
        sandbox.configure(markup="plain", markup_seed=seed, **_variants(seed))
        before = len(sandbox.outcomes())
        record = job.records[seed % len(job.records)]
        first, second = bot.process(record), bot.process(record)
        if first.status is not Status.SAVED:
            short.append(f"seed {seed}, record {record.index}: {first.status.value}: "
                         f"{first.reason}")
        if second.status is not Status.SKIPPED:
            short.append(f"seed {seed}, record {record.index} again: {second.status.value}: "
                         f"{second.reason}")
        stored = len(sandbox.outcomes()) - before
        if stored != 1:
            short.append(f"seed {seed}, record {record.index}: {stored} outcomes stored")
    assert not short, "\n".join(short)


@pytest.mark.parametrize("seed", [3, 17, 29, 44])
def test_check_finds_every_screen_on_plain_seeds(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path, seed: int
) -> None:
    sandbox.configure(markup="plain", markup_seed=seed, **_variants(seed))
    before = sandbox.state()
    findings = Preflight(page, sandbox_server.sign_in_url, CREDENTIALS, tmp_path).run(
        state_id="34801")
    missing = [f"{f.screen}: {f.element}: {f.detail}" for f in findings if not f.found]
    assert not missing, "\n".join(missing)
    assert sandbox.state() == before, "check changed what the site stores"
