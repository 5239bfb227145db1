"""Every wording that differs between the 2016 and 2021 CalJOBS screens, in one place.

The two help sheets name the same things differently ("Create Outcome" in 2016, "Create
Exit/Outcome" in 2021). Page objects match these patterns instead of branching on a year, so
one set of classes drives either screen, and a new variant seen on the real site is one edit
here. Texts that are the same on both screens live with the page object that uses them.

These patterns also run in the browser as JavaScript regexes: slashes are escaped
and groups are plain numbered ones.
"""

from __future__ import annotations

import re

# The button under an application's Exit / Outcome node that opens the form.
CREATE_OUTCOME = re.compile(r"^\s*Create\s+(Exit\s*\/\s*)?Outcome\s*$", re.IGNORECASE)

# The child node of an application that lists its outcomes ("Exit / Outcome" or "Outcome").
EXIT_OUTCOME_SECTION = re.compile(r"^\s*(Exit\s*\/\s*)?Outcome\s*$", re.IGNORECASE)

# The outcome form's own heading ("Exit/Outcome" or "Outcome").
OUTCOME_FORM_HEADING = re.compile(r"^\s*(Exit\s*\/\s*)?Outcome\s*$", re.IGNORECASE)

# The flash message on the case page after a successful save.
SAVE_CONFIRMATION = re.compile(
    r"The\s+(Exit\s*\/\s*)?Outcome\s+has\s+been\s+saved\.?", re.IGNORECASE
)

# The caption of the workforce-board line in an expanded application ("LWDB:" or "LWIA:").
# ApplicationNode.details() reports it under the key LWDB_KEY whichever the screen shows.
LWDB_CAPTION = re.compile(r"^(LWDB|LWIA)$", re.IGNORECASE)
LWDB_KEY = "LWDB"

# The (+) / (-) buttons of the application tree, by accessible name or by what they show.
EXPAND = re.compile(r"^\s*(Expand|\(\+\)|\+)\s*$", re.IGNORECASE)
COLLAPSE = re.compile(r"^\s*(Collapse|\(-\)|-)\s*$", re.IGNORECASE)
TOGGLE = re.compile(r"^\s*(Expand|Collapse|\(\+\)|\(-\)|\+|-)\s*$", re.IGNORECASE)

# The first option of every dropdown on the outcome form: nothing chosen yet.
NONE_SELECTED = re.compile(r"^\s*(None Selected|--\s*Select\s*--|Select One)?\s*$", re.IGNORECASE)
