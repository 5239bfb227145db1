"""File and folder names made from what people type: short, safe on every system, unique.

A run folder is named after its job file, and a saved session after its site. Used as they
are, such names fail or escape: a 250-character job name (or 255 bytes of UTF-8) plus a
suffix is longer than any file system allows one name to be, and a sign-in address holding
`\\` or `..` is a path on Windows, which put a saved session outside its private folder. So
a name is a readable prefix, cut short and stripped of every character that means something
to a file system or a terminal, followed by a hash of the whole original: two long names
that share a prefix still differ, and the same name always gives the same folder.
"""

from __future__ import annotations

import hashlib
import unicodedata

# The readable part of a name; with a hash suffix it stays far below the 255 bytes a single
# name may have, and leaves room under Windows' classic 260-character path.
MAX_PREFIX = 40

# Characters a file name may not hold on Windows (and `/` everywhere), plus `%` and `$`,
# which shells and Windows expand. Control and format characters are refused separately.
_RESERVED = set('<>:"/\\|?*%$')


def _kept(character: str) -> bool:
    return character not in _RESERVED and not unicodedata.category(character).startswith("C")


def readable_prefix(text: str, limit: int = MAX_PREFIX) -> str:
    """`text` as a file-name prefix: each unsafe character as `_`, at most `limit` characters,
    no leading dots (a hidden file, `..`) and no trailing dots or spaces (Windows drops them).
    A short name of safe characters is kept exactly, so folders named before this rule
    existed keep their names. Empty when nothing readable is left."""
    cleaned = "".join(ch if _kept(ch) else "_" for ch in text)
    return cleaned[:limit].lstrip(". ").rstrip(". ")


def digest(text: str, length: int = 8) -> str:
    """The first `length` hex digits of the SHA-256 of `text`: a stable, short suffix."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def short_name(readable: str, unique: str, *, fallback: str = "job", length: int = 8) -> str:
    """`prefix-hash`: the readable prefix of `readable` (or `fallback` when none is left),
    then the hash of `unique`, the full string that tells this name from every other."""
    return f"{readable_prefix(readable) or fallback}-{digest(unique, length)}"
