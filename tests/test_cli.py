"""The command line as a user types it: real processes, a real browser, the sandbox as judge."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bots.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from fixtures.sandbox.client import SandboxClient
from fixtures.sandbox.server import Sandbox


def caljobs_bot(*args: str, env: dict[str, str] | None = None,
                timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the installed command line the way a user would, without a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "bots.cli", *args],
        capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )


def test_help_lists_the_commands() -> None:
    shown = caljobs_bot("--help")
    assert shown.returncode == 0
    for command in ("run", "validate", "sandbox", "demo"):
        assert command in shown.stdout


def test_validate_accepts_the_example_job() -> None:
    checked = caljobs_bot("validate", str(EXAMPLE_JOB))
    assert checked.returncode == 0, checked.stderr
    assert "no problems found" in checked.stdout


def test_validate_names_file_line_and_field(tmp_path: Path) -> None:
    job = tmp_path / "bad.yaml"
    job.write_text(textwrap.dedent("""\
        records:
          - participant: {state_id: "34712"}
            exit_date: 2021-06-24
            exit_reason: Moved away
            lwia_region: Los Angeles County WDACS
            office_location: 2703 - LAO Community and Senior Services
            staff_position: Staff
        """), encoding="utf-8")
    checked = caljobs_bot("validate", str(job))
    assert checked.returncode == 2
    assert f"{job}:4: records[1].exit_reason: 'Moved away' is not a hard-exit reason" in (
        checked.stderr)
    assert "nothing was run" in checked.stderr


@pytest.mark.browser
def test_run_saves_the_job_and_prints_a_summary(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    before = len(sandbox.outcomes())
    ran = caljobs_bot(
        "run", str(EXAMPLE_JOB), "--base-url", sandbox_server.sign_in_url,
        "--runs-dir", str(tmp_path),
        env={"CALJOBS_USERNAME": SANDBOX_USERNAME, "CALJOBS_PASSWORD": SANDBOX_PASSWORD},
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "Run summary" in ran.stdout
    assert "4 saved" in ran.stdout
    assert len(sandbox.outcomes()) == before + 4
    assert SANDBOX_PASSWORD not in ran.stdout + ran.stderr
    assert "Karen" not in ran.stdout + ran.stderr, "participant names stay out of the output"


@pytest.mark.browser
def test_run_exits_non_zero_when_a_record_fails(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(textwrap.dedent("""\
        defaults:
          lwia_region: Los Angeles County WDACS
          office_location: 2703 - LAO Community and Senior Services
          staff_position: Staff
        records:
          - participant: {state_id: "99999"}
            exit_date: 2021-06-24
            exit_reason: Deceased
          - participant: {state_id: "34712"}
            exit_date: 2021-06-24
            exit_reason: Deceased
        """), encoding="utf-8")
    ran = caljobs_bot(
        "run", str(job), "--base-url", sandbox_server.sign_in_url, "--runs-dir", str(tmp_path),
        env={"CALJOBS_USERNAME": SANDBOX_USERNAME, "CALJOBS_PASSWORD": SANDBOX_PASSWORD},
    )
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "record 1 (line 6): failed - no participant found" in ran.stdout
    assert "1 saved" in ran.stdout and "1 failed" in ran.stdout
    assert len([o for o in sandbox.outcomes() if o["application_number"] == "2244266"]) == 1


@pytest.mark.browser
def test_a_wrong_password_stops_before_anything_is_entered(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    before = sandbox.state()
    ran = caljobs_bot(
        "run", str(EXAMPLE_JOB), "--base-url", sandbox_server.sign_in_url,
        "--runs-dir", str(tmp_path),
        env={"CALJOBS_USERNAME": SANDBOX_USERNAME, "CALJOBS_PASSWORD": "not-the-password"},
    )
    assert ran.returncode == 2
    assert "Sign-in failed: The username or password you entered is incorrect." in ran.stderr
    assert "not-the-password" not in ran.stdout + ran.stderr
    assert sandbox.state() == before


def test_run_without_credentials_and_no_terminal_says_what_to_set() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALJOBS_")}
    ran = subprocess.run(
        [sys.executable, "-m", "bots.cli", "run", str(EXAMPLE_JOB), "--base-url",
         "http://127.0.0.1:9/"], capture_output=True, text=True, stdin=subprocess.DEVNULL,
        env=env, timeout=60,
    )
    assert ran.returncode == 2
    assert "Set CALJOBS_USERNAME and CALJOBS_PASSWORD" in ran.stderr


@pytest.mark.browser
def test_demo_runs_the_example_job_on_its_own_sandbox() -> None:
    ran = caljobs_bot("demo")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "4 saved" in ran.stdout


def test_import_turns_a_sheet_into_a_job_that_validates(tmp_path: Path) -> None:
    template = tmp_path / "outcomes.csv"
    assert caljobs_bot("import", "--template", str(template)).returncode == 0
    job = tmp_path / "job.yaml"
    imported = caljobs_bot("import", str(template), "-o", str(job))
    assert imported.returncode == 0, imported.stderr
    assert "1 record" in imported.stdout
    assert caljobs_bot("validate", str(job)).returncode == 0


def test_import_reports_rows_and_writes_nothing_on_error(tmp_path: Path) -> None:
    sheet = tmp_path / "outcomes.csv"
    sheet.write_text("state_id,exit_date,exit_reason,lwia_region,office_location,"
                     "staff_position\n34712,2021-06-24,Moved away,R,O,Staff\n", encoding="utf-8")
    job = tmp_path / "job.yaml"
    imported = caljobs_bot("import", str(sheet), "-o", str(job))
    assert imported.returncode == 2
    assert "row 2, exit_reason: 'Moved away' is not a hard-exit reason" in imported.stderr
    assert not job.exists()
