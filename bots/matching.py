"""Deciding whether what the site shows is the record's participant: exact, never near.

Saving an outcome on the wrong person cannot be undone without a Data Change Request, so a
name only matches when it has the same words. We forgive only what a spreadsheet export
loses: letter case, accents, extra spaces and the "Last, First" order of the site's lists.

One rule for the whole tool, so its parts cannot drift apart: the bot checks the participant
and picks a case manager with it, the contacts pop-up finds the contact to edit with it, and
the job file refuses two contacts of one record that it would take for the same person.
"""

from __future__ import annotations

import re
import unicodedata


def squeeze(text: str) -> str:
    """The text with runs of whitespace (tabs, newlines, non-breaking spaces) made one space."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """Case-, accent- and whitespace-insensitive form of a text, for comparing wording."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def name_words(name: str) -> list[str]:
    """The words of a person's name in First Last order, folded.

    "Álvarez-Núñez, José" and "jose alvarez-nunez" give the same words; apostrophes and
    hyphens stay, as they are part of the name.
    """
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first} {last}"
    folded = fold(name).replace("\u2019", "'")
    return sorted(re.findall(r"[\w'-]+", folded))


def same_name(expected: str, shown: str) -> bool:
    """Whether two renderings of a name are the same person's name (see the module docstring)."""
    return bool(name_words(expected)) and name_words(expected) == name_words(shown)


def same_option(wanted: str, shown: str) -> bool:
    """Whether a dropdown option's text is the wanted wording (case, accents, spaces ignored)."""
    return fold(wanted) == fold(shown)
