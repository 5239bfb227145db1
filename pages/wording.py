"""Every wording that differs between the 2016 and 2021 CalJOBS screens, in one place.

The two help sheets name the same things differently ("Create Outcome" in 2016, "Create
Exit/Outcome" in 2021), and a live release words its messages in its own way ("The
Exit/Outcome has been saved.", "Outcome record saved successfully"). Page objects match these
patterns instead of branching on a year, so one set of classes drives either screen, and a
new variant seen on the real site is one edit here. Texts that are the same on both screens
live with the page object that uses them.

These patterns also run in the browser as JavaScript regexes: slashes are escaped
and groups are plain numbered ones.
"""

from __future__ import annotations

import re

# The button under an application's Exit / Outcome node that opens the form.
CREATE_OUTCOME = re.compile(r"^\s*Create\s+(Exit\s*\/\s*)?Outcome\s*$", re.IGNORECASE)

# The child node of an application that lists its outcomes ("Exit / Outcome" or "Outcome").
EXIT_OUTCOME_SECTION = re.compile(r"^\s*(Exit\s*\/\s*)?Outcome\s*:?\s*$", re.IGNORECASE)

# Every child node of an application that has a (+) of its own: where one section's contents
# end and the next section begins.
ANY_SECTION = re.compile(r"^\s*(Closure|(Exit\s*\/\s*)?Outcome|Exit\s*\/\s*Closure)\s*:?\s*$",
                         re.IGNORECASE)

# The outcome form's own title ("Exit/Outcome" or "Outcome").
OUTCOME_FORM_HEADING = re.compile(r"^\s*(Exit\s*\/\s*)?Outcome\s*$", re.IGNORECASE)

# The message on the case page after a successful save, in the words of either release.
SAVE_CONFIRMATION = re.compile(
    r"^\s*(The\s+)?(Exit\s*\/\s*)?Outcome\b[^.]{0,40}\b(has been|was|is)?\s*saved\b"
    r"[^.]{0,40}\.?\s*$",
    re.IGNORECASE,
)

# The caption of the workforce-board line in an expanded application ("LWDB:" or "LWIA:").
# ApplicationNode.details() reports it under the key LWDB_KEY whichever the screen shows.
LWDB_CAPTION = re.compile(r"^(LWDB|LWIA)$", re.IGNORECASE)
LWDB_KEY = "LWDB"

# A tree node's (+) / (-) toggle, by its name: what it shows, or the image's alt or title
# ("Expand", "Expand WIOA #2244266 - Complete", "Show", "(+)").
EXPAND = re.compile(r"^\s*(\(\s*\+\s*\)|\+|(expand|show|open)\b.*)$", re.IGNORECASE)
COLLAPSE = re.compile(r"^\s*(\(\s*-\s*\)|-|(collapse|hide|close)\b.*)$", re.IGNORECASE)
TOGGLE = re.compile(
    r"^\s*(\(\s*[+-]\s*\)|[+-]|(expand|collapse|show|hide|open|close)\b.*)$", re.IGNORECASE
)

# The first option of every dropdown on the outcome form: nothing chosen yet.
NONE_SELECTED = re.compile(r"^\s*(None Selected|--\s*Select\s*--|Select One)?\s*$", re.IGNORECASE)
