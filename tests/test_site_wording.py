"""The site's wording as data (pages/wording_table.py, site_wording.py), wording files
(pages/wording_file.py), and sandbox renames: the fast tests, no browser."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from sandbox_http import sign_in

from caljobs_bot.fixtures.sandbox.app import create_app
from caljobs_bot.fixtures.sandbox.renames import RENAME_SEEDS, RENAMEABLE, apply_renames
from caljobs_bot.pages.site_wording import BUILT_IN, in_force, load_wording_file, using
from caljobs_bot.pages.wording_file import (
    WordingError,
    read_wording_file,
    template_text,
    wording_lines,
)
from caljobs_bot.pages.wording_table import ELEMENT, ELEMENTS
from caljobs_bot.settings.config import load_settings


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_help_sheets_and_live_words_are_built_in() -> None:
    create = BUILT_IN.pattern("case.create_button")
    assert create.match("Create Exit/Outcome") and create.match("Create Outcome")
    assert create.match("  create exit / outcome ") and not create.match("Create Closure")
    saved = BUILT_IN.pattern("case.saved_message")
    for said in ("The Exit/Outcome has been saved.", "The Outcome has been saved.",
                 "Exit/Outcome record saved successfully", "Outcome record saved successfully"):
        assert saved.match(said), said
    assert BUILT_IN.pattern("outcome.exit_date").match("*Exit Date:")
    assert BUILT_IN.pattern("case.lwdb_caption").match("LWIA")
    assert BUILT_IN.loose("home.services_menu").match("Services for Workforce Staff")
    assert BUILT_IN.pattern("sign_in.agree").match("I Agree")
    assert BUILT_IN.pattern("search.no_results").match(
        "No matching individuals were found for the criteria entered.")


def test_patterns_run_in_the_browser_too() -> None:
    # JavaScript has no named groups or inline flags; numbered and (?:) groups are fine.
    for element in ELEMENTS:
        source = BUILT_IN.pattern(element.key).pattern
        assert "(?P<" not in source and "(?i" not in source, element.key


def test_a_wording_file_adds_words_element_by_element(tmp_path: Path) -> None:
    path = write(tmp_path, "w.toml", """\
        # the county's training site
        case.create_button = "Add Exit/Outcome"

        [outcome]
        exit_date = ["Date of Exit", "Exit Dt"]
        """)
    table = load_wording_file(path)
    assert table.texts("case.create_button") == ("Create Exit/Outcome", "Create Outcome",
                                                   "Add Exit/Outcome")
    assert table.pattern("case.create_button").match("Add Exit/Outcome")
    assert table.pattern("case.create_button").match("Create Outcome"), "built-in still counts"
    assert table.pattern("outcome.exit_date").match("*Date of Exit:")
    sources = {w.text: w.source for w in table.words["case.create_button"]}
    assert sources["Add Exit/Outcome"] == f"{path}:2"
    assert sources["Create Outcome"] == "built in"
    assert {w.source for w in table.words["outcome.exit_date"] if w.text == "Exit Dt"} == {
        f"{path}:5"}
    assert BUILT_IN.texts("case.create_button") == ("Create Exit/Outcome", "Create Outcome")


def test_replace_true_drops_the_built_in_words_of_that_element_only(tmp_path: Path) -> None:
    path = write(tmp_path, "w.toml", """\
        case.create_button = { words = ["New Exit"], replace = true }
        case.saved_message = { words = ["Stored."], replace = true }
        """)
    table = load_wording_file(path)
    assert table.texts("case.create_button") == ("New Exit",)
    assert not table.pattern("case.create_button").match("Create Outcome")
    saved = table.pattern("case.saved_message")
    assert saved.match("Stored.") and not saved.match("The Outcome has been saved.")
    assert table.texts("outcome.exit_date") == ("Exit Date",)


@pytest.mark.parametrize(("text", "said"), [
    ('case.create_buton = "Add"\n', r"w\.toml:1: unknown element 'case\.create_buton'\. Did you "
                                    r"mean case\.create_button\? Valid: case\.title, "),
    ('\n[outcom]\nexit_date = "X"\n', r"w\.toml:2: unknown screen 'outcom'\. Did you mean "
                                      r"outcome\? Valid: sign_in, home, search, case, outcome"),
    ('outcome.exit_date = []\n', r"w\.toml:1: outcome\.exit_date must be words in quotes"),
    ('outcome.exit_date = { words = ["A"], replace = "yes" }\n',
     r"w\.toml:1: replace is true or false"),
])
def test_a_wrong_key_or_value_is_refused_with_file_line_and_the_valid_keys(
    tmp_path: Path, text: str, said: str
) -> None:
    path = write(tmp_path, "w.toml", text)
    with pytest.raises(WordingError, match=re.escape(str(tmp_path)) + "/" + said):
        read_wording_file(path)


def test_the_template_has_every_key_and_reads_as_an_empty_wording_file(tmp_path: Path) -> None:
    text = template_text()
    for element in ELEMENTS:
        assert f"# {element.key} = " in text, element.key
    assert tomllib.loads(text) == {}
    # Uncommenting one line gives a valid file.
    line = '# case.create_button = ["..."]'
    path = write(tmp_path, "w.toml", text.replace(line, line[2:]))
    assert "..." in load_wording_file(path).texts("case.create_button")


def test_written_lines_read_back(tmp_path: Path) -> None:
    lines = wording_lines({"case.create_button": ['Add "Exit"/Outcome'],
                           "outcome.exit_date": ["Date of Exit", "Exit Dt"]})
    path = write(tmp_path, "w.toml", "\n".join(lines) + "\n")
    given, replace = read_wording_file(path)
    assert given == {"case.create_button": ('Add "Exit"/Outcome',),
                     "outcome.exit_date": ("Date of Exit", "Exit Dt")}
    assert not replace


def test_page_objects_read_the_table_in_force() -> None:
    from caljobs_bot.pages import case

    assert vars(case)["wording"] is in_force  # the page module's own import (not re-exported)
    added = BUILT_IN.with_words({"case.create_button": ["Add Exit/Outcome"]}, "test")
    with using(added):
        assert in_force().pattern("case.create_button").match("Add Exit/Outcome")
    assert not in_force().pattern("case.create_button").match("Add Exit/Outcome")


def test_caljobs_bot_toml_names_the_wording_file_at_the_top_or_per_profile(
    tmp_path: Path
) -> None:
    write(tmp_path, "caljobs-bot.toml", """\
        wording = "site-wording.toml"
        [profiles.training]
        base_url = "https://training.example/vosnet/Default.aspx"
        wording = "training-wording.toml"
        [profiles.production]
        base_url = "https://caljobs.example/vosnet/Default.aspx"
        """)
    top = load_settings(flags={}, profile="production", cwd=tmp_path, env={})
    assert top.wording == tmp_path / "site-wording.toml"
    training = load_settings(flags={}, profile="training", cwd=tmp_path, env={})
    assert training.wording == tmp_path / "training-wording.toml"
    assert "[training]" in str(training.sources["wording"])
    flag = load_settings(flags={"wording": "mine.toml"}, profile="training", cwd=tmp_path,
                         env={})
    assert flag.wording == Path("mine.toml") and str(flag.sources["wording"]) == "flag --wording"


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "caljobs_bot.cli", *args], capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL, cwd=cwd)


def test_wording_show_says_where_each_word_came_from(tmp_path: Path) -> None:
    path = write(tmp_path, "w.toml", 'case.create_button = "Add Exit/Outcome"\n')
    shown = cli("wording", "show", "--wording", str(path))
    assert shown.returncode == 0, shown.stderr
    assert f"case.create_button = 'Create Exit/Outcome' (built in); 'Create Outcome' (built " \
           f"in); 'Add Exit/Outcome' ({path}:1)" in shown.stdout
    bad = write(tmp_path, "bad.toml", 'case.create = "Add"\n')
    refused = cli("wording", "show", "--wording", str(bad))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert f"{bad}:1: unknown element 'case.create'" in refused.stderr


def test_wording_template_writes_a_file_and_never_overwrites_one(tmp_path: Path) -> None:
    target = tmp_path / "site-wording.toml"
    assert cli("wording", "template", "-o", str(target)).returncode == 0
    assert "case.create_button" in target.read_text(encoding="utf-8")
    again = cli("wording", "template", "-o", str(target))
    assert again.returncode == 2 and "exists" in again.stderr


def test_check_suggest_never_overwrites_a_file_without_force(tmp_path: Path) -> None:
    target = write(tmp_path, "w.toml", "# mine\n")
    said = cli("check", "--state-id", "34712", "--base-url", "http://127.0.0.1:9/x",
               "--suggest", str(target))
    assert said.returncode == 2 and "exists" in said.stderr and "--force" in said.stderr
    assert target.read_text(encoding="utf-8") == "# mine\n"


# -- the sandbox's renames ----------------------------------------------------------------------

def test_every_sandbox_rename_is_a_wording_key() -> None:
    assert set(RENAMEABLE) <= set(ELEMENT)
    for renames in RENAME_SEEDS.values():
        assert set(renames) <= set(RENAMEABLE)
    assert {"home.assist_an_individual", "case.create_button", "outcome.exit_date",
            "case.saved_message"} <= set(RENAME_SEEDS[1])


def test_a_rename_changes_whole_texts_and_attributes_only() -> None:
    page = ('<td class="cap"><span class="req">*</span>Exit Date:</td>'
            '<input type="submit" value="Exit Date"><p>Exit Date is required.</p>')
    renamed = apply_renames(page, {"outcome.exit_date": "Date of Exit"}, "2021")
    assert renamed == ('<td class="cap"><span class="req">*</span>Date of Exit:</td>'
                       '<input type="submit" value="Date of Exit"><p>Exit Date is required.</p>')


@pytest.mark.parametrize("markup", ["plain", "accessible"])
def test_the_sandbox_renames_what_it_shows(markup: str) -> None:
    app = create_app(markup=markup, rename={"home.assist_an_individual": "Find a Participant"})
    client = app.test_client()
    sign_in(client)
    page = client.get("/vosnet/Dashboard.aspx").get_data(as_text=True)
    assert "Find a Participant" in page and ">Assist an Individual<" not in page
    client.post("/__sandbox__/config", json={"rename": {"case.create_button": "Add Exit"}})
    assert client.get("/__sandbox__/config").get_json()["rename"] == {
        "case.create_button": "Add Exit"}
    client.post("/__sandbox__/config", json={"rename_seed": 1})
    assert client.get("/__sandbox__/config").get_json()["rename"] == RENAME_SEEDS[1]
    client.post("/__sandbox__/reset")
    assert client.get("/__sandbox__/config").get_json()["rename"] == {
        "home.assist_an_individual": "Find a Participant"}


def test_the_sandbox_refuses_an_unknown_rename() -> None:
    client = create_app().test_client()
    refused = client.post("/__sandbox__/config", json={"rename": {"case.nope": "X"}})
    assert refused.status_code == 400
    assert "cannot rename 'case.nope'; renameable: " in refused.get_json()["error"]
    with pytest.raises(ValueError, match="cannot rename"):
        create_app(rename={"case.nope": "X"})


def test_the_sandbox_command_line_takes_renames() -> None:
    from caljobs_bot.fixtures.sandbox.__main__ import parse_args

    args = parse_args(["--rename", "case.create_button=Add Exit", "--rename-seed", "2"])
    assert args.renames == {"outcome.exit_date": "Date of Exit",
                            "outcome.office_location": "Office",
                            "case.create_button": "Add Exit"}


def test_page_objects_take_their_words_from_the_table() -> None:
    """No page object names an element by a word written in its code: a literal handed to a
    finder (field, action, section, title...) could not be changed by a wording file."""
    import ast

    finders = {"action", "field", "section", "title", "read_only_value", "unshown_value",
               "get_by_text", "caption_pattern", "words_pattern"}
    folder = Path(__file__).resolve().parent.parent / "pages"
    skip = {"fields.py", "site_wording.py", "wording.py", "overlay.py", "candidates.py"}
    found = []
    for module in sorted(folder.glob("*.py")):
        if module.name in skip:
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in finders and any(isinstance(arg, ast.Constant)
                                       and isinstance(arg.value, str) for arg in node.args):
                found.append(f"{module.name}:{node.lineno} {name}(...)")
    assert not found, found


def test_a_miss_names_its_wording_key() -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    from caljobs_bot.pages.notfound import ElementNotFound, looking_for

    with pytest.raises(ElementNotFound) as missed, looking_for(
            "Exit/Outcome form", "field captioned 'Exit Date'", "outcome.exit_date"):
        raise PlaywrightTimeoutError("Timeout 15000ms exceeded.")
    assert str(missed.value) == ("on the Exit/Outcome form, no field captioned 'Exit Date' "
                                 "(wording key outcome.exit_date)")
    assert missed.value.key == "outcome.exit_date"
    assert isinstance(missed.value, PlaywrightTimeoutError), "retries treat it as a time-out"
