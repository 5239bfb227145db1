"""The video's time line (trainer/guide_captions.py): each caption is shown while the replay
does its action, each long enough to read. Pure arithmetic, no browser."""

from __future__ import annotations

import pytest

from caljobs_bot.steps.definitions import STEPS
from caljobs_bot.trainer.guide_captions import MIN_CUE_SECONDS, Cue, Segment, TimeLine, plan
from caljobs_bot.trainer.guide_document import GuideStep
from caljobs_bot.trainer.guide_video import FPS, stills


def contacts_step(marks: list[tuple[float, int]]) -> GuideStep:
    entry = GuideStep(STEPS[0], 6)
    entry.actions = ["Click Manage Alternate Contacts.", "Click Add New Contact.",
                     "Type Ana in First Name.", "Click Save: the contact is listed.",
                     "Click Close."]
    entry.marks = marks
    return entry


def shown_at(line_cues: tuple[Cue, ...], action: str) -> tuple[float, float]:
    return next((cue.start, cue.end) for cue in line_cues if cue.lines[-1] == action)


def test_a_caption_is_shown_while_its_action_is_on_the_video() -> None:
    """The pop-up opened 8 s into a 10 s step and closed at 9.5 s: the typing caption falls
    on the video where the replay is between those moments, not spread evenly over the step."""
    entry = contacts_step([(8.0, 1), (9.5, 4)])
    line = plan([(0.0, entry), (10.0, None)], 0.0, 10.0)
    start, end = shown_at(line.cues, "Type Ana in First Name.")
    assert line.real_time(start + 0.01) >= 8.0 and line.real_time(end - 0.01) <= 9.5
    opened, _ = shown_at(line.cues, "Click Manage Alternate Contacts.")
    assert line.real_time(opened) < 8.0
    closing, _ = shown_at(line.cues, "Click Close.")
    assert line.real_time(closing + 0.01) >= 9.5
    assert all(cue.end - cue.start >= MIN_CUE_SECONDS - 1e-9 for cue in line.cues)


def test_without_marks_the_captions_share_the_step() -> None:
    line = plan([(0.0, contacts_step([])), (10.0, None)], 0.0, 10.0)
    assert [cue.lines[-1] for cue in line.cues][0] == "Click Manage Alternate Contacts."
    assert len(line.cues) == 5
    assert all(a.end <= b.start + 1e-9 for a, b in zip(line.cues, line.cues[1:], strict=False))


def test_marks_out_of_order_or_out_of_the_step_are_ignored() -> None:
    for marks in ([(12.0, 1)], [(5.0, 9)], [(5.0, 0)], [(6.0, 3), (4.0, 2)]):
        line = plan([(0.0, contacts_step(marks)), (10.0, None)], 0.0, 10.0)
        assert len(line.cues) == 5, marks
        assert all(a.end <= b.start + 1e-9
                   for a, b in zip(line.cues, line.cues[1:], strict=False))


def test_the_video_sends_each_still_once_for_as_long_as_it_stays() -> None:
    # One real second shown over four video seconds, then one more second at its own pace:
    # a picture painted at 0 s, another at 0.5 s, a third at 1.5 s.
    line = TimeLine((Segment(0, 1, 0, 4), Segment(1, 2, 4, 5)), ())
    first, second, third = b"first", b"second", b"third"
    shown = stills([(10.0, first), (10.5, second), (11.5, third)], line, start=10.0)
    assert [picture for picture, _ in shown] == [first, second, third]
    assert [round(seconds * FPS) for _, seconds in shown] == [16, 20, 4]
    assert sum(seconds for _, seconds in shown) == pytest.approx(line.duration)
