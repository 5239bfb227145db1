"""Finding things by caption (pages/fields.py) on small pages that mimic markup we might meet
on the real site: labels, caption cells, wrapped captions, sections without fieldsets."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route, expect

from caljobs_bot.pages.dashboard import StaffDashboard
from caljobs_bot.pages.fields import (
    caption_pattern,
    choose_option,
    data_table,
    field,
    find_option,
    normalise,
    read_only_value,
    read_only_values,
    real_choices,
    section,
    selected_label,
    table_rows,
)


@pytest.mark.parametrize(
    "shown",
    [
        "Exit Date",
        "*Exit Date:",
        " * Exit  Date : ",
        "exit date:",
        "Exit\u00a0Date:",
        "Exit Date*:",
    ],
)
def test_caption_pattern_ignores_star_colon_spacing_and_case(shown: str) -> None:
    assert caption_pattern("Exit Date").match(shown)


@pytest.mark.parametrize("shown", ["Exit Date Type", "Planned Exit Date", "Exit"])
def test_caption_pattern_needs_the_whole_caption(shown: str) -> None:
    assert not caption_pattern("Exit Date").match(shown)


def test_caption_pattern_allows_space_around_slashes() -> None:
    assert caption_pattern("LWIA/Region").match("*LWIA / Region:")
    assert caption_pattern("Open/Total Activities").match("Open/Total  Activities:")


def test_normalise_keeps_accents() -> None:
    assert normalise("  José\tÁLVAREZ ") == "josé álvarez"
    assert normalise("Jose") != normalise("José")


FORM = """
<fieldset><legend>General Information</legend>
<table>
  <tr><td><label for="a">*Exit Date:</label></td><td><input id="a" value="06/24/2021">
      <button type="button">Calendar</button> <a href="#">Today</a></td></tr>
  <tr><td><span>*</span> Staff   Position:</td>
      <td><select><option value="">None Selected</option><option value="2" selected>
      Case  Manager</option><option value="3">Supervisor</option></select></td></tr>
  <tr><td><b>Login Name:</b></td><td>USERNAME000</td></tr>
  <tr><td>Name:</td><td><input value="Karen James" readonly></td></tr>
  <tr><td>Staff:</td><td><input value="wrong one"></td></tr>
</table>
<div><span>Case Manager:</span> <span>Staff25, Lac</span></div>
<div hidden><label for="h">Case Manager:</label><select id="h"><option>x</option></select></div>
</fieldset>
<div class="box"><h2>Exit Information</h2>
  <table><tr><td>Exit Reason</td><td><select><option>None Selected</option>
  <option>Deceased</option></select></td></tr></table>
</div>
"""


@pytest.mark.browser
def test_field_by_label_or_by_caption_cell(page: Page) -> None:
    page.set_content(FORM)
    general = section(page, "General Information")
    expect(field(general, "Exit Date")).to_have_value("06/24/2021")
    expect(field(general, "Staff Position")).to_have_value("2")
    expect(field(general, "Name")).to_have_value("Karen James")
    assert selected_label(field(general, "Staff Position")) == "Case Manager"
    # Captions are matched whole: "Staff" is not "Staff Position", "Name" not "Login Name".
    expect(field(general, "Staff")).to_have_value("wrong one")
    expect(field(general, "Login Name")).to_have_count(0)


@pytest.mark.browser
def test_read_only_value_from_input_cell_or_inline_text(page: Page) -> None:
    page.set_content(FORM)
    general = section(page, "General Information")
    assert read_only_value(general, "Name") == "Karen James"
    assert read_only_value(general, "Login Name") == "USERNAME000"
    # The hidden dropdown captioned the same is not what a person reads.
    assert read_only_value(general, "Case Manager") == "Staff25, Lac"


@pytest.mark.browser
def test_read_only_values_reads_several_captions_in_one_read(page: Page) -> None:
    page.set_content(FORM)
    general = section(page, "General Information")
    captions = ["Name", "Login Name", "Case Manager", "Staff", "Staff Position", "Exit Date"]
    assert read_only_values(general, {caption: caption for caption in captions}) == {
        "Name": "Karen James", "Login Name": "USERNAME000", "Case Manager": "Staff25, Lac",
        "Staff": "wrong one", "Staff Position": "Case Manager", "Exit Date": "06/24/2021"}


TWO_COLUMNS = """
<fieldset><legend>General Information</legend>
<table>
  <tr><td>User ID:</td><td><input value="" readonly></td>
      <td>State ID:</td><td><span>34712</span></td></tr>
  <tr><td>Login Name:</td><td></td><td>Name:</td><td>Karen James</td></tr>
  <tr><td>Region:</td></tr><tr><td>Los Angeles</td></tr>
</table>
</fieldset>
"""


@pytest.mark.browser
def test_read_only_values_leaves_out_what_one_read_cannot_place(page: Page) -> None:
    page.set_content(TWO_COLUMNS)
    general = section(page, "General Information")
    captions = ["User ID", "State ID", "Login Name", "Name", "Region", "Missing"]
    # An empty box reads empty; an empty cell followed by another caption, a caption alone
    # on its line, or one not shown are left to read_only_value, which waits and knows more.
    assert read_only_values(general, {caption: caption for caption in captions}) == {
        "User ID": "", "State ID": "34712", "Name": "Karen James"}
    assert read_only_value(general, "Login Name") == ""


@pytest.mark.browser
def test_section_falls_back_to_a_headings_container(page: Page) -> None:
    page.set_content(FORM)
    exit_information = section(page, "Exit Information")
    expect(exit_information).to_contain_text("Exit Reason")
    choose_option(field(exit_information, "Exit Reason"), " deceased ")
    assert selected_label(field(exit_information, "Exit Reason")) == "Deceased"
    expect(field(exit_information, "Exit Date")).to_have_count(0)


@pytest.mark.browser
def test_options_are_matched_by_text_and_a_miss_lists_them(page: Page) -> None:
    page.set_content(FORM)
    position = field(page, "Staff Position")
    assert find_option(position, "SUPERVISOR") == "Supervisor"
    assert real_choices(position) == ["Case Manager", "Supervisor"]
    with pytest.raises(ValueError, match="'None Selected', 'Case Manager', 'Supervisor'"):
        find_option(position, "Staff")


TABLES = """
<table><tr><td>
  <table>
    <thead><tr><th scope="col">Create Date</th><th scope="col">Subject</th>
    <th scope="col">Action</th></tr></thead>
    <tbody>
      <tr><td>06/24/2021</td><td>Global   exclusion</td><td><a href="#">View</a></td></tr>
      <tr hidden><td colspan="3">details</td></tr>
      <tr><td>06/25/2021</td><td>Letter</td><td><a href="#">View</a></td></tr>
    </tbody>
  </table>
</td></tr></table>
<table><thead><tr><th scope="col">Subject</th><th scope="col">Other</th></tr></thead>
<tbody><tr><td colspan="2">No data found.</td></tr></tbody></table>
"""


@pytest.mark.browser
def test_data_table_is_the_innermost_list_and_rows_read_by_header(page: Page) -> None:
    page.set_content(TABLES)
    notes = data_table(page, "Create Date")
    expect(notes).to_have_count(1)
    assert table_rows(notes) == [
        {"Create Date": "06/24/2021", "Subject": "Global exclusion", "Action": "View"},
        {"Create Date": "06/25/2021", "Subject": "Letter", "Action": "View"},
    ]
    expect(data_table(page, "Subject")).to_have_count(2)
    assert table_rows(data_table(page, "Other")) == []


SITE = "http://caljobs.test"
ASSIST = """<span>Assist an Individual</span>
<table><tr><td>State ID:</td><td><input type="text"></td></tr></table>
<input type="submit" value="Search">"""
HOVER_MENU = """<h1>My Staff Dashboard</h1>
<style>.sub { display: none } li:hover > .sub { display: block }</style>
<nav><ul><li><span>Services for Workforce Staff</span>
  <ul class="sub"><li><a href="/individuals">Manage Individuals</a>
    <ul class="sub"><li><a href="/assist">Assist an Individual</a></li></ul></li></ul>
</li></ul></nav>"""
LANDING_MENU = """<h1>My Staff Dashboard</h1>
<nav><b>Services for Workforce Staff</b> <a href="/individuals">Manage Individuals</a></nav>"""
LANDING = """<h1>Manage Individuals</h1><a href="/assist">Assist an Individual</a>"""


def serve(page: Page, pages: dict[str, str]) -> list[str]:
    """Answer requests to SITE from `pages` (path -> HTML body); returns the paths asked for."""
    visited: list[str] = []

    def answer(route: Route) -> None:
        path = route.request.url.removeprefix(SITE)
        visited.append(path)
        route.fulfill(content_type="text/html", body=pages[path])

    page.route(f"{SITE}/**", answer)
    return visited


@pytest.mark.browser
@pytest.mark.parametrize(
    ("menu", "path"),
    [
        (HOVER_MENU, ["/dashboard", "/assist"]),
        (LANDING_MENU, ["/dashboard", "/individuals", "/assist"]),
    ],
    ids=["hover-menu", "landing-page"],
)
def test_dashboard_menu_opens_by_hover_or_by_landing_page(
    page: Page, menu: str, path: list[str]
) -> None:
    visited = serve(page, {"/dashboard": menu, "/individuals": LANDING, "/assist": ASSIST})
    page.goto(f"{SITE}/dashboard")
    StaffDashboard(page).assist_an_individual()
    expect(page.get_by_role("button", name="Search")).to_be_visible()
    assert visited == path


CONTROLS = """
<div><span onclick="window.clicked = 'span'" style="cursor:pointer">Create Exit/Outcome</span></div>
<div onclick="window.wrapperToo = true"><input type="submit" value="Save &raquo;"
     onclick="window.clicked = 'save'; return false;"></div>
<div><a href="#" title="Search"
      onclick="window.clicked = 'search'; return false;">[ Search ]</a></div>
"""


@pytest.mark.parametrize(("words", "clicked"), [
    ("Create Exit/Outcome", "span"), ("Save", "save"), ("Search", "search")])
def test_controls_by_their_words_whatever_makes_them_clickable(
        page: Page, words: str, clicked: str) -> None:
    from caljobs_bot.pages.fields import action

    page.set_content(CONTROLS)
    action(page, words).click()
    assert page.evaluate("window.clicked") == clicked
