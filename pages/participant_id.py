"""A participant's two CalJOBS numbers, the State ID and the User ID, as a typed key.

The screens name them by caption ("State ID", "User ID"); a bot names them by this key, so
no caption is written outside pages/ and the wording table, and a site that words them its
own way (a wording file) changes nothing outside the page objects.
"""

from __future__ import annotations

from enum import Enum

from caljobs_bot.pages.wording_table import ELEMENT


class ParticipantId(Enum):
    """Which of a participant's numbers: the value is the wording element of its search box."""

    STATE = "search.state_id"
    USER = "search.user_id"

    @classmethod
    def searched_by(cls, state_id: str | None) -> ParticipantId:
        """The id a search uses: the State ID when there is one, else the User ID (the help
        sheets search by State ID first)."""
        return cls.STATE if state_id else cls.USER

    @property
    def label(self) -> str:
        """How the help sheets name it ("State ID"), for messages to a person: the wording
        table's first, built-in words, so a message reads the same whatever a wording file
        adds."""
        return ELEMENT[self.value].words[0]

    @property
    def attribute(self) -> str:
        """The name of the field that holds it on a record or a search result ("state_id")."""
        return self.value.split(".", 1)[1]
