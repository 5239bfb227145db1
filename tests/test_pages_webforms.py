"""WebForms behaviours of the outcome form that differ between sites (issue 19, item 7): a
region dropdown with or without AutoPostBack (`region_change`), and the case manager shown as
one line of text with its link after the name (`case_manager_shown`), in both markups.

The sandbox tests check the knob does what README: Variants says; the page-object and bot
tests check the form is filled and saved whichever the site does.
"""

from __future__ import annotations

import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Page, expect
from sandbox_http import outcome_url, sign_in
from test_bot import make_bot, outcomes_for
from test_pages import CITY_OFFICES, LA_COUNTY_OFFICES, open_form, participant

from caljobs_bot.cli import EXAMPLE_JOB
from caljobs_bot.fixtures.sandbox.__main__ import parse_args
from caljobs_bot.fixtures.sandbox.app import create_app
from caljobs_bot.fixtures.sandbox.client import SandboxClient, SandboxError
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.form_fields import BY_ATTRIBUTE as FIELD
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.pages.fields import field, option_labels, read_only_value
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.steps.results import Status

MARKUPS = ("plain", "accessible")
NO_POSTBACK = ("script", "all-offices")
ALL_OFFICES = LA_COUNTY_OFFICES + CITY_OFFICES + [
    "3701 - South County Career Center", "3705 - North County Career Center"]
REGION_SELECT = "ctl00$Main_content$ddlLWIARegion"


# --- the knobs, without a browser ---------------------------------------------------------------


def _form_html(app: Flask, client: FlaskClient) -> str:
    sign_in(client)
    return client.get(outcome_url(app, "2244266")).text


def _region_select(html: str) -> str:
    start = html.index(f'name="{REGION_SELECT}"')
    return html[html.rindex("<select", 0, start):html.index(">", start) + 1]


@pytest.mark.parametrize("markup", MARKUPS)
def test_region_change_knob_renders_each_kind_of_dropdown(markup: str) -> None:
    for kind, posts_back, cascades in (("postback", True, False), ("script", False, True),
                                       ("all-offices", False, False)):
        app = create_app(markup=markup, region_change=kind)
        html = _form_html(app, app.test_client())
        select = _region_select(html)
        assert ("data-postback" in select) == posts_back, kind
        assert ("data-cascade-to" in select) == cascades, kind
        offices = ALL_OFFICES if kind == "all-offices" else LA_COUNTY_OFFICES
        for office in ALL_OFFICES:
            assert (f">{office}</option>" in html) == (office in offices), (kind, office)


def test_office_list_answers_as_a_page_method(client: FlaskClient) -> None:
    sign_in(client)
    answer = client.post("/vosnet/Individual/Outcome.aspx/GetOffices", json={"region": "14"})
    assert answer.get_json() == {"d": [[o.split(" - ")[0], o] for o in CITY_OFFICES]}
    assert client.post("/vosnet/Individual/Outcome.aspx/GetOffices",
                       json={"region": "99"}).get_json() == {"d": []}


def test_all_offices_site_saves_any_office(app: Flask, client: FlaskClient) -> None:
    client.post("/__sandbox__/config", json={"region_change": "all-offices"})
    sign_in(client)
    client.post(outcome_url(app, "2244266"), data={
        "ctl00$Main_content$ddlLWIARegion": "14", "ctl00$Main_content$ddlOfficeLocation": "2805",
        "ctl00$Main_content$ddlStaffPosition": "1", "ctl00$Main_content$txtExitDate": "06/24/2021",
        "ctl00$Main_content$ddlExitReason": "03", "ctl00$Main_content$btnSave": "Save"})
    [stored] = [o for o in client.get("/__sandbox__/state").get_json()["outcomes"]
                if o["application_number"] == "2244266"]
    assert (stored["lwia_region"], stored["office_location"]) == (
        "City of Los Angeles", "2805 - Boyle Heights WorkSource Center")


@pytest.mark.parametrize("markup", MARKUPS)
def test_case_manager_line_knob(markup: str) -> None:
    for shown in ("block", "line"):
        app = create_app(markup=markup, case_manager_shown=shown)
        html = _form_html(app, app.test_client())
        assert ("Temporary Case Manager:" in html) == (shown == "block")
        assert ("Current Case Manager: <span" in html.replace("</b>", "")) == (shown == "line")
        assert ('data-open-panel="pnlAssignCM">Assign</a>' in html) == (shown == "line")


def test_knobs_on_the_test_endpoint_and_the_command_line(client: FlaskClient) -> None:
    changed = client.post("/__sandbox__/config",
                          json={"region_change": "script", "case_manager_shown": "line"})
    assert changed.get_json()["region_change"] == "script"
    assert changed.get_json()["case_manager_shown"] == "line"
    assert client.post("/__sandbox__/config", json={"region_change": "ajax"}).status_code == 400
    assert client.post("/__sandbox__/reset").get_json()["config"]["region_change"] == "postback"
    args = parse_args(["--region-change", "all-offices", "--case-manager-shown", "line"])
    assert (args.variants["region_change"], args.variants["case_manager_shown"]) == (
        "all-offices", "line")
    assert parse_args([]).variants["region_change"] == "postback"


# --- the knobs in a browser ---------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("markup", MARKUPS)
def test_script_region_change_refreshes_the_offices_without_a_reload(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, markup: str,
) -> None:
    sandbox.configure(markup=markup, region_change="script")
    open_form(page, sandbox_server, "37762", "2244266")
    loaded: list[str] = []
    page.on("framenavigated", lambda frame: loaded.append(frame.url))
    offices = field(page, "Office Location")
    field(page, "LWIA/Region").select_option(label="City of Los Angeles")
    assert option_labels(offices)[1:] == LA_COUNTY_OFFICES, "stale until the answer comes"
    expect(offices.locator("option").last).to_have_text(CITY_OFFICES[-1])
    assert option_labels(offices) == ["None Selected", *CITY_OFFICES]
    assert loaded == []


@pytest.mark.browser
def test_all_offices_region_change_does_nothing(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox,
) -> None:
    sandbox.configure(region_change="all-offices")
    open_form(page, sandbox_server, "37762", "2244266")
    loaded: list[str] = []
    page.on("framenavigated", lambda frame: loaded.append(frame.url))
    field(page, "LWIA/Region").select_option(label="City of Los Angeles")
    field(page, "Office Location").select_option(label=CITY_OFFICES[0])
    assert option_labels(field(page, "Office Location"))[1:] == ALL_OFFICES
    assert loaded == []


# --- the page objects ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(("markup", "region_change", "seed"), [
    *((m, r, None) for m in MARKUPS for r in ("postback", *NO_POSTBACK)),
    ("plain", "script", 7), ("accessible", "script", 23)])
def test_region_then_office_whatever_the_region_change_does(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, markup: str,
    region_change: str, seed: int | None,
) -> None:
    sandbox.configure(markup=markup, region_change=region_change, markup_seed=seed)
    form = open_form(page, sandbox_server, "37762", "2244266")
    form.exit.set_exit_date(datetime.date(2021, 6, 24))
    form.general.choose(FIELD["lwia_region"], "City of Los Angeles")
    form.general.choose(FIELD["office_location"], "2805 - boyle heights workSource center")
    form.general.choose(FIELD["staff_position"], "Case Manager")
    form.exit.choose_reason("Deceased")
    assert form.general.shown(FIELD["lwia_region"]) == "City of Los Angeles"
    assert form.general.shown(FIELD["office_location"]) == "2805 - Boyle Heights WorkSource Center"
    assert form.exit.exit_date() == "06/24/2021"
    assert form.save() is not None
    [stored] = outcomes_for(sandbox, "2244266")
    assert (stored["lwia_region"], stored["office_location"]) == (
        "City of Los Angeles", "2805 - Boyle Heights WorkSource Center")


@pytest.mark.browser
def test_an_office_never_offered_after_a_script_region_change_lists_the_options(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox,
) -> None:
    sandbox.configure(region_change="script")
    form = open_form(page, sandbox_server, "37762", "2244266")
    form.general.choose(FIELD["lwia_region"], "City of Los Angeles")
    page.set_default_timeout(3_000)
    with pytest.raises(ValueError, match="'9999 - Nowhere' is not one of the options") as raised:
        form.general.choose(FIELD["office_location"], "9999 - Nowhere")
    assert CITY_OFFICES[0] in str(raised.value), "the refreshed list, not the stale one"


@pytest.mark.browser
@pytest.mark.parametrize(("markup", "seed", "link"), [
    ("plain", None, "Assign"), ("accessible", None, "Assign"),
    ("plain", 5, "Change"), ("accessible", 3, "Assign Case Manager")])
def test_case_manager_as_a_line_of_text(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, markup: str,
    seed: int | None, link: str,
) -> None:
    sandbox.configure(markup=markup, markup_seed=seed, case_manager_shown="line")
    form = open_form(page, sandbox_server, "37762", "2244266")
    expect(page.get_by_role("link", name=link, exact=True)).to_be_visible()
    assert form.staff.current_case_manager() == "Staff25, Lac"
    assert form.staff.can_assign_case_manager()
    form = form.staff.assign_case_manager().assign("o'brien, pat")
    assert form.staff.current_case_manager() == "O'Brien, Pat"
    assert participant(sandbox, "37762")["case_manager"] == "O'Brien, Pat"
    form.staff.remove_case_manager()
    assert OutcomeForm(page).staff.current_case_manager() is None


CASE_MANAGER_LINES = {
    "after the name": '<td>Current Case Manager: <span>Staff25, Lac</span> <a href="#">Assign</a>'
                      "</td>",
    "own line": "<td><b>Case Manager:</b><div>Staff25, Lac</div></td>",
    "nobody": '<td><b>Current Case Manager:</b> <a href="#">Change</a></td>',
    "br ends it": "<td>Current Case Manager: Staff25, Lac<br>Group: WDACS Test</td>",
    "exact wins": "<td><div>Temporary Case Manager: Not Applicable</div>"
                  "<div>Case Manager: Staff25, Lac</div></td>",
}


@pytest.mark.browser
@pytest.mark.parametrize("case", sorted(CASE_MANAGER_LINES))
def test_read_only_value_reads_a_caption_anywhere_in_its_line(page: Page, case: str) -> None:
    page.set_content(f"<table><tr><td>Staff Information</td></tr><tr>"
                     f"{CASE_MANAGER_LINES[case]}</tr></table>")
    expected = "" if case == "nobody" else "Staff25, Lac"
    assert read_only_value(page, "Case Manager", words_before=3) == expected


@pytest.mark.browser
def test_a_guide_caption_quotes_a_buttons_value_when_it_has_no_text(page: Page) -> None:
    """WebForms draws most buttons as <input type=submit value=...>: no inner text at all."""
    from caljobs_bot.steps.targets import Target

    page.set_content('<input type="submit" value="Create  Outcome">')
    assert Target(wording=page.locator("input")).on_screen() == "Button on this screen: " \
        "Create Outcome"


# --- the bot ------------------------------------------------------------------------------------


@pytest.mark.browser
# Each markup and each region change once in `make test`; the other two pairs are `slow`.
@pytest.mark.parametrize(("markup", "region_change"), [
    ("plain", "script"), ("accessible", "all-offices"),
    pytest.param("plain", "all-offices", marks=pytest.mark.slow),
    pytest.param("accessible", "script", marks=pytest.mark.slow)])
def test_example_job_saves_without_region_postback_and_with_the_case_manager_line(
    page: Page, sandbox: SandboxClient, sandbox_server: Sandbox, markup: str,
    region_change: str,
) -> None:
    sandbox.configure(markup=markup, region_change=region_change, case_manager_shown="line")
    job = load_job(EXAMPLE_JOB)
    bot = make_bot(page, sandbox_server)
    results = [bot.process(record) for record in job.records]
    assert [r.status for r in results] == [Status.SAVED] * len(job.records), results
    for record in job.records:
        who = record.participant.state_id or record.participant.user_id or ""  # one is given
        number = record.application or {"34801": "2244301", "37802": "2244302"}[who]
        [stored] = outcomes_for(sandbox, number)
        assert (stored["lwia_region"], stored["office_location"]) == (
            record.lwia_region, record.office_location), record.label()
    assert sandbox.participant("37762")["case_manager"] == "Nguyen, Mai"
    assert sandbox.participant("37801")["case_manager"] in (None, "")


def test_unknown_region_change_is_refused() -> None:
    with pytest.raises(ValueError, match="region_change must be one of"):
        create_app(region_change="ajax")


def test_client_configures_the_knobs(sandbox: SandboxClient) -> None:
    assert sandbox.configure(region_change="script")["region_change"] == "script"
    with pytest.raises(SandboxError):
        sandbox.configure(case_manager_shown="sentence")
