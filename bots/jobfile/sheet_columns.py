"""The spreadsheet's documented columns, as data: the import, the template and the README use them.

Why it is built this way: one table (`COLUMNS`) says each column's name, where its value goes
in a record and what it holds, so the import, the template and the README table cannot
disagree. Column names are forgiving ("State ID", "state-id" and "STATE_ID" are one column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from caljobs_bot.form_fields import GENERAL_INFORMATION

MAX_CONTACTS = 3
CONTACT_FIELDS = ("first_name", "last_name", "relationship", "phone", "email", "address")


@dataclass(frozen=True)
class Column:
    """One documented column: its name, where its value goes in a record, and what it holds."""

    name: str
    path: tuple[str | int, ...]
    meaning: str


COLUMNS: tuple[Column, ...] = (
    Column("state_id", ("participant", "state_id"),
           "The participant's State ID (digits). state_id or user_id is required."),
    Column("user_id", ("participant", "user_id"), "The participant's User ID (digits)."),
    Column("name", ("participant", "name"),
           "Optional: the name as CalJOBS shows it; checked against the site."),
    Column("application", ("application",),
           "Optional: the WIOA application number (2244266); needed only when the "
           "participant has several open WIOA applications."),
    Column("exit_date", ("exit_date",),
           "An Excel date, 06/24/2021, 2021-06-24 or today; not in the future."),
    Column("exit_reason", ("exit_reason",),
           "Institutionalized, Health/Medical, Deceased, Reservist called to Active Duty, "
           "In Foster Care and moved from area by foster care system (Youth only), or the "
           "code 01-05."),
    *(Column(field.attribute, (field.attribute,), field.description)
      for field in GENERAL_INFORMATION),
    Column("case_manager_assign", ("case_manager", "assign"),
           "Optional: a case manager to assign, \"Last, First\" as the site lists staff."),
    Column("case_manager_remove", ("case_manager", "remove"),
           "Optional: yes/true/1 removes the current case manager; no/false/0 or blank does "
           "nothing."),
    Column("case_note_subject", ("case_note", "subject"),
           "Optional case note: its subject (with comments)."),
    Column("case_note_comments", ("case_note", "comments"),
           "The case note's text; keep medical detail out of it."),
    Column("case_note_attachment", ("case_note", "attachment"),
           "Optional: a document to attach, relative to the spreadsheet's folder."),
    *(
        Column(f"contact{number}_{name}", ("alternate_contacts", number, name),
               f"Alternate contact {number}: {name.replace('_', ' ')}"
               + (" (required for the contact)." if name.endswith("_name") else "."))
        for number in range(1, MAX_CONTACTS + 1)
        for name in CONTACT_FIELDS
    ),
)
BY_NAME = {column.name: column for column in COLUMNS}
_BY_SQUASHED = {column.name.replace("_", ""): column for column in COLUMNS}
ID_COLUMNS = {"state_id", "user_id", "application"}
# Columns where a value typed once over merged rows (a region over rows 2 to 6) means the same
# value on each of those rows: settings a team shares and the exit itself. Ids, names,
# contacts and case notes are the participant's own, so a merged id is never copied.
FILL_MERGED_COLUMNS = ("exit_date", "exit_reason",
                       *(field.attribute for field in GENERAL_INFORMATION),
                       "case_manager_assign")
# A spreadsheet bigger than this is refused before it is read (a 20 MB .xlsx holds several
# hundred thousand rows; a 100,000-row sheet once took 266 s and 4.4 GB to import). The
# parts inside an .xlsx are limited too, so a small zip cannot unpack into gigabytes.
MAX_SHEET_MB = 20
MAX_UNZIPPED_MB = 400
_YES, _NO = {"yes", "true", "1"}, {"no", "false", "0", ""}


def columns_markdown() -> str:
    """The documented columns as a markdown table, for the README."""
    rows = ["| column | what to put in it |", "|---|---|"]
    contact = f"contact1_ … contact{MAX_CONTACTS}_"
    for column in COLUMNS:
        if column.path[0] == "alternate_contacts":
            continue
        rows.append(f"| `{column.name}` | {column.meaning} |")
    rows.append(
        f"| `{contact}first_name`, `last_name`, `relationship`, `phone`, `email`, `address` | "
        f"Up to {MAX_CONTACTS} alternate contacts; first and last name are required for each "
        "contact given. A contact with the name of an existing one is edited. |"
    )
    return "\n".join(rows) + "\n"


COLUMN_ORDER = {column.name: number for number, column in enumerate(COLUMNS)}


def normalise_column(text: str) -> str:
    """'State ID', 'state-id', 'StateID' → 'state_id'; 'Contact 1 Email' → 'contact1_email'.

    Separators (spaces, underscores, hyphens, dots) do not count, nor does letter case; an
    unknown name comes back in snake case for the error message.
    """
    name = re.sub(r"[\s_\-.]+", "_", text.strip().casefold()).strip("_")
    known = _BY_SQUASHED.get(name.replace("_", ""))
    return known.name if known else re.sub(r"^contact_(\d)", r"contact\1", name)


def column_letter(index: int) -> str:
    """0 → 'A', 26 → 'AA': the column letter Excel shows."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
