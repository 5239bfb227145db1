"""The wheel a user installs, as `pipx install` would: built from this checkout, installed in
a fresh virtual environment, run from an empty folder with a home of its own.

The issue this guards: an installed `caljobs-bot demo` looked for the example job beside
site-packages (`.../site-packages/jobs/example-hard-exits.yaml does not exist`), and the wheel
put `bots`, `pages` and `fixtures` into site-packages as top-level import names. A checkout
hides both (an editable install reads the repository), so only a real wheel shows them.

Marked browser: the demo drives one, and the whole module takes about a minute (building,
installing the dependencies from the package index or pip's cache, the demo itself).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest

from caljobs_bot.jobfile.loader import load_job

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # builds and installs a wheel: make test-all

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = "example-hard-exits.yaml"
# What jobs/ ships, and nothing else: the example, its attachment, the schema editors read, and
# the folder's README (the spreadsheet template is written on demand: import --template).
SHIPPED_JOB_FILES = {EXAMPLE, "verification.pdf", "job.schema.json", "README.md"}
# The repository's folders, which must never become import names of their own.
NOT_IMPORT_NAMES = ("bots", "pages", "fixtures", "jobs", "tests", "bench")
# Where each repository folder lives inside the package (pyproject.toml's package-dir).
PACKAGE_FOLDERS = {"bots": "caljobs_bot", "pages": "caljobs_bot/pages",
                   "fixtures": "caljobs_bot/fixtures"}
# What a developer's checkout holds that is not source: never copied to the build folder.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "runs", "guide",
    "test-results", ".pytest_cache", ".ruff_cache", ".mypy_cache", ".hypothesis",
)
PRIVATE_JOB = "my-exits.yaml"
PRIVATE_LETTER = "facility-letter.pdf"


def run(command: list[str | Path], *, env: Mapping[str, str] | None = None,
        cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run a command to its end, its output kept as text for the assertions."""
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, encoding="utf-8",
        errors="replace", timeout=timeout, stdin=subprocess.DEVNULL, env=env, cwd=cwd,
    )


def shown(ran: subprocess.CompletedProcess[str]) -> str:
    """A finished command's output, for an assertion's message."""
    return f"exit code {ran.returncode}\n--- stdout\n{ran.stdout}\n--- stderr\n{ran.stderr}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from a copy of this checkout.

    A copy, because setuptools builds inside the source folder and reuses its build/: a file
    deleted since an earlier build would still ship from there, and the developer's checkout
    would gain build/ and egg-info folders. The copy also gets a private job and letter in
    jobs/, where the README tells data teams to keep theirs, to show they are left out."""
    source = tmp_path_factory.mktemp("source") / "caljobs-bot"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    (source / "jobs" / PRIVATE_JOB).write_text("version: 1\nrecords: []\n", encoding="utf-8")
    (source / "jobs" / PRIVATE_LETTER).write_bytes(b"%PDF-1.4\n% a participant's letter\n")
    dist = tmp_path_factory.mktemp("dist")
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", dist, source])
    assert built.returncode == 0, shown(built)
    (found,) = dist.glob("*.whl")
    return found


def test_the_wheel_holds_one_package_with_every_file_the_commands_read(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    top_level = {name.split("/")[0] for name in names}
    assert {name for name in top_level if not name.endswith(".dist-info")} == {"caljobs_bot"}

    # Every module of every room, so a new subpackage missing from pyproject.toml's
    # `packages` list shows here rather than as an ImportError on a user's machine.
    for folder, package in PACKAGE_FOLDERS.items():
        for module in (REPO / folder).rglob("*.py"):
            shipped = f"{package}/{module.relative_to(REPO / folder).as_posix()}"
            assert shipped in names, f"{folder}/{module.relative_to(REPO / folder)} not shipped"

    sandbox = REPO / "fixtures" / "sandbox"
    for data in [sandbox / "seed.json", *(sandbox / "templates").iterdir(),
                 *(sandbox / "static").iterdir()]:
        shipped = f"caljobs_bot/fixtures/sandbox/{data.relative_to(sandbox).as_posix()}"
        assert shipped in names, f"the sandbox's {data.relative_to(sandbox)} not shipped"

    job_files = {name.removeprefix("caljobs_bot/jobs/") for name in names
                 if name.startswith("caljobs_bot/jobs/")}
    assert job_files == SHIPPED_JOB_FILES, "jobs/ ships exactly the example files"
    assert not [name for name in names if ".egg-info" in name]


def test_the_installed_wheel_runs_the_demo_from_an_empty_folder(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    created = run([sys.executable, "-m", "venv", venv])
    assert created.returncode == 0, shown(created)
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    suffix = ".exe" if os.name == "nt" else ""
    python, command = scripts / f"python{suffix}", scripts / f"caljobs-bot{suffix}"
    # pip with the developer's settings and cache (index, proxy, certificates): it fetches
    # the dependencies, as pipx would.
    installed = run([python, "-m", "pip", "install", wheel], env=_without_python_path())
    assert installed.returncode == 0, shown(installed)

    empty = tmp_path / "empty"
    empty.mkdir()
    env = _user_env(tmp_path / "user")

    def user_runs(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return run(list(args), env=env, cwd=empty)

    site_packages = Path(user_runs(python, "-c", "import sysconfig; "
                                   "print(sysconfig.get_paths()['purelib'])").stdout.strip())
    claimed = sorted(path.name for path in site_packages.iterdir()
                     if path.stem in NOT_IMPORT_NAMES)
    assert claimed == [], f"top-level names in site-packages: {claimed}"

    imported = user_runs(python, "-c", "import caljobs_bot; print(caljobs_bot.__file__); "
                         f"print(caljobs_bot.bundled_job_file({EXAMPLE!r}))")
    assert imported.returncode == 0, shown(imported)
    package_file, example = (Path(line) for line in imported.stdout.splitlines())
    assert package_file.is_relative_to(site_packages), "caljobs_bot came from elsewhere"
    assert example.is_relative_to(site_packages) and example.is_file()

    helped = user_runs(command, "--help")
    assert helped.returncode == 0, shown(helped)
    assert "demo" in helped.stdout and "validate" in helped.stdout

    records = load_job(REPO / "jobs" / EXAMPLE).records
    validated = user_runs(command, "validate", example)
    assert validated.returncode == 0, shown(validated)
    assert f"{len(records)} records, no problems found" in validated.stdout

    demo = user_runs(command, "demo")
    assert demo.returncode == 0, shown(demo)
    for record in records:
        assert re.search(rf"^record {record.index} \(line {record.line}\): saved",
                         demo.stdout, re.M), shown(demo)
    assert re.search(rf"^{len(records)} saved$", demo.stdout, re.M), shown(demo)
    # The demo's own report, where it says it wrote it (a folder of its own under the
    # system's temporary folder), agrees; the folder goes once read.
    where = re.search(r"^Report: (.+)report\.html \(and report\.csv\)", demo.stdout, re.M)
    assert where, shown(demo)
    report = Path(where.group(1)) / "report.csv"
    with report.open(encoding="utf-8") as rows:
        statuses = {row["record"]: row["status"] for row in csv.DictReader(rows)}
    assert statuses == {str(record.index): "saved" for record in records}
    (demo_runs,) = [folder for folder in report.parents if folder.name.startswith("caljobs-demo")]
    shutil.rmtree(demo_runs)
    assert list(empty.iterdir()) == [], "the commands left files in the user's folder"


def _without_python_path() -> dict[str, str]:
    """This environment without what would let the new venv import from elsewhere."""
    leaks = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV"}
    return {name: value for name, value in os.environ.items() if name not in leaks}


def _user_env(root: Path) -> dict[str, str]:
    """A user's environment with nothing of the developer's: home, config, data and cache
    folders inside `root`, no CALJOBS_ settings.

    Kept: CALJOBS_BROWSER_PATH (the CI leg that forces Edge), and Playwright's own browsers
    where they are installed, since a new home would hide them; both choose the browser, as
    the machine does for any user, and leak no settings. Kept too: the system's temporary
    folder. Chromium puts a socket there, and a path as deep as pytest's tmp_path makes the
    socket's name too long for Linux, so Chromium would not start at all."""
    env = {name: value for name, value in _without_python_path().items()
           if not name.startswith("CALJOBS_") or name == "CALJOBS_BROWSER_PATH"}
    browsers = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or str(_playwright_browsers())
    if Path(browsers).is_dir():
        env["PLAYWRIGHT_BROWSERS_PATH"] = browsers
    for name in ("HOME", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "XDG_CONFIG_HOME",
                 "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        folder = root / name.lower()
        folder.mkdir(parents=True)
        env[name] = str(folder)
    env["PYTHONIOENCODING"] = "utf-8"
    # Wide, so rich (80 columns when not on a terminal) keeps the report's path on one line.
    env["COLUMNS"] = "1000"
    return env


def _playwright_browsers() -> Path:
    """Where `playwright install` puts its browsers by default on this system."""
    if sys.platform.startswith("win"):
        local = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(local) / "ms-playwright"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "ms-playwright"
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "ms-playwright"
