"""The command line as a user types it: real processes, a real browser, the sandbox as judge."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from caljobs_bot.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox


def caljobs_bot(*args: str, env: dict[str, str] | None = None,
                timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the installed command line the way a user would, without a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "caljobs_bot.cli", *args],
        capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )


def test_schema_prints_the_committed_job_schema() -> None:
    shown = caljobs_bot("schema")
    assert shown.returncode == 0, shown.stderr
    committed = (EXAMPLE_JOB.parent / "job.schema.json").read_text(encoding="utf-8")
    assert shown.stdout == committed


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
    # The console wraps a long path anywhere, so the words are compared without spaces.
    assert f"caljobs-botaudit{job}" in "".join(ran.stdout.split()), "how to check the site"
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
        [sys.executable, "-m", "caljobs_bot.cli", "run", str(EXAMPLE_JOB), "--base-url",
         "http://127.0.0.1:9/"], capture_output=True, text=True, stdin=subprocess.DEVNULL,
        env=env, timeout=60,
    )
    assert ran.returncode == 2
    assert "No CalJOBS username: set CALJOBS_USERNAME" in ran.stderr
    ran = subprocess.run(
        [sys.executable, "-m", "caljobs_bot.cli", "run", str(EXAMPLE_JOB), "--base-url",
         "http://127.0.0.1:9/", "--username", "someone"], capture_output=True, text=True,
        stdin=subprocess.DEVNULL, env=env, timeout=60,
    )
    assert ran.returncode == 2
    assert "Set CALJOBS_PASSWORD" in ran.stderr


def test_run_without_a_site_says_the_three_ways_to_give_one(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALJOBS_")}
    ran = subprocess.run([sys.executable, "-m", "caljobs_bot.cli", "run", str(EXAMPLE_JOB)],
                         capture_output=True, text=True, stdin=subprocess.DEVNULL, env=env,
                         cwd=tmp_path, timeout=60)
    assert ran.returncode == 2
    assert "--base-url" in ran.stderr and "CALJOBS_BASE_URL" in ran.stderr


PROFILES = """staff_position = "Staff"

[profiles.training]
base_url = "{url}"
username = "sandbox"
lwia_region = "Los Angeles County WDACS"
office_location = "2710 - Sunny Hills AJCC"

[profiles.production]
production = true
base_url = "{url}"
username = "sandbox"
"""


def write_config(folder: Path, url: str) -> Path:
    path = folder / "caljobs-bot.toml"
    path.write_text(PROFILES.format(url=url), encoding="utf-8")
    return path


def test_config_show_says_where_each_setting_came_from(tmp_path: Path) -> None:
    config = write_config(tmp_path, "https://training.example.org/vosnet/Default.aspx")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALJOBS_")}
    shown = subprocess.run(
        [sys.executable, "-m", "caljobs_bot.cli", "config", "show", "--profile", "training",
         "--config", str(config)], capture_output=True, text=True, timeout=60,
        env={**env, "CALJOBS_WORKERS": "5", "CALJOBS_PASSWORD": "hunter2-secret"},
    )
    assert shown.returncode == 0, shown.stderr
    lines = {line.split()[0]: line for line in shown.stdout.splitlines()
             if line.startswith("  ")}
    assert "2710 - Sunny Hills AJCC" in lines["office_location"]
    assert "[training]" in lines["office_location"]
    assert "2" in lines["workers"] and "capped" in lines["workers"]
    assert "***" in lines["password"] and "env CALJOBS_PASSWORD" in lines["password"]
    assert "hunter2-secret" not in shown.stdout + shown.stderr


@pytest.mark.browser
def test_a_profile_gives_the_site_user_and_office(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    write_config(tmp_path, sandbox_server.sign_in_url)
    job = tmp_path / "job.yaml"
    job.write_text(textwrap.dedent("""        version: 1
        records:
          - participant: {state_id: "34712", name: Karen James}
            exit_date: 2021-06-24
            exit_reason: Deceased
        """), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALJOBS_")}
    ran = subprocess.run(
        [sys.executable, "-m", "caljobs_bot.cli", "run", str(job), "--profile", "training"],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, cwd=tmp_path, timeout=300,
        env={**env, "CALJOBS_PASSWORD": SANDBOX_PASSWORD},
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    [stored] = [o for o in sandbox.outcomes() if o["application_number"] == "2244266"]
    assert stored["office_location"] == "2710 - Sunny Hills AJCC"
    assert stored["lwia_region"] == "Los Angeles County WDACS"
    assert stored["staff_position"] == "Staff"
    assert (tmp_path / "runs").is_dir()


@pytest.mark.browser
def test_a_production_profile_needs_its_name_before_saving(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    write_config(tmp_path, sandbox_server.sign_in_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALJOBS_")}
    env["CALJOBS_PASSWORD"] = SANDBOX_PASSWORD
    command = [sys.executable, "-m", "caljobs_bot.cli", "run", str(EXAMPLE_JOB), "--profile",
               "production", "--only", "1"]
    refused = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                             cwd=tmp_path, timeout=120, env=env)
    assert refused.returncode == 2
    assert "--confirm-production production" in refused.stderr
    wrong = subprocess.run([*command, "--confirm-production", "training"], capture_output=True,
                           text=True, stdin=subprocess.DEVNULL, cwd=tmp_path, timeout=120,
                           env=env)
    assert wrong.returncode == 2
    assert sandbox.outcomes() == [o for o in sandbox.outcomes()
                                  if o["application_number"] != "2244266"]
    confirmed = subprocess.run([*command, "--confirm-production", "production"],
                               capture_output=True, text=True, stdin=subprocess.DEVNULL,
                               cwd=tmp_path, timeout=300, env=env)
    assert confirmed.returncode == 0, confirmed.stdout + confirmed.stderr
    assert [o for o in sandbox.outcomes() if o["application_number"] == "2244266"]


@pytest.mark.browser
def test_a_maintenance_page_stops_the_run_politely(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    sandbox.set_faults(maintenance=True)
    began = time.monotonic()
    ran = caljobs_bot(
        "run", str(EXAMPLE_JOB), "--base-url", sandbox_server.sign_in_url,
        "--runs-dir", str(tmp_path), "--retries", "5", "--timeout", "30",
        env={"CALJOBS_USERNAME": SANDBOX_USERNAME, "CALJOBS_PASSWORD": SANDBOX_PASSWORD},
    )
    # Known as soon as the sign-in page has loaded, not after waiting out a 30 s time-out.
    assert time.monotonic() - began < 25
    assert ran.returncode == 2, ran.stdout + ran.stderr  # nothing could run
    assert "The run stopped: the site shows a maintenance or outage page" in ran.stdout
    assert "4 not run" in ran.stdout
    # One look at the sign-in page, not a retry storm against a site that is down.
    assert sandbox.stats()["faults"]["injected"]["maintenance"] <= 2


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


@pytest.mark.browser
@pytest.mark.parametrize("command", ["run", "check"])
def test_a_site_that_looks_different_is_one_sentence_not_a_traceback(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path, command: str
) -> None:
    # An address that answers a page with neither a sign-in form nor a staff menu.
    elsewhere = sandbox_server.sign_in_url.replace("Default.aspx", "Elsewhere.aspx")
    options = ["--state-id", "34712"] if command == "check" else [str(EXAMPLE_JOB),
                                                                  "--retries", "0"]
    before = sandbox.state()
    ran = caljobs_bot(
        command, *options, "--base-url", elsewhere, "--runs-dir", str(tmp_path),
        "--timeout", "2",
        env={"CALJOBS_USERNAME": SANDBOX_USERNAME, "CALJOBS_PASSWORD": SANDBOX_PASSWORD},
    )
    said = ran.stdout + ran.stderr
    # `check` lists the sign-in page's missing Password box as a finding (exit 1); `run` could
    # not run anything (exit 2).
    assert ran.returncode == (1 if command == "check" else 2), said
    assert "Traceback" not in said
    if command == "run":
        assert "page at the sign-in address, no 'Password' box" in said, said
    else:  # a table, whose cells wrap: the start of the finding
        assert "NO" in said and "not found: on the page at" in said, said
    assert sandbox.state() == before


@pytest.mark.browser
def test_a_closed_port_is_an_outage_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ran = caljobs_bot(
        "run", str(EXAMPLE_JOB), "--base-url", f"http://127.0.0.1:{port}/vosnet/Default.aspx",
        "--runs-dir", str(tmp_path), "--timeout", "5",
        env={"CALJOBS_USERNAME": SANDBOX_USERNAME, "CALJOBS_PASSWORD": SANDBOX_PASSWORD},
    )
    said = ran.stdout + ran.stderr
    assert ran.returncode == 2, said
    assert "Traceback" not in said
    assert "could not be reached (ERR_CONNECTION_REFUSED)" in said, said
    assert "4 not run" in said


@pytest.mark.browser
def test_dry_run_only_and_limit_through_the_command_line(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    before = sandbox.state()
    common = [str(EXAMPLE_JOB), "--base-url", sandbox_server.sign_in_url,
              "--runs-dir", str(tmp_path)]
    env = {"CALJOBS_USERNAME": SANDBOX_USERNAME, "CALJOBS_PASSWORD": SANDBOX_PASSWORD}
    dry = caljobs_bot("run", *common, "--dry-run", env=env)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "4 filled (dry run, not saved)" in dry.stdout
    after = sandbox.state()
    for kind in ("outcomes", "participants"):
        assert after[kind] == before[kind], f"--dry-run changed the site's {kind}"

    chosen = caljobs_bot("run", *common, "--only", "2-4", "--limit", "1", env=env)
    assert chosen.returncode == 0, chosen.stdout + chosen.stderr
    new = [o for o in sandbox.outcomes() if o not in before["outcomes"]]
    assert [o["application_number"] for o in new] == ["2244301"], new  # record 2 only


@pytest.mark.browser
def test_no_resume_still_checks_the_site_and_mask_pii_blanks_the_evidence(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(textwrap.dedent("""\
        version: 1
        records:
          - participant: {state_id: "34712", name: Karen James}
            exit_date: 2021-06-24
            exit_reason: Deceased
            lwia_region: Los Angeles County WDACS
            office_location: 2703 - LAO Community and Senior Services
            staff_position: Staff
          - participant: {state_id: "34801", name: José Álvarez-Núñez}
            exit_date: 2021-06-24
            exit_reason: Deceased
            lwia_region: Los Angeles County WDACS
            office_location: 9999 - An office the site does not offer
            staff_position: Staff
        """), encoding="utf-8")
    common = [str(job), "--base-url", sandbox_server.sign_in_url, "--runs-dir",
              str(tmp_path / "runs"), "--trace", "off"]
    env = {"CALJOBS_USERNAME": SANDBOX_USERNAME, "CALJOBS_PASSWORD": SANDBOX_PASSWORD}
    first = caljobs_bot("run", *common, "--mask-pii", env=env)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "record 1 (line 3): saved" in first.stdout
    assert "record 2 (line 9): failed" in first.stdout
    [html] = (tmp_path / "runs").rglob("record-00002/page.html")
    shown = html.read_text(encoding="utf-8")
    assert "Case Management Profile" in shown  # the page itself is there...
    for secret in ("34801", "Álvarez-Núñez", "José"):
        assert secret not in shown  # ...with the participant blanked out

    again = caljobs_bot("run", *common, "--no-resume", "--only", "1", env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    # A fresh ledger knows nothing, so the site itself says the outcome is there.
    assert "already has an Exit/Outcome" in again.stdout
    assert len([o for o in sandbox.outcomes() if o["application_number"] == "2244266"]) == 1
