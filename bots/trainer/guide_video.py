"""The guide's video: the browser's own frames, encoded by the ffmpeg of the imageio-ffmpeg wheel.

Why not Playwright's recorder: it needs an ffmpeg that only `playwright install` downloads,
which county machines often cannot do, so a Windows trainer who installed with pip got no
video. And it records one page only, so the contacts pop-up (a window of its own) never
showed. Here Chromium sends its frames over the DevTools protocol (every Chromium-family
browser does: Chrome, Edge, Chromium), from the replayed page and from every window it opens
(the one on top is what the video shows), and imageio-ffmpeg, which ships a static ffmpeg
inside its wheel for Windows, macOS and Linux, encodes them into a WebM (VP8) that browsers
play. The frames are re-timed on the captions' time line (trainer/guide_captions.py).
"""

from __future__ import annotations

import base64
import errno
import subprocess
import tempfile
import time
from bisect import bisect_right
from contextlib import suppress
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, CDPSession, Page
from playwright.sync_api import Error as PlaywrightError

from caljobs_bot.trainer.guide_captions import TimeLine
from caljobs_bot.trainer.output import removing_partial

FPS = 8
WIDTH, HEIGHT = 1280, 800
# What the encoder may write per second of video at these settings, for the free-space
# check before a replay: 4.9 MB for the 2 min 52 s of the example job's record 1 (28 KB/s)
# when every tick was encoded, 1.6 MB (9.4 KB/s) now that stills are sent once; kept at the
# old figure as a margin for a replay whose screens change more.
BYTES_PER_SECOND = 30_000


class NoEncoder(Exception):
    """No video can be made here; the message says why, in one sentence."""


def encoder() -> str:
    """The ffmpeg to encode with: the one in the imageio-ffmpeg wheel.

    Raises NoEncoder when the package or its binary is missing (a platform without a
    wheel and no ffmpeg of its own)."""
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError):
        raise NoEncoder("No video: the imageio-ffmpeg package, which carries the video "
                        "encoder, is missing (`pip install imageio-ffmpeg` adds it).") from None


class ScreenRecorder:
    """Frames of the replayed page and of every window it opens, as Chromium paints them.

    The window opened last and still open is the one shown (the contacts pop-up while it is
    open, the page again once it closes). Frames are kept in memory, at most FPS a second,
    with the moment they were painted (time.monotonic's clock)."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self._context = context
        self._offset = time.time() - time.monotonic()
        self.frames: list[tuple[float, bytes]] = []
        self._windows: list[Page] = []
        self._last: dict[int, tuple[float, bytes]] = {}
        self._sessions: list[CDPSession] = []
        self._watch(page)
        context.on("page", self._watch)

    def _watch(self, page: Page) -> None:
        """Ask Chromium for the frames of `page`; it is on top from now until it closes."""
        try:
            cdp = self._context.new_cdp_session(page)
            cdp.on("Page.screencastFrame",
                   lambda event: self._frame(page, cdp, event))
            cdp.send("Page.startScreencast", {"format": "jpeg", "quality": 75,
                                              "maxWidth": WIDTH, "maxHeight": HEIGHT})
        except PlaywrightError:
            return  # a window closed at once: nothing of it to show
        self._sessions.append(cdp)
        self._windows.append(page)
        page.on("close", lambda closed: self._closed(closed))

    def _frame(self, page: Page, cdp: CDPSession, event: dict[str, Any]) -> None:
        """One painted frame: acknowledged (Chromium sends the next only then), and kept when
        its window is the one on top."""
        with suppress(PlaywrightError):
            cdp.send("Page.screencastFrameAck", {"sessionId": event["sessionId"]})
        at = float(event["metadata"]["timestamp"]) - self._offset
        data = base64.b64decode(event["data"])
        self._last[id(page)] = (at, data)
        if self._windows and self._windows[-1] is page:
            self._keep(at, data)

    def _keep(self, at: float, data: bytes) -> None:
        if self.frames and at < self.frames[-1][0]:
            return  # painted before the frame already kept (frames may arrive out of order)
        if self.frames and at - self.frames[-1][0] < 1 / FPS:
            self.frames[-1] = (self.frames[-1][0], data)  # the newest look of that moment
            return
        self.frames.append((at, data))

    def _closed(self, page: Page) -> None:
        """A window closed: the one below it is shown again, as it last looked."""
        if page in self._windows:
            self._windows.remove(page)
        if self._windows and id(self._windows[-1]) in self._last:
            self._keep(time.monotonic(), self._last[id(self._windows[-1])][1])

    def stop(self) -> None:
        """No more frames (the context may already be closed)."""
        for cdp in self._sessions:
            with suppress(PlaywrightError):
                cdp.send("Page.stopScreencast")
                cdp.detach()


def stills(frames: list[tuple[float, bytes]], line: TimeLine, start: float
           ) -> list[tuple[bytes, float]]:
    """The video as a list of (picture, seconds shown): the frame shown at each of the
    video's FPS ticks on `line`, with the ticks that show the same picture joined.

    Most of a guide's video is a still (a caption being read over an unchanged screen), so
    the encoder gets each picture once with how long it stays. The example job's guide
    (2 min 52 s of video) took 18.4 s of processor time with every tick sent, 7.4 s so."""
    times = [at - start for at, _ in frames]
    shown: list[tuple[bytes, float]] = []
    for index in range(max(1, round(line.duration * FPS))):
        picture = frames[max(0, bisect_right(times, line.real_time(index / FPS)) - 1)][1]
        if shown and shown[-1][0] is picture:
            shown[-1] = (picture, shown[-1][1] + 1 / FPS)
        else:
            shown.append((picture, 1 / FPS))
    return shown


def _playlist(pictures: list[tuple[bytes, float]], folder: Path) -> Path:
    """The pictures as files in `folder` and the ffconcat list that shows each for its time
    (the last is listed twice: the format ignores the last entry's duration otherwise)."""
    lines = ["ffconcat version 1.0"]
    for number, (picture, seconds) in enumerate(pictures):
        name = f"{number:05d}.jpg"
        (folder / name).write_bytes(picture)
        lines += [f"file {name}", f"duration {seconds:.6f}"]
    lines.append(f"file {len(pictures) - 1:05d}.jpg")
    playlist = folder / "video.ffconcat"
    playlist.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return playlist


def encode(frames: list[tuple[float, bytes]], line: TimeLine, start: float, path: Path) -> None:
    """Write the frames as a WebM at `path`, shown on `line` (times relative to `start`):
    each picture once, for as long as it stays (see stills; WebM keeps each frame's time).
    Every frame is scaled and padded to 1280x800 (a pop-up window is smaller).

    Raises NoEncoder without an encoder, OSError when the file cannot be written (ENOSPC
    for a full disk); a partial file is removed."""
    if not frames:
        raise NoEncoder("No video: the browser sent no pictures of the replay.")
    exe = encoder()
    fit = (f"scale={WIDTH}:{HEIGHT}:force_original_aspect_ratio=decrease,"
           f"pad={WIDTH}:{HEIGHT}:(ow-iw)/2:(oh-ih)/2:color=0x202020,format=yuv420p")
    with tempfile.TemporaryDirectory() as work, tempfile.TemporaryFile() as errors, \
            removing_partial(path):
        playlist = _playlist(stills(frames, line, start), Path(work))
        command = [exe, "-hide_banner", "-loglevel", "error", "-y", "-f", "concat",
                   "-i", str(playlist), "-vf", fit, "-fps_mode", "vfr",
                   "-c:v", "libvpx", "-b:v", "600k", "-deadline", "realtime", "-cpu-used", "8",
                   "-an", "-f", "webm", str(path)]
        # No console window on Windows; no effect elsewhere.
        code = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=errors, check=False,
                              creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0)).returncode
        errors.seek(0)
        said = errors.read().decode("utf-8", "replace")
        if code != 0:
            if "No space left" in said or "ENOSPC" in said:
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
            raise NoEncoder(f"No video: the encoder failed ({said.strip()[:200]}).")
