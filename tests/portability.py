"""Windows, simulated on Linux: the POSIX-only parts of `os`, `signal` and `fcntl` taken away,
and the product's modules told they run on "win32".

No Windows machine runs our tests here, yet a POSIX-only call (os.pread in the ledger) made
every run crash there. With these patches such a call fails on Linux too, in CI, on every
change. Two ways to use it:

- `simulate_windows(monkeypatch)` in a test (tests/test_portability.py does, for the ledger,
  private folders, sessions, config and browser discovery, and the whole demo);
- the whole fast suite in this mode: `python -m pytest -p tests.portability -m "not browser"`
  (the plugin below applies the patches to every test; `python -m` puts the checkout on
  sys.path so `tests.portability` imports).

What cannot be simulated: Windows' path syntax (pathlib picks its flavour from the real
system), its file locking and ACL semantics (icacls is faked and its calls recorded), and the
Ctrl-C console model. The CI workflow's Windows legs cover those.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# The POSIX-only attributes a Windows Python does not have.
POSIX_ONLY_OS = ("pread", "pwrite", "killpg", "getpgid", "setsid", "getuid", "geteuid",
                 "fchmod", "getloadavg", "fork", "setpgid")
POSIX_ONLY_SIGNAL = ("SIGKILL", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGALRM")
# The product modules that branch on sys.platform: each gets a `sys` that says "win32".
# Patched per module, not globally: Python's own libraries and Playwright's transport read
# sys.platform at call time too, and on Linux they must keep doing what works here.
BRANCHING_MODULES = ("caljobs_bot.settings.private", "caljobs_bot.settings.browser",
                     "caljobs_bot.settings.config", "caljobs_bot.cli.running")

WINDOWS_USER, WINDOWS_DOMAIN = "dteam", "COUNTY"


class IcaclsRecorder:
    """Stands in for `subprocess.run` for icacls (which Linux lacks) and records each call;
    any other command runs for real."""

    def __init__(self, real_run: Callable[..., Any], returncode: int = 0) -> None:
        self.calls: list[list[str]] = []
        self.returncode = returncode
        self._real_run = real_run

    def __call__(self, command: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(command, list | tuple) and command and command[0] == "icacls":
            assert not kwargs.get("shell"), "icacls must be run without a shell"
            self.calls.append([str(part) for part in command])
            stderr = "" if self.returncode == 0 else "Access is denied."
            return subprocess.CompletedProcess(list(command), self.returncode, "", stderr)
        return self._real_run(command, *args, **kwargs)

    def granted(self, path: Path) -> list[str]:
        """The grants recorded for `path` (e.g. ["COUNTY\\\\dteam:(OI)(CI)F"])."""
        return [call[call.index("/grant:r") + 1] for call in self.calls
                if call[1] == str(path) and "/inheritance:r" in call]


def _windows_sys() -> types.ModuleType:
    """A copy of `sys` whose platform is "win32" (everything else is the real one's)."""
    fake = types.ModuleType("sys")
    fake.__dict__.update(sys.__dict__, platform="win32")
    return fake


def simulate_windows(monkeypatch: pytest.MonkeyPatch) -> IcaclsRecorder:
    """Apply the simulation for one test (undone by monkeypatch); returns the icacls recorder."""
    import importlib

    for name in POSIX_ONLY_OS:
        monkeypatch.delattr(os, name, raising=False)
    for name in POSIX_ONLY_SIGNAL:
        monkeypatch.delattr(signal, name, raising=False)
    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` raises ImportError
    fake_sys = _windows_sys()
    for module_name in BRANCHING_MODULES:
        monkeypatch.setattr(importlib.import_module(module_name), "sys", fake_sys)
    monkeypatch.setenv("USERNAME", WINDOWS_USER)
    monkeypatch.setenv("USERDOMAIN", WINDOWS_DOMAIN)
    recorder = IcaclsRecorder(subprocess.run)
    monkeypatch.setattr(subprocess, "run", recorder)
    return recorder


def assert_owner_only(path: Path, *, folder: bool) -> None:
    """`path` is private to its owner on the system the test runs on (real or simulated)."""
    import stat

    from caljobs_bot.settings.private import on_windows

    if not on_windows():
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if folder else 0o600), path
        return
    # Simulated (duck-typed: `-p tests.portability` and `import portability` are two copies).
    granted: Callable[[Path], list[str]] | None = getattr(subprocess.run, "granted", None)
    if granted is not None:
        who = f"{WINDOWS_DOMAIN}\\{WINDOWS_USER}"
        assert granted(path)[-1:] == [f"{who}:(OI)(CI)F" if folder else f"{who}:F"]
        return
    shown = subprocess.run(["icacls", str(path)], capture_output=True, text=True, check=True)
    entries = shown.stdout.replace(str(path), "", 1)
    user = os.environ["USERNAME"].lower()
    assert user in entries.lower(), shown.stdout
    for group in ("Everyone", "BUILTIN\\Users", "Authenticated Users"):
        assert group not in entries, shown.stdout


# -- as a pytest plugin: `python -m pytest -p tests.portability` ---------------------------

@pytest.fixture(autouse=True)
def _simulated_windows_everywhere(monkeypatch: pytest.MonkeyPatch,
                                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every test of the session runs on simulated Windows (only when loaded with -p)."""
    tmp_path_factory.getbasetemp()  # pytest's own POSIX code (os.getuid) runs before the patches
    simulate_windows(monkeypatch)
    yield


def pytest_report_header() -> str:
    """Say so at the top of the run, so nobody mistakes it for a normal one."""
    return "simulated Windows: POSIX-only os/signal/fcntl removed, product sees sys.platform win32"
