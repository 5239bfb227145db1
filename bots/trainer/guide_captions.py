"""The video's captions and its time line: every action of every step, each on screen long
enough to read.

The replay runs at the bot's speed: most steps last under 1.5 s, far too short to read one
line, let alone a step's five actions. So the video is not shown at the replay's speed: each
step's stretch of the recording is slowed down until every caption of the step can stay on
screen for its reading time (at least MIN_CUE_SECONDS). The captions are timed on that
slowed-down time line, so they match what the video shows. Pure arithmetic, no browser: the
recorder (trainer/guide_video.py) and the documents (trainer/guide_document.py) share it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caljobs_bot.trainer.guide_document import GuideStep

# A cue below about 2 s cannot be read (subtitling guides say 1.5-2 s for a short line); 2.5 s
# leaves room for a frame's rounding.
MIN_CUE_SECONDS = 2.5
# Subtitling's usual reading speed for adults, characters per second: a long action line stays
# longer than a short one.
CHARS_PER_SECOND = 15.0
# The last picture (the outcome listed) stays this long at the end of the video.
END_HOLD_SECONDS = 3.0


@dataclass(frozen=True)
class Cue:
    """One caption: its time on the video's time line (seconds) and its lines."""

    start: float
    end: float
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Segment:
    """A stretch of the replay (real seconds, from the replay's start) and where it lies on
    the video (video seconds); the video plays it slowed down when it is longer."""

    real_start: float
    real_end: float
    video_start: float
    video_end: float


@dataclass(frozen=True)
class TimeLine:
    """The video's segments in order, and the captions on it."""

    segments: tuple[Segment, ...]
    cues: tuple[Cue, ...]

    @property
    def duration(self) -> float:
        """The video's length in seconds."""
        return self.segments[-1].video_end if self.segments else 0.0

    def real_time(self, video_time: float) -> float:
        """The moment of the replay the video shows at `video_time`."""
        starts = [segment.video_start for segment in self.segments]
        index = max(0, bisect_right(starts, video_time) - 1)
        segment = self.segments[index]
        span = segment.video_end - segment.video_start
        if span <= 0:
            return segment.real_start
        part = min(1.0, max(0.0, (video_time - segment.video_start) / span))
        return segment.real_start + part * (segment.real_end - segment.real_start)


def step_cue_texts(entry: GuideStep) -> list[tuple[str, ...]]:
    """The step's captions: its title with each of its actions in turn (all of them), or
    the title alone when it has none."""
    title = f"Step {entry.number}. {entry.step.title}"
    if not entry.actions:
        return [(title,)]
    return [(title, action) for action in entry.actions]


def reading_seconds(lines: Sequence[str]) -> float:
    """How long a caption stays on screen: its reading time, never under MIN_CUE_SECONDS."""
    return max(MIN_CUE_SECONDS, sum(len(line) for line in lines) / CHARS_PER_SECOND)


def plan(timings: Sequence[tuple[float, GuideStep | None]], start: float = 0.0,
         end: float | None = None) -> TimeLine:
    """The video's time line for a replay whose steps began at `timings` (real seconds; None
    marks the end of the record), recorded from `start` to `end`.

    What comes before the first step (signing in) plays at its own speed; each step's
    stretch lasts at least the sum of its captions' reading times; the last picture is held
    END_HOLD_SECONDS."""
    segments: list[Segment] = []
    cues: list[Cue] = []
    video = 0.0
    first = timings[0][0] if timings else start
    if first > start:
        segments.append(Segment(start, first, 0.0, first - start))
        video = first - start
    for index, (began, entry) in enumerate(timings):
        following = timings[index + 1][0] if index + 1 < len(timings) else None
        real_end = following if following is not None else max(end or began, began)
        if entry is None:
            segments.append(Segment(began, real_end, video,
                                    video + (real_end - began) + END_HOLD_SECONDS))
            video = segments[-1].video_end
            continue
        texts = step_cue_texts(entry)
        for piece_start, piece_end, piece in _pieces(began, real_end, entry, texts):
            needs = [reading_seconds(lines) for lines in piece]
            length = max(piece_end - piece_start, sum(needs))
            segments.append(Segment(piece_start, piece_end, video, video + length))
            # The piece's captions share its stretch in proportion to their reading times.
            at = video
            for lines, need in zip(piece, needs, strict=True):
                span = length * need / sum(needs)
                cues.append(Cue(at, at + span, lines))
                at += span
            video += length
    return TimeLine(tuple(segments), tuple(cues))


def _pieces(began: float, ended: float, entry: GuideStep, texts: list[tuple[str, ...]]
            ) -> list[tuple[float, float, list[tuple[str, ...]]]]:
    """The step's stretch cut at its marks, each piece with the captions of the actions done
    in it. A mark out of order, out of the stretch or on no action is ignored; a piece
    always keeps at least one caption."""
    cuts: list[tuple[float, int]] = []
    for moment, first in sorted(entry.marks):
        last_time, last_index = cuts[-1] if cuts else (began, 0)
        if last_time < moment < ended and last_index < first < len(texts):
            cuts.append((moment, first))
    bounds = [(began, 0), *cuts, (ended, len(texts))]
    return [(start, end, texts[first:following])
            for (start, first), (end, following) in zip(bounds, bounds[1:], strict=False)]
