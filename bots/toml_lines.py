"""Where a key is written in a TOML file, for messages that name file:line.

tomllib gives values, not positions. The settings file and the wording files both point a
person at the line to fix, so both ask here. Best effort: a line-based scan that knows
[table] headers (not [[arrays]] or multi-line values), which is all those files use.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\[([^\[\]]+)\]\s*(#.*)?$")


def line_of(text: str, table: str | None, key: str | None) -> int | None:
    """The line where `key = ...` (or the dotted `key.more = ...`) is written under [table]
    (None: the top of the file), or [table]'s own header line when `key` is None."""
    current: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = _HEADER.match(stripped)
        if header:
            current = re.sub(r"[\s\"']", "", header[1])
            if key is None and current == table:
                return number
            continue
        if (key is not None and current == table
                and re.match(rf"^[\"']?{re.escape(key)}[\"']?\s*[=.]", stripped)):
            return number
    return None
