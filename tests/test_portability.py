"""The bot on Windows, simulated here (tests/portability.py): no os.pread, os.killpg, fcntl,
SIGKILL..., and `sys.platform == "win32"` in the modules that branch on it.

Issue 10: every run on Windows crashed at its second ledger write (os.pread). These tests
write, read and resume a ledger several times, create run folders and sessions, look for the
config file and the browser the Windows way, and run the whole demo, all on simulated Windows,
so a POSIX-only call fails here, on Linux, before a data team meets it.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from job_files import job_yaml
from portability import (
    WINDOWS_DOMAIN,
    WINDOWS_USER,
    IcaclsRecorder,
    assert_owner_only,
    simulate_windows,
)

from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.running.ledger import Entry, Ledger, record_identity
from caljobs_bot.running.run import JobRunner, RunOptions
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.settings.private import NotPrivateWarning, private_folder

REPO = Path(__file__).resolve().parent.parent
WHO = f"{WINDOWS_DOMAIN}\\{WINDOWS_USER}"

JOB = job_yaml("""\
- participant: {state_id: "34712", name: Karen James}
- participant: {user_id: "37802", name: Shauna O'Connor}
- participant: {user_id: "37803"}
""", exit_date="2021-06-24", exit_reason="Deceased")


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> IcaclsRecorder:
    """This test runs on simulated Windows; the icacls calls are recorded. (tmp_path first:
    pytest makes it with os.getuid, which the simulation removes.)"""
    return simulate_windows(monkeypatch)


@pytest.fixture
def job_file(tmp_path: Path) -> Path:
    path = tmp_path / "job.yaml"
    path.write_text(JOB, encoding="utf-8")
    return path


@pytest.fixture
def records(job_file: Path) -> list[Record]:
    return load_job(job_file).records


def test_the_simulation_takes_the_posix_only_calls_away(windows: IcaclsRecorder) -> None:
    import signal

    import caljobs_bot.settings.private

    assert not hasattr(os, "pread") and not hasattr(os, "killpg")
    assert not hasattr(signal, "SIGKILL")
    with pytest.raises(ImportError):
        import fcntl  # noqa: F401
    assert caljobs_bot.settings.private.on_windows()


def test_a_ledger_is_written_read_and_resumed_on_windows(
    windows: IcaclsRecorder, tmp_path: Path, records: list[Record]
) -> None:
    """Several runs of one job, each writing several lines: the crash was at the second."""
    path = tmp_path / "runs" / "job-1234" / "ledger.jsonl"
    first = Ledger(path)
    first.append("run-1", records[0], Entry.SAVING)
    first.append("run-1", records[0], Entry.SAVED, "application 2244266 saved")
    first.append("run-1", records[1], Entry.SAVING)  # then the power went: no end line
    with path.open("ab") as cut:
        cut.write(b'{"time": "2026-12-02T08:00:00", "run": "run-1", "ind')  # a torn line

    second = Ledger(path)  # the next morning's run
    assert set(second.saved_by_identity()) == {record_identity(records[0])}
    last = second.last_by_identity()[record_identity(records[1])]
    assert last.status is Entry.SAVING  # looked up on the site before anything is typed
    second.append("run-2", records[1], Entry.SKIPPED, "already exited")
    second.append("run-2", records[2], Entry.SAVING)
    second.append("run-2", records[2], Entry.SAVED)

    lines = Ledger(path).lines()
    assert [(ln.run, ln.status) for ln in lines] == [
        ("run-1", Entry.SAVING), ("run-1", Entry.SAVED), ("run-1", Entry.SAVING),
        ("run-2", Entry.SKIPPED), ("run-2", Entry.SAVING), ("run-2", Entry.SAVED)]
    assert b"\r\n" not in path.read_bytes()  # binary mode: the same bytes on every system
    for folder in (tmp_path / "runs", tmp_path / "runs" / "job-1234"):
        assert_owner_only(folder, folder=True)
    assert windows.granted(tmp_path) == [], "a folder that existed already is left alone"


def test_a_job_runner_makes_its_run_folders_private_on_windows(
    windows: IcaclsRecorder, tmp_path: Path, job_file: Path
) -> None:
    job = load_job(job_file)
    options = RunOptions(sign_in_url="http://127.0.0.1:1/vosnet/Default.aspx",
                         credentials=Credentials("sandbox", None), runs_dir=tmp_path / "runs")
    runner = JobRunner(job, options)
    for record in job.records:
        runner.ledger.append(runner.run_id, record, Entry.SAVING)
        runner.ledger.append(runner.run_id, record, Entry.SAVED)
    assert runner._saves_without_answer() == set()
    assert JobRunner(job, options).ledger.saved_by_identity().keys() == {
        record_identity(r) for r in job.records}
    for folder in (tmp_path / "runs", runner.folder, runner.run_folder):
        assert windows.granted(folder)[-1:] == [f"{WHO}:(OI)(CI)F"]


def test_icacls_is_called_without_a_shell_with_the_documented_arguments(
    windows: IcaclsRecorder, tmp_path: Path
) -> None:
    folder = private_folder(tmp_path / "evidence")
    assert windows.calls == [
        ["icacls", str(folder), "/inheritance:r", "/grant:r", f"{WHO}:(OI)(CI)F", "/q"]]


def test_when_icacls_fails_the_user_is_warned_in_a_sentence(
    windows: IcaclsRecorder, tmp_path: Path
) -> None:
    windows.returncode = 5
    with pytest.warns(NotPrivateWarning, match=r"Could not make .*evidence private to you: "
                                               r"icacls refused \(exit 5: Access is denied.\)"):
        private_folder(tmp_path / "evidence")


def test_a_saved_session_is_private_on_windows_or_says_it_is_not(
    windows: IcaclsRecorder, tmp_path: Path
) -> None:
    from caljobs_bot.settings.saved_sign_in import save_session

    class Context:
        """Just what save_session uses of a Playwright BrowserContext."""

        def storage_state(self, path: Path) -> dict[str, Any]:
            Path(path).write_text(json.dumps({"cookies": []}), encoding="utf-8")
            return {}

    folder = private_folder(tmp_path / "runs" / "sessions")
    saved = save_session(Context(), folder / "site.json")  # type: ignore[arg-type]
    assert saved.private and json.loads(saved.path.read_text(encoding="utf-8"))
    assert windows.granted(saved.path)[-1] == f"{WHO}:F"  # a file: no (OI)(CI)

    windows.returncode = 1
    with pytest.warns(NotPrivateWarning):
        refused = save_session(Context(), folder / "other.json")  # type: ignore[arg-type]
    assert not refused.private  # and `login` then does not say "only you can read it"


def test_the_command_line_shows_a_privacy_warning_as_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from caljobs_bot.cli.group import show_privacy_warnings_as_sentences

    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
    show_privacy_warnings_as_sentences()
    warnings.showwarning(NotPrivateWarning("Could not make X private to you: why."),
                         NotPrivateWarning, "bots/settings/private.py", 1)
    assert capsys.readouterr().err == "Warning: Could not make X private to you: why.\n"


def test_the_config_file_is_searched_for_the_windows_way(
    windows: IcaclsRecorder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caljobs_bot.settings.config import CONFIG_ENV, find_config_file, user_config_file

    appdata, work = tmp_path / "AppData" / "Roaming", tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("APPDATA", str(appdata))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # not read on Windows
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    in_appdata = appdata / "caljobs-bot" / "caljobs-bot.toml"
    assert user_config_file() == in_appdata
    assert find_config_file(cwd=work) is None
    in_appdata.parent.mkdir(parents=True)
    in_appdata.write_text("", encoding="utf-8")
    assert find_config_file(cwd=work) == in_appdata
    (work / "caljobs-bot.toml").write_text("", encoding="utf-8")
    assert find_config_file(cwd=work) == work / "caljobs-bot.toml"
    named = tmp_path / "named.toml"
    named.write_text("", encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(named))
    assert find_config_file(cwd=work) == named
    given = tmp_path / "given.toml"
    given.write_text("", encoding="utf-8")
    assert find_config_file(given, cwd=work) == given


def test_edge_is_found_where_windows_installs_it(
    windows: IcaclsRecorder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caljobs_bot.settings.browser import BROWSER_PATH_ENV, find_browser

    edge = tmp_path / "Program Files (x86)" / "Microsoft" / "Edge" / "Application" / "msedge.exe"
    edge.parent.mkdir(parents=True)
    edge.write_bytes(b"MZ")
    edge.chmod(0o755)  # Windows has no execute bit; os.access(X_OK) is true for any file there
    monkeypatch.delenv(BROWSER_PATH_ENV, raising=False)
    monkeypatch.setenv("PROGRAMFILES", str(tmp_path / "Program Files"))
    monkeypatch.setenv("PROGRAMFILES(X86)", str(tmp_path / "Program Files (x86)"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData" / "Local"))
    choice = find_browser()
    assert (choice.name, choice.executable) == ("Microsoft Edge", edge)


def test_a_browser_that_will_not_start_is_one_sentence(windows: IcaclsRecorder) -> None:
    from playwright.sync_api import Error as PlaywrightError

    from caljobs_bot.settings.browser import BrowserChoice, BrowserNotFound, launch

    class Chromium:
        def launch(self, **options: object) -> None:
            raise PlaywrightError(
                "BrowserType.launch: Target page, context or browser has been closed\n"
                "Browser logs:\n\n<launching> msedge.exe --remote-debugging-pipe ...\n"
                "[pid=4242] <gracefully close start>")

    class Playwright:
        chromium = Chromium()

    edge = BrowserChoice("Microsoft Edge", Path("C:/Program Files/msedge.exe"))
    with pytest.raises(BrowserNotFound) as failed:
        launch(Playwright(), edge)  # type: ignore[arg-type]
    message = str(failed.value)
    assert "\n" not in message and message.count(". ") == 0, message
    for words in ("Microsoft Edge", "Target page, context or browser has been closed",
                  "policy", "remote debugging", "--browser-path",
                  "playwright install chromium"):
        assert words in message, message
    assert "Browser logs" not in message


def test_the_browser_messages_name_the_python_that_runs_the_bot(
    windows: IcaclsRecorder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Installed with pipx, the bot's Python is not the `python` a user types: a bare
    `python -m playwright install chromium` fails there, or fetches another version's browser."""
    from caljobs_bot.settings.browser import (
        BROWSER_PATH_ENV,
        BrowserChoice,
        BrowserNotFound,
        find_browser,
        would_not_start,
    )

    pipx_python = r"C:\Users\Ana Diaz\pipx\venvs\caljobs-bot\Scripts\python.exe"
    # The browser module's `sys`: the simulation's, which says win32.
    monkeypatch.setattr("caljobs_bot.settings.browser.sys.executable", pipx_python)
    monkeypatch.delenv(BROWSER_PATH_ENV, raising=False)
    for variable in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA"):
        monkeypatch.setenv(variable, str(tmp_path / "nothing installed"))
    command = f'"{pipx_python}" -m playwright install chromium'
    with pytest.raises(BrowserNotFound) as none_found:
        find_browser()
    assert command in str(none_found.value)
    edge = BrowserChoice("Microsoft Edge", Path("C:/Program Files/msedge.exe"))
    assert command in would_not_start(edge, RuntimeError("closed"))


def test_the_sandbox_client_ignores_the_system_proxy(
    sandbox_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fixed proxy that cannot reach this laptop's 127.0.0.1 (what Windows' registry proxy
    is to urllib, simulated with the variables urllib reads here)."""
    from caljobs_bot.fixtures.sandbox.client import SandboxClient

    for name in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens on port 9
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(urllib.error.URLError):  # what the client did before issue 10
        urllib.request.urlopen(f"{sandbox_server.root_url}/__sandbox__/config", timeout=5)
    assert "faults" in SandboxClient(sandbox_server.root_url).config()


def test_gitattributes_keep_text_lf_and_binaries_binary() -> None:
    wanted = {"jobs/verification.pdf": "binary", "x.xlsx": "binary", "x.png": "binary",
              "jobs/outcomes.csv": "text", "README.md": "text"}
    for path, kind in wanted.items():
        shown = subprocess.run(["git", "check-attr", "text", "eol", "diff", "--", path],
                               cwd=REPO, capture_output=True, text=True, check=True).stdout
        if kind == "binary":
            assert f"{path}: text: unset" in shown and f"{path}: diff: unset" in shown, shown
        else:
            assert f"{path}: text: auto" in shown and f"{path}: eol: lf" in shown, shown


# -- with a real browser ------------------------------------------------------------------

@pytest.mark.browser
def test_the_demo_runs_end_to_end_on_simulated_windows(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The whole `caljobs-bot demo`, in-process, with the bot's code on simulated Windows.

    Playwright and its driver are not ours and run as on Linux (the browser is found first,
    before the simulation, since Windows' install folders hold none here); everything the bot
    does (ledger, run folders, Ctrl-C handling, reports) sees Windows."""
    from caljobs_bot.cli import main
    from caljobs_bot.settings.browser import find_browser

    browser = find_browser()
    job = tmp_path / "job.yaml"
    job.write_text(textwrap.dedent((REPO / "jobs" / "example-hard-exits.yaml")
                                   .read_text(encoding="utf-8")), encoding="utf-8")
    (tmp_path / "verification.pdf").write_bytes((REPO / "jobs" / "verification.pdf").read_bytes())
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))  # the demo's runs folder lands here
    windows = simulate_windows(monkeypatch)
    browser_path = str(browser.executable) if browser.executable else None
    arguments = ["demo", "--job", str(job)]
    if browser_path:
        arguments += ["--browser-path", browser_path]
    result = CliRunner().invoke(main, arguments, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    [ledger] = tmp_path.glob("caljobs-demo-*/*/ledger.jsonl")
    statuses = [json.loads(line)["status"] for line in ledger.read_text("utf-8").splitlines()]
    assert statuses.count("saving") >= 2 and statuses.count("saved") >= 2, statuses
    assert windows.granted(ledger.parent)[-1:] == [f"{WHO}:(OI)(CI)F"]


@pytest.mark.browser
def test_a_browser_that_will_not_start_ends_the_demo_with_one_sentence(tmp_path: Path) -> None:
    """A real failed launch (the "browser" is a program that exits at once), through the CLI."""
    from caljobs_bot.cli import main

    not_a_browser = tmp_path / "msedge"
    not_a_browser.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    not_a_browser.chmod(0o755)
    result = CliRunner().invoke(main, ["demo", "--browser-path", str(not_a_browser)])
    assert result.exit_code == 2, result.output
    problem = [ln for ln in result.output.splitlines() if "would not start" in ln]
    assert len(problem) == 1 and "--browser-path" in problem[0], result.output
    assert "playwright install chromium" in problem[0]
    assert "Traceback" not in result.output


@pytest.mark.browser
def test_the_browser_goes_straight_to_the_sandbox_past_a_system_proxy(
    sandbox_server: Any, playwright: Any
) -> None:
    """Chromium never sends loopback through a system proxy (its implicit bypass rules), so we
    leave the proxy to the system and do not pass Playwright's `proxy=` option, which would
    add `<-loopback>` and send 127.0.0.1 to the proxy. A dead --proxy-server stands in for the
    Windows registry proxy."""
    from caljobs_bot.settings.browser import find_browser

    options = find_browser(playwright=playwright).launch_args()
    assert "proxy" not in options and not any("loopback" in a for a in options["args"])
    options["args"] = [*options["args"], "--proxy-server=http://127.0.0.1:9"]
    browser = playwright.chromium.launch(**options)
    try:
        page = browser.new_page()
        page.goto(sandbox_server.sign_in_url)
        assert "Sign In" in page.title()
    finally:
        browser.close()
