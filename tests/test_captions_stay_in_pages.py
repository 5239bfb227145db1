"""No screen caption written outside pages/ and the wording table (issue 22).

A caption in bots/ ("State ID" passed to a page object, a page object's output read by
"State ID") is a second copy of the wording table that a wording file cannot reach: a site
that words the box "SSID" would be found by the page objects and missed by the bot. bots/
names what it means with typed keys (pages/participant_id.py's ParticipantId) and intent
methods instead; prose in messages, docstrings and help is not looked at.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from caljobs_bot.pages.wording_table import ELEMENTS

ROOT = Path(__file__).parents[1]
# Every caption, message and button name the page objects look for, as the table writes it
# (exact case: "Name" is a caption, "name" a YAML key).
CAPTIONS = frozenset(word for element in ELEMENTS for word in element.words)
# bots/form_fields.py is the General Information section's table: the wording table reads
# its captions from there (pages/wording_table.py), so it is part of the table.
TABLES = {"bots/form_fields.py"}


def _page_object_names() -> frozenset[str]:
    """Every class, method and function pages/ defines: a call by one of these names is a
    call to a page object."""
    names: set[str] = set()
    for source in (ROOT / "pages").rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef | ast.Module):
                names |= {child.name for child in node.body
                          if isinstance(child, ast.FunctionDef | ast.ClassDef)}
    return frozenset(name for name in names if not name.startswith("__"))


def _captions(node: ast.AST | None) -> list[str]:
    """The captions an expression may evaluate to: a constant, or one of a choice between
    constants ("State ID" if ... else "User ID"); an f-string is a message, not looked in."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value.strip().rstrip(":*").strip()
        return [text] if text in CAPTIONS else []
    if isinstance(node, ast.IfExp):
        return [*_captions(node.body), *_captions(node.orelse)]
    if isinstance(node, ast.BoolOp):
        return [caption for value in node.values for caption in _captions(value)]
    return []


def captions_used(source: str, page_names: frozenset[str]) -> list[str]:
    """The captions the code uses as data: an argument of a page-object call, a key looked up
    with .get or [...] (a page object's output read by caption), a dict literal's key, an
    operand of a comparison, a choice between captions or a module constant's value
    (`caption = "State ID" if ... else "User ID"`, passed on later). Strings elsewhere
    (messages, docstrings, a local label for a report) are prose. A caption in other case
    ("none selected") is not caught: "today" is also the job file's word for a date."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        candidates: list[ast.AST | None] = []
        if isinstance(node, ast.Call):
            callee = node.func
            name = (callee.attr if isinstance(callee, ast.Attribute)
                    else callee.id if isinstance(callee, ast.Name) else "")
            if name in page_names or name == "get":
                candidates += [*node.args, *(keyword.value for keyword in node.keywords)]
        elif isinstance(node, ast.Subscript):
            candidates.append(node.slice)
        elif isinstance(node, ast.Dict):
            candidates += node.keys
        elif isinstance(node, ast.Compare):
            candidates += [node.left, *node.comparators]
        elif isinstance(node, ast.Assign | ast.AnnAssign) and (
                isinstance(node.value, ast.IfExp | ast.BoolOp) or any(
                    isinstance(target, ast.Name) and target.id.isupper()
                    for target in (node.targets if isinstance(node, ast.Assign)
                                   else [node.target]))):
            # A choice between captions, or a module's constant: data passed on later. A
            # local label (screen = "Assist an Individual" for a report) is prose.
            candidates.append(node.value)
        for candidate in candidates:
            for caption in _captions(candidate):
                found.append(f"line {getattr(node, 'lineno', '?')}: {caption!r} in "
                             f"{ast.unparse(node)[:80]}")
    return found


def test_no_caption_is_used_as_data_in_bots() -> None:
    page_names = _page_object_names()
    problems = []
    for source in sorted((ROOT / "bots").rglob("*.py")):
        relative = source.relative_to(ROOT).as_posix()
        if relative in TABLES:
            continue
        problems += [f"{relative} {found}" for found in
                     captions_used(source.read_text(encoding="utf-8"), page_names)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("code", [
    'search.search_box("State ID")',
    'ParticipantSearch(page).search_box(caption="User ID")',
    'row.get("State ID")',
    'shown["User ID"]',
    'wanted = {"State ID": who.state_id}',
    'if option == "None Selected": pass',
    'form.exit.field("Exit Date:")',
    'search.search_box("State ID" if who.state_id else "User ID")',
    'caption = "State ID" if who.state_id else "User ID"',
    'SECTION_WORDS = "Exit / Outcome"',
])
def test_the_scan_finds_a_caption_coming_back(code: str) -> None:
    """What the scan catches: the shapes issue 22 removed."""
    assert captions_used(code, _page_object_names())


@pytest.mark.parametrize("code", [
    'search.search_box(ParticipantId.STATE)',
    'raise RecordFailed(f"no participant found with {which.label} {key}")',
    'walk.note(screen, "the hard-exit reasons in Exit Reason", True, "all offered")',
    'record = {"name": "Karen James"}',
    'screen = "Assist an Individual"',
])
def test_the_scan_leaves_prose_and_typed_keys(code: str) -> None:
    assert captions_used(code, _page_object_names()) == []


def test_participant_id_names_the_words_messages_have_always_used() -> None:
    """Messages read as before: the label is the wording table's built-in caption."""
    from caljobs_bot.pages.participant_id import ParticipantId

    assert (ParticipantId.STATE.label, ParticipantId.USER.label) == ("State ID", "User ID")
    assert ParticipantId.searched_by("34712") is ParticipantId.STATE
    assert ParticipantId.searched_by(None) is ParticipantId.USER
    assert ParticipantId.USER.attribute == "user_id"
