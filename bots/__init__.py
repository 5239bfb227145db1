"""caljobs-bot: create CalJOBS Exit/Outcome records the way the help sheets describe.

One import name for everything installed. In the repository, this folder (`bots/`) is the
package `caljobs_bot`, and `pages/`, `fixtures/` and `jobs/` are its subpackages
`caljobs_bot.pages`, `caljobs_bot.fixtures` and `caljobs_bot.jobs` (pyproject.toml's
package-dir); an installed wheel holds them all inside `caljobs_bot/`.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_job_file(name: str) -> Path:
    """A file shipped in `jobs/` (the example job, its attachment, the schema, the template).

    An installed wheel keeps `jobs/` inside the package; a checkout (or an editable install
    of one) keeps it beside `bots/`. Both are looked at, the installed place first.
    """
    installed = _PACKAGE / "jobs" / name
    return installed if installed.exists() else _PACKAGE.parent / "jobs" / name
