"""Trainer commands check their output folder before anything is replayed (or saved), and
say what is wrong in one sentence, never with a traceback."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

import pytest
from small_disk import small_tmpfs

from caljobs_bot.cli import EXAMPLE_JOB
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.trainer.output import OutputNotWritable, check_writable, write_text


def trainer(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "caljobs_bot.cli", *args], capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def one_sentence(made: subprocess.CompletedProcess[str], *words: str) -> None:
    assert made.returncode == 2, made.stdout + made.stderr
    assert "Traceback" not in made.stderr + made.stdout
    lines = [line for line in made.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, made.stderr
    for word in words:
        assert word in lines[0]
    # Nothing was replayed, so nothing can have been saved.
    assert "saved" not in made.stdout and "Walkthrough of" not in made.stdout


def test_guide_folder_under_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder")
    made = trainer("guide", str(EXAMPLE_JOB), "-o", str(blocker / "guide"))
    one_sentence(made, "Cannot write", "a file is in the way", "-o")


def test_guide_file_that_cannot_be_written_is_found_before_the_replay(tmp_path: Path) -> None:
    (tmp_path / "guide.html").mkdir()  # only guide.html is in the way
    made = trainer("guide", str(EXAMPLE_JOB), "-o", str(tmp_path))
    one_sentence(made, "guide.html", "a folder has that file's name")
    assert not (tmp_path / "guide.md").exists()  # the probe leaves nothing behind


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="a read-only folder is writable for root")
def test_guide_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        one_sentence(trainer("guide", str(EXAMPLE_JOB), "-o", str(folder)), "permission")
    finally:
        folder.chmod(0o755)


def test_practice_report_under_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder")
    made = trainer("practice", str(EXAMPLE_JOB), "--report", str(blocker / "report.md"))
    one_sentence(made, "Cannot write", "in the way", "--report")


def test_permission_problems_are_one_sentence(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Whoever runs the tests (root writes anywhere), a refused write reads the same."""
    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(OutputNotWritable, match="you do not have permission to write there"):
        check_writable(tmp_path, ["guide.html"])


def test_check_creates_the_folders_and_keeps_existing_files(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    check_writable(folder, ["guide.html"], ["images"])
    assert (folder / "images").is_dir() and not (folder / "guide.html").exists()
    (folder / "guide.md").write_text("kept")
    check_writable(folder, ["guide.md"])
    assert (folder / "guide.md").read_text() == "kept"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1,000 KB tmpfs, mounted where the test may (root on Linux); else the test skips."""
    with small_tmpfs(tmp_path, 1000) as place:
        yield place


def test_guide_on_a_disk_too_small_stops_before_the_replay(small_disk: Path) -> None:
    """Before: the outcome and case note were saved, then 'Cannot write …guide.webm: the disk
    is full' with a partial video left behind."""
    folder = small_disk / "guide"
    made = trainer("guide", str(EXAMPLE_JOB), "-o", str(folder))
    one_sentence(made, f"Not enough space for the guide in {folder}", "KB free", "-o")
    assert "Wrote" not in made.stdout
    assert not [path for path in folder.rglob("*") if path.is_file()]


def test_a_write_that_fills_the_disk_names_the_folder_and_its_room_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills up during the guide (another program writing): one sentence naming
    the folder and its free space, and no half-written file."""
    real_write = Path.write_text

    def half_then_full(self: Path, text: str, *args: object, **kwargs: object) -> int:
        real_write(self, text[: len(text) // 2], encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", half_then_full)
    with pytest.raises(OutputNotWritable) as raised:
        write_text(tmp_path / "guide.html", "<p>the guide</p>" * 100)
    assert f"the disk holding {tmp_path} is full (" in str(raised.value)
    assert re.search(r"\(\d+ KB free\)", str(raised.value))
    assert not (tmp_path / "guide.html").exists()


def test_a_full_disk_during_the_replay_is_one_sentence_not_an_unexpected_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: a screenshot meeting a full disk stopped the guide on 'unexpected error
    (OSError)'."""
    from caljobs_bot.settings.browser_session import SessionOptions
    from caljobs_bot.settings.credentials import Credentials
    from caljobs_bot.trainer import guide

    def replay_on_a_full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(guide, "replay", replay_on_a_full_disk)
    monkeypatch.setattr(guide, "open_session", lambda options: nullcontext(FakeSession()))
    with pytest.raises(OutputNotWritable, match=r"the disk holding .* is full \(\d+ KB free\)"):
        guide.make_guide("http://localhost/", Credentials("u", "p"),
                         load_job(EXAMPLE_JOB).records[0], tmp_path, site="a site",
                         session=SessionOptions(), video=False)


class FakeSession:
    """Just enough of a browser session for make_guide to reach the replay."""

    def new_context(self, **options: object) -> FakeSession:
        return self

    def new_page(self) -> FakeSession:
        return self
