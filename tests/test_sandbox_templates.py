"""One template per sandbox screen (issue 22 item 5): a screen's fields, words and order are
written once, and its element shapes come from the markup's macro set (`accessible_macros.html`
or `plain_macros.html`, chosen by the `markup_macros` template global). Two copies of a screen
drift apart; these checks keep them from coming back, and keep the two macro sets
interchangeable, so a screen that renders in one markup renders in the other. No server."""

from __future__ import annotations

import re
from pathlib import Path

from caljobs_bot.fixtures.sandbox import app as sandbox_app

TEMPLATES = Path(sandbox_app.__file__).with_name("templates")
MACRO_SETS = ("accessible_macros.html", "plain_macros.html")
_DEFINED = re.compile(r"{%-?\s*macro\s+(\w+)\s*\(")
_CALLED = re.compile(r"\bm\.(\w+)\b")


def _names() -> set[str]:
    return {path.name for path in TEMPLATES.glob("*.html")}


def _defined(macro_set: str) -> set[str]:
    return set(_DEFINED.findall((TEMPLATES / macro_set).read_text(encoding="utf-8")))


def test_no_screen_has_a_plain_copy() -> None:
    names = _names()
    pairs = sorted(name for name in names if name.startswith("plain_")
                   and name.removeprefix("plain_") in names)
    assert pairs == [], f"a screen written twice: {pairs}"
    assert {name for name in names if name.startswith("plain_")} == {"plain_macros.html"}


def test_every_markup_has_a_macro_set_that_exists() -> None:
    assert set(sandbox_app.MARKUP_MACROS.values()) == set(MACRO_SETS)
    assert set(MACRO_SETS) <= _names()


def test_both_macro_sets_define_every_macro_a_screen_calls() -> None:
    screens = sorted(_names() - set(MACRO_SETS))
    called = {
        (screen, name)
        for screen in screens
        for name in _CALLED.findall((TEMPLATES / screen).read_text(encoding="utf-8"))
    }
    assert called, "the screens call no macros: the pattern is wrong"
    for macro_set in MACRO_SETS:
        missing = sorted((s, n) for s, n in called if n not in _defined(macro_set))
        assert missing == [], f"{macro_set} lacks macros the screens call: {missing}"


def test_screens_import_the_markup_in_force_not_a_fixed_set() -> None:
    for screen in sorted(_names() - set(MACRO_SETS)):
        text = (TEMPLATES / screen).read_text(encoding="utf-8")
        assert not re.search(r"(import|extends|include)\s+\"(plain_|accessible_)", text), screen
