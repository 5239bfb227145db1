"""The plain markup's tree shapes (issue 19, item 5; README: Markup, The tree): with a markup
seed the case page draws tree toggles of every kind, lines of every layout and outcomes in
every form, each a pure function of the seed; every toggle opens its node in a real browser,
in the page or by posting it back. Tests may follow the sandbox's own `data-tv-toggle`
marker; the page objects may not."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Page, expect
from sandbox_http import complete_form, outcome_url, sign_in, token
from test_sandbox import DANA_EXITED, KAREN

from caljobs_bot.fixtures.sandbox.app import create_app
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.context import encode
from caljobs_bot.fixtures.sandbox.markup import MarkupShuffle
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.fixtures.sandbox.tree_shapes import TOOLS, TREE_ID, TREE_TARGET
from caljobs_bot.fixtures.sandbox.views_outcome import Field
from caljobs_bot.fixtures.sandbox.wording import DEALT_PICKS, PLAIN_PICKS, TOGGLE_KINDS

SEEDS = range(1, 51)
NEW_KEYS = ("toggle", "toggle:section", "tree-layout", "tree-words", "detail-lines",
            "outcome-line", "message", "errors")
KAREN_LINE = f"WIOA #{KAREN['number']} - Complete"
APP_NODES, CLOSURE_NODES, SECTION_NODES = (f"{TREE_ID}n0Nodes", f"{TREE_ID}n0_1Nodes",
                                           f"{TREE_ID}n0_2Nodes")
DANA = "37805"  # her application DANA_EXITED has an outcome
GOLDEN = Path(__file__).with_name("golden")


def drawn(seed: int) -> tuple[str, str]:
    """The toggle kinds of one seed: (application nodes, section nodes)."""
    shuffle = MarkupShuffle(seed)
    return shuffle.choose("toggle"), shuffle.choose("toggle:section")


def covering_seeds() -> list[int]:
    """A few seeds of 1..50 that together draw every toggle kind (for either kind of node)."""
    left, chosen = set(TOGGLE_KINDS), []
    while left:
        best = max(SEEDS, key=lambda seed: len(left & set(drawn(seed))))
        chosen.append(best)
        left -= set(drawn(best))
    return sorted(chosen)


# --- the picks ----------------------------------------------------------------------------------


def test_every_new_shape_is_drawn_over_seeds_1_to_50() -> None:
    for key in NEW_KEYS:
        assert key in DEALT_PICKS
        seen = {MarkupShuffle(seed).choose(key) for seed in SEEDS}
        assert seen == set(PLAIN_PICKS[key]), key
        # dealt: the first n seeds already show all n options
        first = {MarkupShuffle(seed).choose(key) for seed in range(1, len(PLAIN_PICKS[key]) + 1)}
        assert first == set(PLAIN_PICKS[key]), key
        assert MarkupShuffle(None).choose(key) == PLAIN_PICKS[key][0]
    assert set(TOOLS) == set(TOGGLE_KINDS)
    assert PLAIN_PICKS["toggle"][:4] == ("img-alt", "img-title", "text", "image-input")


def test_application_and_section_toggles_are_drawn_independently() -> None:
    pairs = [drawn(seed) for seed in SEEDS]
    assert sum(app != section for app, section in pairs) > 40
    assert drawn(7) == drawn(7)


# --- the pages, without a browser ---------------------------------------------------------------


def squeezed_text(page: str) -> str:
    """What a person reads, tags dropped (inline ones join their words) and whitespace squeezed."""
    page = re.sub(r"</?(?:b|i|span|a)\b[^>]*>", "", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def case_page(app: Flask, client: FlaskClient, user_id: str) -> str:
    return client.get(f"/vosnet/Individual/CaseProfile.aspx?enc={token(app, 'p', user_id)}").text


@pytest.mark.parametrize("seed", SEEDS)
def test_every_seed_draws_a_working_tree_a_person_reads_the_same(seed: int) -> None:
    ui = "2016" if seed % 3 == 0 else "2021"
    app = create_app(markup="plain", markup_seed=seed, ui=ui)
    section = "Outcome" if ui == "2016" else "Exit / Outcome"
    with app.test_client() as client:
        sign_in(client)
        karen = case_page(app, client, KAREN["user_id"])
        dana = case_page(app, client, DANA)
    assert " role=" not in karen and "aria-" not in karen
    for page in (karen, dana):
        # every id a tool or an onclick names is on the page (renamed with the seed)
        ids = set(re.findall(r' id="([^"]+)"', page))
        targets = re.findall(r'data-tv-toggle="([^"]+)"', page)
        targets += re.findall(r"TreeView_ToggleNode\('([^']+)'\)", page)
        targets += re.findall(r' form="([^"]+)"', page)
        assert targets and set(targets) <= ids
    text = squeezed_text(karen)
    assert KAREN_LINE in text
    assert "Closure" in text and section in text
    assert ("Create Outcome" if ui == "2016" else "Create Exit/Outcome") in karen
    dana_text = squeezed_text(dana)
    assert "Exit Date" in dana_text and "Exit Reason" in dana_text
    assert "Create Exit/Outcome" not in dana and "Create Outcome" not in dana


def test_dana_has_an_exited_application() -> None:
    # the participant the test above reads the listed outcome of
    app = create_app(markup="plain")
    with app.test_client() as client:
        sign_in(client)
        page = case_page(app, client, DANA)
    assert f"#{DANA_EXITED} - Exited" in page and "Exit Reason: " in page


def test_the_outcome_table_has_a_header_row_then_values() -> None:
    seed = next(s for s in SEEDS if MarkupShuffle(s).choose("outcome-line") == "table")
    app = create_app(markup="plain", markup_seed=seed)
    with app.test_client() as client:
        sign_in(client)
        page = case_page(app, client, DANA)
    header = re.search(r"<tr[^>]*>\s*<(th|td)[^>]*>(?:<b>)?Exit Date(?:</b>)?</\1>", page)
    assert header, "no header row"
    assert re.search(r"<tr><td>\d\d/\d\d/\d{4}</td><td>[A-Z][^<]+</td></tr>", page)


def postback_seed(kind: str) -> int:
    return next(seed for seed in SEEDS if drawn(seed)[0] == kind)


@pytest.mark.parametrize("kind", ["postback-link", "postback-submit"])
def test_a_postback_toggle_opens_its_node_until_the_next_get(kind: str) -> None:
    seed = postback_seed(kind)
    app = create_app(markup="plain", markup_seed=seed)
    shuffle = MarkupShuffle(seed)
    hidden = f'id="{shuffle.id(APP_NODES)}" '
    with app.test_client() as client:
        sign_in(client)
        url = f"/vosnet/Individual/CaseProfile.aspx?enc={token(app, 'p', KAREN['user_id'])}"
        assert hidden + 'style="display:none;"' in client.get(url).text
        if kind == "postback-link":
            posted = {"__EVENTTARGET": shuffle.name(TREE_TARGET), "__EVENTARGUMENT": "t0"}
        else:
            posted = {shuffle.name(TREE_TARGET + "$t0"): "+"}
        opened = client.post(url, data=posted).text
        assert re.search(re.escape(f'id="{shuffle.id(APP_NODES)}"') + r"(?! style)", opened)
        assert ">[-]<" in opened or 'value="-"' in opened
        # the section inside, by postback too: its ancestors stay open
        section = client.post(url, data={"__EVENTTARGET": TREE_TARGET,
                                         "__EVENTARGUMENT": "t0_2"}).text
        assert f'id="{shuffle.id(SECTION_NODES)}"' in section
        assert hidden + 'style="display:none;"' not in section
        # shut again by a second postback; a fresh GET starts collapsed
        shut = client.post(url, data={"__EVENTTARGET": TREE_TARGET, "__EVENTARGUMENT": "t0"}).text
        assert hidden + 'style="display:none;"' in shut
        client.post(url, data={"__EVENTTARGET": TREE_TARGET, "__EVENTARGUMENT": "t0"})
        assert hidden + 'style="display:none;"' in client.get(url).text


@pytest.mark.parametrize("kind", PLAIN_PICKS["message"])
def test_the_save_confirmation_and_errors_read_the_same_in_every_box(kind: str) -> None:
    seed = next(s for s in SEEDS if MarkupShuffle(s).choose("message") == kind)
    errors_kind = MarkupShuffle(seed).choose("errors")
    app = create_app(markup="plain", markup_seed=seed)
    with app.test_client() as client:
        sign_in(client)
        form = outcome_url(app, KAREN["number"])
        refused = client.post(form, data=complete_form(**{Field.OFFICE: ""})).text
        client.post(form, data=complete_form())
        page = case_page(app, client, KAREN["user_id"])
    assert "Office Location is required." in squeezed_text(refused), errors_kind
    assert re.search(r">Exit/Outcome record saved successfully<", page), kind


# --- the unseeded plain page: byte for byte as before --------------------------------------------


def masked(page: str) -> str:
    """A page with its (per-app, random) enc tokens masked."""
    return re.sub(r'(enc=|name="enc" value=")[^"&]+', r"\1X", page)


@pytest.mark.parametrize("ui", ["2021", "2016"])
def test_the_unseeded_plain_case_page_is_unchanged(ui: str) -> None:
    """Set CALJOBS_WRITE_GOLDEN=1 to rewrite the golden files after a wanted change."""
    app = create_app(markup="plain", ui=ui)
    with app.test_client() as client:
        sign_in(client)
        pages = {who: masked(case_page(app, client, user_id))
                 for who, user_id in (("karen", KAREN["user_id"]), ("dana", DANA))}
    for who, page in pages.items():
        golden = GOLDEN / f"plain_case_{who}_{ui}.html"
        if os.environ.get("CALJOBS_WRITE_GOLDEN"):
            golden.parent.mkdir(exist_ok=True)
            golden.write_text(page, encoding="utf-8")
        assert page == golden.read_text(encoding="utf-8"), golden.name


# --- in a real browser ---------------------------------------------------------------------------


def open_case_page(page: Page, sandbox_server: Sandbox, seed: int) -> str:
    """Signed in (by the sign-in form's plain names, which the server always accepts), on
    Karen James' case page; returns its address."""
    root = sandbox_server.root_url.rstrip("/")
    page.request.post(f"{root}/vosnet/Default.aspx",
                      form={"username": "sandbox", "password": "practice"})
    page.request.post(f"{root}/vosnet/SystemUseNotification.aspx")
    with sandbox_server.app.test_request_context():
        url = f"{root}/vosnet/Individual/CaseProfile.aspx?enc={encode('p', KAREN['user_id'])}"
    page.goto(url)
    return url


def click_toggle(page: Page, seed: int, kind: str, nodes_id: str) -> None:
    """Click a node's tool by the sandbox's marker; a postback one must reload the page."""
    tool = page.locator(f'[data-tv-toggle="{MarkupShuffle(seed).id(nodes_id)}"]')
    if TOOLS[kind].look != "server":
        tool.click()
        return
    page.evaluate("window.__treeMark = 'still here'")
    with page.expect_navigation():
        tool.click()
    assert page.evaluate("window.__treeMark") is None, "the page was not posted back"


def expect_look(page: Page, seed: int, kind: str, nodes_id: str, is_open: bool) -> None:
    """Text tools show their open or shut sign; tools that never change keep theirs."""
    tool = page.locator(f'[data-tv-toggle="{MarkupShuffle(seed).id(nodes_id)}"]')
    signs = TOOLS[kind].signs
    if TOOLS[kind].look == "text":
        expect(tool).to_have_text(signs[1 if is_open else 0])
    elif TOOLS[kind].look == "server" and kind == "postback-submit":
        expect(tool).to_have_value(signs[1 if is_open else 0])
    elif TOOLS[kind].look == "server":
        expect(tool).to_have_text(signs[1 if is_open else 0])


@pytest.mark.browser
@pytest.mark.parametrize("seed", covering_seeds())
def test_every_toggle_kind_opens_its_node_in_a_browser(
    page: Page, sandbox_server: Sandbox, sandbox: SandboxClient, seed: int
) -> None:
    app_kind, section_kind = drawn(seed)
    sandbox.configure(markup="plain", markup_seed=seed)
    url = open_case_page(page, sandbox_server, seed)
    line = page.get_by_text(KAREN_LINE)
    expect(line.first).to_be_visible()
    section = page.get_by_text("Exit / Outcome")  # (with the tool's sign, in some layouts)
    expect(section).to_be_hidden()

    click_toggle(page, seed, app_kind, APP_NODES)
    expect(section).to_be_visible()
    expect(page.get_by_text(re.compile(r"\bProgram:"))).to_be_visible()
    expect_look(page, seed, app_kind, APP_NODES, True)

    click_toggle(page, seed, section_kind, CLOSURE_NODES)
    expect(page.get_by_text("No closure has been recorded.")).to_be_visible()
    click_toggle(page, seed, section_kind, SECTION_NODES)
    create = page.get_by_role("link", name="Create Exit/Outcome").or_(
        page.get_by_role("button", name="Create Exit/Outcome"))
    expect(create).to_be_visible()
    expect_look(page, seed, section_kind, SECTION_NODES, True)

    click_toggle(page, seed, app_kind, APP_NODES)  # shut again
    expect(section).to_be_hidden()
    expect_look(page, seed, app_kind, APP_NODES, False)
    page.goto(url)  # a fresh GET: collapsed
    expect(section).to_be_hidden()
