"""How long what a person types may be: a username, a profile's name, a path, an address.

Each of these becomes a file or folder name or is sent to the site. Too long, it used to fail
deep inside a run ("unexpected error (OSError)" for a 300-character username, which became a
file name), or could reach the site. Checked where it is read instead, it is one sentence
naming the field and its limit, with nothing done yet. The limits are far above real values.
"""

from __future__ import annotations

import re

# A username or a profile's name: real ones are a few words at most.
MAX_NAME = 100
# A dropdown's text (region, office, position) and other short site fields.
MAX_SITE_TEXT = 255
# A web address.
MAX_URL = 2048
# A whole path, and each folder or file name in it, in UTF-8 bytes (the most Linux and macOS
# allow for one name; Windows allows 255 UTF-16 units, never fewer characters than this).
MAX_PATH = 1024
MAX_PATH_PART_BYTES = 255


def text_too_long(value: str, limit: int) -> str | None:
    """Why `value` is too long for a field of at most `limit` characters, or None."""
    if len(value) <= limit:
        return None
    return f"is {len(value)} characters long; at most {limit} are allowed"


def path_too_long(value: str) -> str | None:
    """Why `value` is too long to be a path on every system we run on, or None."""
    if len(value) > MAX_PATH:
        return f"is {len(value)} characters long; a path may have at most {MAX_PATH}"
    for part in re.split(r"[\\/]", value):
        size = len(part.encode("utf-8", "surrogatepass"))
        if size > MAX_PATH_PART_BYTES:
            return (f"holds a folder or file name {size} bytes long; each may have at most "
                    f"{MAX_PATH_PART_BYTES} bytes (fewer letters when accented or non-Latin)")
    return None
