"""The outcome form's fields, declared once, a table per form section.

Every tool that handles a field (the job model's checks, the spreadsheet columns, the
settings that give defaults, the bot's action and read-only check, the instructions, the
guide's pictures, practice) loops over these tables instead of naming the field again, so
adding a field to a section is one row here, one attribute on the job model and the
sandbox's form. The wording table (pages/wording_table.py) takes each field's caption from
here too. A record's value is kept, and the sandbox stores it, under the field's
`attribute`. Pure data: this module imports nothing of the package, so every layer can
read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

FieldKind = Literal["choice", "text", "date"]


@dataclass(frozen=True)
class FormField:
    """One field of the outcome form, by every name the project gives it."""

    attribute: str
    """The job record's attribute, the settings key, the spreadsheet column."""
    wording: str
    """The key of its caption in pages/wording_table.py (the words a site may use)."""
    label: str
    """How the help sheets name it, for people: messages, instructions, captions."""
    kind: FieldKind
    """A dropdown to choose from, a box to type in, or a date."""
    description: str
    """What to give, for the job file's schema, the sheet template and --help."""
    other_words: tuple[str, ...] = ()
    """Other captions sites are known to show for it (the wording table accepts them too)."""
    required: bool = True
    """Whether every record must give it; an optional field a record leaves out is left as
    the form shows it."""
    others_follow: bool = False
    """Choosing it changes the fields after it (a region's offices): the form may reload, or
    a script may refresh the next list a moment later."""

    @property
    def element(self) -> str:
        """What a person calls it: a dropdown or a box."""
        return "dropdown" if self.kind == "choice" else "box"

    @property
    def what(self) -> str:
        """How the wording table describes the element: "'LWIA/Region' dropdown"."""
        return f"'{self.label}' {self.element}"


GENERAL_INFORMATION: tuple[FormField, ...] = (
    FormField("lwia_region", "outcome.lwia_region", "LWIA/Region", "choice",
              "LWIA/Region, as the dropdown shows it.", other_words=("LWDB/Region",),
              others_follow=True),
    FormField("office_location", "outcome.office_location", "Office Location", "choice",
              "Office Location, as the dropdown shows it."),
    FormField("staff_position", "outcome.staff_position", "Staff Position", "choice",
              "Staff Position, as the dropdown shows it."),
    FormField("funding_stream", "outcome.funding_stream", "Funding Stream", "choice",
              "Optional: the Funding Stream, as the dropdown shows it; left as the form "
              "shows it when not given.", required=False),
)
"""The General Information section, in the order the form shows it (a region's offices
depend on the region, so the region comes first)."""

BY_ATTRIBUTE: Mapping[str, FormField] = {field.attribute: field for field in GENERAL_INFORMATION}
"""Each field by its job attribute ("lwia_region"), for code that names one field."""
