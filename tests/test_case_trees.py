"""The case page's reader on trees drawn in shapes the sandbox never draws (tests/case_trees.py):
application lines found wherever their words sit, toggles found by place and proven by what a
click shows, listed outcomes read in any of their forms, and the toggle's shape remembered."""

from __future__ import annotations

import pytest
from case_trees import LAYOUTS, OUTCOME_FORMS, TOGGLES, CaseTree, serve
from playwright.sync_api import Page

from caljobs_bot.pages import toggles
from caljobs_bot.pages.case import CasePage
from caljobs_bot.pages.notfound import ElementNotFound

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _short_effect_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """A click that shows nothing is given up on sooner than on a real site."""
    monkeypatch.setattr(toggles, "EFFECT_TIMEOUT_MS", 1_000)


def _reads_the_tree(page: Page) -> None:
    case = CasePage(page)
    assert [(a.number, a.status) for a in case.wioa_applications()] == [
        ("3300101", "Active"), ("3300102", "Exited")]
    active = case.application("3300101")
    listing = active.exit_outcome()
    assert listing.can_create and listing.listed == ()
    assert active.details()["Program"] == "Adult"
    assert active.details()["LWDB"] == "13 - Los Angeles County WDACS"
    exited = case.application("3300102").exit_outcome()
    assert not exited.can_create
    [outcome] = exited.listed
    assert "06/24/2021" in outcome and "Deceased" in outcome


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("toggle", TOGGLES)
def test_every_toggle_in_every_layout(page: Page, toggle: str, layout: str) -> None:
    serve(page, CaseTree(toggle=toggle, layout=layout))
    _reads_the_tree(page)


@pytest.mark.parametrize("form", OUTCOME_FORMS)
def test_listed_outcome_in_every_form(page: Page, form: str) -> None:
    serve(page, CaseTree(toggle="img-no-alt", outcome_form=form, split_words=True))
    _reads_the_tree(page)


def test_words_split_over_inline_elements(page: Page) -> None:
    serve(page, CaseTree(toggle="arrow-span", layout="nested", split_words=True))
    _reads_the_tree(page)


def test_contents_fetched_after_a_loading_line(page: Page) -> None:
    serve(page, CaseTree(toggle="css-triangle", loading=True))
    _reads_the_tree(page)


def test_a_clickable_that_does_nothing_is_passed_over_and_the_shape_remembered(
        page: Page) -> None:
    # A dot with a pointer cursor sits between the (+) and the words: the nearest clickable.
    serve(page, CaseTree(toggle="img-no-alt", decoy=True))
    _reads_the_tree(page)
    tried_once = page.evaluate("window.decoyClicks")
    assert tried_once >= 1
    # A new page in the same browser context: the toggle's shape is remembered.
    serve(page, CaseTree(toggle="img-no-alt", decoy=True))
    _reads_the_tree(page)
    assert page.evaluate("window.decoyClicks") == 0


def test_a_toggle_that_never_works_is_reported_with_what_each_click_did(page: Page) -> None:
    tree = CaseTree(toggle="arrow-span")
    serve(page, tree)
    # The site's script is broken: the arrow does nothing.
    page.evaluate("window.flip = () => {}")
    page.evaluate("document.querySelectorAll('[data-for]').forEach(e => "
                  "e.removeAttribute('data-for'))")
    with pytest.raises(ElementNotFound) as raised:
        CasePage(page).application("3300101").exit_outcome()
    said = str(raised.value)
    assert "toggle that opens 'WIOA #3300101'" in said
    assert "before 'WIOA #3300101': clicking it showed nothing new" in said
