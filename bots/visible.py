"""Text from a job, the site or the file system, shown as data: every character visible.

A job file is written by people and copied from spreadsheets and e-mails; a hostile or careless
one can hold terminal escape sequences (`ESC [ 2 J` clears the screen, `ESC ] 8` makes links,
a carriage return writes over a line that said "failed"), and its file name can too. Printed
raw, such text drives the terminal instead of being read; in report.csv and report.html it
hides or fakes what a record did. So everything the tool shows that it did not write itself
goes through `visible`, the one place such characters are turned into `\\x1b`-style escapes,
in ASCII, so a Windows console in any code page can print them.

Newline and tab are kept: they only move text, and messages of several lines use them. Rich
markup (`[bold]`, `[/]`) is a different matter, handled where rich prints: see `cli/common.py`.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls (0x9b alone starts a CSI sequence on some
# terminals), and the Unicode controls that reorder or hide text (bidi embeddings, overrides and
# isolates, the line and paragraph separators some terminals treat as line breaks).
_UNSEEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: object) -> str:
    """`text` (anything, as `str()` gives it) with every control character written as an
    escape (`\\x1b`, `\\r`, `\\u202e`), so it is read, never obeyed, wherever it is shown."""
    return _UNSEEN.sub(_escape, str(text))
