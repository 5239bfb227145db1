"""The job file's YAML text for a spreadsheet's rows, written so the loader reads it back exactly.

Why it is built this way: the text is written by hand rather than with yaml.safe_dump (which
took 29 s of a 20,000-row import), and each record is preceded by its row number, so a person
reviewing the job file finds the row it came from.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from caljobs_bot.jobfile.sheet_reading import Sheet
from caljobs_bot.jobfile.sheet_rows import Row


def render_job(sheet: Sheet, rows: list[Row]) -> tuple[str, dict[int, int]]:
    """The job file's text, and the spreadsheet row of each line that belongs to a record."""
    origin = sheet.file.name + (f", sheet '{sheet.name}'" if sheet.name else "")
    origin = re.sub(r"[^\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd]", "?", origin)
    lines = [
        f"# Imported from {origin} by caljobs-bot import.",
        "# '# row N' above each record is its row in the spreadsheet (row 1 is the header).",
        "version: 1",
        "records:",
    ]
    line_rows: dict[int, int] = {}
    for row in rows:
        lines.append(f"  # row {row.number}")
        for text in _block(row.data, "  - ", "    "):
            lines.append(text)
            line_rows[len(lines)] = row.number
    return "\n".join(lines) + "\n", line_rows


# Plain (unquoted) text is kept for what reads the same to any YAML reader: starts with a
# letter, then letters, digits, spaces and . , / ( ) - only, no trailing space, no keyword.
_PLAIN = re.compile(r"[^\W\d_][\w .,/()-]*(?<! )")
_KEYWORDS = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan"})
# What a YAML double-quoted scalar must escape beyond what JSON escapes: C1 controls (NEL is
# a YAML line break), DEL, the line and paragraph separators, surrogates, non-characters.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _scalar(value: object) -> str:
    """One value as YAML text that the job loader reads back exactly: plain, 'single'
    quoted (ids and most text), or "double" quoted with escapes (control characters)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and text.casefold() not in _KEYWORDS:
        return text
    if not re.search(r"[\x00-\x1f]", text) and not _YAML_UNSAFE.search(text):
        return "'" + text.replace("'", "''") + "'"
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)


def _block(data: dict[str, Any], first: str, rest: str) -> list[str]:
    """A mapping as block YAML lines: `first` prefixes its first line, `rest` the others.

    Written by hand rather than with yaml.safe_dump, which took 29 s of a 20,000-row import:
    a record holds only text, dates, true/false, mappings and lists of mappings."""
    lines: list[str] = []
    for key, value in data.items():
        lead = first if not lines else rest
        if isinstance(value, dict | list) and not value:
            lines.append(f"{lead}{key}: {'{}' if isinstance(value, dict) else '[]'}")
        elif isinstance(value, dict):
            lines.append(f"{lead}{key}:")
            lines.extend(_block(value, rest + "  ", rest + "  "))
        elif isinstance(value, list):
            lines.append(f"{lead}{key}:")
            for item in value:
                lines.extend(_block(item, rest + "  - ", rest + "    "))
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return lines
