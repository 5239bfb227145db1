"""--mask-pii hides every value of the record and its participant in every output of a guide.

Issue 21, item 2: a reviewer who searches a masked guide for the participant's data must
find nothing: not in the pictures (their text is read from the page at the moment of each
shot, masked as photographed: every frame's rendered text, every field's value and every
option of a list), nor in guide.html, guide.md, the PDF's text and metadata, the DOCX's XML,
the captions, or any file name. The values are taken from the record and from the sandbox's
seed data for that participant (not from the masking's own list), so a value the masking
forgets is a value this test finds.

Each record of the example job is replayed once per screen version (a replay takes about
half a minute). Both screen versions run by default, as the issue asks; CALJOBS_MASK_UI=2021
runs one (a quicker loop while working on masking).
"""

from __future__ import annotations

import html
import json
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from caljobs_bot.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.steps.framing import DEVICE_SCALE_FACTOR
from caljobs_bot.steps.results import Status
from caljobs_bot.trainer.guide import VIEWPORT, GuideFiles, Shot, replay, write_guide

pytestmark = pytest.mark.browser

JOB = load_job(EXAMPLE_JOB)
SEED: dict[str, Any] = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "sandbox" / "seed.json").read_text("utf-8"))
VERSIONS = tuple(v.strip() for v in os.environ.get("CALJOBS_MASK_UI", "2021,2016").split(",")
                 if v.strip())
CASES = [(ui, number) for ui in VERSIONS for number in range(1, len(JOB.records) + 1)]

# What a picture shows as text: the rendered words of the page, each field's value and each
# option of every list (an opened list shows them all).
SHOWN_TEXT_JS = """() => {
  const parts = [document.body ? document.body.innerText : ""];
  for (const e of document.querySelectorAll("input, textarea")) {
    // A file box draws the chosen file's name, unless its text is made transparent.
    const drawn = e.type !== "file" || getComputedStyle(e).color !== "rgba(0, 0, 0, 0)";
    if (e.type !== "hidden" && drawn) parts.push(e.value);
  }
  for (const s of document.querySelectorAll("select")) {
    for (const o of s.options) parts.push(o.text);
  }
  return parts.join("\\n");
}"""


def _dates(day: date) -> list[str]:
    """A date as a screen or a document may write it."""
    return [f"{day:%m/%d/%Y}", f"{day.month}/{day.day}/{day.year}", day.isoformat(),
            f"{day:%B} {day.day}, {day.year}", f"{day:%b} {day.day}, {day.year}"]


def _person(record: Record) -> dict[str, Any]:
    who = record.participant
    return next(p for p in SEED["participants"]
                if p["state_id"] == who.state_id or p["user_id"] == who.user_id)


def private_values(record: Record) -> dict[str, str]:
    """Every value of the record and of its participant (as seeded) that must not appear,
    each with what it is (for the failure message)."""
    person = _person(record)
    found: dict[str, str] = {}

    def add(what: str, *values: str | None) -> None:
        for value in values:
            if value and value.strip():
                found.setdefault(value.strip(), what)

    def name(what: str, first: str, last: str) -> None:
        add(what, f"{first} {last}", f"{last}, {first}", first, last,
            *(part for part in re.split(r"[\s\-]+", f"{first} {last}") if len(part) >= 2))

    name("name", person["first_name"], person["last_name"])
    add("name", record.participant.name)
    add("user id", person["user_id"], record.participant.user_id)
    add("state id", person["state_id"], record.participant.state_id)
    add("login name", person["login_name"])
    add("city", person["city"])
    for contact in [*person["contacts"], *(c.model_dump() for c in record.alternate_contacts)]:
        name("contact name", contact["first_name"], contact["last_name"])
        add("contact", contact.get("phone"), contact.get("email"), contact.get("address"))
    for note in person["case_notes"]:
        add("case note", note["subject"], note["comments"])
        add("case-note date", *_dates(date.fromisoformat(note["created_at"][:10])))
    if record.case_note is not None:
        add("case note", record.case_note.subject, record.case_note.comments)
        if record.case_note.attachment is not None:
            add("attachment", record.case_note.attachment.name)
    for application in person["applications"]:
        add("application number", application["number"])
        add("application date", *_dates(date.fromisoformat(application["application_date"])))
    add("application number", record.application)
    add("exit date", *_dates(record.exit_date))
    return found


# Words the site and the guide show for everyone (regions, offices, staff, reasons): a city
# inside "City of Los Angeles" is the region's name, not the participant's address.
PUBLIC = sorted({*(r["name"] for r in SEED["regions"]), *(r["lwdb"] for r in SEED["regions"]),
                 *(o for r in SEED["regions"] for o in r["offices"]),
                 *(s["display_name"] for s in SEED["staff"]), *SEED["case_managers"],
                 *(e["label"] for e in SEED["exit_reasons"])}, key=len, reverse=True)


def leaks(text: str, values: dict[str, str]) -> list[str]:
    """The values found in `text` as whole words (any case, any spacing), after removing
    the public names that merely contain a value's words."""
    plain = re.sub(r"\s+", " ", text)
    for public in PUBLIC:
        plain = re.sub(re.escape(public), " ", plain, flags=re.IGNORECASE)
    shown = []
    for value, what in values.items():
        words = r"\s+".join(map(re.escape, value.split()))
        if re.search(rf"(?<![^\W_])(?:{words})(?![^\W_])", plain, re.IGNORECASE):
            shown.append(f"{what} {value!r}")
    return shown


@dataclass
class Made:
    """One masked guide and what its pictures showed as they were taken."""

    record: Record
    folder: Path
    files: GuideFiles
    status: Status | None
    shown: dict[str, str] = field(default_factory=dict)
    """Each picture's file name, and the text on its page as photographed."""


@pytest.fixture(scope="module")
def sandboxes(pytestconfig: pytest.Config) -> Iterator[dict[str, Sandbox]]:
    """One sandbox per screen version, for the whole module."""
    started: dict[str, Sandbox] = {}
    try:
        for ui in VERSIONS:
            started[ui] = Sandbox(port=0, ui=ui,
                                  markup=pytestconfig.getoption("--markup")).start()
        yield started
    finally:
        for server in started.values():
            server.stop()


# The 2021 screens' replays run in `make test`; the 2016 screens' in `make test-all` (slow).
@pytest.fixture(scope="module",
                params=[pytest.param(case, marks=[pytest.mark.slow] * (case[0] != "2021"))
                        for case in CASES],
                ids=[f"ui{ui}-record{n}" for ui, n in CASES])
def made(request: pytest.FixtureRequest, browser: Browser, sandboxes: dict[str, Sandbox],
         tmp_path_factory: pytest.TempPathFactory) -> Made:
    """One record replayed with --mask-pii on one screen version, the page read at each shot."""
    ui, number = request.param
    record = JOB.records[number - 1]
    server = sandboxes[ui]
    SandboxClient(server.root_url).reset()
    folder = tmp_path_factory.mktemp(f"masked-{ui}-{number}")
    shown: dict[str, str] = {}

    def after_screenshot(shot: Shot, page: Page) -> None:
        shown[shot.path.name] = "\n".join(frame.evaluate(SHOWN_TEXT_JS)
                                          for frame in page.frames)

    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=DEVICE_SCALE_FACTOR)
    try:
        guide = replay(context.new_page(), server.sign_in_url,
                       Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD), record, folder,
                       site=f"the practice sandbox ({ui} screens)", mask_pii=True,
                       after_screenshot=after_screenshot)
    finally:
        context.close()
    files = write_guide(guide, folder, browser)
    status = guide.result.status if guide.result is not None else None
    return Made(record, folder, files, status, shown)


def test_no_picture_shows_the_participants_data(made: Made) -> None:
    # A guide that stopped early would hide nothing because it showed nothing.
    assert made.status is Status.SAVED
    assert len(made.shown) >= 15
    values = private_values(made.record)
    # Every picture written was read as it was taken.
    assert sorted(made.shown) == sorted(path.name for path in made.files.images)
    leaked = {name: found for name, text in made.shown.items()
              if (found := leaks(text, values))}
    assert not leaked, "\n".join(f"{name}: {found}" for name, found in leaked.items())


def _markup_text(markup: str) -> str:
    """What HTML or XML says to a reader: its words with the tags taken out (runs of one
    paragraph joined, as Word splits them), and every attribute's value (a picture's alt
    text or description), entities decoded. Tag names are left out: <li> is no leak of Li."""
    attributes = re.findall(r"""=\s*(?:"([^"]*)"|'([^']*)')""", markup)
    return "\n".join([html.unescape(re.sub(r"<[^>]+>", "", markup)),
                      html.unescape(re.sub(r"<[^>]+>", " ", markup)),
                      *(html.unescape(double or single) for double, single in attributes)])


def _docx_text(path: Path) -> str:
    """Every XML part of a Word file, as read by _markup_text."""
    with zipfile.ZipFile(path) as archive:
        return "\n".join(_markup_text(archive.read(name).decode("utf-8"))
                         for name in archive.namelist() if name.endswith((".xml", ".rels")))


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    return "\n".join([*(page.extract_text() or "" for page in reader.pages),
                      *(str(value) for value in (reader.metadata or {}).values())])


def test_no_document_file_or_file_name_holds_the_participants_data(made: Made) -> None:
    search_finds_what_it_looks_for()
    values = private_values(made.record)
    texts = {
        "guide.html": _markup_text(made.files.html.read_text(encoding="utf-8")),
        "guide.md": made.files.markdown.read_text(encoding="utf-8"),
        "guide.pdf": _pdf_text(made.files.pdf),
        "file names": "\n".join(str(p.relative_to(made.folder))
                                for p in sorted(made.folder.rglob("*"))),
    }
    assert made.files.docx is not None
    texts["guide.docx"] = _docx_text(made.files.docx)
    for captions in made.folder.glob("*.vtt"):
        texts[captions.name] = captions.read_text(encoding="utf-8")
    assert "Step 11" in texts["guide.pdf"]  # the PDF's text was read
    leaked = {name: found for name, text in texts.items() if (found := leaks(text, values))}
    assert not leaked, "\n".join(f"{name}: {found}" for name, found in leaked.items())


def search_finds_what_it_looks_for() -> None:
    """The search itself: a value in any spacing or case is found; a public name that holds
    a city's words is not a leak; a word inside a longer word or a tag is not one either."""
    values = {"34712": "state id", "Los Angeles": "city", "Karen James": "name", "Li": "name",
              "06/24/2021": "exit date"}
    assert leaks("Type KAREN\n  james and 34712 on 06/24/2021", values) == [
        "state id '34712'", "name 'Karen James'", "exit date '06/24/2021'"]
    assert leaks("Choose City of Los Angeles in LWIA/Region; click the list", values) == []
    assert leaks("Los Angeles", values) == ["city 'Los Angeles'"]
    assert leaks(_markup_text('<ul><li title="Li">x</li></ul>'), values) == ["name 'Li'"]
    assert leaks(_markup_text("<ul><li>x</li></ul>"), values) == []


def test_the_page_masking_hides_cells_dates_and_a_chosen_files_name(
        page: Page, tmp_path: Path) -> None:
    """The three kinds of value a word list cannot carry: a city only where it is a whole
    cell (not inside the public region's name), every date, and the name a file box draws;
    all put back afterwards, since the bot goes on with the real values."""
    from caljobs_bot.pages.masking import MASK, PATTERNS, masked

    letter = tmp_path / "karen-letter.pdf"
    letter.write_bytes(b"%PDF-1.4\n")
    page.set_content("<table><tr><td>City:</td><td id=city> Los Angeles </td></tr>"
                     "<tr><td>Region:</td><td id=region>City of Los Angeles</td></tr></table>"
                     "<p id=dates>Applied 03/02/2020, exited 2021-06-24, noted June 24, 2021"
                     "</p><input id=file type=file>")
    page.locator("#file").set_input_files(letter)
    texts = "() => [city.innerText, region.innerText, dates.innerText]"
    drawn = "() => getComputedStyle(file).color"
    before = (page.evaluate(texts), page.evaluate(drawn))
    with masked(page, [], cells=["Los Angeles"], patterns=PATTERNS):
        assert page.evaluate(texts) == [
            MASK, "City of Los Angeles", f"Applied {MASK}, exited {MASK}, noted {MASK}"]
        assert page.evaluate(drawn) == "rgba(0, 0, 0, 0)"
    assert (page.evaluate(texts), page.evaluate(drawn)) == before
