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

import html
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.sync_api import Browser, FrameLocator, Locator, Page, ViewportSize, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from bots.browser import find_browser, launch
from bots.outcome_bot import Credentials, OutcomeBot
from bots.results import RecordResult, Status
from bots.steps import STEPS, Step, number
from bots.targets import POPUP_NOTES, PopupMoment, for_popup, for_step
from pages.case import CasePage
from pages.contacts_popup import AlternateContactsPopup
from pages.fields import squeeze
from pages.masking import MASK, masked
from pages.outcome_form import OutcomeForm
from pages.overlay import clear_outline, outline

if TYPE_CHECKING:
    from bots.jobfile import Record

IMAGES = "images"
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


@dataclass(frozen=True)
class GuideFiles:
    """Where the guide was written."""

    html: Path
    markdown: Path
    pdf: Path
    images: tuple[Path, ...]


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
    """The bot's observers for a guide: a screenshot at each step, and in the pop-up."""

    def __init__(self, page: Page, record: Record, folder: Path, *, mask_pii: bool,
                 after_screenshot: ScreenshotHook | None) -> None:
        self.page = page
        self.folder = folder
        self.steps = {s.key: GuideStep(s, number(s.key)) for s in STEPS}
        self._secrets = _Secrets(record) if mask_pii else None
        self._after_screenshot = after_screenshot

    def observer(self, step: Step, record: Record) -> None:
        entry = self.steps[step.key]
        entry.done = True
        if self._secrets is not None:
            self._read_secrets(lambda secrets: self._read_screen(secrets, step))
        target = for_step(step, self.page, record)
        note = target.on_screen()
        if note and note not in entry.notes:
            entry.notes.append(self._hide(note))
        name = f"step-{entry.number:02d}.png"
        entry.shots.append(self._shoot(self.page, self.page, target.element, name, None))

    def popup_observer(self, popup: AlternateContactsPopup, record: Record,
                       moment: PopupMoment) -> None:
        entry = self.steps["alternate_contacts"]
        if self._secrets is not None:
            self._read_secrets(lambda secrets: secrets.read_popup(popup))
        target = for_popup(popup, moment)
        caption = " ".join(filter(None, (POPUP_NOTES[moment], target.on_screen())))
        where = popup.content if isinstance(popup.content, Page) else self.page
        photographed = popup.screenshot_target()
        name = f"step-{entry.number:02d}-popup-{moment}.png"
        entry.shots.append(self._shoot(where, photographed, target.element, name,
                                       self._hide(caption), screen_of=popup.content))

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

    def _shoot(self, where: Page, photographed: Page | Locator, element: Locator | None,
               name: str, caption: str | None,
               screen_of: Page | FrameLocator | None = None) -> Shot:
        """Outline the element, take the picture (masked, when masking), clear the outline."""
        clear_outline(where)
        if element is not None:
            # The picture is still worth having without its outline.
            with suppress(PlaywrightError):
                outline(element)
        path = self.folder / IMAGES / name
        shot = Shot(f"{IMAGES}/{name}", path, self._hide(screen_name(screen_of or where)),
                    caption)
        with self._masking(where):
            photographed.screenshot(path=path, animations="disabled")
            if self._after_screenshot is not None:
                self._after_screenshot(shot, where)
        clear_outline(where)
        return shot


def replay(page: Page, sign_in_url: str, credentials: Credentials, record: Record,
           folder: Path, *, site: str, mask_pii: bool = False, dry_run: bool = False,
           after_screenshot: ScreenshotHook | None = None) -> Guide:
    """Sign in on `page`, perform one record with the bot, and photograph every step into
    `folder`/images (earlier step pictures there are removed first)."""
    images = folder / IMAGES
    images.mkdir(parents=True, exist_ok=True)
    for old in images.glob("step-*.png"):
        old.unlink()
    recorder = _Recorder(page, record, folder, mask_pii=mask_pii,
                         after_screenshot=after_screenshot)
    bot = OutcomeBot(page, sign_in_url, credentials, observer=recorder.observer,
                     popup_observer=recorder.popup_observer, dry_run=dry_run, retries=0)
    bot.sign_in()
    result = bot.process(record)
    return Guide([recorder.steps[s.key] for s in STEPS], site, mask_pii, dry_run, result)


# -- writing it --------------------------------------------------------------------------

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
.step { border-top: 2px solid #0f2f4f; padding-top: 12px; margin-top: 28px; }
.step h2 { font-size: 21px; margin: 0 0 6px; }
.step .number { color: #b35c00; margin-right: 6px; }
.on-screen { font-weight: 600; color: #0f2f4f; }
.not-done { color: #666; font-style: italic; }
figure { margin: 12px 0 18px; }
figure img { max-width: 100%; border: 1px solid #aaa; }
figcaption { color: #444; font-size: 14px; margin-top: 4px; }
@media print {
  body { margin: 0; max-width: none; }
  .step { break-before: page; border-top: 0; margin-top: 0; }
  figure { break-inside: avoid; }
  figure img { max-height: 7.2in; }
}
"""


def _alt(entry: GuideStep, shot: Shot) -> str:
    return f"Step {entry.number}: {entry.step.title} (screen: {shot.screen})"


def _html_shots(entry: GuideStep) -> Iterator[str]:
    for shot in entry.shots:
        caption = f"Screen: {shot.screen}." + (f" {shot.caption}" if shot.caption else "")
        alt = html.escape(_alt(entry, shot))
        yield (f'<figure><img src="{html.escape(shot.file)}" alt="{alt}">'
               f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def render_html(guide: Guide) -> str:
    """The guide as one HTML page (pictures linked from images/)."""
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{html.escape(TITLE)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>{html.escape(TITLE)}</h1>", f'<p class="made">{html.escape(_made_line(guide))}</p>',
    ]
    for entry in guide.steps:
        parts.append(f'<section class="step" id="step-{entry.number}">')
        parts.append(f'<h2><span class="number">Step {entry.number}.</span> '
                     f"{html.escape(entry.step.title)}</h2>")
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
    lines = [f"# {_md(TITLE)}", "", f"_{_md(_made_line(guide))}_", ""]
    for entry in guide.steps:
        lines += [f"## Step {entry.number}. {_md(entry.step.title)}", "",
                  _md(entry.step.explanation), ""]
        lines += [line for note in entry.notes for line in (f"**{_md(note)}**", "")]
        if not entry.done:
            lines += [f"_{_md(_not_done_note(guide, entry))}_", ""]
        for shot in entry.shots:
            lines += [f"![{_md(_alt(entry, shot))}]({shot.file})", ""]
            caption = f"Screen: {shot.screen}." + (f" {shot.caption}" if shot.caption else "")
            lines += [f"_{_md(caption)}_", ""]
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


def write_guide(guide: Guide, folder: Path, browser: Browser) -> GuideFiles:
    """Write guide.html, guide.md and guide.pdf into `folder` (the pictures are there)."""
    folder.mkdir(parents=True, exist_ok=True)
    html_path = folder / "guide.html"
    html_path.write_text(render_html(guide), encoding="utf-8")
    markdown = folder / "guide.md"
    markdown.write_text(render_markdown(guide), encoding="utf-8")
    pdf = folder / "guide.pdf"
    print_pdf(html_path, pdf, browser)
    images = tuple(shot.path for entry in guide.steps for shot in entry.shots)
    return GuideFiles(html_path, markdown, pdf, images)


def make_guide(sign_in_url: str, credentials: Credentials, record: Record, folder: Path, *,
               site: str, mask_pii: bool = False, dry_run: bool = False, headed: bool = False,
               slow_mo_ms: float = 0, browser_path: str | None = None,
               timeout_ms: float = 15_000) -> tuple[Guide, GuideFiles]:
    """Open a browser (headless unless `headed`), replay one record and write the guide."""
    with sync_playwright() as playwright:
        choice = find_browser(browser_path, playwright)
        browser = launch(playwright, choice, headless=not headed, slow_mo=slow_mo_ms)
        try:
            context = browser.new_context(viewport=VIEWPORT)
            context.set_default_timeout(timeout_ms)
            guide = replay(context.new_page(), sign_in_url, credentials, record, folder,
                           site=site, mask_pii=mask_pii, dry_run=dry_run)
            context.close()
            # Only a headless browser prints to PDF.
            printer = launch(playwright, choice) if headed else browser
            try:
                files = write_guide(guide, folder, printer)
            finally:
                if printer is not browser:
                    printer.close()
        finally:
            browser.close()
    return guide, files
