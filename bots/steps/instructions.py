"""How the steps word what a person does for one record: `Say`, and quoting or describing
a record's values.

The step explanations are the same for every record; a new case manager also needs to read
"Type 06/24/2021 in Exit Date" and "Choose Institutionalized". Each step's module writes its
own sentences (its `instructions`) with these helpers; the guide prints them under each step,
and practice mode shows them in the caption panel. With `masked` the participant's own data
(names, ids, contacts, case-note text, the attachment's name) is described instead of quoted
("Type the participant's State ID in State ID"), so a guide made with --mask-pii never writes
it. The exit date and the application number are the participant's too (with the name they
point at one person's case); values that identify no one (exit reasons, offices, staff) are
quoted either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record


def quoted(text: str) -> str:
    """Free text in quotes, so its own full stop is not read as the sentence's."""
    return f"\u201c{text}\u201d"


class Values:
    """Quotes a record's value, or describes it when participant data is masked."""

    def __init__(self, masked: bool) -> None:
        self.masked = masked

    def private(self, value: str | None, description: str) -> str:
        """Participant data: quoted, or described when masked."""
        return description if self.masked or not value else value

    @staticmethod
    def public(value: str) -> str:
        """Data that identifies nobody (a date, a reason, an office): always quoted."""
        return value


@dataclass(frozen=True)
class Say:
    """How to word a step's actions: `masked` describes participant data instead of quoting
    it; `button` is the words the screen shows on the step's button or link, when known (the
    2016 screens say "Create Outcome"), so the sentence names what the trainee sees;
    `listed_contacts` the names the contacts pop-up lists, so a contact already there is
    edited rather than added (as the bot does); `dry_run` a replay that saves nothing."""

    masked: bool = False
    button: str | None = None
    dry_run: bool = False
    listed_contacts: Sequence[str] = ()


def no_lines(record: Record, say: Say) -> list[str]:
    """A step with nothing to do by hand beyond its explanation."""
    return []


def exit_date_words(record: Record, masked: bool,
                    description: str = "the exit date (MM/DD/YYYY)") -> str:
    """The record's exit date as the steps that type or read it name it (the participant's
    data: described when masked)."""
    return Values(masked).private(f"{record.exit_date:%m/%d/%Y}", description)
