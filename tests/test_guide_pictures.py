"""Guide pictures that show what the text says, and stay legible on paper (issue 21, items 3
and 4): for every picture of every record of the example job, on both screen versions, the
outline and the words that name the outlined element lie inside the crop; the (+) of step 2
is what is outlined; the contact form's caption says Edit or Add as the picture shows; the
site's text prints at 10 pt or more in the PDF and the Word document; the Word document
numbers each step's actions from 1.

One replay per record and screen version (8 in all, each slow), shared by every test here.
The crop and the outline are the ones the guide measured as it took each picture (Shot.crop,
Shot.outlined); the words that name the element are found here, independently, by place.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, FloatRect, Page

from caljobs_bot.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.pages.overlay import OUTLINE_ATTRIBUTE
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.framing import DEVICE_SCALE_FACTOR
from caljobs_bot.trainer.guide import VIEWPORT, Guide, GuideFiles, Shot, replay, write_guide

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # ten replays: make test-all

RECORDS = load_job(EXAMPLE_JOB).records
VERSIONS = ("2021", "2016")
# Every record in the contacts pop-up's own window (the sandbox's default), and record 1 (it
# adds a contact) with the pop-up as an in-page dialog (an iframe) and as AJAX content.
RUNS = [(version, number, "window") for version in VERSIONS
        for number in range(1, len(RECORDS) + 1)] + [("2021", 1, "dialog"), ("2021", 1, "ajax")]
# The outline is drawn 3 px outside its box and is 4 px wide: the crop must hold that and a
# little more. A crop smaller than this, or longer than this many times its width, is a sliver.
MARGIN = 8
SMALLEST_SIDE = 100
LONGEST_RATIO = 6
# CSS px to points at 1:1 (72 pt per inch, 96 px per inch).
PT_PER_PX = 0.75
SMALLEST_PRINTED_PT = 10

# For each outlined element, the words that name it, found by place the way a reader finds
# them: a field's caption is the nearest words left of it on its row (else just above it);
# a toggle that is only a sign, such as (+), is named by the words right after it; anything
# else carries its own words. Also the page's form-text size (the body's) and the smallest
# text drawn inside the crop. Boxes are in the page's viewport, as Shot's are.
READ_PICTURE_JS = """
([attribute, crop]) => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || !node.parentElement) continue;
    const style = getComputedStyle(node.parentElement);
    if (style.visibility === "hidden") continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    texts.push({ node, r, text: node.textContent.trim(),
                 font: parseFloat(style.fontSize) });
  }
  const box = (r) => ({ x: r.left, y: r.top, width: r.width, height: r.height });
  const sameRow = (a, b) => Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top)
                            > Math.min(a.height, b.height) / 2;
  const named = [];
  for (const element of document.querySelectorAll(`[${attribute}]`)) {
    const e = element.getBoundingClientRect();
    const own = (element.innerText || element.value || element.alt || "").trim();
    let words = null, how = "own";
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(element.tagName)) {
      how = "caption";
      const left = texts.filter((t) => !element.contains(t.node) && sameRow(t.r, e)
                                       && t.r.right <= e.left + 1)
                        .sort((a, b) => b.r.right - a.r.right);
      const above = texts.filter((t) => !element.contains(t.node) && t.r.bottom <= e.top + 1
                                        && e.top - t.r.bottom < 40)
                         .sort((a, b) => b.r.bottom - a.r.bottom);
      words = left[0] || above[0] || null;
    } else if (!/\\p{L}/u.test(own)) {
      how = "words after the sign";
      const right = texts.filter((t) => !element.contains(t.node) && sameRow(t.r, e)
                                        && t.r.left >= e.right - 1)
                         .sort((a, b) => a.r.left - b.r.left);
      words = right[0] || null;
    }
    // Its own words: where they are drawn (a heading's words, not the whole line it spans).
    const mine = texts.filter((t) => element.contains(t.node)).map((t) => t.r);
    const drawn = mine.length ? { left: Math.min(...mine.map((r) => r.left)),
      top: Math.min(...mine.map((r) => r.top)), width: 0, height: 0,
      right: Math.max(...mine.map((r) => r.right)),
      bottom: Math.max(...mine.map((r) => r.bottom)) } : e;
    if (mine.length) { drawn.width = drawn.right - drawn.left;
                       drawn.height = drawn.bottom - drawn.top; }
    named.push({ tag: element.tagName.toLowerCase(), own, how,
                 words: words ? words.text : own, box: words ? box(words.r) : box(drawn) });
  }
  const inside = texts.filter((t) => t.r.left >= crop.x && t.r.top >= crop.y
    && t.r.right <= crop.x + crop.width && t.r.bottom <= crop.y + crop.height);
  const fonts = inside.map((t) => t.font);
  return { named, bodyFont: parseFloat(getComputedStyle(document.body).fontSize),
           smallestFont: fonts.length ? Math.min(...fonts) : null,
           smallestText: inside.sort((a, b) => a.font - b.font).map((t) => t.text)[0] ?? "",
           text: document.body.innerText };
}
"""


@dataclass
class Picture:
    """One picture as the guide took it, and the page then."""

    shot: Shot
    named: list[dict[str, Any]]
    body_font: float
    smallest_font: float | None
    smallest_text: str
    page_text: str


@dataclass
class Made:
    """One record's guide on one screen version."""

    version: str
    number: int
    popup: str
    record: Record
    guide: Guide
    files: GuideFiles
    pictures: dict[str, Picture] = field(default_factory=dict)

    def __str__(self) -> str:
        popup = "" if self.popup == "window" else f" ({self.popup} pop-up)"
        return f"record {self.number} on {self.version}{popup}"


@pytest.fixture(scope="module")
def guides(browser: Browser, sandbox_server: Sandbox,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Made]]:
    """Every record of the example job replayed once on each screen version (and record 1
    with the other two kinds of pop-up)."""
    client = SandboxClient(sandbox_server.root_url)
    made: list[Made] = []
    for version, number, popup in RUNS:
        record = RECORDS[number - 1]
        client.reset()
        client.configure(ui=version, popup=popup)
        folder = tmp_path_factory.mktemp(f"pictures-{version}-{number}-{popup}")
        pictures: dict[str, Picture] = {}

        def after_screenshot(shot: Shot, page: Page,
                             pictures: dict[str, Picture] = pictures) -> None:
            crop = shot.crop or {"x": 0, "y": 0, "width": 0, "height": 0}
            read = page.evaluate(READ_PICTURE_JS, [OUTLINE_ATTRIBUTE, crop])
            pictures[shot.path.name] = Picture(shot, read["named"], read["bodyFont"],
                                               read["smallestFont"], read["smallestText"],
                                               read["text"])

        context = browser.new_context(viewport=VIEWPORT,
                                      device_scale_factor=DEVICE_SCALE_FACTOR)
        try:
            guide = replay(context.new_page(), sandbox_server.sign_in_url,
                           Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD), record, folder,
                           site=f"the practice sandbox ({version} screens)",
                           after_screenshot=after_screenshot)
        finally:
            context.close()
        files = write_guide(guide, folder, browser)
        made.append(Made(version, number, popup, record, guide, files, pictures))
    yield made
    client.reset()


def inside(box: FloatRect, crop: FloatRect, margin: float) -> bool:
    return (box["x"] - margin >= crop["x"] - 0.5 and box["y"] - margin >= crop["y"] - 0.5
            and box["x"] + box["width"] + margin <= crop["x"] + crop["width"] + 0.5
            and box["y"] + box["height"] + margin <= crop["y"] + crop["height"] + 0.5)


def test_every_picture_holds_its_outline_and_the_words_naming_it(guides: list[Made]) -> None:
    problems: list[str] = []
    for made in guides:
        assert made.guide.result is not None and made.guide.result.ok, (str(made),
                                                                         made.guide.result)
        shots = [shot for entry in made.guide.steps for shot in entry.shots]
        assert len(shots) >= 12, str(made)
        assert {shot.path.name for shot in shots} == set(made.pictures), str(made)
        for shot in shots:
            where = f"{made} {shot.path.name}"
            crop = shot.crop
            if crop is None:
                problems.append(f"{where}: no crop recorded")
                continue
            if min(crop["width"], crop["height"]) < SMALLEST_SIDE or max(
                    crop["width"] / crop["height"],
                    crop["height"] / crop["width"]) > LONGEST_RATIO:
                problems.append(f"{where}: a sliver ({crop['width']:.0f}x"
                                f"{crop['height']:.0f})")
            # The picture is the crop: its size says so (no mix-up of coordinates).
            width, height = png_css_size(shot.path)
            if abs(width - crop["width"]) > 1 or abs(height - crop["height"]) > 1:
                problems.append(f"{where}: picture {width}x{height}, crop "
                                f"{crop['width']:.0f}x{crop['height']:.0f}")
            if not shot.outlined:
                problems.append(f"{where}: nothing outlined")
            for box in shot.outlined:
                if not inside(box, crop, MARGIN):
                    problems.append(f"{where}: outline {box} not inside crop {crop}")
            for named in made.pictures[shot.path.name].named:
                if not inside(named["box"], crop, 1):
                    problems.append(f"{where}: the words naming the outlined {named['tag']} "
                                    f"({named['how']}: {named['words']!r}) are cut off")
    assert not problems, "\n".join(problems)


def test_the_form_and_the_saved_message_show_their_words(guides: list[Made]) -> None:
    """The two pictures that showed only the page's right-hand edge: the form's title and
    the message, outlined, are in the picture with the outline around them."""
    for made in guides:
        for name, words in (("step-03-after.png", r"^(Exit/)?Outcome$"),
                            ("step-10-after.png", r"\bsaved\b")):
            picture = made.pictures[name]
            crop = picture.shot.crop
            assert crop is not None and len(picture.named) == 1, (str(made), name)
            named = picture.named[0]
            assert re.search(words, str(named["own"])), (str(made), name, named)
            assert inside(named["box"], crop, MARGIN), (str(made), name, named, crop)
            assert crop["width"] >= SMALLEST_SIDE * 2, (str(made), name, crop)


def test_step_two_outlines_the_plus_left_of_the_application(guides: list[Made]) -> None:
    for made in guides:
        named = made.pictures["step-02-before.png"].named
        assert len(named) == 1, (str(made), named)
        toggle = named[0]
        # A sign, not words: the words it opens are right after it, and they are the
        # application's ("WIOA #2244266 - Complete").
        assert toggle["how"] == "words after the sign", (str(made), toggle)
        assert re.match(r"WIOA\s*#\s*\d+", str(toggle["words"])), (str(made), toggle)
        if made.record.application:
            assert made.record.application in str(toggle["words"]), (str(made), toggle)


def test_the_contact_forms_caption_names_the_form_shown(guides: list[Made]) -> None:
    seen = set()
    for made in guides:
        picture = made.pictures.get("step-06-contact-form.png")
        if picture is None:
            assert not made.record.alternate_contacts, str(made)
            continue
        editing = re.search(r"^\s*Edit Contact\s*$", picture.page_text, re.MULTILINE)
        caption = picture.shot.caption or ""
        if editing:
            assert "Edit Contact form" in caption and "Add New" not in caption, (str(made),
                                                                                caption)
        else:
            assert "Add New Contact form" in caption and "Edit" not in caption, (str(made),
                                                                                caption)
        seen.add(bool(editing))
    assert seen == {True, False}  # record 1 adds a contact, record 2 edits one


def png_css_size(path: Path) -> tuple[float, float]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width / DEVICE_SCALE_FACTOR, height / DEVICE_SCALE_FACTOR


def pdf_picture_widths(pdf: Path) -> list[tuple[int, float]]:
    """(pixel width, printed width in pt) of every image drawn in the PDF, in order: the
    image's own size and the transformation in force where it is drawn."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(pdf)
    found: list[tuple[int, float]] = []

    def times(m: list[float], n: list[float]) -> list[float]:
        a, b, c, d, e, f = m
        a2, b2, c2, d2, e2, f2 = n
        return [a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
                e * a2 + f * c2 + e2, e * b2 + f * d2 + f2]

    def walk(content: ContentStream, resources: Any, ctm: list[float]) -> None:
        saved: list[list[float]] = []
        for operands, operator in content.operations:
            if operator == b"q":
                saved.append(ctm)
            elif operator == b"Q":
                ctm = saved.pop()
            elif operator == b"cm":
                ctm = times([float(x) for x in operands], ctm)
            elif operator == b"Do":
                drawn = resources["/XObject"][operands[0]].get_object()
                if drawn["/Subtype"] == "/Image":
                    found.append((int(drawn["/Width"]), (ctm[0] ** 2 + ctm[1] ** 2) ** 0.5))
                elif drawn["/Subtype"] == "/Form":
                    matrix = [float(x) for x in drawn.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    walk(ContentStream(drawn, reader), drawn.get("/Resources", resources),
                         times(matrix, ctm))

    for page in reader.pages:
        walk(ContentStream(page.get_contents(), reader), page["/Resources"],
             [1, 0, 0, 1, 0, 0])
    return found


def test_pdf_prints_the_sites_text_at_ten_points_or_more(guides: list[Made]) -> None:
    sizes: list[tuple[float, float, str]] = []
    for made in guides:
        shots = [shot for entry in made.guide.steps for shot in entry.shots]
        printed = pdf_picture_widths(made.files.pdf)
        assert [pixels for pixels, _ in printed] == [
            struct.unpack(">I", shot.path.read_bytes()[16:20])[0] for shot in shots], str(made)
        for shot, (_, points) in zip(shots, printed, strict=True):
            picture = made.pictures[shot.path.name]
            css_width, _ = png_css_size(shot.path)
            per_px = points / css_width  # points on paper per CSS px of the site
            form = picture.body_font * per_px
            smallest = (picture.smallest_font or picture.body_font) * per_px
            sizes.append((form, smallest, f"{made} {shot.path.name} "
                                          f"({picture.smallest_text!r})"))
    form_min = min(sizes)
    smallest_min = min(sizes, key=lambda size: size[1])
    assert form_min[0] >= SMALLEST_PRINTED_PT, form_min
    assert smallest_min[1] >= SMALLEST_PRINTED_PT, smallest_min


def test_word_document_prints_the_same_size_and_numbers_each_step_from_one(
    guides: list[Made],
) -> None:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Emu

    for made in guides:
        assert made.files.docx is not None
        document = Document(str(made.files.docx))
        shots = [shot for entry in made.guide.steps for shot in entry.shots]
        shapes = document.inline_shapes
        assert len(shapes) == len(shots), str(made)
        for shot, shape in zip(shots, shapes, strict=True):
            css_width, _ = png_css_size(shot.path)
            points = Emu(shape.width).pt
            form = made.pictures[shot.path.name].body_font * points / css_width
            assert form >= SMALLEST_PRINTED_PT, (str(made), shot.path.name, form)
        # Each step's actions are their own numbered list, starting at 1.
        numbering = document.part.numbering_part.element
        lists: list[list[str]] = []
        for paragraph in document.paragraphs:
            style = paragraph.style.name if paragraph.style is not None else ""
            if style.startswith("Heading") and paragraph.text.startswith("Step"):
                lists.append([])
            elif style == "List Number" and lists:
                # The paragraph's own numbering, if any (else the style's, shared by all).
                own = paragraph._p.xpath("./w:pPr/w:numPr/w:numId/@w:val")
                lists[-1].append(str(own[0]) if own else "style")
        with_actions = [ids for ids in lists if ids]
        assert len(with_actions) >= 8, str(made)
        for ids in with_actions:
            assert len(set(ids)) == 1 and ids[0] != "style", (str(made), ids)
            num = numbering.num_having_numId(int(ids[0]))
            starts = [o.find(qn("w:startOverride")) for o in num.lvlOverride_lst]
            assert [s.get(qn("w:val")) for s in starts if s is not None] == ["1"], str(made)
        firsts = [ids[0] for ids in with_actions]
        assert len(set(firsts)) == len(firsts), (str(made), firsts)
