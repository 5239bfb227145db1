"""Finding a Chromium-family browser to drive, wherever the user's machine keeps one.

Playwright normally downloads its own browser, but county machines often cannot (no internet
past a proxy, no admin rights), and every Windows machine already has Microsoft Edge. So we
take, in order: a path the user gave, Playwright's own Chromium if it is installed, then an
installed Google Chrome, Microsoft Edge or Chromium. If none is found we say what to install.

A run that shows no window takes a Chromium headless shell first when one is installed
(Debian's `chromium-headless-shell`, Google's `chrome-headless-shell`), as Playwright does with
its own: the same Blink engine without the browser's window machinery, it needs about 40%
less processor time for the same pages (tests/test_pages.py, 35 tests on 2 cores: 46 s and
1.5 cores busy with chromium, 37 s and 1.1 cores with the shell).
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

BROWSER_PATH_ENV = "CALJOBS_BROWSER_PATH"

# Flags that keep Chromium quiet on locked-down networks: without them it keeps trying to
# reach Google's services in the background, which a county firewall (or this sandbox) refuses.
QUIET_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


class BrowserNotFound(RuntimeError):
    """No usable browser was found; the message says what to install."""


class BrowserWouldNotStart(BrowserNotFound):
    """A browser was found but would not launch; the message names the likely cause.

    A subclass of BrowserNotFound because, for the user, it is the same problem with the same
    remedies: every command already turns BrowserNotFound into one sentence and exit code 2."""


class LaunchArgs(TypedDict, total=False):
    """The part of `playwright.chromium.launch(...)`'s keywords a BrowserChoice decides; a
    TypedDict so that `launch(**choice.launch_args())` is checked against Playwright's own."""

    args: list[str]
    executable_path: str


@dataclass(frozen=True)
class BrowserChoice:
    """Which browser to launch: `executable` is None for Playwright's own Chromium."""

    name: str
    executable: Path | None

    def launch_args(self) -> LaunchArgs:
        """Keyword arguments for `playwright.chromium.launch(...)`.

        No proxy setting on purpose: the browser follows the system's proxy (on Windows the
        one in the registry), and Chromium never sends 127.0.0.1/localhost through it, so the
        sandbox is reached directly. Playwright's `proxy=` option would undo that: it adds
        `<-loopback>` to the bypass list, which sends loopback through the proxy
        (tests/test_portability.py shows both)."""
        options: LaunchArgs = {"args": list(QUIET_ARGS)}
        if self.executable is not None:
            options["executable_path"] = str(self.executable)
        return options


def _installed_candidates() -> list[tuple[str, Path]]:
    """Where Chrome, Edge and Chromium are usually installed on this operating system."""
    found: list[tuple[str, Path]] = []
    if sys.platform.startswith("win"):
        roots = [os.environ.get(v) for v in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA")]
        for root in filter(None, roots):
            found.append(("Google Chrome", Path(root, "Google/Chrome/Application/chrome.exe")))
            found.append(("Microsoft Edge", Path(root, "Microsoft/Edge/Application/msedge.exe")))
    elif sys.platform == "darwin":
        for name, app in (
            ("Google Chrome", "Google Chrome.app/Contents/MacOS/Google Chrome"),
            ("Microsoft Edge", "Microsoft Edge.app/Contents/MacOS/Microsoft Edge"),
            ("Chromium", "Chromium.app/Contents/MacOS/Chromium"),
        ):
            found.append((name, Path("/Applications", app)))
            found.append((name, Path.home() / "Applications" / app))
    else:
        for name, command in (
            ("Google Chrome", "google-chrome"),
            ("Google Chrome", "google-chrome-stable"),
            ("Microsoft Edge", "microsoft-edge"),
            ("Microsoft Edge", "microsoft-edge-stable"),
            ("Chromium", "chromium"),
            ("Chromium", "chromium-browser"),
        ):
            where = shutil.which(command)
            if where:
                found.append((name, Path(where)))
        found.append(("Chromium", Path("/usr/bin/chromium")))
        found.append(("Chromium", Path("/snap/bin/chromium")))
    return found


def _headless_shells() -> list[tuple[str, Path]]:
    """Chromium headless shells on the PATH (they cannot show a window)."""
    found: list[tuple[str, Path]] = []
    for command in ("chromium-headless-shell", "chrome-headless-shell"):
        where = shutil.which(command)
        if where:
            found.append(("Chromium headless shell", Path(where)))
    return found


def _playwright_chromium(playwright: Playwright | None) -> Path | None:
    """Playwright's own downloaded Chromium, if `playwright install chromium` was run."""
    if playwright is None:
        return None
    try:
        path = Path(playwright.chromium.executable_path)
    except Exception:  # noqa: BLE001 - an unusual install layout just means "not installed"
        return None
    return path if path.is_file() else None


def find_browser(user_path: str | os.PathLike[str] | None = None,
                 playwright: Playwright | None = None, *, headless: bool = False) -> BrowserChoice:
    """Choose the browser to launch, or raise BrowserNotFound saying what to do. With
    `headless`, a headless shell is taken before a full browser (see the module's note)."""
    user_path = user_path or os.environ.get(BROWSER_PATH_ENV)
    if user_path:
        path = Path(user_path).expanduser()
        if not path.is_file():
            raise BrowserNotFound(
                f"The browser path {str(path)!r} (from --browser-path or {BROWSER_PATH_ENV}) "
                "does not exist. Give the full path to chrome, msedge or chromium."
            )
        return BrowserChoice(path.name, path)
    if _playwright_chromium(playwright) is not None:
        return BrowserChoice("Playwright Chromium", None)
    candidates = _installed_candidates()
    if headless:
        candidates = _headless_shells() + candidates
    for name, path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return BrowserChoice(name, path)
    raise BrowserNotFound(
        "No browser found to drive. Install one of these, then try again:\n"
        "  - Debian/Ubuntu: sudo apt-get install chromium\n"
        "  - Windows: Microsoft Edge is built in; or install Google Chrome\n"
        "  - macOS: install Google Chrome or Microsoft Edge\n"
        f"  - anywhere with internet: {install_chromium_command()}\n"
        f"Or point at a browser with --browser-path PATH (or the {BROWSER_PATH_ENV} variable)."
    )


def launch(playwright: Playwright, choice: BrowserChoice, *, headless: bool = True,
           slow_mo: float = 0) -> Browser:
    """Launch the chosen browser with the quiet flags.

    Ctrl-C is the bot's to handle (finish the current record, then stop): without
    handle_sigint=False, Playwright's driver would close the browser the moment it is pressed.
    """
    from playwright.sync_api import Error as PlaywrightError

    try:
        return playwright.chromium.launch(headless=headless, slow_mo=slow_mo,
                                          handle_sigint=False, **choice.launch_args())
    except PlaywrightError as error:
        raise BrowserWouldNotStart(would_not_start(choice, error)) from None


def would_not_start(choice: BrowserChoice, error: BaseException) -> str:
    """One sentence for a browser that failed to launch: what failed (the first line of
    Playwright's message, which is otherwise pages of browser log), the likely cause on a
    county machine, and the two ways out."""
    first = next((ln.strip() for ln in str(error).splitlines() if ln.strip()), "")
    first = first.removeprefix("BrowserType.launch:").strip()
    detail = f" ({first[:200]})" if first else ""
    where = str(choice.executable) if choice.executable else "Playwright's Chromium"
    return (
        f"{choice.name} ({where}) would not start{detail}: on a work machine this is usually "
        "Microsoft Edge managed by an organisation policy that forbids remote debugging or "
        "forces sign-in, so point at another Chrome, Edge or Chromium with --browser-path PATH "
        f"(or the {BROWSER_PATH_ENV} variable), or install Playwright's own browser with "
        f"`{install_chromium_command()}`."
    )


def install_chromium_command() -> str:
    """The command that installs Playwright's Chromium for this installation of the bot.

    Named with the Python running the bot, not a bare `python`: under pipx, or a virtual
    environment not activated, `python` is another interpreter, without Playwright or with
    another version of it (whose browser this Playwright would not use)."""
    python = sys.executable or "python"
    return f'"{python}" -m playwright install chromium' if " " in python else (
        f"{python} -m playwright install chromium")


def main() -> int:
    """`python -m caljobs_bot.settings.browser`: print the browser that would be used (for
    set-up scripts)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            choice = find_browser(playwright=playwright)
        except BrowserNotFound as problem:
            print(problem, file=sys.stderr)
            return 1
        headless = find_browser(playwright=playwright, headless=True)
    print(f"{choice.name}: {choice.executable or 'installed by Playwright'}")
    if headless != choice:
        print(f"without a window: {headless.name}: {headless.executable}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
