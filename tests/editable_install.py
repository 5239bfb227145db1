"""The package's folders as installed, and whether a strict editable install is up to date
(tests/conftest.py stops a session that would import from a stale one)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Each repository folder and where the package holds it (pyproject.toml's package-dir).
PACKAGE_FOLDERS = {"bots": ".", "pages": "pages", "fixtures": "fixtures", "jobs": "jobs"}


def stale_links(package: Path) -> list[str]:
    """Source files missing from a strict editable install's link tree, and links left to
    deleted files; nothing for any other install (a wheel, or the default editable mode)."""
    if not package.parent.name.startswith("__editable__"):
        return []
    stale = []
    for folder, inside in PACKAGE_FOLDERS.items():
        for source in (REPO / folder).rglob("*"):
            relative = source.relative_to(REPO / folder)
            shipped = (source.suffix == ".py" or relative.parts[:2] in {
                ("sandbox", "templates"), ("sandbox", "static")})
            if (shipped and source.is_file() and "__pycache__" not in relative.parts
                    and not (package / inside / relative).exists()):
                stale.append(f"{folder}/{relative.as_posix()} missing")
    stale += [f"{link.relative_to(package).as_posix()} deleted" for link in package.rglob("*")
              if link.is_symlink() and not link.exists()]
    return stale


