"""The sandbox's plain markup (README: Markup: accessible and plain) renders only what a
2010s WebForms page has: no ARIA role or state, no label, caption, fieldset or legend, on every
screen, for every seed; and every seed-drawn choice is reachable. Flask's test client, no
browser: the page objects' side is tested by the whole suite, which runs on plain."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from caljobs_bot.fixtures.sandbox.app import create_app
from caljobs_bot.fixtures.sandbox.markup import MarkupShuffle
from caljobs_bot.fixtures.sandbox.wording import PLAIN_PICKS

BANNED = (" role=", "aria-", "<caption", "<label", "<fieldset", "<legend")


def _find(pattern: str, html: str) -> str:
    found = re.search(pattern, html)
    assert found, pattern
    return found[1].replace("&amp;", "&")


def every_screen(client: FlaskClient) -> dict[str, str]:
    """Sign in, agree, search, open the case, the form (and its errors), the contacts pop-up,
    a 404 and the maintenance page: {screen: html}."""
    pages: dict[str, str] = {}

    def keep(name: str, html: str) -> str:
        pages[name] = html
        return html

    keep("sign in", client.get("/vosnet/Default.aspx").get_data(as_text=True))
    keep("wrong password", client.post("/vosnet/Default.aspx", data={
        "username": "x", "password": "y"}).get_data(as_text=True))
    client.post("/vosnet/Default.aspx", data={"username": "sandbox", "password": "practice"})
    keep("notice", client.get("/vosnet/SystemUseNotification.aspx").get_data(as_text=True))
    client.post("/vosnet/SystemUseNotification.aspx")
    for name, path in (("dashboard", "Dashboard.aspx"),
                       ("manage individuals", "Individual/ManageIndividuals.aspx"),
                       ("assist", "Individual/AssistIndividual.aspx")):
        keep(name, client.get(f"/vosnet/{path}").get_data(as_text=True))
    found = keep("results", client.post("/vosnet/Individual/AssistIndividual.aspx", data={
        "state_id": "34712"}).get_data(as_text=True))
    keep("no results", client.post("/vosnet/Individual/AssistIndividual.aspx", data={
        "state_id": "99999999"}).get_data(as_text=True))
    case = keep("case", client.get(_find(
        r'href="(/vosnet/Individual/CaseProfile\.aspx\?enc=[^"]+)"', found)).get_data(as_text=True))
    form_url = "/vosnet/Individual/Outcome.aspx?enc=" + _find(
        r'(?:Outcome\.aspx\?enc=|name="enc" value=")([^"&]+)', case)
    form = keep("outcome form", client.get(form_url).get_data(as_text=True))
    keep("form errors", client.post(form_url, data={"ctl00$Main_content$btnSave": "Save"})
         .get_data(as_text=True))
    contacts = _find(r'(/vosnet/Individual/AltContacts\.aspx\?enc=[^"]+)"', form)
    keep("contacts", client.get(contacts).get_data(as_text=True))
    keep("contacts by AJAX", client.get(contacts, headers={"X-Requested-With": "XMLHttpRequest"})
         .get_data(as_text=True))
    keep("new contact", client.post(contacts, data={"add": "1"}).get_data(as_text=True))
    keep("contact errors", client.post(contacts, data={"save": "1", "contact": ""})
         .get_data(as_text=True))
    keep("not found", client.get("/vosnet/Individual/CaseProfile.aspx?enc=bogus")
         .get_data(as_text=True))
    client.post("/__sandbox__/config", json={"faults": {"maintenance": True}})
    keep("maintenance", client.get("/vosnet/Dashboard.aspx").get_data(as_text=True))
    return pages


@pytest.mark.parametrize("seed", [None, *range(1, 21)])
def test_plain_markup_has_no_aria_labels_captions_or_fieldsets(seed: int | None) -> None:
    ui = "2016" if seed and seed % 2 else "2021"
    popup = ("window", "dialog", "ajax")[(seed or 0) % 3]
    # Every signed-in page carries the session warning for some seeds (it has no ARIA either).
    warning = {"session_warning_every": 1} if seed and seed % 2 else {}
    app = create_app(markup="plain", markup_seed=seed, ui=ui, popup=popup, faults=warning)
    with app.test_client() as client:
        pages = every_screen(client)
    if warning:
        assert "Your session is about to expire" in pages["outcome form"]
        assert "Your session is about to expire" in pages["contacts by AJAX"]
    banned = [(screen, bad) for screen, html in pages.items() for bad in BANNED
              if bad in html.lower()]
    assert not banned
    # What a person reads is still there, in the live site's words.
    assert "Case Management Profile for Karen James" in pages["case"]
    assert re.search(r"No records found\.|No matching individuals were found", pages["no results"])
    assert "Office Location is required." in pages["form errors"]
    assert "<h1" not in pages["maintenance"]


def test_the_accessible_markup_is_unchanged_by_default() -> None:
    with create_app().test_client() as client:
        pages = every_screen(client)
    assert 'role="tree"' in pages["case"] and "<fieldset" in pages["outcome form"]


def test_every_plain_choice_is_the_first_without_a_seed_and_each_is_reached_by_some_seed() -> None:
    unseeded = MarkupShuffle(None)
    seen: dict[str, set[str]] = {key: set() for key in PLAIN_PICKS}
    for key, options in PLAIN_PICKS.items():
        assert unseeded.choose(key) == options[0]
    # 50 seeds: the tree's toggles have 28 kinds (dealt: seeds 1..28 show each once)
    for seed in range(1, 51):
        for key in PLAIN_PICKS:
            seen[key].add(MarkupShuffle(seed).choose(key))
    assert {key: set(options) for key, options in PLAIN_PICKS.items()} == seen
