"""Static tools read the package as it is installed (issue 22 item 4), and the rules `make lint`
cannot state as a tool's setting.

pyproject.toml maps caljobs_bot to bots/, caljobs_bot.pages to pages/ and so on. The default
editable install follows that mapping with an import hook that mypy, pyright and editors never
run (pyright counted 389 unresolved imports); `make setup` installs in setuptools' strict mode
instead, a tree of links on sys.path that any tool reads as a folder. `make lint` runs pyright
with reportMissingImports as an error; these tests say why in one line when the install is not
one that a static tool can read, without pyright's 40 seconds.
"""

from __future__ import annotations

import importlib.machinery
import re
import sys
from pathlib import Path

import pytest
from editable_install import PACKAGE_FOLDERS, REPO

# A `# type: ignore` comment, and whatever follows it on its line.
TYPE_IGNORE = re.compile(r"#\s*type:\s*ignore\b(?:\[[^\]]*\])?(?P<after>.*)$")
REASON = re.compile(r"\s*#\s*\S")


def path_finder_spec(name: str) -> importlib.machinery.ModuleSpec | None:
    """Where a module is found by folders on sys.path alone, as a static tool looks."""
    parent, _, _ = name.rpartition(".")
    search = sys.path
    if parent:
        spec = path_finder_spec(parent)
        assert spec and spec.submodule_search_locations, f"{parent} not found as a folder"
        search = list(spec.submodule_search_locations)
    return importlib.machinery.PathFinder.find_spec(name, search)


@pytest.mark.parametrize("folder", sorted(PACKAGE_FOLDERS))
def test_every_module_is_found_in_a_folder_on_sys_path(folder: str) -> None:
    """Each module of each mapped folder is found without the editable import hook, at a file
    that is (or links to) the repository's own: what pyright and mypy resolve."""
    inside = PACKAGE_FOLDERS[folder]
    base = "caljobs_bot" + ("" if inside == "." else "." + inside)
    sources = [path for path in (REPO / folder).rglob("*.py") if "__pycache__" not in path.parts]
    assert path_finder_spec(base), f"{base} ({folder}/) is not found on sys.path's folders"
    for source in sources:
        parts = source.relative_to(REPO / folder).with_suffix("").parts
        name = ".".join([base, *(part for part in parts if part != "__init__")])
        spec = path_finder_spec(name)
        assert spec and spec.origin, (
            f"{name} ({folder}/{'/'.join(parts)}.py) is not found on sys.path's folders: "
            "install with `make setup` (pip install -e '.[test,bench]' --config-settings "
            "editable_mode=strict), which static tools can read")
        assert Path(spec.origin).resolve() == source.resolve(), (name, spec.origin)


def test_every_type_ignore_says_why_on_its_line() -> None:
    """mypy checks that an ignore names its error code (ignore-without-code), not that it
    says why: `# type: ignore[arg-type]  # Playwright's stub says str; it takes a Path too`."""
    found = []
    for folder in PACKAGE_FOLDERS:
        for source in sorted((REPO / folder).rglob("*.py")):
            lines = source.read_text(encoding="utf-8").splitlines()
            for number, line in enumerate(lines, 1):
                ignore = TYPE_IGNORE.search(line)
                if ignore and not REASON.match(ignore["after"]):
                    found.append(f"{source.relative_to(REPO).as_posix()}:{number}: {line.strip()}")
    assert not found, "a type: ignore says why on its line (`# type: ignore[code]  # reason`):\n" \
        + "\n".join(found)
