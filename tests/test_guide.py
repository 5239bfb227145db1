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

from bots.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from bots.guide import VIEWPORT, Guide, GuideFiles, Shot, replay, screen_name, write_guide
from bots.jobfile import load_job
from bots.outcome_bot import Credentials
from bots.results import Status
from bots.steps import STEPS
from fixtures.sandbox.client import SandboxClient
from fixtures.sandbox.server import Sandbox
from pages.masking import MASK

pytestmark = pytest.mark.browser

KAREN = load_job(EXAMPLE_JOB).records[0]  # every step of the help sheet
# Karen James's seeded data, and what the job adds for her (contact, case note).
KAREN_DATA = ("Karen", "James", "37762", "34712", "USERNAME000", "213-555-0100",
              "ana@example.org", "1200 W 7th St", "Verified with facility letter",
              "Global exclusion - Institutionalized")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass
class Moment:
    """The page as it was when one picture was taken."""

    shot: Shot
    dom: str
    heading: str
    viewport: tuple[int, int]


@dataclass
class Made:
    folder: Path
    html: str
    markdown: str
    pdf: bytes


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
        size = page.viewport_size or {"width": 0, "height": 0}
        heading = screen_name(page)
        moments.append(Moment(shot, page_as_photographed(page), heading,
                              (size["width"], size["height"])))

    context = browser.new_context(viewport=VIEWPORT)
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
        [sys.executable, "-m", "bots.cli", "guide", str(EXAMPLE_JOB), "-o", str(folder),
         "--ui", "2016"],
        capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    assert made.returncode == 0, made.stderr
    assert "Wrote" in made.stdout and "saved" in made.stdout
    return Made(folder, (folder / "guide.html").read_text(encoding="utf-8"),
                (folder / "guide.md").read_text(encoding="utf-8"),
                (folder / "guide.pdf").read_bytes())


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
    expect(page.get_by_role("heading", level=2)).to_have_text(
        [f"Step {n}. {s.title}" for n, s in enumerate(STEPS, start=1)])
    for s in STEPS:
        expect(page.get_by_text(s.explanation)).to_be_visible()
    # Every step was performed for this record, so every step has its picture, in order.
    steps_pictured = [int(re.match(r"Step (\d+):", alt)[1]) for _, alt in pictures(made.html)]
    assert sorted(set(steps_pictured)) == list(range(1, len(STEPS) + 1))
    assert steps_pictured == sorted(steps_pictured)
    # The Markdown has the same steps and the same pictures.
    assert re.findall(r"^## Step (\d+)\. (.+)$", made.markdown, re.MULTILINE) == [
        (str(n), s.title) for n, s in enumerate(STEPS, start=1)]
    assert re.findall(r"\]\((images/[^)]+)\)", made.markdown) == [
        src for src, _ in pictures(made.html)]


def test_each_picture_is_a_png_of_the_right_screen(
    masked_2021: tuple[Guide, GuideFiles, list[Moment], SandboxClient], cli_2016: Made,
) -> None:
    _, files, moments, _ = masked_2021
    # The replay's own record: each picture has the size of the page photographed, and that
    # page showed the screen the step is on.
    expected = {1: "Assist an Individual", 2: "Case Management Profile",
                3: "Case Management Profile", 11: "Case Management Profile"}
    for moment in moments:
        assert png_size(moment.shot.path) == moment.viewport
        step_number = int(re.search(r"step-(\d+)", moment.shot.file)[1])
        if "popup" in moment.shot.file:
            assert moment.heading == "Alternate Contacts"
            assert moment.viewport != (VIEWPORT["width"], VIEWPORT["height"])  # its own window
        else:
            assert moment.heading == expected.get(step_number, "Exit/Outcome"), moment.shot
        assert moment.shot.screen == moment.heading
    assert [m.shot.path for m in moments] == list(files.images)
    # Every picture is a different image (each step photographed anew).
    digests = {hashlib.sha256(path.read_bytes()).hexdigest() for path in files.images}
    assert len(digests) == len(files.images)
    # The 2016 guide's pictures: real PNGs, and the alt text names each one's 2016 screen.
    for src, alt in pictures(cli_2016.html):
        width, height = png_size(cli_2016.folder / src)
        assert width > 300 and height > 300
        step_number = int(re.match(r"Step (\d+):", alt)[1])
        if "popup" in src:
            assert alt.endswith("(screen: Alternate Contacts)")
        elif step_number in expected:
            assert alt.endswith(f"(screen: {expected[step_number]})"), alt
        else:
            assert alt.endswith("(screen: Outcome)"), alt


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


def test_mask_pii_hides_participant_data_at_screenshot_time(
    masked_2021: tuple[Guide, GuideFiles, list[Moment], SandboxClient],
) -> None:
    guide, files, moments, sandbox = masked_2021
    assert len(moments) == len(STEPS) + 2  # one per step, two in the contacts pop-up
    for moment in moments:
        leaked = [value for value in KAREN_DATA if value.casefold() in moment.dom.casefold()]
        assert not leaked, f"{moment.shot.file} shows {leaked}"
    general = next(m for m in moments if m.shot.file.endswith("step-04.png"))
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
