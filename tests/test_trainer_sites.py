"""`walkthrough` and `guide` on a named site: a caljobs-bot.toml profile chooses it, and a
session saved the way `caljobs-bot login` saves one signs them in without a password.

The profile points at the test session's sandbox (not the one these commands would start
themselves), so the sandbox's own counters say what the command did there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from caljobs_bot.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.pages.login import LoginPage
from caljobs_bot.settings.saved_sign_in import save_session, session_file

pytestmark = pytest.mark.browser

PROFILE = """[profiles.training]
base_url = "{url}"
username = "{username}"
"""
LI_WEI = "4"  # the example job's record without contacts or a case-manager change: quick
# The walkthrough in `make test`; the guide (the same sign-in, a slower replay) is `slow`.
TRAINER_COMMANDS = ["walkthrough", pytest.param("guide", marks=pytest.mark.slow)]


def trainer(command: str, folder: Path, *options: str,
            env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The command run in `folder` (where its caljobs-bot.toml is), with no terminal."""
    extra = ["--pause", "0", "--headless"] if command == "walkthrough" else [
        "-o", str(folder / "guide")]
    return subprocess.run(
        [sys.executable, "-m", "caljobs_bot.cli", command, str(EXAMPLE_JOB), "--record", LI_WEI,
         "--no-save", *extra, *options],
        capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL, cwd=folder,
        env=env)


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without CALJOBS_ variables, and with a keyring that holds nothing (a
    password stored on the machine running the tests must not count)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALJOBS_")}
    return {**env, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", **extra}


@pytest.mark.parametrize("command", TRAINER_COMMANDS)
def test_a_profile_names_the_site_and_the_user(
    command: str, sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    (tmp_path / "caljobs-bot.toml").write_text(
        PROFILE.format(url=sandbox_server.sign_in_url, username=SANDBOX_USERNAME),
        encoding="utf-8")
    before = sandbox.state()

    ran = trainer(command, tmp_path, "--profile", "training",
                  env=clean_env(CALJOBS_PASSWORD=SANDBOX_PASSWORD))

    said = ran.stdout + ran.stderr
    assert ran.returncode == 0, said
    host = sandbox_server.sign_in_url.split("/")[2]
    assert f"on {host}" in said or command == "guide", said
    # It signed in on the profile's site, with the profile's username, and saved nothing.
    assert sandbox.stats()["sign_ins"] == 1, said
    assert "filled (dry run, not saved)" in said
    assert sandbox.state() == before
    if command == "guide":
        assert host in (tmp_path / "guide" / "guide.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", TRAINER_COMMANDS)
def test_a_saved_session_signs_in_without_a_password(
    command: str, browser: Browser, sandbox: SandboxClient, sandbox_server: Sandbox,
    tmp_path: Path
) -> None:
    (tmp_path / "caljobs-bot.toml").write_text(
        PROFILE.format(url=sandbox_server.sign_in_url, username=SANDBOX_USERNAME),
        encoding="utf-8")
    # Saved as `caljobs-bot login` saves it: where it looks for this site and user.
    person = browser.new_context()
    LoginPage(person.new_page()).open(sandbox_server.sign_in_url).sign_in(
        SANDBOX_USERNAME, SANDBOX_PASSWORD)
    saved = save_session(person, session_file(tmp_path / "runs", sandbox_server.sign_in_url,
                                              SANDBOX_USERNAME))
    person.close()
    assert saved.private
    signed_in_before = sandbox.stats()["sign_ins"]

    # No password anywhere: without the saved session the bot could not sign in at all.
    ran = trainer(command, tmp_path, "--profile", "training", env=clean_env())

    said = ran.stdout + ran.stderr
    assert ran.returncode == 0, said
    assert "filled (dry run, not saved)" in said
    # The sign-in form was never posted: the session carried the command in.
    assert sandbox.stats()["sign_ins"] == signed_in_before, said


def test_without_a_saved_session_or_password_nothing_is_entered(
    sandbox: SandboxClient, sandbox_server: Sandbox, tmp_path: Path
) -> None:
    """The other side of the test above: the same command, no session kept, fails in one
    sentence (so a pass there is the session's doing)."""
    (tmp_path / "caljobs-bot.toml").write_text(
        PROFILE.format(url=sandbox_server.sign_in_url, username=SANDBOX_USERNAME),
        encoding="utf-8")
    ran = trainer("walkthrough", tmp_path, "--profile", "training", env=clean_env())
    said = ran.stdout + ran.stderr
    assert ran.returncode == 2, said
    assert "No password for 'sandbox'" in said and "Traceback" not in said
    assert sandbox.stats()["sign_ins"] == 0
