"""The floor to compare the bot against: the same clicks in a plain Playwright script.

No page objects, no ledger, no retries, no checks beyond what the clicks need: sign in once per
worker, then for each record search by State ID, open the case, expand the application and its
Exit / Outcome node, Create Exit/Outcome, choose region (only if it differs: choosing it posts
the form back), office and position, type the exit date, choose the reason, Save, and wait for
the confirmation. Whatever the bot spends beyond this is the framework's cost.

Records of the realistic job (bench/realistic.py) carry more, done as the help sheet's person
does it: each alternate contact through the Manage Alternate Contacts pop-up window (Add New
Contact, the fields given, Save; Close), the case manager (Assign Case Manager, pick, Assign:
a postback), the case note (Add a new Case Note, Subject, Comments, Attachment, Save: a
postback). Those postbacks drop the Exit Reason (the site's quirk), so the reason is chosen
last, just before Save: the same clicks, once. A participant who has already exited (told by
`--already-exited`, since this script checks nothing) gets the case opened and its
application and Exit / Outcome nodes expanded, as a person looks, and nothing more.

W workers share ONE browser (one context each, async API): the cheapest way Playwright offers
to run W sessions, so the memory figures show what a browser per worker costs.

Run: `python -m bench.minimal JOB.yaml --base-url URL --browser-path PATH [--workers W]`.
Prints one JSON object: per-record seconds, mean seconds per step, wall seconds, records done,
and any failures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from playwright.async_api import Locator, Page, async_playwright

from bench import calls

USERNAME, PASSWORD = "sandbox", "practice"
# The same flags bots/settings/browser.py launches with: both sides run the same browser alike.
QUIET_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SAVED = re.compile(r"The (Exit/)?Outcome has been saved")
# The Alternate Contacts pop-up's field captions, by the job file's key.
CONTACT_CAPTIONS = {"first_name": "First Name", "last_name": "Last Name",
                    "relationship": "Relationship", "phone": "Phone", "email": "Email",
                    "address": "Address"}


def load_records(path: Path) -> list[dict[str, Any]]:
    """The job's records with its defaults filled in (the bench job files are simple)."""
    job = yaml.safe_load(path.read_text(encoding="utf-8"))
    defaults = job.get("defaults") or {}
    return [{**defaults, **record} for record in job["records"]]


async def sign_in(page: Page, sign_in_url: str) -> str:
    """Sign in, agree to the notice, open Assist an Individual; returns the search address."""
    await page.goto(sign_in_url)
    await page.get_by_label("Username").fill(USERNAME)
    await page.get_by_label("Password").fill(PASSWORD)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Sign In").click()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Agree").click()
    async with page.expect_navigation():
        await page.get_by_role("link", name="Assist an Individual").click()
    return page.url


async def add_contacts(page: Page, contacts: list[dict[str, str]]) -> None:
    """Manage Alternate Contacts: in the pop-up window, Add New Contact, the fields the job
    gives, Save, for each contact; then Close (the window goes away)."""
    async with page.expect_popup() as opened:
        await page.get_by_role("button", name="Manage Alternate Contacts").click()
    popup = await opened.value
    await popup.wait_for_load_state()  # else the next expect_navigation may catch this load
    for contact in contacts:
        async with popup.expect_navigation():
            await popup.get_by_role("button", name="Add New Contact").click()
        for name, caption in CONTACT_CAPTIONS.items():
            if contact.get(name):
                await popup.get_by_label(caption).fill(str(contact[name]))
        async with popup.expect_navigation():
            await popup.get_by_role("button", name="Save").click()
    async with popup.expect_event("close"):
        await popup.get_by_role("button", name="Close").click()


async def assign_case_manager(page: Page, name: str) -> None:
    """Assign Case Manager: open the panel, pick the staff member, Assign (a postback)."""
    await page.get_by_role("link", name="Assign Case Manager").click()
    panel = page.get_by_role("region", name="Assign Case Manager")
    await panel.get_by_label("Case Manager").select_option(label=name)
    async with page.expect_navigation():
        await panel.get_by_role("button", name="Assign").click()


async def add_case_note(page: Page, note: dict[str, str], attachments: Path) -> None:
    """Add a new Case Note: Subject, Comments, the attachment if any, Save (a postback)."""
    await page.get_by_role("link", name="Add a new Case Note").click()
    panel = page.get_by_role("region", name="Case Note")
    await panel.get_by_label("Subject").fill(note["subject"])
    await panel.get_by_label("Comments").fill(note["comments"])
    if note.get("attachment"):
        await panel.get_by_label("Attachment").set_input_files(attachments / note["attachment"])
    async with page.expect_navigation():
        await panel.get_by_role("button", name="Save").click()


async def open_case(page: Page, search_url: str, record: dict[str, Any],
                    mark: Callable[[str], None]) -> Locator:
    """Search by State ID, open the case, expand the application and its Exit / Outcome node;
    returns that node."""
    mark("find_participant")
    await page.goto(search_url)
    await page.get_by_label("State ID").fill(str(record["participant"]["state_id"]))
    async with page.expect_navigation():
        await page.get_by_role("button", name="Search").click()
    async with page.expect_navigation():
        await page.get_by_role("table", name="Search Results").get_by_role("link").first.click()
    mark("open_application")
    application = page.get_by_role("treeitem", name=re.compile(r"^WIOA #"))
    await application.get_by_role("button", name="Expand").first.click()
    section = application.get_by_role("treeitem", name="Exit / Outcome")
    await section.get_by_role("button", name="Expand").click()
    return section


async def create_outcome(page: Page, search_url: str, record: dict[str, Any],
                         mark: Callable[[str], None], attachments: Path,
                         already_exited: bool = False) -> None:
    """The help sheet's clicks for one record, ending when the confirmation shows (or, for a
    participant who has already exited, once the Exit / Outcome node is open).

    `mark(step)` is called as each part begins, with the bot's step keys (steps/definitions.py), so
    the two sides' time can be compared step by step.
    """
    section = await open_case(page, search_url, record, mark)
    if already_exited:
        return
    mark("create_outcome")
    async with page.expect_navigation():
        await section.get_by_role("button", name="Create Exit/Outcome").click()

    mark("general_information")
    region = page.get_by_label("LWIA/Region")
    shown = await region.evaluate("s => s.options[s.selectedIndex].text")
    if shown.strip() != record["lwia_region"]:
        async with page.expect_navigation():
            await region.select_option(label=record["lwia_region"])
    await page.get_by_label("Office Location").select_option(label=record["office_location"])
    await page.get_by_label("Staff Position").select_option(label=record["staff_position"])
    mark("exit_information")
    exit_date = record["exit_date"]
    if isinstance(exit_date, str):
        exit_date = date.fromisoformat(exit_date)
    await page.get_by_label("Exit Date").fill(f"{exit_date:%m/%d/%Y}")
    if record.get("alternate_contacts"):
        mark("alternate_contacts")
        await add_contacts(page, record["alternate_contacts"])
    if record.get("case_manager"):
        mark("case_manager")
        await assign_case_manager(page, record["case_manager"]["assign"])
    if record.get("case_note"):
        mark("case_note")
        await add_case_note(page, record["case_note"], attachments)
    mark("exit_information")
    await page.get_by_label("Exit Reason").select_option(label=record["exit_reason"])
    mark("save")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Save", exact=True).click()
    mark("confirm")
    await page.get_by_role("status").filter(has_text=SAVED).wait_for()


async def worker(browser: Any, sign_in_url: str, work: asyncio.Queue[dict[str, Any]],
                 seconds: list[float], step_seconds: dict[str, float], failures: list[str],
                 timeout_ms: float, attachments: Path, already_exited: frozenset[str]) -> None:
    """One signed-in context taking records from the shared queue until it is empty."""
    context = await browser.new_context()
    context.set_default_timeout(timeout_ms)
    page = await context.new_page()
    search_url = await sign_in(page, sign_in_url)
    while not work.empty():
        record = work.get_nowait()
        started = time.perf_counter()
        current = ["", started]

        def mark(step: str, current: list[Any] = current) -> None:
            now = time.perf_counter()
            if current[0]:
                step_seconds[current[0]] = step_seconds.get(current[0], 0.0) + now - current[1]
            current[:] = [step, now]
            calls.set_step(step or "between")

        try:
            state_id = str(record["participant"]["state_id"])
            await create_outcome(page, search_url, record, mark, attachments,
                                 state_id in already_exited)
        except Exception as error:  # noqa: BLE001 - counted and reported, the run goes on
            failures.append(f"{record['participant']['state_id']}: {type(error).__name__}")
            continue
        mark("")
        seconds.append(time.perf_counter() - started)
    await context.close()


async def run(job: Path, sign_in_url: str, browser_path: str | None, workers: int,
              timeout_ms: float, already_exited: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Run every record of the job with `workers` contexts of one browser."""
    started = time.perf_counter()
    records = load_records(job)
    work: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for record in records:
        work.put_nowait(record)
    seconds: list[float] = []
    step_seconds: dict[str, float] = {}
    failures: list[str] = []
    calls.install()
    async with async_playwright() as playwright:
        options: dict[str, Any] = {"headless": True, "args": QUIET_ARGS}
        if browser_path:
            options["executable_path"] = browser_path
        browser = await playwright.chromium.launch(**options)
        await asyncio.gather(*(
            worker(browser, sign_in_url, work, seconds, step_seconds, failures, timeout_ms,
                   job.parent, already_exited)
            for _ in range(max(1, min(workers, len(records))))
        ))
        await browser.close()
    return {"side": "minimal", "records": len(records), "done": len(seconds),
            "per_record_s": seconds, "wall_s": time.perf_counter() - started,
            "failures": failures, "calls": calls.snapshot(),
            "step_s": {key: total / max(1, len(records)) for key, total in step_seconds.items()}}


def main(argv: list[str] | None = None) -> int:
    """Parse the flags, run, print the JSON figures; exit 1 if any record failed."""
    parser = argparse.ArgumentParser(prog="python -m bench.minimal", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("job", type=Path)
    parser.add_argument("--base-url", required=True, help="the sign-in page's address")
    parser.add_argument("--browser-path", default=None)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=15, help="seconds per action")
    parser.add_argument("--already-exited", default="",
                        help="state ids (comma-separated) whose participant has already "
                             "exited: the case is opened, nothing more")
    args = parser.parse_args(argv)
    skip = frozenset(s.strip() for s in args.already_exited.split(",") if s.strip())
    figures = asyncio.run(run(args.job, args.base_url, args.browser_path, args.workers,
                              args.timeout * 1000, skip))
    print(json.dumps(figures))
    return 1 if figures["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
