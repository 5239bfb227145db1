"""An illustrated step-by-step guide, made by replaying one record with the bot.

Like the walkthrough, the guide does not know the order of the steps: it is the bot's observer
and pop-up observer, and takes a screenshot at each moment it is told about, with the
element about to be used outlined (found through the page objects). The pictures are of the
site the replay ran on, so a guide made on the 2016 screens shows their wording; the words
of the button a step is about are read from the page and quoted under the step. What each
step shows (its words, its element, its pictures) comes from its definition
(steps/definitions.py). The result is written by trainer/guide_document.py.

With `mask_pii` the participant's data is replaced with ████ in the page while each picture
is taken (pages/masking.py), then put back before the bot goes on.
"""

from __future__ import annotations

import dataclasses
import errno
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import (
    FloatRect,
    FrameLocator,
    Locator,
    Page,
    ViewportSize,
)

from caljobs_bot.matching import same_name
from caljobs_bot.pages.contacts_popup import AlternateContactsPopup
from caljobs_bot.pages.masking import PATTERNS, masked
from caljobs_bot.pages.overlay import clear_outline, drawn_outlines, outline
from caljobs_bot.running.disk import full_disk_in
from caljobs_bot.settings.browser_session import SessionOptions, open_session
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps import framing
from caljobs_bot.steps.definitions import STEPS, Step
from caljobs_bot.steps.framing import DEVICE_SCALE_FACTOR, Frame, sub_screen
from caljobs_bot.steps.outcome_bot import Observers, OutcomeBot, RunPolicy, SiteAccess
from caljobs_bot.steps.targets import POPUP_NOTES, PopupMoment, Target, for_popup
from caljobs_bot.trainer.guide_captions import plan
from caljobs_bot.trainer.guide_document import (
    TITLE,
    Guide,
    GuideFiles,
    GuideStep,
    Shot,
    write_guide,
)
from caljobs_bot.trainer.guide_secrets import Secrets, screen_name
from caljobs_bot.trainer.guide_video import (
    BYTES_PER_SECOND,
    NoEncoder,
    ScreenRecorder,
    encode,
    encoder,
)
from caljobs_bot.trainer.output import OutputNotWritable, check_room, explain, removing_partial

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record

IMAGES = "images"
# Every file a guide may write, checked for writing before the replay (bots/trainer/output.py).
OUTPUT_FILES = ("guide.html", "guide.md", "guide.pdf", "guide.docx", "guide.webm", "guide.vtt")
OUTPUT_FOLDERS = (IMAGES,)
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}

# Told right after each screenshot, while the page still looks as photographed (masked, when
# masking): tests read the page there to prove what the picture holds.
ScreenshotHook = Callable[[Shot, Page], None]

# What tests and the command line take from here; the document's parts live in
# trainer/guide_document.py, the masking's in trainer/guide_secrets.py.
__all__ = ["IMAGES", "OUTPUT_FILES", "OUTPUT_FOLDERS", "TITLE", "VIEWPORT", "Guide",
           "GuideFiles", "GuideStep", "Shot", "make_guide", "replay", "screen_name",
           "write_guide"]


class _Recorder:
    """The bot's observers for a guide: pictures before and after each step's action, on
    the sub-screens as they are left, and in the pop-up; and the time each step began (the
    video's captions)."""

    def __init__(self, page: Page, record: Record, folder: Path, *, mask_pii: bool,
                 dry_run: bool, after_screenshot: ScreenshotHook | None,
                 steps: tuple[Step, ...] = STEPS, started: float | None = None) -> None:
        self.page = page
        self.record = record
        self.folder = folder
        self.steps = [GuideStep(s, n) for n, s in enumerate(steps, start=1)]
        self._entries = {entry.step.key: entry for entry in self.steps}
        self._secrets = Secrets(record) if mask_pii else None
        self._masked = mask_pii
        self._dry_run = dry_run
        self._after_screenshot = after_screenshot
        self._current: GuideStep | None = None
        self._names: set[str] = set()
        self._started = time.monotonic() if started is None else started
        # When each step's picture began; None marks the end of the record (the video's last cut).
        self.timings: list[tuple[float, GuideStep | None]] = []

    # -- the bot's hooks -----------------------------------------------------------------

    def observer(self, step: Step, record: Record) -> None:
        """Just before a step: the picture after the last step's action, then this step's
        own words and, when its action changes the screen, the picture before it.

        The screen this step starts on is the one the last step's picture shows: what it
        holds to hide is read first."""
        if self._secrets is not None:
            self._read_secrets(lambda secrets: secrets.read_screen(self.page, step))
        self._picture_after_current()
        entry = self._entries[step.key]
        self._current = entry
        self.timings.append((time.monotonic() - self._started, entry))
        entry.done = True
        target = step.target_now(self.page, record)
        note = target.on_screen()
        if note and note not in entry.notes:
            entry.notes.append(self._hide(note))
        button = _button_words(target)
        entry.actions = step.lines(record, masked=self._masked, button=button,
                                   dry_run=self._dry_run)
        if step.changes_screen:
            element = _first_of(target.element)
            self._shoot(entry, "before", self.page, Frame(element, element), "Before: "
                        + _first_line(entry.actions))

    def popup_observer(self, popup: AlternateContactsPopup, record: Record,
                       moment: PopupMoment) -> None:
        """In the contacts pop-up: its list with Add New Contact outlined as it opens, the
        list with the contact added before Close."""
        entry = self._in_step()
        # As it opens, the list is waited for before anything is read or masked in it.
        listed = [row.name for row in popup.contacts()] if moment == "opened" else []
        if self._secrets is not None:
            self._read_secrets(lambda secrets: secrets.read_popup(popup))
        where = popup.content if isinstance(popup.content, Page) else self.page
        if moment == "opened":
            entry.actions = entry.step.lines(
                record, masked=self._masked,
                button=_button_words(entry.step.target_now(self.page, record)),
                listed_contacts=listed)
            element = self._contact_to_use(popup, record, listed)
            # What follows the first action (the click that opened it) is done in the pop-up.
            self._mark(entry, 1)
        else:
            element = popup.close_button()
            self._mark(entry, len(entry.actions) - 1)  # the last action: Close
        caption = " ".join(filter(None, (POPUP_NOTES[moment], for_popup(popup, moment)
                                         .on_screen())))
        photographed = popup.screenshot_target()
        frame = Frame(element, [element, popup.contacts_list()])
        self._shoot(entry, f"popup-{moment}", where, frame, caption, photographed=photographed,
                    screen_of=popup.content)

    @staticmethod
    def _contact_to_use(popup: AlternateContactsPopup, record: Record,
                        listed: list[str]) -> Locator:
        """What the trainee clicks first in the pop-up: Edit beside a contact already
        listed, else Add New Contact."""
        for contact in record.alternate_contacts:
            full_name = f"{contact.first_name} {contact.last_name}"
            shown = next((name for name in listed if same_name(full_name, name)), None)
            if shown is not None:
                return popup.edit_button(shown)
        return popup.add_button()

    def _mark(self, entry: GuideStep, first_action: int) -> None:
        """The actions from `first_action` on begin now (the video's captions follow)."""
        entry.marks.append((time.monotonic() - self._started, first_action))

    def _in_step(self) -> GuideStep:
        """The step whose action shows a pop-up or sub-screen: the one announced last."""
        return self._current if self._current is not None else self.steps[0]

    def finished(self) -> None:
        """The record is done: the picture after the last step (the outcome listed)."""
        self._picture_after_current()
        self.timings.append((time.monotonic() - self._started, None))

    def screen_observer(self, name: str, where: Page | AlternateContactsPopup) -> None:
        """A sub-screen is shown, filled, just before the bot leaves it: photograph it."""
        entry = self._in_step()
        if isinstance(where, AlternateContactsPopup):
            page = where.content if isinstance(where.content, Page) else self.page
            scope: Page | FrameLocator | Locator = where.content
            photographed: Page | Locator | None = where.screenshot_target()
        else:
            page, scope, photographed = where, where, None
        frame = sub_screen(name, where, self.record)
        if frame is None:
            return
        if self._secrets is not None and isinstance(where, AlternateContactsPopup):
            self._read_secrets(lambda secrets: secrets.read_popup(where))
            if name == "contact_form":
                self._read_secrets(lambda secrets: secrets.read_contact_form(where))
        elif self._secrets is not None and name == "search_results" and isinstance(where, Page):
            self._read_secrets(lambda secrets: secrets.read_search(where))
        staff = self.record.case_manager.assign if self.record.case_manager else None
        showing = False
        if name == "case_manager_picker" and staff and frame.element is not None:
            # The picker as the trainee leaves it: the staff member chosen.
            with suppress(PlaywrightError):
                showing = frame.element.evaluate(framing.SHOW_CHOICE_JS, staff)
        try:
            self._shoot(entry, name.replace("_", "-"), page, frame, frame.caption or "",
                        photographed=photographed, screen_of=scope)
        finally:
            if showing and frame.element is not None:
                with suppress(PlaywrightError):
                    frame.element.evaluate(framing.CLOSE_CHOICE_JS)

    # -- pictures ------------------------------------------------------------------------

    def _picture_after_current(self) -> None:
        entry = self._current
        if entry is None:
            return
        frame = entry.step.picture(self.page, self.record)
        if frame is None:
            return
        self._shoot(entry, "after", self.page, frame, "After: " + (frame.caption or ""))
        if entry.step.list_after is not None:
            self._list_opened(entry, entry.step.list_after)

    def _list_opened(self, entry: GuideStep, list_after: Callable[[Page], Frame]) -> None:
        """A dropdown as it looks opened, the record's choice made (the Exit Reason list)."""
        try:
            frame = list_after(self.page)
            select = frame.element
            assert select is not None
            select.evaluate(framing.OPEN_LIST_JS)
        except PlaywrightError:
            return
        try:
            self._shoot(entry, frame.name or "list", self.page, frame, frame.caption or "")
        finally:
            with suppress(PlaywrightError):
                select.evaluate(framing.CLOSE_LIST_JS)

    def _read_secrets(self, read: Callable[[Secrets], None]) -> None:
        """Add what the screen shows to the data to hide. Best effort: the record's own data
        is hidden whatever happens here."""
        assert self._secrets is not None
        try:
            read(self._secrets)
        except PlaywrightError:
            return

    def _hide(self, text: str) -> str:
        return self._secrets.hide(text) if self._secrets is not None else text

    def _masking(self, where: Page) -> AbstractContextManager[object]:
        if self._secrets is None:
            return nullcontext()
        return masked(where, self._secrets.terms, cells=self._secrets.cells,
                      patterns=PATTERNS)

    def _shoot(self, entry: GuideStep, kind: str, where: Page, frame: Frame, caption: str,
               *, photographed: Page | Locator | None = None,
               screen_of: Page | FrameLocator | Locator | None = None,
               context: bool = True) -> None:
        """Outline the element, take the picture cropped around it (masked, when masking),
        clear the outline. A window is cropped; an in-page dialog is photographed whole."""
        name = f"step-{entry.number:02d}-{kind}.png"
        if name in self._names:
            return
        clear_outline(where)
        if frame.element is not None:
            # The picture is still worth having without its outline. An element wider than
            # a picture is outlined around its words, so the crop can hold the outline.
            with suppress(PlaywrightError):
                outline(frame.element, widest=framing.CROP_WIDTH - 2 * framing.CROP_PADDING)
        path = self.folder / IMAGES / name
        shot = Shot(f"{IMAGES}/{name}", path, self._hide(screen_name(screen_of or where)),
                    self._hide(caption) if caption else None)
        target = photographed if photographed is not None else where
        try:
            box = None
            if isinstance(target, Page):
                # Measured before masking: the frame's elements are found by their words
                # (an application's "WIOA #2244266" line), which masking hides.
                area = frame.area if frame.area is not None else frame.element
                box = (framing.crop_box(target, area, keep=frame.element, context=context)
                       if area else None)
            with self._masking(where), removing_partial(path):
                if isinstance(target, Page):
                    target.screenshot(path=path, animations="disabled", clip=box,
                                      full_page=box is not None)
                    crop = _in_viewport(target, box)
                else:
                    crop = _dialog_crop(target, _outlines_drawn(screen_of or where))
                    target.page.screenshot(path=path, animations="disabled", clip=crop)
                shot = dataclasses.replace(shot, crop=crop,
                                           outlined=_outlines_drawn(screen_of or where))
                if self._after_screenshot is not None:
                    self._after_screenshot(shot, where)
        except PlaywrightError:
            return
        finally:
            clear_outline(where)
        self._names.add(name)
        entry.shots.append(shot)


def _in_viewport(page: Page, box: FloatRect | None) -> FloatRect | None:
    """A document rectangle of the page as a rectangle of its viewport now (the coordinates
    Playwright's bounding boxes use); the whole viewport when None."""
    scroll: dict[str, float] = page.evaluate("() => ({x: window.scrollX, y: window.scrollY})")
    if box is None:
        size = page.viewport_size or VIEWPORT
        return {"x": 0, "y": 0, "width": size["width"], "height": size["height"]}
    return {"x": box["x"] - scroll["x"], "y": box["y"] - scroll["y"], "width": box["width"],
            "height": box["height"]}


def _dialog_crop(dialog: Locator, outlined: tuple[FloatRect, ...]) -> FloatRect | None:
    """The part of an in-page dialog to photograph, in viewport CSS px: the whole dialog when
    it fits a picture, else a picture's width of it from its left edge (its captions), moved
    right or down only as far as the outline needs. A whole 744 px dialog printed to the
    page's width put its 13 px text at 9.4 pt."""
    dialog.scroll_into_view_if_needed()
    box = dialog.bounding_box()
    if box is None:
        return None
    pad = framing.CROP_PADDING
    width = (box["width"] if box["width"] <= framing.MAX_CROP_WIDTH
             else float(framing.CROP_WIDTH))
    height = min(box["height"], float(framing.MAX_CROP_HEIGHT))
    x, y = box["x"], box["y"]
    if outlined:
        right = max(o["x"] + o["width"] for o in outlined) + pad
        bottom = max(o["y"] + o["height"] for o in outlined) + pad
        x = min(max(x, right - width), min(o["x"] for o in outlined) - pad)
        y = min(max(y, bottom - height), min(o["y"] for o in outlined) - pad)
    return {"x": max(0.0, x), "y": max(0.0, y), "width": width, "height": height}


def _outlines_drawn(scope: Page | FrameLocator | Locator) -> tuple[FloatRect, ...]:
    """Where the outline is drawn in `scope` now, as viewport boxes of the top page: kept
    with the picture, so a test can hold every crop against its outline."""
    boxes: list[FloatRect] = []
    with suppress(PlaywrightError):
        for drawn in drawn_outlines(scope).all():
            box = drawn.bounding_box()
            if box is not None and box["width"] and box["height"]:
                boxes.append(box)
    return tuple(boxes)


def _first_of(element: Locator | None) -> Locator | None:
    return element.first if element is not None else None


def _first_line(lines: list[str]) -> str:
    return lines[0] if lines else ""


def _button_words(target: Target) -> str | None:
    """The words of the step's button or link as the screen shows them."""
    note = target.on_screen()
    if note and " on this screen: " in note and not note.startswith(("Form title", "Message")):
        return note.split(" on this screen: ", 1)[1]
    return None


def replay(page: Page, sign_in_url: str, credentials: Credentials, record: Record,
           folder: Path, *, site: str, mask_pii: bool = False, dry_run: bool = False,
           after_screenshot: ScreenshotHook | None = None,
           steps: tuple[Step, ...] = STEPS, started: float | None = None) -> Guide:
    """Sign in on `page`, perform one record with the bot, and photograph every step into
    `folder`/images (earlier step pictures there are removed first). The steps' timings
    count from `started` (time.monotonic(); now by default), the video's start."""
    images = folder / IMAGES
    try:
        images.mkdir(parents=True, exist_ok=True)
        for old in images.glob("step-*.png"):
            old.unlink()
    except OSError as problem:
        raise explain(problem, images) from None
    recorder = _Recorder(page, record, folder, mask_pii=mask_pii, dry_run=dry_run,
                         after_screenshot=after_screenshot, steps=steps, started=started)
    bot = OutcomeBot(page, SiteAccess(sign_in_url, credentials),
                     policy=RunPolicy(dry_run=dry_run, retries=0, steps=steps),
                     observers=Observers(step=recorder.observer,
                                         popup=recorder.popup_observer,
                                         screen=recorder.screen_observer))
    bot.sign_in()
    result = bot.process(record)
    recorder.finished()
    return Guide(recorder.steps, site, mask_pii, dry_run, result, timings=recorder.timings)


# Why a guide has no video, for the command line to say.
NO_VIDEO_MASKED = ("No video with --mask-pii: it would show the participant's data as the "
                   "bot types it.")

# What a guide needs on disk, for the check before the replay, in KB. Measured on the
# sandbox's record 1 (every step): 8.3 MB in all, the pictures 1.2 MB, the PDF and the Word
# document about as much again each, the video 4.9 MB for 2 min 52 s. Allowed: 1.6 MB for
# each of the three and a 4-minute video, twice over, so a guide with more or larger
# pictures, or a slower site, still fits.
EXPECTED_GUIDE_KB = 2 * (3 * 1_600 + 240 * BYTES_PER_SECOND // 1024)


def check_room_for_guide(folder: Path) -> None:
    """Before the replay (which may save an outcome): the disk holding `folder` can take a
    guide, or OutputNotWritable says so in one sentence."""
    check_room(folder, EXPECTED_GUIDE_KB, "the guide")


def make_guide(sign_in_url: str, credentials: Credentials, record: Record, folder: Path, *,
               site: str, session: SessionOptions, mask_pii: bool = False,
               dry_run: bool = False, video: bool = True) -> tuple[Guide, GuideFiles]:
    """Open a browser as `session` says (headless unless it says otherwise), replay one
    record and write the guide.

    The replay is also recorded as a video (guide.webm, trainer/guide_video.py), except with
    `mask_pii`: the video shows the screens as the bot fills them, unmasked, and masked data
    must never be written. A folder whose disk cannot take a guide is refused before the
    replay; a write that fails all the same (a disk filling up during the replay) is
    OutputNotWritable naming the folder and its free space, never a bare OSError.
    """
    check_room_for_guide(folder)
    try:
        return _make_guide(sign_in_url, credentials, record, folder, site=site,
                           session=session, mask_pii=mask_pii, dry_run=dry_run, video=video)
    except OutputNotWritable:
        raise
    except (OSError, PlaywrightError) as problem:
        # Playwright reports its own writes (a screenshot, the PDF) as its Error; only a full
        # disk among them is the folder's problem, the rest is the browser's.
        if isinstance(problem, PlaywrightError) and full_disk_in(problem) is None:
            raise
        raise explain(problem if isinstance(problem, OSError)
                      else OSError(errno.ENOSPC, str(problem)), folder) from None


def _make_guide(sign_in_url: str, credentials: Credentials, record: Record, folder: Path, *,
                site: str, session: SessionOptions, mask_pii: bool,
                dry_run: bool, video: bool) -> tuple[Guide, GuideFiles]:
    no_video = NO_VIDEO_MASKED if mask_pii and video else None
    if video and not mask_pii:
        try:
            encoder()
        except NoEncoder as missing:
            no_video = str(missing)
    record_video = video and no_video is None
    with open_session(session) as opened:
        context = opened.new_context(viewport=VIEWPORT, device_scale_factor=DEVICE_SCALE_FACTOR)
        page = context.new_page()
        started = time.monotonic()
        screen = ScreenRecorder(context, page) if record_video else None
        guide = replay(page, sign_in_url, credentials, record, folder, site=site,
                       mask_pii=mask_pii, dry_run=dry_run, started=started)
        ended = time.monotonic()
        if screen is not None:
            screen.stop()
        context.close()
        for stale in ("guide.webm", "guide.vtt"):
            if not record_video:
                (folder / stale).unlink(missing_ok=True)
        saved_video = None
        if screen is not None:
            line = plan(guide.timings, 0.0, ended - started)
            saved_video = folder / "guide.webm"
            try:
                encode(screen.frames, line, started, saved_video)
                guide.cues = line.cues
            except NoEncoder as failed:
                no_video, saved_video = str(failed), None
                (folder / "guide.vtt").unlink(missing_ok=True)  # an earlier guide's
            except OSError as problem:
                raise explain(problem, saved_video) from None
        # Only a headless browser prints to PDF (the session's printer is one).
        files = write_guide(guide, folder, opened.printer(), saved_video)
        files = dataclasses.replace(files, no_video=no_video)
    return guide, files
