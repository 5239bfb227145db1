"""The built-in wording's patterns under their old names, for code and tests that match the
help sheets' own words.

The words themselves live in pages/wording_table.py, one table keyed by screen and element,
which a data team can extend with a wording file; page objects read the table in force
(`site_wording.in_force()`), not these constants, so a wording file reaches them. These are
the built-in table only.

Patterns also run in the browser as JavaScript regexes: slashes are escaped and groups are
plain numbered or non-capturing ones.
"""

from __future__ import annotations

from caljobs_bot.pages.site_wording import BUILT_IN

# The button under an application's Exit / Outcome node that opens the form.
CREATE_OUTCOME = BUILT_IN.pattern("case.create_button")
# The child node of an application that lists its outcomes ("Exit / Outcome" or "Outcome").
EXIT_OUTCOME_SECTION = BUILT_IN.pattern("case.exit_outcome_section")
# Every child node of an application that has a (+) of its own.
ANY_SECTION = BUILT_IN.either("case.closure_section", "case.exit_outcome_section")
# The outcome form's own title ("Exit/Outcome" or "Outcome").
OUTCOME_FORM_HEADING = BUILT_IN.pattern("outcome.title")
# The message on the case page after a successful save, in the words of either release.
SAVE_CONFIRMATION = BUILT_IN.pattern("case.saved_message")
# The caption of the workforce-board line in an expanded application ("LWDB:" or "LWIA:").
LWDB_CAPTION = BUILT_IN.pattern("case.lwdb_caption")
# ApplicationNode.details() reports the board line under this key whichever the screen shows.
LWDB_KEY = "LWDB"
# A tree node's (+) / (-) toggle, by its name.
EXPAND = BUILT_IN.pattern("case.expand")
COLLAPSE = BUILT_IN.pattern("case.collapse")
TOGGLE = BUILT_IN.either("case.expand", "case.collapse")
# The first option of every dropdown on the outcome form: nothing chosen yet.
NONE_SELECTED = BUILT_IN.pattern("outcome.none_selected")
