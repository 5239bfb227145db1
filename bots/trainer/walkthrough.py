"""The trainers' walkthrough: the bot performs one record while the screen explains each step.

Nothing here knows the order of the steps: the walkthrough is the bot's observer (told just
before each step) and its pop-up observer (told while the contacts pop-up is open), so a
trainee sees exactly what the bulk run does. At each stop it shows the step in the caption
panel, outlines the element about to be used (found through the page objects), and waits:
a fixed pause, or until Next is clicked in the panel or Enter is pressed in the terminal.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from caljobs_bot.pages.contacts_popup import AlternateContactsPopup
from caljobs_bot.pages.overlay import FINISH, NEXT, Caption, CaptionPanel, clear_outline, outline
from caljobs_bot.settings.browser_session import SessionOptions, open_session
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.definitions import STEPS, Step
from caljobs_bot.steps.outcome_bot import Observers, OutcomeBot, RunPolicy, SiteAccess
from caljobs_bot.steps.results import RecordResult, Status
from caljobs_bot.steps.targets import POPUP_NOTES, PopupMoment, Target, for_popup

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record

# While waiting for Next with the terminal's Enter key also allowed, look at the key this
# often (the page is watched by Playwright in between, so the panel keeps working).
KEY_CHECK_MS = 200


@dataclass(frozen=True)
class Pace:
    """How the walkthrough moves on: after `pause_seconds` (Next skips ahead), or, when it is
    None, only on Next (or Enter in the terminal, when `enter_key` is on)."""

    pause_seconds: float | None = None
    enter_key: bool = False

    def hint(self) -> str:
        """The panel's line on how to go on."""
        if self.pause_seconds is None:
            return ("Click Next (or press Enter in the terminal), or the outlined element, to "
                    "go on." if self.enter_key
                    else "Click Next, or the outlined element, to go on.")
        return f"Goes on by itself after {self.pause_seconds:g} seconds; Next goes on now."


@dataclass(frozen=True)
class Stop:
    """One stop of the walkthrough, as shown: for the terminal, and for tests. The last stop
    (the record finished) has no step."""

    step: Step | None
    number: int | None
    caption: Caption
    page: Page
    """The page whose panel has the Next button (the pop-up window while it is open)."""
    target: Locator | None
    popup: PopupMoment | None = None


class EnterKey:
    """Enter pressed in the terminal, read by a thread (input() blocks; Playwright must not)."""

    def __init__(self) -> None:
        self.pressed = threading.Event()
        self._thread = threading.Thread(target=self._read, name="enter-key", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while True:
            try:
                input()
            except (EOFError, OSError):
                return
            self.pressed.set()


class Walkthrough:
    """Shows the bot's steps on one page's browser context; give `observer` and
    `popup_observer` to the OutcomeBot."""

    def __init__(
        self,
        page: Page,
        *,
        pace: Pace,
        dry_run: bool = False,
        on_stop: Callable[[Stop], None] | None = None,
        keys: EnterKey | None = None,
        steps: tuple[Step, ...] = STEPS,
    ) -> None:
        self.page, self.pace, self.steps = page, pace, steps
        self._dry_run, self._on_stop, self._keys = dry_run, on_stop, keys
        # The step the bot announced last: the pop-up it reports belongs to it.
        self._current: Step | None = None
        self.panel = CaptionPanel(page.context)
        self.panel.show(Caption(
            "Walkthrough", "Signing in",
            "The bot signs in and opens Services for Workforce Staff > Manage Individuals > "
            "Assist an Individual. Watch the next steps here.", button=None,
        ))

    # -- the bot's hooks ---------------------------------------------------------------

    def observer(self, step: Step, record: Record) -> None:
        """Called by the bot just before each step: explain it, point at it, wait."""
        clear_outline(self.page)
        self._current = step
        target = step.target_now(self.page, record)
        note = target.on_screen()
        if self._dry_run and self._saves_next(step, record):
            note = _join(note, "Practice run (--no-save): after this check the bot clicks "
                               "Cancel instead of Save.")
        self._stop(step, target, self.page, note=note)

    def _saves_next(self, step: Step, record: Record) -> bool:
        """Whether the next step this record needs is the one that presses Save."""
        later = self.steps[self.steps.index(step) + 1:]
        following = next((s for s in later if s.applies_to(record)), None)
        return following is not None and following.presses_save

    def popup_observer(self, popup: AlternateContactsPopup, record: Record,
                       moment: PopupMoment) -> None:
        """Called by the bot while the contacts pop-up is open: the same, inside it."""
        where = popup.content if isinstance(popup.content, Page) else self.page
        clear_outline(where)
        target = for_popup(popup, moment)
        note = _join(POPUP_NOTES[moment], target.on_screen())
        if self._dry_run and moment == "opened":
            note = _join(note, "Practice run (--no-save): no contact is changed.")
        assert self._current is not None  # the pop-up opens inside an announced step
        self._stop(self._current, target, where, note=note, popup=moment,
                   place="pop-up window" if popup.is_window() else "pop-up")

    def finish(self, result: RecordResult) -> None:
        """Say how the record ended, and wait once more so the trainer can look."""
        clear_outline(self.page)
        title = {
            Status.SAVED: "Done: the outcome is saved",
            Status.DRY_RUN: "Done: practice run, nothing saved",
            Status.SKIPPED: "Stopped: nothing to do",
        }.get(result.status, "Stopped: the record could not be finished")
        caption = Caption("Walkthrough finished", title, result.reason,
                          hint=self.pace.hint(), button=FINISH)
        self.panel.show(caption, button_on=self.page)
        if self._on_stop is not None:
            self._on_stop(Stop(None, None, caption, self.page, None))
        self._wait(self.page)

    # -- one stop ------------------------------------------------------------------------

    def _stop(self, step: Step, target: Target, where: Page, *, note: str | None,
              popup: PopupMoment | None = None, place: str | None = None) -> None:
        position = self.steps.index(step) + 1
        counter = f"Step {position} of {len(self.steps)}"
        caption = Caption(
            f"{counter}  ·  {place}" if place else counter, step.title, step.explanation,
            note=note, hint=self.pace.hint(), button=NEXT, take_clicks=True,
        )
        self.panel.show(caption, button_on=where)
        if target.element is not None:
            outline(target.element)
        if self._on_stop is not None:
            self._on_stop(Stop(step, position, caption, where, target.element, popup))
        self._wait(where)
        self.panel.stop_waiting(where)

    def _wait(self, page: Page) -> None:
        """Wait as the pace says: no time at all for a zero pause; else until the pause is
        over or Next is clicked (or Enter pressed)."""
        pause = self.pace.pause_seconds
        if pause is not None and pause <= 0:
            return
        if self._keys is not None:
            self._keys.pressed.clear()
        deadline = None if pause is None else time.monotonic() + pause
        while True:
            left_ms = None if deadline is None else max(1.0, (deadline - time.monotonic()) * 1000)
            if self._keys is not None:
                slice_ms = KEY_CHECK_MS if left_ms is None else min(KEY_CHECK_MS, left_ms)
            else:
                slice_ms = 0 if left_ms is None else left_ms  # 0: no time limit
            if self.panel.wait_for_next(page, slice_ms):
                return
            if self._keys is not None and self._keys.pressed.is_set():
                return
            if deadline is not None and time.monotonic() >= deadline:
                return


def _join(*parts: str | None) -> str | None:
    kept = [part for part in parts if part]
    return " ".join(kept) or None


def walk(page: Page, sign_in_url: str, credentials: Credentials, record: Record, *,
         pace: Pace, dry_run: bool = False, on_stop: Callable[[Stop], None] | None = None,
         keys: EnterKey | None = None, steps: tuple[Step, ...] = STEPS) -> RecordResult:
    """Sign in on `page` and perform one record with the walkthrough showing each step."""
    walkthrough = Walkthrough(page, pace=pace, dry_run=dry_run, on_stop=on_stop, keys=keys,
                              steps=steps)
    bot = OutcomeBot(page, SiteAccess(sign_in_url, credentials),
                     policy=RunPolicy(dry_run=dry_run, retries=0, steps=steps),
                     observers=Observers(step=walkthrough.observer,
                                         popup=walkthrough.popup_observer))
    bot.sign_in()
    result = bot.process(record)
    walkthrough.finish(result)
    return result


def run_walkthrough(sign_in_url: str, credentials: Credentials, record: Record, *,
                    pace: Pace, session: SessionOptions, dry_run: bool = False,
                    on_stop: Callable[[Stop], None] | None = None) -> RecordResult:
    """Open a browser as `session` says (visible unless headless) and walk through one
    record."""
    keys = EnterKey() if pace.enter_key and sys.stdin.isatty() else None
    if keys is None and pace.enter_key:
        pace = Pace(pace.pause_seconds, enter_key=False)
    with open_session(session) as opened:
        return walk(opened.new_page(), sign_in_url, credentials, record, pace=pace,
                    dry_run=dry_run, on_stop=on_stop, keys=keys)
