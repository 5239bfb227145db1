"""Runs a whole job: one browser, one sign-in, every record in turn, a result for each.

One failed record never stops the run; the results say what happened to every record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import sync_playwright

from bots.browser import find_browser, launch
from bots.jobfile import Job, Record
from bots.outcome_bot import Credentials, OutcomeBot, StepObserver
from bots.results import RecordResult

ResultCallback = Callable[[Record, RecordResult], None]


@dataclass(frozen=True)
class RunOptions:
    """How to run a job: where the site is, who signs in, and how the browser behaves."""

    sign_in_url: str
    credentials: Credentials
    headless: bool = True
    slow_mo_ms: float = 0
    browser_path: str | None = None
    dry_run: bool = False
    timeout_ms: float = 30_000


def _ignore(_record: Record, _result: RecordResult) -> None:
    """The default result callback."""


def run_job(
    job: Job,
    options: RunOptions,
    *,
    on_result: ResultCallback = _ignore,
    observer: StepObserver | None = None,
    records: list[Record] | None = None,
) -> list[RecordResult]:
    """Sign in once and process the records in order; SignInFailed ends the run before any."""
    chosen = job.records if records is None else records
    results: list[RecordResult] = []
    with sync_playwright() as playwright:
        browser = launch(
            playwright,
            find_browser(options.browser_path, playwright),
            headless=options.headless,
            slow_mo=options.slow_mo_ms,
        )
        try:
            context = browser.new_context()
            context.set_default_timeout(options.timeout_ms)
            page = context.new_page()
            extra = {"observer": observer} if observer is not None else {}
            bot = OutcomeBot(
                page, options.sign_in_url, options.credentials, dry_run=options.dry_run, **extra
            )
            bot.sign_in()
            for record in chosen:
                result = bot.process(record)
                results.append(result)
                on_result(record, result)
        finally:
            browser.close()
    return results
