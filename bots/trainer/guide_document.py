"""The guide as a document: its parts (steps, pictures, timings) and the files written from it.

The replay (trainer/guide.py) fills a Guide; this module writes it three ways: guide.html
(images in images/), guide.md with the same images, guide.docx for trainers who edit in Word,
guide.pdf printed by the browser from the HTML, and guide.vtt (the video's captions: every
action of every step, timed by trainer/guide_captions.py; guide.html carries them too).
Every step of the help sheet has its section, with a note where the replay did not perform it.
"""

from __future__ import annotations

import html
import json
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.sync_api import Browser, FloatRect

from caljobs_bot.steps.definitions import Step
from caljobs_bot.steps.framing import DEVICE_SCALE_FACTOR, PRINT_SCALE, PRINTABLE_WIDTH
from caljobs_bot.steps.results import RecordResult, Status
from caljobs_bot.trainer.guide_captions import Cue, plan
from caljobs_bot.trainer.output import explain, removing_partial, write_text
from caljobs_bot.visible import visible

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

TITLE = "Creating an Exit/Outcome in CalJOBS, step by step"
CSS_PX_PER_INCH = 96

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
    crop: FloatRect | None = None
    """The part of the screen photographed, in the photographed page's viewport (CSS px), as
    measured when the picture was taken (None: the whole window)."""
    outlined: tuple[FloatRect, ...] = ()
    """Where the outline was drawn then, in the same coordinates: what the crop must hold."""


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
    marks: list[tuple[float, int]] = field(default_factory=list)
    """Moments seen inside the step (real seconds from the replay's start) and the index of
    the first action that comes after each: the contacts pop-up open, about to close. The
    video's captions follow them, so a caption is shown while its action is on screen."""


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
    cues: tuple[Cue, ...] = ()
    """The video's captions on its own time line, when a video was made (else they are
    planned from `timings`)."""


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
    if guide.dry_run and _at_or_after_save(guide, entry):
        return "Not performed: this guide was made with --no-save, so nothing was saved."
    if guide.result is not None and guide.result.status in (Status.FAILED, Status.SKIPPED):
        return "Not reached: the replay stopped earlier."
    return "Not needed for the record replayed here, so there is no picture of it."


def _at_or_after_save(guide: Guide, entry: GuideStep) -> bool:
    """Whether the step comes at or after Save (a replay with --no-save stops before it)."""
    saving = next((n for n, e in enumerate(guide.steps) if e.step.presses_save), None)
    return saving is not None and guide.steps.index(entry) >= saving


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
    """A picture's size in CSS pixels of the site (it was taken at DEVICE_SCALE_FACTOR)."""
    data = path.read_bytes()[:24]
    width, height = struct.unpack(">II", data[16:24])
    return round(width / DEVICE_SCALE_FACTOR), round(height / DEVICE_SCALE_FACTOR)


def printed_size(path: Path) -> tuple[int, int]:
    """The size a picture is shown and printed at, in CSS px: PRINT_SCALE times its own CSS
    size (steps/framing.py), so the site's text is 10 pt or more on paper, and never wider
    than a Letter page's printable width (a picture wider than a crop, shrunk to fit)."""
    width, height = png_css_size(path)
    scale = min(PRINT_SCALE, PRINTABLE_WIDTH / width) if width else PRINT_SCALE
    return round(width * scale), round(height * scale)


def _html_shots(entry: GuideStep) -> Iterator[str]:
    for shot in entry.shots:
        alt = _h(_alt(entry, shot))
        width, height = printed_size(shot.path)
        yield (f'<figure><img src="{_h(shot.file)}" alt="{alt}" width="{width}" '
               f'height="{height}"><figcaption>{_h(_caption(shot))}</figcaption>'
               "</figure>")


def render_html(guide: Guide, video: str | None = None, captions: str | None = None) -> str:
    """The guide as one HTML page (pictures linked from images/, the video beside it)."""
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{_h(TITLE)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>{_h(TITLE)}</h1>", f'<p class="made">{_h(_made_line(guide))}</p>',
        f'<section class="intro"><h2>{_h(INTRODUCTION[0])}</h2>',
        *(f"<p>{_h(paragraph)}</p>" for paragraph in INTRODUCTION[1]), "</section>",
    ]
    if video is not None:
        parts.append(f'<section class="video"><h2>The whole record, as a video</h2>'
                     f'<video id="guide-video" controls preload="metadata" src="{_h(video)}">'
                     f"</video>{_captions_script(guide) if captions else ''}</section>")
    for entry in guide.steps:
        parts.append(f'<section class="step" id="step-{entry.number}">')
        parts.append(f'<h2><span class="number">Step {entry.number}.</span> '
                     f"{_h(entry.step.title)}</h2>")
        if entry.actions:
            parts.append('<ol class="do">' + "".join(
                f"<li>{_h(line)}</li>" for line in entry.actions) + "</ol>")
        parts.append(f"<p>{_h(entry.step.explanation)}</p>")
        parts.extend(f'<p class="on-screen">{_h(note)}</p>' for note in entry.notes)
        if entry.done:
            parts.extend(_html_shots(entry))
        else:
            parts.append(f'<p class="not-done">{_h(_not_done_note(guide, entry))}</p>')
        parts.append("</section>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _h(text: str) -> str:
    """Text safe to put in HTML, its control characters shown as escapes (bots/visible.py):
    the record's values are data, even in a trainer's guide."""
    return html.escape(visible(text))


def _md(text: str) -> str:
    """Text safe to put in Markdown (no accidental emphasis, links or headings), its control
    characters shown as escapes."""
    return re.sub(r"([\\`*_\[\]#<>|])", r"\\\1", visible(text))


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
    document.add_paragraph(visible(_made_line(guide))).runs[0].italic = True
    document.add_heading(INTRODUCTION[0], level=1)
    for paragraph in INTRODUCTION[1]:
        document.add_paragraph(paragraph)
    for entry in guide.steps:
        heading = document.add_heading(visible(f"Step {entry.number}. {entry.step.title}"),
                                       level=1)
        heading.paragraph_format.page_break_before = True
        numbering = _restarted_numbering(document)
        for line in entry.actions:
            item = document.add_paragraph(visible(line), style="List Number")
            item.runs[0].bold = True
            _number_with(item, numbering)
        document.add_paragraph(visible(entry.step.explanation))
        for note in entry.notes:
            document.add_paragraph(visible(note)).runs[0].bold = True
        if not entry.done:
            document.add_paragraph(_not_done_note(guide, entry)).runs[0].italic = True
        for shot in entry.shots:
            width, _ = printed_size(shot.path)
            document.add_picture(str(shot.path), width=Inches(width / CSS_PX_PER_INCH))
            document.add_paragraph(visible(_caption(shot))).runs[0].italic = True
    document.save(str(path))


def _restarted_numbering(document: DocxDocument) -> int:
    """A new numbering instance of the "List Number" style that starts again at 1: Word
    numbers every "List Number" paragraph of a document as one list, so a step's actions
    would go on from the previous step's (step 8 numbered 26-30)."""
    style = document.styles["List Number"].element
    assert style.pPr is not None and style.pPr.numPr is not None
    numbering = document.part.numbering_part.element
    shared = numbering.num_having_numId(style.pPr.numPr.numId.val)
    num = numbering.add_num(shared.abstractNumId.val)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return int(num.numId)


def _number_with(paragraph: Paragraph, num_id: int) -> None:
    """Number the paragraph (level 0) in the numbering instance `num_id`."""
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = num_id


def _timestamp(seconds: float) -> str:
    whole = max(0.0, seconds)
    hours, rest = divmod(whole, 3600)
    minutes, rest = divmod(rest, 60)
    return f"{int(hours):02d}:{int(minutes):02d}:{rest:06.3f}"


def guide_cues(guide: Guide) -> tuple[Cue, ...]:
    """The video's captions: those timed with the video, else planned from the replay's
    timings (trainer/guide_captions.py): every action of every step, each readable."""
    return guide.cues or plan(guide.timings).cues


# Adds the captions to the video from the page itself. Why not <track src="guide.vtt">: a
# trainer opens guide.html from disk, and Chromium and Edge refuse to load a file:// track
# ("Unsafe attempt to load URL"), so the video showed no captions at all.
_CAPTIONS_JS = """(function () {
  var video = document.getElementById("guide-video");
  if (!video || !video.addTextTrack || typeof VTTCue === "undefined") { return; }
  var track = video.addTextTrack("captions", "Steps", "en");
  CUES.forEach(function (cue) { track.addCue(new VTTCue(cue[0], cue[1], cue[2])); });
  track.mode = "showing";
})();"""


def _captions_script(guide: Guide) -> str:
    """The captions as a script in the page (JSON with '<' escaped: no '</script>' inside)."""
    cues = [[round(cue.start, 3), round(cue.end, 3), "\n".join(visible(line) for line in cue.lines)]
            for cue in guide_cues(guide)]
    data = json.dumps(cues, ensure_ascii=True).replace("<", "\\u003c")
    return f'<script>{_CAPTIONS_JS.replace("CUES", data, 1)}</script>'


def render_vtt(guide: Guide) -> str:
    """WebVTT captions for the video (guide.vtt, for players such as VLC): every action of
    every step, each cue on screen long enough to read, on the video's time line."""
    lines = ["WEBVTT", ""]
    for index, cue in enumerate(guide_cues(guide), start=1):
        lines += [f"cue-{index}", f"{_timestamp(cue.start)} --> {_timestamp(cue.end)}",
                  *(visible(line).replace("-->", "->") for line in cue.lines), ""]
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
        with removing_partial(docx):
            render_docx(guide, docx)
        with removing_partial(pdf):
            print_pdf(html_path, pdf, browser)
    except OSError as problem:
        raise explain(problem, folder) from None
    images = tuple(shot.path for entry in guide.steps for shot in entry.shots)
    return GuideFiles(html_path, markdown, pdf, images, docx, video, captions)
