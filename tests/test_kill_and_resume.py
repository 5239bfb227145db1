"""Issue 11's acceptance runs: `caljobs-bot run` killed outright (SIGKILL, as a power cut
would) while records are in flight, then run again to the end.

The sandbox's stored state is the judge: one outcome per application, one case note per
subject, one contact per name, on a careless site (`accept_duplicates`) that would take a
second of anything, so only the bot's own ledger and look-ups keep these green. A second test
kills the bot while it writes traces and looks for the session cookie in everything left.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bulk_jobs import (
    CANNOT_KILL,
    DEFAULTS,
    bot_env,
    in_flight,
    kill_process_tree,
    ledger_lines,
    outcomes_per_application,
    report_rows,
    run_command,
    start_killable,
)
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature
from test_secrets import every_file

from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.running.tracing import PARTIAL_SUFFIX

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.skipif(CANNOT_KILL is not None,
                                                      reason=CANNOT_KILL or "")]

SUBJECT = "Global exclusion - Deceased"
RECORDS = 40
REFUSED = 3  # this record's Save is refused (open services): failed with a reason, twice


def contacts_for(number: int) -> list[dict[str, str]]:
    """Alternate contacts for every third record (two for every sixth)."""
    if number % 3:
        return []
    kin = [{"first_name": "Ana", "last_name": f"Kin-{number:02d}", "relationship": "Sister",
            "phone": "213-555-0100"}]
    if number % 6 == 0:
        kin.append({"first_name": "Ben", "last_name": f"Kin-{number:02d}",
                    "relationship": "Brother", "email": "ben@example.org"})
    return kin


def write_job(folder: Path, people: list[dict]) -> Path:
    """One record per participant, each with a case note, some with alternate contacts."""
    records = []
    for number, person in enumerate(people, start=1):
        record: dict = {"participant": {"state_id": person["state_id"], "name": person["name"]},
                        "case_note": {"subject": SUBJECT, "comments": "Death certificate seen."}}
        if contacts_for(number):
            record["alternate_contacts"] = contacts_for(number)
        records.append(record)
    path = folder / "bulk.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "defaults": DEFAULTS, "records": records},
                                   allow_unicode=True), encoding="utf-8")
    return path


def wait_then_kill(running: subprocess.Popen[bytes], runs: Path, *, saved: int,
                   limit: float) -> list[dict]:
    """Once `saved` records are saved, kill the run the moment a Save is in flight (its
    intent line written, its answer not yet); returns the ledger as the kill left it."""
    deadline = time.monotonic() + limit
    while True:
        lines = ledger_lines(runs)
        if sum(line["status"] == "saved" for line in lines) >= saved and in_flight(lines):
            kill_process_tree(running)
            return ledger_lines(runs)
        assert running.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline, f"fewer than {saved} saved in {limit:.0f} s"
        time.sleep(0.01)  # test-side polling of a file another process writes


def test_a_40_record_run_killed_mid_save_and_resumed_does_everything_exactly_once(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    people = sandbox.add_participants(RECORDS)
    refused = people[REFUSED - 1]
    faults = {"accept_duplicates": True, "expire_on_save": 2, "lose_save_response": 2,
              "save_error_for": [refused["user_id"]], "latency_ms": 60}
    sandbox.set_faults(**faults)
    job = write_job(tmp_path, people)
    runs = tmp_path / "runs"
    command = run_command(job, sandbox_server, runs, "--workers", "2", "--trace", "off")
    began = time.monotonic()

    first = start_killable(command, bot_env())
    left = wait_then_kill(first, runs, saved=10, limit=240)
    saved_before = {line["index"] for line in left if line["status"] == "saved"}
    assert 10 <= len(saved_before) < RECORDS - 2, "the kill came midway"
    assert in_flight(left), "a Save was in flight when the run was killed"
    assert sandbox.stats()["faults"]["injected"]["expire_on_save"] == 2

    sandbox.set_faults(expire_on_save=2, lose_save_response=2)  # the resumed run meets them too
    second = start_killable(command, bot_env())  # no output pipe to fill up
    assert second.wait(timeout=600) == 1, "exit code 1: one record failed (REFUSED)"
    print(f"40 records, killed and resumed: {time.monotonic() - began:.0f} s")

    # The site: exactly one of everything the job asked for.
    stored = outcomes_per_application(sandbox)
    state = sandbox.state()
    for number, person in enumerate(people, start=1):
        expected = 0 if person is refused else 1
        assert stored[person["application"]] == expected, (number, stored[person["application"]])
        notes = [n for n in state["case_notes"] if n["participant_user_id"] == person["user_id"]]
        assert [n["subject"] for n in notes] == [SUBJECT], (number, notes)
        names = Counter((c["first_name"], c["last_name"]) for c in state["contacts"]
                        if c["participant_user_id"] == person["user_id"])
        wanted = Counter((c["first_name"], c["last_name"]) for c in contacts_for(number))
        assert names == wanted, (number, names)
    injected = sandbox.stats()["faults"]["injected"]
    assert injected["expire_on_save"] == injected["lose_save_response"] == 4, injected
    # Every Save the site received stored an outcome, met an expired session (then retried)
    # or was refused (the REFUSED record, once in each run): none was pressed again for a
    # stored outcome, the kill and the lost answers included.
    attempts = sandbox.save_attempts()
    assert attempts[refused["application"]] >= 2, attempts  # an expiry may have hit it too
    assert sum(attempts.values()) == (RECORDS - 1) + injected["expire_on_save"] + 2, attempts

    # The final report: every record saved (now or by the killed run), or failed with why.
    report = report_rows(runs)
    assert sorted(report) == list(range(1, RECORDS + 1))
    for number, row in report.items():
        if number == REFUSED:
            assert row["status"] == "failed", row
            assert "open or future services" in row["reason"], row
        elif number in saved_before:
            assert row["status"] == "skipped" and "earlier run" in row["reason"], row
        else:
            assert row["status"] == "saved", row


# -- no session cookie in anything a killed run leaves ------------------------------------

FINISHED_EVIDENCE = {"trace.zip", "screenshot.png", "page.html"}
# A name=value cookie header, or a parsed cookie in a trace's JSON, whose value is not masked.
COOKIE_PAIR = re.compile(rb"session=(?!\*\*\*)[^;\s\"]{8,}")
COOKIE_JSON = re.compile(rb'"name":\s*"session",\s*"value":\s*"(?!\*\*\*")')
# What a Flask session cookie's value looks like: [.]payload.timestamp.signature
TOKEN = re.compile(rb"\.?[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}")


def live_session_cookies(server: Sandbox, data: bytes) -> list[bytes]:
    """Every session cookie value in `data` that this sandbox issued (its signature checks
    out), whatever the text around it: a header, JSON, a form or a snapshot."""
    assert server.app.config["SESSION_COOKIE_NAME"] == "session"  # as COOKIE_* expect
    interface = server.app.session_interface
    assert isinstance(interface, SecureCookieSessionInterface)  # Flask's signed cookie
    signer = interface.get_signing_serializer(server.app)
    assert signer is not None
    issued = []
    for candidate in set(TOKEN.findall(data)):
        try:
            signer.loads(candidate.decode("ascii"))
        except BadSignature:
            continue
        issued.append(candidate)
    return issued


def assert_no_cookie(server: Sandbox, files: list[tuple[str, bytes]]) -> None:
    for name, data in files:
        assert not COOKIE_PAIR.search(data), f"a session cookie header is in {name}"
        assert not COOKIE_JSON.search(data), f"a parsed session cookie is in {name}"
        assert not live_session_cookies(server, data), f"a session cookie value is in {name}"


def wait_for_a_trace_being_written(running: subprocess.Popen[bytes], runs: Path) -> None:
    """Kill the run while it writes a record's trace (a ".part" file, not yet scrubbed),
    once an earlier record's finished trace is on disk to be searched as well."""
    deadline = time.monotonic() + 240
    while True:
        names = {p.name for p in runs.rglob("*")}
        if "trace.zip" in names and any(n.endswith(PARTIAL_SUFFIX) for n in names):
            kill_process_tree(running)
            return
        assert running.poll() is None, "the run ended before a trace could be caught half-written"
        assert time.monotonic() < deadline, "no trace was being written in 240 s"
        time.sleep(0.005)  # test-side polling of files another process writes


def test_a_run_killed_while_writing_a_trace_leaves_no_session_cookie_behind(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    people = sandbox.add_participants(6)
    sandbox.set_faults(latency_ms=50)
    job = write_job(tmp_path, people)
    runs = tmp_path / "runs"
    command = run_command(job, sandbox_server, runs, "--trace", "always")

    wait_for_a_trace_being_written(start_killable(command, bot_env()), runs)
    left = every_file(runs)
    half_written = [name for name, _ in left if name.endswith(PARTIAL_SUFFIX)]
    assert half_written, "the kill came while a trace was being written"
    assert_no_cookie(sandbox_server, [(name, data) for name, data in left
                                      if not name.endswith(PARTIAL_SUFFIX)])

    again = subprocess.run(command, env=bot_env(), stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    files = every_file(runs)
    assert_no_cookie(sandbox_server, [*files, ("stdout", again.stdout.encode()),
                                      ("stderr", again.stderr.encode())])
    evidence = [p for p in runs.rglob("*") if p.is_file() and "evidence" in p.parts]
    assert {p.name for p in evidence} == {"trace.zip"}, "only finished, scrubbed traces remain"
    assert len(evidence) >= len(people), "every record of both runs left its trace"
    assert set(outcomes_per_application(sandbox).values()) == {1}
