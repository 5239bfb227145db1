"""Issue 24's acceptance run: a 200-participant `caljobs-bot audit`, killed outright (SIGKILL,
as a power cut would) halfway, then started again: it reads only whom it had not finished.

The sandbox's request log is the judge: after the restart, it opens exactly as many cases as
the audit ledger had not recorded as read, so no finished participant is read again.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bulk_jobs import CANNOT_KILL, bot_env, kill_process_tree, start_killable

from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(CANNOT_KILL is not None, reason=CANNOT_KILL or "")]

PARTICIPANTS = 200
CASE_PAGE = "/vosnet/Individual/CaseProfile.aspx"


def read_lines(runs: Path) -> list[dict]:
    """The audit ledger's complete "read" lines (a line being written is left out)."""
    found = []
    for ledger in runs.glob("*/audit-ledger.jsonl"):
        for text in ledger.read_text(encoding="utf-8").splitlines():
            try:
                line = json.loads(text)
            except ValueError:
                continue
            if line.get("kind") == "read":
                found.append(line)
    return found


def case_pages_opened(log: list[dict[str, str]]) -> int:
    """How many times a case was opened (each participant's case page is one GET)."""
    return sum(1 for e in log if e["path"] == CASE_PAGE and e["method"] == "GET")


def test_a_killed_audit_resumes_without_reading_a_finished_participant_again(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    people = sandbox.add_participants(PARTICIPANTS)
    sheet = tmp_path / "people.csv"
    sheet.write_text("state_id\n" + "".join(f"{p['state_id']}\n" for p in people),
                     encoding="utf-8")
    runs = tmp_path / "runs"
    command = ["audit", str(sheet), "--base-url", sandbox_server.sign_in_url,
               "--runs-dir", str(runs)]
    audit = start_killable([sys.executable, "-m", "caljobs_bot.cli", *command], bot_env())
    deadline = time.monotonic() + 900
    try:
        while len(read_lines(runs)) < PARTICIPANTS // 2:
            assert audit.poll() is None, "the audit ended before it was killed"
            assert time.monotonic() < deadline, "the audit read too slowly"
            time.sleep(0.2)  # polling a file another process writes; nothing to wait on
    finally:
        kill_process_tree(audit)
    finished = {line["index"] for line in read_lines(runs)}
    assert PARTICIPANTS // 2 <= len(finished) < PARTICIPANTS
    opened_before = case_pages_opened(sandbox.request_log())
    assert opened_before >= len(finished)
    log_before = len(sandbox.request_log())

    again = subprocess.run([sys.executable, "-m", "caljobs_bot.cli", *command],
                           env=bot_env(), capture_output=True, text=True, timeout=1200,
                           stdin=subprocess.DEVNULL, check=False)

    assert again.returncode == 0, again.stdout + again.stderr
    opened_after = case_pages_opened(sandbox.request_log()[log_before:])
    assert opened_after == PARTICIPANTS - len(finished), "finished participants not read again"
    (report,) = runs.glob("*/audit.csv")
    rows = list(csv.DictReader(report.open(encoding="utf-8", newline="")))
    assert len({row["record"] for row in rows}) == PARTICIPANTS
    assert {row["verdict"] for row in rows} == {"read"}
    assert f"{len(finished)} participant(s) were read by this audit before" in " ".join(
        again.stdout.split())
