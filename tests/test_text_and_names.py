"""Job text is data, and names people type stay short and inside their folders (issue 20).

- A value such as `[/]` once stopped a run (rich read it as markup), and ESC bytes from a job
  reached the terminal raw: everything shown goes through `caljobs_bot.visible`, rich prints
  with markup off, and report.csv and report.html show control characters as escapes.
- A 250-character job name could not dry-run (the run folder's name was too long) and a
  300-character username was "unexpected error (OSError)": folders get a short name with a
  hash, and every typed name and path is length-checked in one sentence, exit code 2.
- A sign-in address with `\\` put the saved session outside its private folder on Windows:
  session files are named by a hash.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path, PurePosixPath, PureWindowsPath
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner
from portability import simulate_windows

from caljobs_bot.cli import SANDBOX_PASSWORD, SANDBOX_USERNAME, main
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.problems import JobFileError
from caljobs_bot.running.report import rows_for, write_csv, write_html
from caljobs_bot.running.run import job_folder
from caljobs_bot.safe_names import MAX_PREFIX, digest
from caljobs_bot.settings.config import load_settings
from caljobs_bot.settings.private import private_folder
from caljobs_bot.settings.saved_sign_in import (
    saved_session,
    session_file,
    session_file_name,
)
from caljobs_bot.settings.values import ConfigError
from caljobs_bot.steps.results import RecordResult, Status
from caljobs_bot.visible import visible

ESC = "\x1b"
HOSTILE = f"[/] [bold]x[/bold] :smile: {ESC}[2J{ESC}]8;;http://evil{ESC}\\ \x9b31m \r\u202e"


# -- the one escaping function ---------------------------------------------------------------

def test_visible_writes_every_control_character_as_an_escape() -> None:
    shown = visible(HOSTILE)
    assert ESC not in shown and "\x9b" not in shown and "\r" not in shown
    assert "\u202e" not in shown
    assert "\\x1b[2J" in shown and "\\x9b31m" in shown and "\\x0d" in shown
    assert "\\u202e" in shown
    assert shown.isascii()  # any Windows console code page can print it


def test_visible_keeps_ordinary_text_newlines_and_tabs() -> None:
    text = "José Álvarez-Núñez [/] 'Nguyen, Mai'\n\tline two"
    assert visible(text) == text
    assert visible(3) == "3"


def test_a_result_line_with_markup_and_escapes_prints_as_data() -> None:
    from caljobs_bot.cli.common import data_console
    from caljobs_bot.cli.running import _result_line

    record = SimpleNamespace(label=lambda: f"record 1 (line 6) {ESC}[31m")
    result = RecordResult(1, 6, Status.FAILED, f"case manager '{HOSTILE}' is not listed")
    console = data_console()
    console.file = io.StringIO()
    console.print(_result_line(record, result))  # type: ignore[arg-type]
    printed = console.file.getvalue()
    assert ESC not in printed and "[/] [bold]x[/bold] :smile:" in printed
    assert "\\x1b[2J" in printed


def test_say_shows_control_characters_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    from caljobs_bot.cli.common import say

    say(f"job {ESC}[2J.yaml")
    say(f"problem {ESC}]0;title{ESC}\\", err=True)
    out, err = capsys.readouterr()
    assert ESC not in out + err
    assert out == "job \\x1b[2J.yaml\n"


def test_no_command_prints_around_the_escaping() -> None:
    """Every line of the command line goes through say() or data_console(), so a command
    added later cannot print a job's text raw by forgetting it."""
    cli = Path(__file__).resolve().parent.parent / "bots" / "cli"
    for module in cli.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        if module.name != "common.py":
            assert "click.echo(" not in text, f"{module.name}: use say()"
            assert "Console(" not in text, f"{module.name}: use data_console()"


def test_the_report_shows_control_characters_escaped(tmp_path: Path) -> None:
    from datetime import date

    results = [RecordResult(1, 6, Status.FAILED, f"note '{HOSTILE}' refused <b>",
                            (f"evidence/record-00001/{ESC}[31m.png",))]
    rows = rows_for(results, {1: date(2021, 6, 24)}, today=date(2021, 7, 1))
    csv_text = write_csv(rows, tmp_path / "report.csv").read_text(encoding="utf-8")
    html_text = write_html(rows, tmp_path / "report.html", title=f"job {ESC}[2J.yaml",
                           notes=[f"stopped {ESC}[0m"]).read_text(encoding="utf-8")
    for text in (csv_text, html_text):
        assert ESC not in text and "\x9b" not in text and "\u202e" not in text
        assert "\\x1b[2J" in text
    assert "&lt;b&gt;" in html_text


# -- short, safe run folders -----------------------------------------------------------------

def _job(path: Path) -> Any:
    """Just what job_folder reads of a Job."""
    return SimpleNamespace(path=path)


def _name_bytes(folder: Path) -> int:
    return len(folder.name.encode("utf-8"))


@pytest.mark.parametrize("stem", ["a" * 245, "é" * 125, "名" * 83 + "x"],
                         ids=["250 characters", "255 bytes", "CJK"])
def test_a_long_job_name_gets_a_short_folder_that_can_be_made(tmp_path: Path, stem: str) -> None:
    job_file = tmp_path / f"{stem}.yaml"
    job_file.write_text("records: []\n", encoding="utf-8")  # the system allows this name
    folder = job_folder(_job(job_file), tmp_path / "runs")
    assert _name_bytes(folder) <= 255 and len(folder.name) <= MAX_PREFIX + 9
    assert folder.name.startswith(stem[:20])  # readable
    assert private_folder(folder / "20210624-120000-000000").is_dir()
    assert job_folder(_job(job_file), tmp_path / "runs") == folder  # stable: a resume finds it


def test_two_long_names_sharing_a_prefix_get_two_folders(tmp_path: Path) -> None:
    first = job_folder(_job(tmp_path / ("x" * 240 + "-march.yaml")), tmp_path / "runs")
    second = job_folder(_job(tmp_path / ("x" * 240 + "-april.yaml")), tmp_path / "runs")
    assert first != second and first.name[:MAX_PREFIX] == second.name[:MAX_PREFIX]


def test_a_short_safe_name_keeps_the_folder_it_always_had(tmp_path: Path) -> None:
    job_file = tmp_path / "hard-exits june (2).yaml"
    expected = f"hard-exits june (2)-{digest(str(job_file.resolve()))}"
    assert job_folder(_job(job_file), tmp_path / "runs").name == expected


def test_unsafe_characters_are_replaced_unless_the_job_already_has_a_folder(
    tmp_path: Path
) -> None:
    job_file = tmp_path / f"exits:{ESC}[31m|june.yaml"
    runs = tmp_path / "runs"
    folder = job_folder(_job(job_file), runs)
    assert folder.parent == runs and ESC not in folder.name and ":" not in folder.name
    # A folder the old rule named (the stem as it was) is used, so a resume finds its ledger.
    legacy = runs / f"{job_file.stem}-{digest(str(job_file.resolve()))}"
    legacy.mkdir(parents=True)
    assert job_folder(_job(job_file), runs) == legacy


# -- lengths of what people type -------------------------------------------------------------

@pytest.mark.parametrize(("flags", "field", "limit"), [
    ({"username": "u" * 300}, "username (flag --username)", "at most 100"),
    ({"runs_dir": Path("runs") / ("r" * 300)}, "runs_dir (flag --runs-dir)", "255 bytes"),
    ({"wording": "w" * 2000}, "wording (flag --wording)", "at most 1024"),
    ({"base_url": "https://x.org/" + "p" * 3000}, "base_url (flag --base-url)", "at most 2048"),
    ({"lwia_region": "L" * 300}, "lwia_region (flag --lwia-region)", "at most 255"),
])
def test_a_too_long_setting_is_one_sentence_naming_it_and_its_limit(
    tmp_path: Path, flags: dict[str, object], field: str, limit: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(flags=flags, env={}, cwd=tmp_path)
    message = str(refused.value)
    assert message.startswith(f"{field}: ") and limit in message
    assert message.count(". ") == 0 and len(message) < 200  # one sentence, value not echoed


def test_a_too_long_username_or_profile_from_the_environment_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"username \(env CALJOBS_USERNAME\): is 300 char"):
        load_settings(flags={}, env={"CALJOBS_USERNAME": "u" * 300}, cwd=tmp_path)
    with pytest.raises(ConfigError, match=r"profile's name \(env CALJOBS_PROFILE\) is 300 "):
        load_settings(flags={}, env={"CALJOBS_PROFILE": "p" * 300}, cwd=tmp_path)


def test_a_typed_username_too_long_is_refused() -> None:
    from caljobs_bot.settings.credentials import CredentialsError, get_username

    with pytest.raises(CredentialsError, match="at most 100"):
        get_username(None, interactive=True, ask=lambda prompt: "u" * 300)


def test_the_command_line_refuses_long_names_before_any_browser(tmp_path: Path) -> None:
    runner = CliRunner()
    job = tmp_path / "job.yaml"
    job.write_text("records: []\n", encoding="utf-8")
    env = {"CALJOBS_PASSWORD": "secret-pw"}
    for args, said in (
        (["run", str(job), "--base-url", "http://127.0.0.1:1/", "--username", "u" * 300],
         # The flag's value is checked by the settings table's kind, as click reads it.
         "Invalid value for '--username': is 300 characters long; at most 100"),
        (["run", str(job), "--base-url", "http://127.0.0.1:1/", "--runs-dir",
          str(tmp_path / ("r" * 300))], "each may have at most 255 bytes"),
        (["validate", str(job), "--config", "c" * 300], "each may have at most 255 bytes"),
        (["validate", str(job), "--profile", "p" * 300], "at most 100"),
    ):
        ran = runner.invoke(main, args, env=env)
        assert ran.exit_code == 2, ran.output
        assert said in ran.output and "unexpected error" not in ran.output
        assert "secret-pw" not in ran.output


def test_a_too_long_job_value_is_a_problem_with_its_line(tmp_path: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(textwrap.dedent(f"""\
        defaults:
          lwia_region: Los Angeles County WDACS
          office_location: 2703 - LAO Community and Senior Services
          staff_position: Staff
        records:
          - participant: {{state_id: "34712", name: "{'K' * 300}"}}
            exit_date: 2021-06-24
            exit_reason: Deceased
        """), encoding="utf-8")
    with pytest.raises(JobFileError) as refused:
        load_job(job)
    assert [str(p).split(": ", 1)[1] for p in refused.value.problems] == [
        "records[1].participant.name: is longer than the 255 characters allowed; shorten it"]


# -- saved-session files ---------------------------------------------------------------------

HOSTILE_ADDRESSES = [
    "https://caljobs.example\\..\\..\\Windows\\evil/vosnet/Default.aspx",
    "https://..\\..\\x:8443/",
    "https://host/../../../etc/passwd",
    "https://user:pass@host:8080/a/b",
    "http://[::1]:8765/vosnet/Default.aspx",
    "https://C:\\Users\\Public/",
    "https://" + "h" * 300 + ".example/",
]


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_a_session_file_name_stays_in_the_sessions_folder_on_every_system(address: str) -> None:
    name = session_file_name(address, "staff\\..\\x")
    assert not set(name) & set('<>:"/\\|?*') and not name.startswith(".")
    assert len(name.encode("utf-8")) <= 255 and name.endswith(".json")
    assert "pass" not in name and "staff" not in name  # neither a password nor the username
    for folder in (PureWindowsPath("C:\\Users\\dteam\\runs\\sessions"),
                   PurePosixPath("/home/dteam/runs/sessions")):
        assert (folder / name).parent == folder


def test_session_file_names_are_stable_and_per_site_and_user() -> None:
    site = "https://www.caljobs.ca.gov/vosnet/Default.aspx"
    name = session_file_name(site, "mai")
    assert name == session_file_name(site, "mai")
    assert name == session_file_name("https://WWW.CalJOBS.ca.gov/vosnet/other.aspx", "mai")
    assert name.startswith("www.caljobs.ca.gov-")
    assert name != session_file_name(site, "lac")
    assert name != session_file_name("https://training.caljobs.ca.gov/", "mai")


@pytest.mark.parametrize("windows", [False, True], ids=["posix", "simulated windows"])
def test_a_saved_session_file_is_inside_the_private_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, windows: bool
) -> None:
    if windows:
        simulate_windows(monkeypatch)
    runs = tmp_path / "runs"
    for address in HOSTILE_ADDRESSES:
        path = session_file(runs, address, "u" * 100)
        assert path.parent == runs / "sessions"
        assert path.resolve().parent == (runs / "sessions").resolve()


def test_a_session_saved_under_the_old_name_is_moved_once(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    site = "http://127.0.0.1:8765/vosnet/Default.aspx"
    old = private_folder(runs / "sessions") / "127.0.0.1_8765-sandbox.json"
    old.write_text('{"cookies": []}', encoding="utf-8")
    found = saved_session(runs, site, "sandbox")
    assert found == session_file(runs, site, "sandbox") and found != old
    assert found.read_text(encoding="utf-8") == '{"cookies": []}' and not old.exists()
    assert saved_session(runs, site, "sandbox") == found


def test_an_old_session_name_that_was_a_path_is_never_read(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    outside = tmp_path / "outside.json"
    outside.write_text('{"cookies": ["elsewhere"]}', encoding="utf-8")
    private_folder(runs / "sessions")
    # The old name of this address was "x-..\..\outside.json"-like: never followed.
    assert saved_session(runs, "https://x\\..\\..\\outside/", "..\\..\\outside") is None
    assert outside.read_text(encoding="utf-8") == '{"cookies": ["elsewhere"]}'


# -- through the command line, on the sandbox ------------------------------------------------

def caljobs_bot(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """The command line as a user runs it, without a terminal; output kept as bytes, so a raw
    control character cannot hide in a decoding."""
    return subprocess.run(
        [sys.executable, "-m", "caljobs_bot.cli", *args], capture_output=True, timeout=300,
        stdin=subprocess.DEVNULL, cwd=cwd,
        env={**os.environ, "CALJOBS_USERNAME": SANDBOX_USERNAME,
             "CALJOBS_PASSWORD": SANDBOX_PASSWORD},
    )


HOSTILE_JOB = """\
defaults:
  lwia_region: Los Angeles County WDACS
  office_location: 2703 - LAO Community and Senior Services
  staff_position: Staff
records:
  - participant: {state_id: "34712", user_id: "37762", name: "Karen James"}
    application: "2244266"
    exit_date: 2021-06-24
    exit_reason: Institutionalized
    alternate_contacts:
      - {first_name: "Ana", last_name: "James\\e[2J\\e]0;owned\\a", phone: 213-555-0100}
    case_note:
      subject: "[/]"
      comments: "Verified [bold]by letter[/bold] \\e[31m:smile:"
  - participant: {state_id: "34801", name: "José Álvarez-Núñez"}
    exit_date: 03/15/2021
    exit_reason: deceased
    case_manager: {assign: "[/]\\e[5m"}
"""


@pytest.mark.browser
def test_markup_and_escapes_in_a_job_are_data_from_yaml_to_report(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    job = tmp_path / f"exits [/] {ESC}[31m june.yaml".replace("/", "_")
    job.write_text(HOSTILE_JOB, encoding="utf-8")
    ran = caljobs_bot("run", str(job), "--base-url", sandbox_server.sign_in_url,
                      "--runs-dir", str(tmp_path / "runs"))
    output = ran.stdout + ran.stderr
    # Record 2 asks for a case manager the site does not list: it fails, quoting the name.
    assert ran.returncode == 1, output.decode("utf-8", "replace")
    assert b"\x1b" not in output and b"\x07" not in output
    assert b"record 1 (line 6): saved" in output
    assert b"case manager '[/]\\x1b[5m' is not in the site" in output
    karen = sandbox.participant(37762)
    assert [n["subject"] for n in karen["case_notes"]] == ["[/]"]
    assert [c["last_name"] for c in karen["contacts"]] == ["James\x1b[2J\x1b]0;owned\x07"]
    assert len(karen["applications"][0]["outcomes"]) == 1
    reports = list((tmp_path / "runs").rglob("report.*"))
    assert sorted(p.name for p in reports) == ["report.csv", "report.html"]
    for report in reports:
        text = report.read_bytes()
        assert b"\x1b" not in text and b"[/]\\x1b[5m" in text


@pytest.mark.browser
def test_a_job_whose_only_record_has_markup_saves_and_exits_0(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    job = tmp_path / f"note {ESC}[2J.yaml"
    job.write_text(HOSTILE_JOB.split("  - participant: {state_id: \"34801\"")[0],
                   encoding="utf-8")
    ran = caljobs_bot("run", str(job), "--base-url", sandbox_server.sign_in_url,
                      "--runs-dir", str(tmp_path / "runs"))
    assert ran.returncode == 0, (ran.stdout + ran.stderr).decode("utf-8", "replace")
    assert b"\x1b" not in ran.stdout + ran.stderr and b"1 saved" in ran.stdout


@pytest.mark.browser
def test_a_250_character_job_name_dry_runs(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    job = tmp_path / ("j" * 245 + ".yaml")
    job.write_text(HOSTILE_JOB.split("  - participant: {state_id: \"34801\"")[0],
                   encoding="utf-8")
    before = sandbox.state()
    ran = caljobs_bot("run", str(job), "--dry-run", "--base-url", sandbox_server.sign_in_url,
                      "--runs-dir", str(tmp_path / "runs"))
    assert ran.returncode == 0, (ran.stdout + ran.stderr).decode("utf-8", "replace")
    assert b"1 filled (dry run, not saved)" in ran.stdout
    assert sandbox.state() == before
    (folder,) = [f for f in (tmp_path / "runs").iterdir() if f.name != "sessions"]
    assert folder.name.startswith("j" * MAX_PREFIX + "-")
    assert list(folder.rglob("report.html"))


def test_a_guide_shows_the_records_control_characters_escaped(tmp_path: Path) -> None:
    """The trainer's guide quotes the record's values: in HTML, Markdown, captions and Word
    they are data too (Word cannot even hold a raw ESC)."""
    from caljobs_bot.steps.definitions import STEPS
    from caljobs_bot.trainer.guide_document import (
        Guide,
        GuideStep,
        render_docx,
        render_html,
        render_markdown,
        render_vtt,
    )

    hostile = "Type \x1b[2J\x1b]8;;http://x\x07note\r in Subject"
    entry = GuideStep(STEPS[0], 1, done=True, actions=[hostile], notes=[hostile])
    guide = Guide([entry], "the sandbox", masked=False, dry_run=False,
                  timings=[(0.0, entry), (2.0, None)])
    for text in (render_html(guide), render_markdown(guide), render_vtt(guide)):
        assert "\x1b" not in text and "\x07" not in text and "\r" not in text
        assert "\\x1b[2J" in text.replace("\\[", "[")
    render_docx(guide, tmp_path / "guide.docx")  # raises ValueError on a raw control char
    assert (tmp_path / "guide.docx").stat().st_size > 0
