"""Which installed browser a run takes (bots/settings/browser.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from caljobs_bot.settings.browser import BROWSER_PATH_ENV, find_browser


def installed(folder: Path, *commands: str) -> dict[str, Path]:
    """Stand-in executables named like the real ones, on a PATH of their own."""
    folder.mkdir()
    made = {}
    for command in commands:
        path = folder / (command + (".exe" if sys.platform.startswith("win") else ""))
        path.write_text("#!/bin/sh\n", encoding="utf-8")
        path.chmod(0o755)
        made[command] = path
    return made


def test_a_run_without_a_window_takes_the_headless_shell_and_a_shown_one_the_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = installed(tmp_path / "bin", "chromium", "chromium-headless-shell")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.delenv(BROWSER_PATH_ENV, raising=False)
    shell = find_browser(headless=True)
    assert (shell.name, shell.executable) == ("Chromium headless shell",
                                              made["chromium-headless-shell"])
    shown = find_browser()
    assert (shown.name, shown.executable) == ("Chromium", made["chromium"])
    # A path the user gives wins, headless or not.
    given = find_browser(made["chromium"], headless=True)
    assert given.executable == made["chromium"]
