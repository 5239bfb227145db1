"""Page objects may use ARIA where a site has it, never require it.

The real CalJOBS is a 2010s WebForms site: no role=tree, tab, status, alert, group, dialog...
(the sandbox's plain markup renders none of them). A page object that finds something only by
such a role works on our accessible markup and nowhere else, so every such lookup must sit in
a statement that also offers a fallback on what a person sees (`.or_(...)`), or be one of the
few places below that fall back in code, each with its reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PAGES = Path(__file__).resolve().parent.parent / "pages"
# Roles that only ARIA attributes give (plain HTML elements never have them natively).
ARIA_ONLY_ROLES = {
    "tree", "treeitem", "tab", "tablist", "tabpanel", "status", "alert", "group", "region",
    "dialog", "complementary", "navigation", "menu", "menuitem", "log", "marquee", "timer",
}
# Functions that use an ARIA-only role or attribute and fall back in code, not in the locator.
FALLS_BACK_IN_CODE = {
    ("fields.py", "messages_in_red"): "reads the site's red text when no alert is marked up",
    ("screen_text.py", "<module>"): "aria-expanded only orders a toggle's candidates; the "
                                    "click is proven by its effect (pages/toggles.py)",
    ("overlay.py", "panel"): "our own caption panel, which we render with its ARIA",
}


# An aria- attribute read or matched (not one the project writes, as the caption panel does).
_READS_ARIA = re.compile(r"""\[aria-|getAttribute\(\s*["']aria-|get_attribute\(["']aria-""")


def _aria_lookups(path: Path) -> list[tuple[str, int, str, bool]]:
    """(function, line, what, has a fallback in the same statement) per ARIA-only use."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int, str, bool]] = []

    def visit(node: ast.AST, function: str, statement: ast.AST | None) -> None:
        if isinstance(node, ast.FunctionDef):
            function = node.name
        if isinstance(node, ast.stmt):
            statement = node
        what = None
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get_by_role" and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value in ARIA_ONLY_ROLES):
            what = f"get_by_role({node.args[0].value!r})"
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and _READS_ARIA.search(node.value) and statement is not None):
            what = "an aria- attribute"
        if what is not None and statement is not None and isinstance(node, ast.expr):
            source = ast.unparse(statement)
            found.append((function, node.lineno, what, ".or_(" in source))
        for child in ast.iter_child_nodes(node):
            visit(child, function, statement)

    visit(tree, "<module>", None)
    return found


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.py")), ids=lambda p: p.name)
def test_no_page_object_requires_an_aria_only_role(path: Path) -> None:
    bare = [
        f"{path.name}:{line} {function}() uses {what} without a fallback"
        for function, line, what, has_fallback in _aria_lookups(path)
        if not has_fallback and (path.name, function) not in FALLS_BACK_IN_CODE
    ]
    assert not bare, "\n".join(bare)


def test_the_check_itself_catches_a_bare_aria_lookup(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def tree(page):\n    return page.get_by_role('tree')\n"
        "def state(e):\n    return e.evaluate('e => e.getAttribute(\"aria-expanded\")')\n"
        "def ok(page):\n    return page.get_by_role('tree').or_(page.get_by_text('x'))\n",
        encoding="utf-8",
    )
    lookups = _aria_lookups(bad)
    assert [(f, fallback) for f, _, _, fallback in lookups] == [("tree", False), ("state", False),
                                                                ("ok", True)]
