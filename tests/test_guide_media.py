"""The guide's video and captions as a trainer gets them: made without Playwright's ffmpeg or
the system's, played from disk with their captions, every action captioned long enough to
read, the contacts pop-up in the picture.

One guide, made once for the module with the command line (the default 2021 screens, the
pop-up as a window of its own), serves every test here.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page

from caljobs_bot.cli import EXAMPLE_JOB

pytestmark = pytest.mark.browser

CUE = re.compile(r"^(\d\d):(\d\d):(\d\d\.\d{3}) --> (\d\d):(\d\d):(\d\d\.\d{3})\n((?:.+\n?)+)",
                 re.MULTILINE)


@dataclass(frozen=True)
class Made:
    folder: Path
    said: str
    cues: list[tuple[float, float, str]]
    """guide.vtt's cues: start, end (seconds) and text."""


def seconds(hours: str, minutes: str, rest: str) -> float:
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Made:
    """A guide made where neither Playwright's ffmpeg (no `playwright install`: an empty
    browsers folder) nor the system's (an `ffmpeg` first on PATH that fails) can be used."""
    folder = tmp_path_factory.mktemp("guide-media")
    fake_bin = tmp_path_factory.mktemp("no-ffmpeg")
    ffmpeg = fake_bin / "ffmpeg"
    ffmpeg.write_text("#!/bin/sh\necho 'the system ffmpeg was used' >&2\nexit 1\n")
    ffmpeg.chmod(0o755)
    env = dict(os.environ, PATH=f"{fake_bin}{os.pathsep}{os.environ.get('PATH', '')}",
               PLAYWRIGHT_BROWSERS_PATH=str(tmp_path_factory.mktemp("no-playwright-browsers")))
    env.pop("IMAGEIO_FFMPEG_EXE", None)
    done = subprocess.run(
        [sys.executable, "-m", "caljobs_bot.cli", "guide", str(EXAMPLE_JOB), "-o", str(folder)],
        capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    vtt = (folder / "guide.vtt").read_text(encoding="utf-8")
    cues = [(seconds(*m.groups()[:3]), seconds(*m.groups()[3:6]), m[7].strip())
            for m in CUE.finditer(vtt)]
    return Made(folder, done.stdout, cues)


def test_the_video_is_made_without_playwrights_or_the_systems_ffmpeg(made: Made) -> None:
    assert "No video" not in made.said, made.said
    assert "guide.webm" in made.said
    video = (made.folder / "guide.webm").read_bytes()
    assert video[:4] == b"\x1a\x45\xdf\xa3" and b"webm" in video[:64]  # a WebM (Matroska)
    assert b"V_VP8" in video[:4096]  # VP8: what Chromium, Edge and Firefox all play


def test_every_action_is_captioned_long_enough_to_read(made: Made) -> None:
    page = (made.folder / "guide.html").read_text(encoding="utf-8")
    actions = [html.unescape(item) for block in re.findall(r'<ol class="do">(.*?)</ol>', page)
               for item in re.findall(r"<li>(.*?)</li>", block)]
    assert len(actions) > 20
    captioned = {line for _, _, text in made.cues for line in text.splitlines()}
    assert [a for a in actions if a not in captioned] == []
    short = [(text, round(end - start, 2)) for start, end, text in made.cues
             if end - start < 2.0]
    assert short == []
    # In order, one after the other, on the video's own time line.
    assert all(a[1] <= b[0] + 0.001 for a, b in zip(made.cues, made.cues[1:], strict=False))


def test_captions_show_when_the_page_is_opened_from_disk(page: Page, made: Made) -> None:
    """As a trainer opens it: file://, no server. Chromium refuses a file:// <track>, so the
    cues must come with the page."""
    page.goto((made.folder / "guide.html").as_uri())
    video = page.locator("video")
    assert video.evaluate("v => v.textTracks.length") == 1
    assert video.evaluate("v => v.textTracks[0].mode") == "showing"
    assert video.evaluate("v => v.textTracks[0].cues.length") == len(made.cues)
    video.evaluate("v => { v.muted = true; return v.play(); }")
    first_start, _, first_text = made.cues[0]
    # Playing, and into the first cue: the browser shows it as the active cue.
    page.wait_for_function(
        "([v, t]) => v.currentTime > t && v.textTracks[0].activeCues.length > 0",
        arg=[video.element_handle(), first_start], timeout=30_000)
    shown = video.evaluate("v => v.textTracks[0].activeCues[0].text")
    assert shown == first_text


def frame_at(made: Made, at: float) -> bytes:
    """The video's picture at `at` seconds, 128x80, as RGB bytes (decoded by the same wheel's
    ffmpeg)."""
    import imageio_ffmpeg

    decoded = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-ss", f"{at:.3f}", "-i",
         str(made.folder / "guide.webm"), "-frames:v", "1", "-vf", "scale=128:80",
         "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True, check=True)
    assert len(decoded.stdout) == 128 * 80 * 3
    return decoded.stdout


def test_the_contacts_popup_window_is_in_the_video(made: Made) -> None:
    """While the contact is typed, the video shows the pop-up window: narrower than the page,
    so its picture sits between dark bands; the page itself fills the whole width."""
    def pixel(frame: bytes, x: int, y: int) -> tuple[int, ...]:
        return tuple(frame[(y * 128 + x) * 3:(y * 128 + x) * 3 + 3])

    typing = next((start + end) / 2 for start, end, text in made.cues
                  if text.endswith("in First Name."))
    popup = frame_at(made, typing)
    assert max(pixel(popup, 1, 40)) < 60, "no dark band: not the pop-up window"
    assert min(pixel(popup, 64, 40)) > 200, "the pop-up's white page is not in the middle"
    form = frame_at(made, made.cues[len(made.cues) // 3][0])
    assert min(pixel(form, 1, 40)) > 60, "the page itself should fill the width"
