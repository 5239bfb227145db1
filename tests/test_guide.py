"""The guide: every step in order, real pictures of the right screens, a PDF, masked data.

Two replays of the same record serve every test here (each replay is slow): one on the 2021
screens through the Python API, masked, reading the page at each screenshot; one on the 2016
screens through the command line, as a trainer would make it.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from caljobs_bot.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.pages.masking import MASK
from caljobs_bot.pages.overlay import outlined
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.definitions import STEPS, number
from caljobs_bot.steps.framing import DEVICE_SCALE_FACTOR, MAX_CROP_WIDTH
from caljobs_bot.steps.results import Status
from caljobs_bot.trainer.guide import (
    VIEWPORT,
    Guide,
    GuideFiles,
    Shot,
    replay,
    screen_name,
    write_guide,
)

pytestmark = pytest.mark.browser

KAREN = load_job(EXAMPLE_JOB).records[0]  # every step of the help sheet
# Karen James's seeded data, and what the job adds for her (contact, case note).
KAREN_DATA = ("Karen", "James", "37762", "34712", "USERNAME000", "213-555-0100",
              "ana@example.org", "1200 W 7th St", "Verified with facility letter",
              "Global exclusion - Institutionalized")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OUTLINED_JS = """elements => elements.map(e => ({tag: e.tagName.toLowerCase(),
    text: (e.innerText || e.value || '').trim(),
    value: e.tagName === 'SELECT' ? (e.selectedOptions[0]?.text ?? '') : (e.value ?? ''),
    size: e.getAttribute('size') ?? '',
    font: getComputedStyle(e).fontSize}))"""
# The pictures the help sheets show, each in both guides: (file, the screen it shows).
SUB_SCREENS = {
    "step-01-search-results.png": "Assist an Individual",
    "step-05-exit-reason-list.png": "form",
    "step-06-popup-opened.png": "Alternate Contacts",
    "step-06-contact-form.png": "Alternate Contacts",
    "step-07-case-manager-picker.png": "form",
    "step-08-case-note-form.png": "form",
    "step-11-after.png": "Case Management Profile",
}


@dataclass
class Moment:
    """The page as it was when one picture was taken."""

    shot: Shot
    dom: str
    heading: str
    outlined: list[dict[str, str]]
    """What was outlined: each element's tag, visible text, value and font size."""


@dataclass
class Made:
    folder: Path
    html: str
    markdown: str
    pdf: bytes
    said: str = ""


def page_as_photographed(page: Page) -> str:
    """Everything the page holds: the markup of every frame, and every field's live value."""
    values = page.evaluate(
        "() => Array.from(document.querySelectorAll('input, textarea, select'), e => e.value)")
    return "\n".join([*(frame.content() for frame in page.frames), *values])


@pytest.fixture(scope="module")
def masked_2021(
    browser: Browser, sandbox_server: Sandbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Guide, GuideFiles, list[Moment], SandboxClient]]:
    """Karen's record replayed on the 2021 screens with --mask-pii, the page read at each
    picture."""
    client = SandboxClient(sandbox_server.root_url)
    client.reset()
    folder = tmp_path_factory.mktemp("guide-2021")
    moments: list[Moment] = []

    def after_screenshot(shot: Shot, page: Page) -> None:
        marked = [element for frame in page.frames
                  for element in outlined(frame).evaluate_all(OUTLINED_JS)]
        moments.append(Moment(shot, page_as_photographed(page), screen_name(page), marked))

    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=DEVICE_SCALE_FACTOR)
    try:
        guide = replay(context.new_page(), sandbox_server.sign_in_url,
                       Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD), KAREN, folder,
                       site="the practice sandbox (2021 screens)", mask_pii=True,
                       after_screenshot=after_screenshot)
    finally:
        context.close()
    files = write_guide(guide, folder, browser)
    yield guide, files, moments, client
    client.reset()


@pytest.fixture(scope="module")
def cli_2016(tmp_path_factory: pytest.TempPathFactory) -> Made:
    """The same record's guide on the 2016 screens, made with the command line."""
    folder = tmp_path_factory.mktemp("guide-2016")
    made = subprocess.run(
        [sys.executable, "-m", "caljobs_bot.cli", "guide", str(EXAMPLE_JOB), "-o", str(folder),
         "--ui", "2016"],
        capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    assert made.returncode == 0, made.stderr
    assert "Wrote" in made.stdout and "saved" in made.stdout
    return Made(folder, (folder / "guide.html").read_text(encoding="utf-8"),
                (folder / "guide.md").read_text(encoding="utf-8"),
                (folder / "guide.pdf").read_bytes(), made.stdout)


def made_2021(masked: tuple[Guide, GuideFiles, list[Moment], SandboxClient]) -> Made:
    _, files, _, _ = masked
    return Made(files.html.parent, files.html.read_text(encoding="utf-8"),
                files.markdown.read_text(encoding="utf-8"), files.pdf.read_bytes())


def png_size(path: Path) -> tuple[int, int]:
    """A PNG's width and height, from its signature and IHDR chunk (fails if not a PNG)."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def pictures(html: str) -> list[tuple[str, str]]:
    """(src, alt) of every picture of a guide page."""
    return re.findall(r'<img src="([^"]+)" alt="([^"]+)"', html)


@pytest.mark.parametrize("which", ["2021", "2016"])
def test_html_lists_every_step_in_order(
    page: Page, which: str, masked_2021: tuple[Guide, GuideFiles, list[Moment], SandboxClient],
    cli_2016: Made,
) -> None:
    made = made_2021(masked_2021) if which == "2021" else cli_2016
    page.goto((made.folder / "guide.html").as_uri())
    steps = page.get_by_role("heading", level=2).filter(has_text=re.compile(r"^Step \d+\."))
    expect(steps).to_have_text([f"Step {n}. {s.title}" for n, s in enumerate(STEPS, start=1)])
    expect(page.get_by_role("heading", level=2).first).to_have_text(
        "When to create an Exit/Outcome")
    for s in STEPS:
        expect(page.get_by_text(s.explanation)).to_be_visible()
    # Every step was performed for this record, so every step has its picture, in order.
    named = [re.match(r"Step (\d+):", alt) for _, alt in pictures(made.html)]
    assert all(named), "every picture's alt text starts with its step"
    steps_pictured = [int(step[1]) for step in named if step]
    assert sorted(set(steps_pictured)) == list(range(1, len(STEPS) + 1))
    assert steps_pictured == sorted(steps_pictured)
    # The Markdown has the same steps and the same pictures.
    assert re.findall(r"^## Step (\d+)\. (.+)$", made.markdown, re.MULTILINE) == [
        (str(n), s.title) for n, s in enumerate(STEPS, start=1)]
    assert re.findall(r"\]\((images/[^)]+)\)", made.markdown) == [
        src for src, _ in pictures(made.html)]


def expected_screen(file: str, form: str) -> str:
    """The screen a picture must show, from its name."""
    if file.startswith("step-01"):
        return "Assist an Individual"
    if "popup" in file or "contact-form" in file:
        return "Alternate Contacts"
    if file.startswith(("step-02", "step-03-before", "step-10-after", "step-11")):
        return "Case Management Profile"
    return form


def test_each_picture_is_a_cropped_png_of_the_right_screen(
    masked_2021: tuple[Guide, GuideFiles, list[Moment], SandboxClient], cli_2016: Made,
) -> None:
    _, files, moments, _ = masked_2021
    for moment in moments:
        name = moment.shot.path.name
        assert moment.heading == expected_screen(name, "Exit/Outcome"), name
        assert moment.shot.screen == moment.heading
        width, height = png_size(moment.shot.path)
        # Cropped around the element, never the whole 1280x800 window, and at most a printed
        # page wide (in CSS pixels; the picture has twice as many).
        assert width / DEVICE_SCALE_FACTOR <= MAX_CROP_WIDTH, name
        assert (width, height) != (VIEWPORT["width"] * 2, VIEWPORT["height"] * 2)
    assert [m.shot.path for m in moments] == list(files.images)
    digests = {hashlib.sha256(path.read_bytes()).hexdigest() for path in files.images}
    assert len(digests) == len(files.images)
    # The 2016 guide's pictures: the alt text names each one's 2016 screen.
    for src, alt in pictures(cli_2016.html):
        width, _ = png_size(cli_2016.folder / src)
        assert width / DEVICE_SCALE_FACTOR <= MAX_CROP_WIDTH
        assert alt.endswith(f"(screen: {expected_screen(Path(src).name, 'Outcome')})"), alt


@pytest.mark.parametrize("which", ["2021", "2016"])
def test_the_help_sheets_screens_have_their_own_pictures(
    which: str, masked_2021: tuple[Guide, GuideFiles, list[Moment], SandboxClient],
    cli_2016: Made,
) -> None:
    made = made_2021(masked_2021) if which == "2021" else cli_2016
    shown = [Path(src).name for src, _ in pictures(made.html)]
    for name in SUB_SCREENS:
        assert name in shown, name
    # A step whose action changes the screen has a picture before it, and one after it or
    # of the screen it opens.
    for key in [s.key for s in STEPS if s.changes_screen]:
        mine = [n for n in shown if n.startswith(f"step-{number(key):02d}-")]
        assert f"step-{number(key):02d}-before.png" in mine, key
        assert len(mine) >= 2, (key, mine)


def test_outlines_are_on_the_element_the_text_names(
    masked_2021: tuple[Guide, GuideFiles, list[Moment], SandboxClient],
) -> None:
    _, _, moments, _ = masked_2021
    by_name = {m.shot.path.name: m for m in moments}

    def marked(name: str) -> list[dict[str, str]]:
        assert by_name[name].outlined, f"{name} has nothing outlined"
        return by_name[name].outlined

    assert [e["text"] for e in marked("step-06-popup-opened.png")] == ["Add New Contact"]
    assert [e["text"] for e in marked("step-06-popup-closing.png")] == ["Close"]
    assert [e["tag"] for e in marked("step-08-case-note-form.png")] == ["textarea"]
    assert [e["tag"] for e in marked("step-07-case-manager-picker.png")] == ["select"]
    # After the action: the values chosen are in the picture; the exit date, the
    # participant's, is masked.
    assert sorted(e["value"] for e in marked("step-05-after.png")) == [
        "Institutionalized", MASK]
    reason_list = marked("step-05-exit-reason-list.png")
    assert reason_list[0]["tag"] == "select" and int(reason_list[0]["size"]) > 1
    assert re.search(rf"Exit Date: {MASK} Exit Reason: Institutionalized",
                     marked("step-11-after.png")[0]["text"])
    # The name link ("James, Karen"), masked whole: read from the results row before the
    # picture, the name as listed is one value to hide.
    assert marked("step-01-search-results.png")[0]["text"] == MASK
    # The site's own text is at least 12 px: printed at 1:1 that is 9 pt or more.
    fonts = [float(e["font"].removesuffix("px")) for m in moments for e in m.outlined]
    assert min(fonts) >= 12


@pytest.mark.parametrize("which", ["2021", "2016"])
def test_pdf_opens_with_a_page_for_each_step(
    which: str, masked_2021: tuple[Guide, GuideFiles, list[Moment], SandboxClient],
    cli_2016: Made,
) -> None:
    pdf = (made_2021(masked_2021) if which == "2021" else cli_2016).pdf
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) >= len(STEPS)


@pytest.mark.parametrize("which", ["2021", "2016"])
def test_printed_pictures_are_not_shrunk(
    page: Page, which: str, masked_2021: tuple[Guide, GuideFiles, list[Moment], SandboxClient],
    cli_2016: Made,
) -> None:
    """On a Letter page with half-inch margins (720 CSS px) every picture prints at the size
    the guide gives it, never squeezed to fit (test_guide_pictures.py measures the points)."""
    made = made_2021(masked_2021) if which == "2021" else cli_2016
    page.set_viewport_size({"width": 720, "height": 960})
    page.emulate_media(media="print")
    page.goto((made.folder / "guide.html").as_uri())
    images = page.locator("figure img")
    expect(images.first).to_be_visible()
    for index in range(images.count()):
        image = images.nth(index)
        shown = image.evaluate("i => i.clientWidth")  # without its 1 px border
        natural = int(image.get_attribute("width") or 0)
        assert natural <= 720 and abs(shown - natural) < 1, (image.get_attribute("src"), shown)


def test_mask_pii_hides_participant_data_at_screenshot_time(
    masked_2021: tuple[Guide, GuideFiles, list[Moment], SandboxClient],
) -> None:
    guide, files, moments, sandbox = masked_2021
    assert len(moments) >= len(STEPS) + len(SUB_SCREENS)
    for moment in moments:
        leaked = [value for value in KAREN_DATA if value.casefold() in moment.dom.casefold()]
        assert not leaked, f"{moment.shot.file} shows {leaked}"
    general = next(m for m in moments if m.shot.file.endswith("step-04-after.png"))
    assert general.dom.count(MASK) >= 4  # Login Name, User ID, State ID, Name at least
    for text in (files.html.read_text(encoding="utf-8"),
                 files.markdown.read_text(encoding="utf-8")):
        assert not [value for value in KAREN_DATA if value in text]
    # The masking was undone before the bot went on: the site stored the real values.
    assert guide.result is not None and guide.result.status is Status.SAVED
    karen = sandbox.participant("37762")
    assert karen["login_name"] == "USERNAME000"
    assert any(c["phone"] == "213-555-0100" and c["email"] == "ana@example.org"
               for c in karen["contacts"])
    assert karen["case_notes"][-1]["comments"] == "Verified with facility letter."
    stored = [o for o in sandbox.outcomes() if o["application_number"] == "2244266"]
    assert len(stored) == 1 and stored[0]["office_location"] == KAREN.office_location


def test_2016_and_2021_guides_quote_their_own_wording(
    masked_2021: tuple[Guide, GuideFiles, list[Moment], SandboxClient], cli_2016: Made,
) -> None:
    new, old = made_2021(masked_2021).html, cli_2016.html
    # A plain site's Create may be a link, an accessible one's a button; the words are the
    # screen's own either way, and so is the message after Save.
    assert re.search(r"(Button|Link) on this screen: Create Exit/Outcome", new)
    assert re.search(r"(Button|Link) on this screen: Create Outcome", old)
    assert "on this screen: Create Exit/Outcome" not in old
    assert re.search(r"Message on this screen: (The Exit/Outcome has been saved\.|"
                     r"Exit/Outcome record saved successfully)", new)
    assert re.search(r"Message on this screen: (The Outcome has been saved\.|"
                     r"Outcome record saved successfully)", old)
    assert "Form title on this screen: Exit/Outcome" in new
    assert "Form title on this screen: Outcome<" in old
    assert "Button on this screen: Create Outcome" in cli_2016.markdown


def test_each_step_says_what_to_do_with_this_records_values(
    masked_2021: tuple[Guide, GuideFiles, list[Moment], SandboxClient], cli_2016: Made,
) -> None:
    plain, masked = cli_2016.html, made_2021(masked_2021).html
    for line in ("Type 34712 in State ID and click Search.",
                 "check that the name reads Karen James", "Click the (+) left of WIOA #2244266.",
                 "Click Create Outcome.", "Choose 2703 - LAO Community and Senior Services in "
                 "Office Location.", "Type 06/24/2021 in Exit Date.",
                 "Choose Institutionalized in Exit Reason.", "Type Ana in First Name.",
                 "Choose Nguyen, Mai in Case Manager.", "Attach verification.pdf."):
        assert html_text(line) in plain, line
    # Masked: the participant's data is described, not quoted; the rest is quoted.
    for line in ("Type the participant's State ID in State ID", "Type the contact's first "
                 "name in First Name.", "Type why the participant is excluded in Comments.",
                 "Click Create Exit/Outcome.", "Type the exit date (MM/DD/YYYY) in Exit Date.",
                 "Click the (+) left of the WIOA application the record names."):
        assert html_text(line) in masked, line
    # The introduction from the help sheets: when an outcome, when a Closure.
    for made in (plain, masked):
        assert "When to create an Exit/Outcome" in made
        assert "90 days after the last service" in made
        assert "global exclusion" in made and "regular Closure instead" in made


def html_text(text: str) -> str:
    import html

    return html.escape(text)


def test_word_document_and_captioned_video(cli_2016: Made,
                                           masked_2021: tuple[Guide, GuideFiles, list[Moment],
                                                              SandboxClient]) -> None:
    from docx import Document

    document = Document(str(cli_2016.folder / "guide.docx"))
    headings = [p.text for p in document.paragraphs
                if p.style is not None and p.style.name.startswith("Heading")]
    assert [h for h in headings if h.startswith("Step ")] == [
        f"Step {n}. {s.title}" for n, s in enumerate(STEPS, start=1)]
    assert len(document.inline_shapes) == len(pictures(cli_2016.html))
    assert any(p.text == "Type 06/24/2021 in Exit Date." for p in document.paragraphs)
    if "No video" in cli_2016.said:
        pytest.skip(cli_2016.said)
    video = (cli_2016.folder / "guide.webm").read_bytes()
    assert video[:4] == b"\x1a\x45\xdf\xa3" and len(video) > 10_000  # a WebM (Matroska)
    vtt = (cli_2016.folder / "guide.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT")
    cues = re.findall(r"^(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\nStep (\d+)\.",
                      vtt, re.MULTILINE)
    # A cue per action: every step has its cues, in order (tests/test_guide_media.py plays
    # them from disk).
    captioned = [int(n) for _, _, n in cues]
    assert sorted(set(captioned)) == list(range(1, len(STEPS) + 1))
    assert captioned == sorted(captioned)
    assert all(start < end for start, end, _ in cues)
    assert re.search(r'<video [^>]*src="guide.webm">', cli_2016.html)
    assert "addTextTrack" in cli_2016.html
    # Masked: no video (it would show the data as typed), and no data in the Word text.
    _, files, _, _ = masked_2021
    assert files.video is None and not (files.html.parent / "guide.webm").exists()
    words = "\n".join(p.text for p in Document(str(files.docx)).paragraphs)
    assert not [value for value in KAREN_DATA if value in words]
