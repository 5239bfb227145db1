"""The sandbox's markup shuffle (--markup-seed): ids, names and classes change, fields move
and gain wrappers, and the pages still work by hand and post back."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Locator, Page, expect
from sandbox_http import outcome_url, sign_in, token
from test_sandbox_faults import (
    JOSE,
    KAREN,
    SAVED_2021,
    SHAUNA,
    configure,
    contacts_url,
    stored_outcomes,
)

from caljobs_bot.fixtures.sandbox.app import create_app
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.markup import MarkupShuffle
from caljobs_bot.fixtures.sandbox.views_outcome import EVENT_TARGET, Field

# --- the markup shuffle: parsing helpers -------------------------------------------------------


class Document(HTMLParser):
    """A page's start tags (name and attributes, in order) and its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.extend(data.split())

    def values(self, attribute: str, tags: tuple[str, ...] = ()) -> list[str]:
        return [a[attribute] for t, a in self.tags if attribute in a and (not tags or t in tags)]

    def classes(self) -> set[str]:
        return {name for value in self.values("class") for name in value.split()}

    def control_names(self) -> list[str]:
        return self.values("name", ("input", "select", "textarea", "button"))


ID_REFERENCES = (
    "for",
    "aria-labelledby",
    "aria-controls",
    "data-calendar-for",
    "data-calendar-of",
    "data-today-for",
    "data-open-panel",
    "data-close-panel",
    "data-toggle-filter",
    "data-filter-table",
    "data-toggle-row",
)


def every_page(app: Flask, **settings: Any) -> dict[str, str]:
    """Every screen's HTML (signed out, then signed in) under these settings."""
    control = app.test_client()
    configure(control, **settings)
    pages = {"sign in": control.get("/vosnet/Default.aspx").text}
    with app.test_client() as staff:
        sign_in(staff)
        assist = "/vosnet/Individual/AssistIndividual.aspx"
        pages["dashboard"] = staff.get("/vosnet/Dashboard.aspx").text
        pages["search"] = staff.post(assist, data={"last_name": "a"}).text
        pages["case"] = staff.get(
            f"/vosnet/Individual/CaseProfile.aspx?enc={token(app, 'p', JOSE)}"
        ).text
        pages["outcome"] = staff.get(outcome_url(app, "2244301")).text
        pages["contacts"] = staff.get(contacts_url(app, JOSE)).text
        pages["contact form"] = staff.post(contacts_url(app, JOSE), data={"add": "1"}).text
    return pages


def order_of(html: str, captions: list[str]) -> list[str]:
    """The captions in the order the page shows them."""
    return sorted(captions, key=lambda caption: html.index(f">{caption}:<"))


# --- the markup shuffle: fast tests ------------------------------------------------------------


@pytest.mark.parametrize("captions", ["label", "cell"])
def test_shuffle_renames_ids_names_and_classes(app: Flask, captions: str) -> None:
    plain = every_page(app, captions=captions, markup_seed=None)
    shuffled = every_page(app, captions=captions, markup_seed=7)
    for screen, html in shuffled.items():
        before, after = Document(plain[screen]), Document(html)
        plain_ids, ids = before.values("id"), after.values("id")
        assert len(ids) == len(plain_ids) and len(set(ids)) == len(ids), screen
        assert not set(ids) & set(plain_ids), screen
        assert sorted(i.rsplit("_", 1)[0] for i in ids) == sorted(plain_ids), screen
        names = [n for n in after.control_names() if n != "enc"]
        plain_names = [n for n in before.control_names() if n != "enc"]
        assert all(re.fullmatch(r".+\$[0-9a-f]{8}", n) for n in names), screen
        assert bool(names) == (screen not in ("dashboard", "case")), screen
        assert sorted(n.rpartition("$")[0] for n in names) == sorted(plain_names), screen
        assert not after.classes() & before.classes(), screen
        assert sorted(after.text) == sorted(before.text), screen  # the same words shown
        for attribute in ("aria-label", "role", "title", "aria-level", "aria-expanded"):
            assert sorted(after.values(attribute)) == sorted(before.values(attribute)), screen
        for attribute in ID_REFERENCES:  # every reference still finds its element
            refs = [ref for value in after.values(attribute) for ref in value.split()]
            assert set(refs) <= set(ids), (screen, attribute)
        if captions == "cell":
            assert "<label" not in html, screen


def test_shuffle_is_stable_per_seed_and_differs_between_seeds(app: Flask) -> None:
    seven = every_page(app, markup_seed=7)
    assert every_page(app, markup_seed=7) == seven
    eight = every_page(app, markup_seed=8)
    for screen in ("sign in", "outcome", "contact form"):
        assert set(Document(seven[screen]).values("id")).isdisjoint(
            Document(eight[screen]).values("id")
        ), screen


def test_shuffle_reorders_fields_whose_order_means_nothing(app: Flask) -> None:
    plain = every_page(app, markup_seed=None)
    shuffled = every_page(app, markup_seed=7)
    groups = {
        "outcome": ["Login Name", "User ID", "State ID", "Name"],
        "search": ["State ID", "User ID", "Last Name", "First Name"],
        "contact form": ["First Name", "Last Name", "Relationship", "Phone", "Email", "Address"],
    }
    for screen, captions in groups.items():
        assert order_of(plain[screen], captions) == captions, screen
        assert order_of(shuffled[screen], captions) != captions, screen
    meaningful = ["LWIA/Region", "Office Location", "Staff Position"]  # region before office
    assert order_of(shuffled["outcome"], meaningful) == meaningful


def test_shuffle_adds_wrappers_and_cells(app: Flask) -> None:
    shuffle = MarkupShuffle(7)
    plain = every_page(app, markup_seed=None)
    shuffled = every_page(app, markup_seed=7)
    for screen in ("sign in", "outcome", "contact form", "search"):
        classes = Document(shuffled[screen]).classes()
        assert shuffle.cls("wrap") in classes, screen
        assert len(Document(shuffled[screen]).tags) > len(Document(plain[screen]).tags), screen
    outcome_classes = Document(shuffled["outcome"]).classes()
    assert {shuffle.cls("pad"), shuffle.cls("nest")} <= outcome_classes
    assert (
        f'<meta name="sandbox-classes" content="{shuffle.script_classes()}">'
        in (shuffled["outcome"])
    )


def test_shuffled_stylesheet_matches_the_pages(app: Flask) -> None:
    shuffle = MarkupShuffle(7)
    page = every_page(app, markup_seed=7)["outcome"]
    assert 'href="/assets/7/sandbox.css"' in page
    css = app.test_client().get("/assets/7/sandbox.css")
    assert css.mimetype == "text/css"
    assert f".{shuffle.cls('formtable')} td.{shuffle.cls('cap')}" in css.text
    assert f".{shuffle.cls('wrap')} {{ display: contents; }}" in css.text
    assert ".formtable" not in css.text and "1.45" in css.text  # values are left alone


def posted_names(html: str) -> dict[str, str]:
    """The shuffled control names of a page, by the names the server knows."""
    return {name.rpartition("$")[0]: name for name in Document(html).control_names()}


def test_shuffled_fields_post_back_and_save() -> None:
    app = create_app(markup_seed=21)
    with app.test_client() as staff:
        names = posted_names(staff.get("/vosnet/Default.aspx").text)
        staff.post(
            "/vosnet/Default.aspx",
            data={names["username"]: "sandbox", names["password"]: "practice"},
        )
        staff.post("/vosnet/SystemUseNotification.aspx")
        url = outcome_url(app, KAREN["number"])
        form = staff.get(url).text
        names = posted_names(form)
        region_select = next(
            a for t, a in Document(form).tags if t == "select" and a["name"] == names[Field.REGION]
        )
        reloaded = staff.post(
            url,
            data={
                names[EVENT_TARGET]: region_select["data-postback"],
                names[Field.REGION]: "14",
                names[Field.EXIT_DATE]: "06/24/2021",
            },
        ).text
        assert "2801 - WorkSource Center Downtown" in reloaded  # the region postback was read
        assert 'value="06/24/2021"' in reloaded
        saved = staff.post(
            url,
            data={
                names[Field.REGION]: "13",
                names[Field.OFFICE]: "2710",
                names[Field.POSITION]: "3",
                names[Field.EXIT_DATE]: "06/24/2021",
                names[Field.EXIT_REASON]: "01",
                names[Field.SAVE]: "Save",
            },
        )
        assert saved.status_code == 303
    [outcome] = stored_outcomes(app, KAREN["number"])
    assert (outcome["office_location"], outcome["staff_position"], outcome["exit_reason"]) == (
        "2710 - Sunny Hills AJCC",
        "Supervisor",
        "Institutionalized",
    )


def test_markup_seed_is_a_setting(client: FlaskClient) -> None:
    assert configure(client, markup_seed=12)["markup_seed"] == 12
    assert 'id="txtUsername_' in client.get("/vosnet/Default.aspx").text
    assert configure(client, markup_seed=None)["markup_seed"] is None
    assert 'id="txtUsername"' in client.get("/vosnet/Default.aspx").text


# --- in a real browser -------------------------------------------------------------------------


def by_caption(scope: Page | Locator, caption: str) -> Locator:
    """A control by its caption, whichever `captions` variant is on (README)."""
    return scope.get_by_label(caption).or_(control_after_caption(scope, caption))


def sign_in_by_hand(page: Page, sandbox: SandboxClient) -> None:
    # These tests check the accessible markup's contract (roles, labels); the plain markup
    # has its own tests (test_sandbox_plain.py).
    sandbox.configure(markup="accessible")
    page.goto(sandbox.sign_in_url)
    by_caption(page, "Username").fill("sandbox")
    by_caption(page, "Password").fill("practice")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Agree").click()
    expect(page.get_by_role("heading", name="My Staff Dashboard")).to_be_visible()


def open_form_by_hand(page: Page, sandbox: SandboxClient, user_id: str, number: str) -> None:
    sign_in_by_hand(page, sandbox)
    page.get_by_role("link", name="Assist an Individual").click()
    search = page.get_by_role("group", name="General Criteria")
    by_caption(search, "User ID").fill(user_id)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("table", name="Search Results").get_by_role("link").click()
    application = page.get_by_role("treeitem", name=re.compile(rf"#{number} - "))
    # Clicked before the deferred sandbox.js has wired the tree, a toggle does nothing.
    expect(application).to_be_visible()
    page.wait_for_load_state()
    application.get_by_role("button", name="Expand").click()
    section = application.get_by_role("treeitem", name="Exit / Outcome")
    section.get_by_role("button", name="Expand").click()
    section.get_by_role("button", name="Create Exit/Outcome").click()
    expect(page.get_by_role("heading", name="Exit/Outcome", level=1)).to_be_visible()
    page.wait_for_load_state()


def control_after_caption(scope: Page | Locator, caption: str) -> Locator:
    """`cell` captions (README): the control in the table cell right after the caption's."""
    pattern = re.compile(rf"^\*?{re.escape(caption)}:$")
    return (
        scope.get_by_text(pattern)
        .locator("xpath=ancestor-or-self::td[1]/following-sibling::td[1]")
        .locator("input:not([type=hidden]), select, textarea")
    )


@pytest.mark.browser
def test_shuffled_form_still_works_by_hand(page: Page, sandbox: SandboxClient) -> None:
    sandbox.configure(markup_seed=11)
    open_form_by_hand(page, sandbox, KAREN["user_id"], KAREN["number"])
    exit_date = page.get_by_label("Exit Date")
    assert re.fullmatch(
        r"ctl00_Main_content_txtExitDate_[0-9a-f]{8}", exit_date.get_attribute("id") or ""
    )
    general = page.get_by_role("group", name="General Information")
    expect(general.get_by_label("Login Name")).to_have_value("USERNAME000")
    page.get_by_label("Staff Position").select_option(label="Supervisor")
    exit_date.fill("06/10/2021")
    page.get_by_label("LWIA/Region").select_option(label="City of Los Angeles")  # posts back
    office = page.get_by_label("Office Location")
    expect(office.locator("option")).to_have_text(
        [
            "None Selected",
            "2801 - WorkSource Center Downtown",
            "2805 - Boyle Heights WorkSource Center",
        ]
    )
    expect(page.get_by_label("Staff Position").locator("option:checked")).to_have_text("Supervisor")
    office.select_option(label="2805 - Boyle Heights WorkSource Center")
    page.get_by_role("button", name="Calendar").click()  # the month grid builds its own markup
    expect(page.get_by_text("June 2021")).to_be_visible()
    page.get_by_role("button", name="24", exact=True).click()
    expect(exit_date).to_have_value("06/24/2021")
    page.get_by_label("Exit Reason").select_option(label="Health/Medical")
    page.get_by_role("link", name="Add a new Case Note").click()
    note = page.get_by_role("region", name="Case Note")
    note.get_by_label("Subject").fill("Hard exit verified")
    note.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Hard exit verified", exact=True)).to_be_visible()
    page.get_by_label("Exit Reason").select_option(label="Health/Medical")  # lost on reload
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(SAVED_2021)
    [outcome] = [o for o in sandbox.outcomes() if o["application_number"] == KAREN["number"]]
    assert (outcome["exit_date"], outcome["lwia_region"], outcome["office_location"]) == (
        "2021-06-24",
        "City of Los Angeles",
        "2805 - Boyle Heights WorkSource Center",
    )
    assert (outcome["staff_position"], outcome["exit_reason"]) == ("Supervisor", "Health/Medical")
    [note_stored] = sandbox.participant(KAREN["user_id"])["case_notes"]
    assert note_stored["subject"] == "Hard exit verified"


@pytest.mark.browser
def test_shuffled_cell_captions_keep_the_control_in_the_next_cell(
    page: Page, sandbox: SandboxClient
) -> None:
    sandbox.configure(markup_seed=5, captions="cell")
    open_form_by_hand(page, sandbox, SHAUNA["user_id"], SHAUNA["number"])
    expect(page.locator("label")).to_have_count(0)
    general = page.get_by_role("group", name="General Information")
    login = general.get_by_text(re.compile("^Login Name:$")).locator(
        "xpath=ancestor-or-self::td[1]/following-sibling::td[1]"
    )
    expect(login).to_have_text("SOCONNOR802")
    control_after_caption(general, "Office Location").select_option(label="2710 - Sunny Hills AJCC")
    control_after_caption(page, "Exit Date").fill("03/01/2021")
    control_after_caption(page, "Exit Reason").select_option(
        label="In Foster Care and moved from area by foster care system"
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(SAVED_2021)
    [outcome] = [o for o in sandbox.outcomes() if o["application_number"] == SHAUNA["number"]]
    assert (outcome["office_location"], outcome["exit_reason_code"]) == (
        "2710 - Sunny Hills AJCC",
        "05",
    )


@pytest.mark.browser
def test_shuffled_contacts_dialog_works_by_hand(page: Page, sandbox: SandboxClient) -> None:
    sandbox.configure(markup_seed=3, popup="dialog")
    open_form_by_hand(page, sandbox, KAREN["user_id"], KAREN["number"])
    page.get_by_role("button", name="Manage Alternate Contacts").click()
    dialog = page.get_by_role("dialog", name="Alternate Contacts")
    frame = dialog.frame_locator("iframe")
    frame.get_by_role("button", name="Add New Contact").click()
    frame.get_by_label("First Name").fill("Robert")
    frame.get_by_label("Last Name").fill("James")
    frame.get_by_label("Relationship").fill("Brother")
    frame.get_by_role("button", name="Save").click()
    expect(frame.get_by_role("status")).to_have_text("The contact has been saved.")
    [contact] = sandbox.participant(KAREN["user_id"])["contacts"]
    assert (contact["first_name"], contact["relationship"]) == ("Robert", "Brother")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


@pytest.mark.browser
def test_two_seeds_give_different_ids(page: Page, sandbox: SandboxClient) -> None:
    ids = []
    for seed in (1, 2, None):
        sandbox.configure(markup="accessible", markup_seed=seed)
        page.goto(sandbox.sign_in_url)
        ids.append(
            (
                page.get_by_label("Username").get_attribute("id"),
                page.get_by_label("Username").get_attribute("name"),
            )
        )
    first, second, plain = ids
    assert plain == ("txtUsername", "username")
    assert first != second
    assert all(a != b for a, b in zip(first, plain, strict=True))
    assert all(a != b for a, b in zip(second, plain, strict=True))
