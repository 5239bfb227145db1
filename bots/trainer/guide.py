"""An illustrated step-by-step guide, made by replaying one record with the bot.

Like the walkthrough, the guide does not know the order of the steps: it is the bot's observer
and pop-up observer, and takes a screenshot at each moment it is told about, with the
element about to be used outlined (found through the page objects). The pictures are of the
site the replay ran on, so a guide made on the 2016 screens shows their wording; the words
of the button a step is about are read from the page and quoted under the step. The result
is written three ways: guide.html (images in images/), guide.md with the same images, and
guide.pdf printed by the browser from the HTML.

With `mask_pii` the participant's data is replaced with ████ in the page while each picture
is taken (pages/masking.py), then put back before the bot goes on.
"""

from __future__ import annotations

import dataclasses
import html
import re
import shutil
import struct
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.sync_api import (
    Browser,
    FrameLocator,
    Locator,
    Page,
    ViewportSize,
)
from playwright.sync_api import Error as PlaywrightError

from caljobs_bot.pages.case import CasePage
from caljobs_bot.pages.contacts_popup import AlternateContactsPopup
from caljobs_bot.pages.fields import action, row_with, squeeze
from caljobs_bot.pages.masking import MASK, masked
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.pages.overlay import clear_outline, outline
from caljobs_bot.settings.browser_session import BrowserSession, SessionOptions, open_session
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.definitions import STEPS, Step, number
from caljobs_bot.steps.matching import same_name
from caljobs_bot.steps.outcome_bot import OutcomeBot
from caljobs_bot.steps.results import RecordResult, Status
from caljobs_bot.steps.targets import POPUP_NOTES, PopupMoment, Target, for_popup, for_step
from caljobs_bot.trainer import framing, instructions
from caljobs_bot.trainer.framing import CHANGES_SCREEN, DEVICE_SCALE_FACTOR, Frame, sub_screen
from caljobs_bot.trainer.output import explain, write_text

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record

IMAGES = "images"
# Every file a guide may write, checked for writing before the replay (bots/trainer/output.py).
OUTPUT_FILES = ("guide.html", "guide.md", "guide.pdf", "guide.docx", "guide.webm", "guide.vtt")
OUTPUT_FOLDERS = (IMAGES,)
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
TITLE = "Creating an Exit/Outcome in CalJOBS, step by step"

# Which screen each step starts on, so the guide knows where to read participant data from.
_CASE_STEPS = {"open_application", "create_outcome", "confirm"}
_FORM_STEPS = {"general_information", "exit_information", "alternate_contacts",
               "case_manager", "case_note", "review", "save"}


@dataclass(frozen=True)
class Shot:
    """One picture of the guide."""

    file: str
    """Its path relative to the guide's folder ("images/step-03.png")."""
    path: Path
    screen: str
    """The heading of the screen photographed ("Exit/Outcome", "Alternate Contacts")."""
    caption: str | None = None
    """What this picture shows beyond the step's own text (the pop-up's moments)."""


@dataclass
class GuideStep:
    """One help-sheet step as the guide shows it."""

    step: Step
    number: int
    done: bool = False
    actions: list[str] = field(default_factory=list)
    """What to do at this step with this record's values ("Type 06/24/2021 in Exit Date")."""
    notes: list[str] = field(default_factory=list)
    shots: list[Shot] = field(default_factory=list)


@dataclass
class Guide:
    """Every step of the help sheet in order, with what the replay saw at each."""

    steps: list[GuideStep]
    site: str
    masked: bool
    dry_run: bool
    result: RecordResult | None = None
    made_on: date = field(default_factory=date.today)
    timings: list[tuple[float, GuideStep | None]] = field(default_factory=list)
    """When each step began, in seconds from the start of the replay (None: the end)."""


@dataclass(frozen=True)
class GuideFiles:
    """Where the guide was written."""

    html: Path
    markdown: Path
    pdf: Path
    images: tuple[Path, ...]
    docx: Path | None = None
    video: Path | None = None
    captions: Path | None = None
    no_video: str | None = None
    """Why there is no video, when there is none."""


# Told right after each screenshot, while the page still looks as photographed (masked, when
# masking): tests read the page there to prove what the picture holds.
ScreenshotHook = Callable[[Shot, Page], None]


class _Secrets:
    """The participant data to hide: from the record, and as each screen shows it."""

    def __init__(self, record: Record) -> None:
        self.terms: set[str] = set()
        who = record.participant
        self._name(who.name)
        self._whole(who.state_id, who.user_id)
        for contact in record.alternate_contacts:
            self._name(f"{contact.first_name} {contact.last_name}")
            self._whole(contact.phone, contact.email, contact.address)
        if record.case_note is not None:
            self._whole(record.case_note.subject, record.case_note.comments)

    def _whole(self, *values: str | None) -> None:
        self.terms.update(squeeze(value) for value in values if value and value.strip())

    def _name(self, name: str | None) -> None:
        """A name, and each of its words: screens write "Last, First" as often as not."""
        if not name:
            return
        self._whole(name)
        for word in re.split(r"[\s,]+", name):
            parts = [word, *word.split("-")]
            self._whole(*(part for part in parts if len(part) >= 2))

    def read_case(self, page: Page) -> None:
        case = CasePage(page)
        self._name(case.participant_name())
        self._whole(case.login_name(), *case.participant_ids().values())

    def read_form(self, page: Page) -> None:
        form = OutcomeForm(page)
        shown = form.general.participant()
        self._name(shown.name)
        self._whole(shown.login_name, shown.user_id, shown.state_id)
        self._whole(*(note.subject for note in form.staff.case_notes()))

    def read_popup(self, popup: AlternateContactsPopup) -> None:
        for contact in popup.contacts():
            self._name(contact.name)
            self._whole(contact.phone, contact.email)

    def hide(self, text: str) -> str:
        """The text with every term replaced, as the page masking does (for captions)."""
        if not self.terms:
            return text
        words = "|".join(
            r"\s+".join(map(re.escape, term.split()))
            for term in sorted(self.terms, key=len, reverse=True)
        )
        return re.sub(rf"(?<![^\W_])(?:{words})(?![^\W_])", MASK, text, flags=re.IGNORECASE)


def screen_name(scope: Page | FrameLocator) -> str:
    """The screen's name as a person reads it in the browser's tab: the document title up to
    its first " - " ("Case Management Profile - CalJOBS"), else the page's main heading.

    Not the visible title first: a site's title may carry the participant's name ("Case
    Management Profile for Karen James"), and a WebForms title is often no heading at all.
    """
    document_title = scope.locator("title").first
    if document_title.count():
        text = squeeze(document_title.text_content() or "").split(" - ")[0]
        if text:
            return text
    for heading in (scope.get_by_role("heading", level=1), scope.get_by_role("heading")):
        if heading.count():
            return squeeze(heading.first.inner_text())
    return ""


class _Recorder:
    """The bot's observers for a guide: pictures before and after each step's action, on
    the sub-screens as they are left, and in the pop-up; and the time each step began (the
    video's captions)."""

    def __init__(self, page: Page, record: Record, folder: Path, *, mask_pii: bool,
                 dry_run: bool, after_screenshot: ScreenshotHook | None) -> None:
        self.page = page
        self.record = record
        self.folder = folder
        self.steps = {s.key: GuideStep(s, number(s.key)) for s in STEPS}
        self._secrets = _Secrets(record) if mask_pii else None
        self._masked = mask_pii
        self._dry_run = dry_run
        self._after_screenshot = after_screenshot
        self._current: GuideStep | None = None
        self._names: set[str] = set()
        self._started = time.monotonic()
        self.timings: list[tuple[float, GuideStep]] = []

    # -- the bot's hooks -----------------------------------------------------------------

    def observer(self, step: Step, record: Record) -> None:
        """Just before a step: the picture after the last step's action, then this step's
        own words and, when its action changes the screen, the picture before it."""
        self._picture_after_current()
        entry = self.steps[step.key]
        self._current = entry
        self.timings.append((time.monotonic() - self._started, entry))
        entry.done = True
        if self._secrets is not None:
            self._read_secrets(lambda secrets: self._read_screen(secrets, step))
        target = for_step(step, self.page, record)
        note = target.on_screen()
        if note and note not in entry.notes:
            entry.notes.append(self._hide(note))
        button = _button_words(target)
        entry.actions = instructions.for_step(step.key, record, masked=self._masked,
                                              button=button, dry_run=self._dry_run)
        if step.key in CHANGES_SCREEN:
            element = _first_of(target.element)
            self._shoot(entry, "before", self.page, Frame(element, element), "Before: "
                        + _first_line(entry.actions))

    def popup_observer(self, popup: AlternateContactsPopup, record: Record,
                       moment: PopupMoment) -> None:
        """In the contacts pop-up: its list with Add New Contact outlined as it opens, the
        list with the contact added before Close."""
        entry = self.steps["alternate_contacts"]
        if self._secrets is not None:
            self._read_secrets(lambda secrets: secrets.read_popup(popup))
        where = popup.content if isinstance(popup.content, Page) else self.page
        if moment == "opened":
            listed = [row.name for row in popup.contacts()]
            entry.actions = instructions.for_step(
                "alternate_contacts", record, masked=self._masked,
                button=_button_words(for_step(entry.step, self.page, record)),
                listed_contacts=listed)
            element = self._contact_to_use(popup, record, listed)
        else:
            element = popup.close_button()
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
                return action(row_with(popup.contacts_list(), shown), "Edit")
        return action(popup.content, "Add New Contact")

    def finished(self) -> None:
        """The record is done: the picture after the last step (the outcome listed)."""
        self._picture_after_current()
        self.timings.append((time.monotonic() - self._started, None))  # type: ignore[arg-type]

    def screen_observer(self, name: str, where: Page | AlternateContactsPopup) -> None:
        """A sub-screen is shown, filled, just before the bot leaves it: photograph it."""
        entry = self.steps[framing.SUB_SCREEN_STEPS.get(name, "find_participant")]
        if isinstance(where, AlternateContactsPopup):
            page = where.content if isinstance(where.content, Page) else self.page
            scope: Page | FrameLocator = where.content
            photographed: Page | Locator | None = where.screenshot_target()
        else:
            page, scope, photographed = where, where, None
        frame = sub_screen(name, scope, self.record)
        if frame is None:
            return
        if self._secrets is not None and isinstance(where, AlternateContactsPopup):
            self._read_secrets(lambda secrets: secrets.read_popup(where))
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
        frame = framing.after(entry.step.key, self.page, self.record)
        if frame is None:
            return
        self._shoot(entry, "after", self.page, frame, "After: " + (frame.caption or ""))
        if entry.step.key == "exit_information":
            self._exit_reason_list(entry)

    def _exit_reason_list(self, entry: GuideStep) -> None:
        """The Exit Reason list as it looks opened, the record's reason chosen."""
        try:
            select = framing.exit_reason_list(self.page)
            select.evaluate(framing.OPEN_LIST_JS)
        except PlaywrightError:
            return
        try:
            self._shoot(entry, "exit-reason-list", self.page,
                        Frame(select, select), "The Exit Reason list opened: only the global "
                        "exclusions are offered.")
        finally:
            with suppress(PlaywrightError):
                select.evaluate(framing.CLOSE_LIST_JS)

    def _read_screen(self, secrets: _Secrets, step: Step) -> None:
        if step.key in _CASE_STEPS:
            secrets.read_case(self.page)
        elif step.key in _FORM_STEPS:
            secrets.read_form(self.page)

    def _read_secrets(self, read: Callable[[_Secrets], None]) -> None:
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
        return masked(where, self._secrets.terms)

    def _shoot(self, entry: GuideStep, kind: str, where: Page, frame: Frame, caption: str,
               *, photographed: Page | Locator | None = None,
               screen_of: Page | FrameLocator | None = None, context: bool = True) -> None:
        """Outline the element, take the picture cropped around it (masked, when masking),
        clear the outline. A window is cropped; an in-page dialog is photographed whole."""
        name = f"step-{entry.number:02d}-{kind}.png"
        if name in self._names:
            return
        clear_outline(where)
        if frame.element is not None:
            # The picture is still worth having without its outline.
            with suppress(PlaywrightError):
                outline(frame.element)
        path = self.folder / IMAGES / name
        shot = Shot(f"{IMAGES}/{name}", path, self._hide(screen_name(screen_of or where)),
                    self._hide(caption) if caption else None)
        try:
            with self._masking(where):
                target = photographed if photographed is not None else where
                if isinstance(target, Page):
                    area = frame.area if frame.area is not None else frame.element
                    box = (framing.crop_box(target, area, keep=frame.element, context=context)
                           if area else None)
                    target.screenshot(path=path, animations="disabled", clip=box,
                                      full_page=box is not None)
                else:
                    target.screenshot(path=path, animations="disabled")
                if self._after_screenshot is not None:
                    self._after_screenshot(shot, where)
        except PlaywrightError:
            return
        finally:
            clear_outline(where)
        self._names.add(name)
        entry.shots.append(shot)


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
           after_screenshot: ScreenshotHook | None = None) -> Guide:
    """Sign in on `page`, perform one record with the bot, and photograph every step into
    `folder`/images (earlier step pictures there are removed first)."""
    images = folder / IMAGES
    try:
        images.mkdir(parents=True, exist_ok=True)
        for old in images.glob("step-*.png"):
            old.unlink()
    except OSError as problem:
        raise explain(problem, images) from None
    recorder = _Recorder(page, record, folder, mask_pii=mask_pii, dry_run=dry_run,
                         after_screenshot=after_screenshot)
    bot = OutcomeBot(page, sign_in_url, credentials, observer=recorder.observer,
                     popup_observer=recorder.popup_observer,
                     screen_observer=recorder.screen_observer, dry_run=dry_run, retries=0)
    bot.sign_in()
    result = bot.process(record)
    recorder.finished()
    timings = [(seconds, entry) for seconds, entry in recorder.timings]
    return Guide([recorder.steps[s.key] for s in STEPS], site, mask_pii, dry_run, result,
                 timings=timings)


# -- writing it --------------------------------------------------------------------------

# When an outcome is the right tool, after Help Sheet 10 (2021) and Help Sheet 12 (2016).
INTRODUCTION = (
    "When to create an Exit/Outcome",
    (
        "A Closure is the usual way to close a participant's case file: CalJOBS then soft "
        "exits the participant by itself 90 days after the last service. Creating a Closure "
        "also generates an Outcome, so you do not make one by hand.",
        "Create an Exit/Outcome yourself only to hard exit a participant immediately because "
        "of a global exclusion: Institutionalized, Health/Medical, Deceased, Reservist called "
        "to Active Duty, or (Youth only) In Foster Care and moved from area by the foster "
        "care system. The participant cannot continue services at your agency; the exit is "
        "neutral for the agency's performance, and no follow-ups are required.",
        "If none of these reasons fits, the participant is not a global exclusion: create a "
        "regular Closure instead. An outcome cannot be undone without a Data Change Request.",
    ),
)


def _not_done_note(guide: Guide, entry: GuideStep) -> str:
    """Why a step has no picture."""
    if guide.dry_run and entry.step.key in ("save", "confirm"):
        return "Not performed: this guide was made with --no-save, so nothing was saved."
    if guide.result is not None and guide.result.status in (Status.FAILED, Status.SKIPPED):
        return "Not reached: the replay stopped earlier."
    return "Not needed for the record replayed here, so there is no picture of it."


def _made_line(guide: Guide) -> str:
    masked_note = " Participant data is hidden (████)." if guide.masked else ""
    return (f"Made on {guide.made_on:%m/%d/%Y} by replaying one record on {guide.site}, "
            f"with the element of each step outlined.{masked_note}")


_CSS = """
body { font: 16px/1.5 system-ui, "Segoe UI", Arial, sans-serif; color: #1b1b1b;
  max-width: 1000px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 26px; margin-bottom: 4px; }
.made { color: #555; margin-top: 0; }
.intro { background: #f4f7fb; border-left: 4px solid #0f2f4f; padding: 8px 16px; }
.intro h2 { font-size: 19px; margin: 6px 0; }
.step { border-top: 2px solid #0f2f4f; padding-top: 12px; margin-top: 28px; }
.step h2 { font-size: 21px; margin: 0 0 6px; }
.step .number { color: #b35c00; margin-right: 6px; }
ol.do { margin: 6px 0 10px; padding-left: 24px; font-weight: 600; }
.on-screen { font-weight: 600; color: #0f2f4f; }
.not-done { color: #666; font-style: italic; }
figure { margin: 12px 0 18px; }
figure img { max-width: 100%; height: auto; border: 1px solid #aaa; }
figcaption { color: #444; font-size: 14px; margin-top: 4px; }
video { width: 100%; max-width: 960px; border: 1px solid #aaa; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  .step { break-before: page; border-top: 0; margin-top: 0; }
  figure { break-inside: avoid; }
  .video { display: none; }
}
"""


def _alt(entry: GuideStep, shot: Shot) -> str:
    return f"Step {entry.number}: {entry.step.title} (screen: {shot.screen})"


def _caption(shot: Shot) -> str:
    return f"Screen: {shot.screen}." + (f" {shot.caption}" if shot.caption else "")


def png_css_size(path: Path) -> tuple[int, int]:
    """A picture's size in CSS pixels (it was taken at DEVICE_SCALE_FACTOR): the size it is
    shown and printed at, so the site's text prints at its own size."""
    data = path.read_bytes()[:24]
    width, height = struct.unpack(">II", data[16:24])
    return round(width / DEVICE_SCALE_FACTOR), round(height / DEVICE_SCALE_FACTOR)


def _html_shots(entry: GuideStep) -> Iterator[str]:
    for shot in entry.shots:
        alt = html.escape(_alt(entry, shot))
        width, height = png_css_size(shot.path)
        yield (f'<figure><img src="{html.escape(shot.file)}" alt="{alt}" width="{width}" '
               f'height="{height}"><figcaption>{html.escape(_caption(shot))}</figcaption>'
               "</figure>")


def render_html(guide: Guide, video: str | None = None, captions: str | None = None) -> str:
    """The guide as one HTML page (pictures linked from images/, the video beside it)."""
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{html.escape(TITLE)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>{html.escape(TITLE)}</h1>", f'<p class="made">{html.escape(_made_line(guide))}</p>',
        f'<section class="intro"><h2>{html.escape(INTRODUCTION[0])}</h2>',
        *(f"<p>{html.escape(paragraph)}</p>" for paragraph in INTRODUCTION[1]), "</section>",
    ]
    if video is not None:
        track = (f'<track kind="captions" src="{html.escape(captions)}" srclang="en" '
                 'label="Steps" default>' if captions else "")
        parts.append(f'<section class="video"><h2>The whole record, as a video</h2>'
                     f'<video controls preload="metadata" src="{html.escape(video)}">'
                     f"{track}</video></section>")
    for entry in guide.steps:
        parts.append(f'<section class="step" id="step-{entry.number}">')
        parts.append(f'<h2><span class="number">Step {entry.number}.</span> '
                     f"{html.escape(entry.step.title)}</h2>")
        if entry.actions:
            parts.append('<ol class="do">' + "".join(
                f"<li>{html.escape(line)}</li>" for line in entry.actions) + "</ol>")
        parts.append(f"<p>{html.escape(entry.step.explanation)}</p>")
        parts.extend(f'<p class="on-screen">{html.escape(note)}</p>' for note in entry.notes)
        if entry.done:
            parts.extend(_html_shots(entry))
        else:
            parts.append(f'<p class="not-done">{html.escape(_not_done_note(guide, entry))}</p>')
        parts.append("</section>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _md(text: str) -> str:
    """Text safe to put in Markdown (no accidental emphasis, links or headings)."""
    return re.sub(r"([\\`*_\[\]#<>|])", r"\\\1", text)


def render_markdown(guide: Guide) -> str:
    """The same guide in Markdown, with the same pictures."""
    lines = [f"# {_md(TITLE)}", "", f"_{_md(_made_line(guide))}_", "",
             f"## {_md(INTRODUCTION[0])}", ""]
    for paragraph in INTRODUCTION[1]:
        lines += [_md(paragraph), ""]
    for entry in guide.steps:
        lines += [f"## Step {entry.number}. {_md(entry.step.title)}", ""]
        lines += [f"{n}. {_md(line)}" for n, line in enumerate(entry.actions, start=1)]
        lines += [""] if entry.actions else []
        lines += [_md(entry.step.explanation), ""]
        lines += [line for note in entry.notes for line in (f"**{_md(note)}**", "")]
        if not entry.done:
            lines += [f"_{_md(_not_done_note(guide, entry))}_", ""]
        for shot in entry.shots:
            lines += [f"![{_md(_alt(entry, shot))}]({shot.file})", "", f"_{_md(_caption(shot))}_",
                      ""]
    return "\n".join(lines)


def render_docx(guide: Guide, path: Path) -> None:
    """The same guide as a Word document, for trainers who edit their material in Word."""
    from docx import Document
    from docx.shared import Inches, Pt

    document = Document()
    for section in document.sections:
        section.left_margin = section.right_margin = Inches(0.5)
        section.top_margin = section.bottom_margin = Inches(0.5)
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(TITLE, level=0)
    document.add_paragraph(_made_line(guide)).runs[0].italic = True
    document.add_heading(INTRODUCTION[0], level=1)
    for paragraph in INTRODUCTION[1]:
        document.add_paragraph(paragraph)
    for entry in guide.steps:
        heading = document.add_heading(f"Step {entry.number}. {entry.step.title}", level=1)
        heading.paragraph_format.page_break_before = True
        for line in entry.actions:
            document.add_paragraph(line, style="List Number").runs[0].bold = True
        document.add_paragraph(entry.step.explanation)
        for note in entry.notes:
            document.add_paragraph(note).runs[0].bold = True
        if not entry.done:
            document.add_paragraph(_not_done_note(guide, entry)).runs[0].italic = True
        for shot in entry.shots:
            width, _ = png_css_size(shot.path)
            document.add_picture(str(shot.path), width=Inches(min(width / 96, 7.5)))
            document.add_paragraph(_caption(shot)).runs[0].italic = True
    document.save(str(path))


def _timestamp(seconds: float) -> str:
    whole = max(0.0, seconds)
    hours, rest = divmod(whole, 3600)
    minutes, rest = divmod(rest, 60)
    return f"{int(hours):02d}:{int(minutes):02d}:{rest:06.3f}"


def render_vtt(guide: Guide) -> str:
    """WebVTT captions for the video: one cue per step, from the moment the bot announced it
    to the next step (the times the replay measured)."""
    lines = ["WEBVTT", ""]
    timings = guide.timings
    for index, (start, entry) in enumerate(timings):
        if entry is None:
            continue
        end = timings[index + 1][0] if index + 1 < len(timings) else start + 5
        text = [f"Step {entry.number}. {entry.step.title}"]
        text += entry.actions[:3]
        lines += [f"step-{entry.number}", f"{_timestamp(start)} --> {_timestamp(end)}",
                  *(line.replace("-->", "->") for line in text), ""]
    return "\n".join(lines)


def print_pdf(html_path: Path, pdf_path: Path, browser: Browser) -> None:
    """Print the HTML page to PDF with a headless browser (each step starts a new page)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(html_path.resolve().as_uri())
        page.pdf(path=pdf_path, format="Letter", print_background=True,
                 margin={"top": "0.5in", "bottom": "0.5in", "left": "0.5in", "right": "0.5in"})
    finally:
        context.close()


def write_guide(guide: Guide, folder: Path, browser: Browser,
                video: Path | None = None) -> GuideFiles:
    """Write guide.html, guide.md, guide.docx and guide.pdf into `folder` (the pictures are
    there), and guide.vtt when `video` (already in the folder) is given."""
    folder.mkdir(parents=True, exist_ok=True)
    captions = None
    if video is not None:
        captions = folder / "guide.vtt"
        write_text(captions, render_vtt(guide))
    html_path = folder / "guide.html"
    write_text(html_path, render_html(guide, video.name if video else None,
                                      captions.name if captions else None))
    markdown = folder / "guide.md"
    write_text(markdown, render_markdown(guide))
    docx = folder / "guide.docx"
    pdf = folder / "guide.pdf"
    try:
        render_docx(guide, docx)
        print_pdf(html_path, pdf, browser)
    except OSError as problem:
        raise explain(problem, folder) from None
    images = tuple(shot.path for entry in guide.steps for shot in entry.shots)
    return GuideFiles(html_path, markdown, pdf, images, docx, video, captions)


# Why a guide has no video, for the command line to say.
NO_VIDEO_MASKED = ("No video with --mask-pii: it would show the participant's data as the "
                   "bot types it.")
NO_VIDEO_FFMPEG = ("No video: this browser cannot record one (Playwright's ffmpeg is missing; "
                   "`playwright install ffmpeg` adds it).")


def _replay_page(session: BrowserSession, raw_videos: Path,
                 record_video: bool) -> tuple[Page, bool]:
    """The page to replay on, recording a video when asked and possible; whether it does.

    Playwright records with an ffmpeg of its own, which county machines without internet
    access may lack: the guide is then made without its video rather than not at all."""
    if record_video:
        recording = session.new_context(viewport=VIEWPORT,
                                        device_scale_factor=DEVICE_SCALE_FACTOR,
                                        record_video_dir=str(raw_videos),
                                        record_video_size=VIEWPORT)
        try:
            return recording.new_page(), True
        except PlaywrightError as problem:
            recording.close()
            if "ffmpeg" not in str(problem):
                raise
    return session.new_page(viewport=VIEWPORT, device_scale_factor=DEVICE_SCALE_FACTOR), False


def make_guide(sign_in_url: str, credentials: Credentials, record: Record, folder: Path, *,
               site: str, session: SessionOptions, mask_pii: bool = False,
               dry_run: bool = False, video: bool = True) -> tuple[Guide, GuideFiles]:
    """Open a browser as `session` says (headless unless it says otherwise), replay one
    record and write the guide.

    The replay is also recorded as a video (guide.webm), except with `mask_pii`: the video
    shows the screens as the bot fills them, unmasked, and masked data must never be written.
    """
    record_video = video and not mask_pii
    raw_videos = Path(tempfile.mkdtemp(prefix="caljobs-guide-video-"))
    try:
        with open_session(session) as opened:
            page, record_video = _replay_page(opened, raw_videos, record_video)
            guide = replay(page, sign_in_url, credentials, record, folder,
                           site=site, mask_pii=mask_pii, dry_run=dry_run)
            page.context.close()
            no_video = (None if record_video else NO_VIDEO_MASKED if mask_pii and video
                        else NO_VIDEO_FFMPEG if video else None)
            for stale in ("guide.webm", "guide.vtt"):
                if not record_video:
                    (folder / stale).unlink(missing_ok=True)
            saved_video = None
            if record_video and page.video is not None:
                saved_video = folder / "guide.webm"
                try:
                    shutil.move(page.video.path(), saved_video)
                except OSError as problem:
                    raise explain(problem, saved_video) from None
            # Only a headless browser prints to PDF (the session's printer is one).
            files = write_guide(guide, folder, opened.printer(), saved_video)
            files = dataclasses.replace(files, no_video=no_video)
    finally:
        shutil.rmtree(raw_videos, ignore_errors=True)
    return guide, files
