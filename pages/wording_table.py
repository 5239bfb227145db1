"""The wording table as data: every element a page object looks for, keyed by screen and
element, with the words the 2016 and 2021 help sheets and the live site use for it.

Data only, so that adding a word the site was seen to use is one line here and nothing else
(a form field's caption is a line of its section's table, bots/form_fields.py);
pages/site_wording.py builds the table in force from it and pages/wording_file.py checks a
wording file's keys against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from caljobs_bot.form_fields import GENERAL_INFORMATION

# How an element's words are matched:
#   caption: the whole text is the words (a field caption, a button's name), `*`, `:` allowed;
#   words:   the words among a few others (a title "Case Management Profile for Karen James");
#   message: the whole text is the words, or it reads as the built-in pattern says (a message
#            in whichever words a release uses, a (+)'s tool tip).
Kind = Literal["caption", "words", "message"]


@dataclass(frozen=True)
class Element:
    """One element a page object looks for: where, what, and its built-in words."""

    key: str                       # "screen.element", as in the wording file
    what: str                      # a person's description, for messages and the template
    words: tuple[str, ...]         # the help sheets' and known live-site words
    kind: Kind = "caption"
    extra_words: int = 0           # kind "words": how many other words may surround them
    pattern: str | None = None     # a built-in loose regex also accepted (messages, toggles)
    clickable: bool = False        # a link or button (calibrate asks for a click on it)

    @property
    def screen(self) -> str:
        """The screen part of the key ("case" of "case.create_button")."""
        return self.key.split(".", 1)[0]


# Screens, as the wording file's keys begin, and how a person names them.
SCREENS: Mapping[str, str] = {
    "sign_in": "sign-in page",
    "home": "staff home page and menu (on every page)",
    "search": "Assist an Individual search screen",
    "case": "Case Management Profile",
    "outcome": "Exit/Outcome form",
    "case_note": "Case Note panel of the Exit/Outcome form",
    "case_manager": "Assign Case Manager panel of the Exit/Outcome form",
    "contacts": "Alternate Contacts pop-up",
    "session": "session-timeout warning over any page",
    "site": "any page",
}

_NO_RESULTS = (r"^\s*(no\b[^.]{0,60}?\b(found|match\w*)|0 (records|results|matches)\b)"
               r"[^.]{0,80}\.?\s*$")
_SAVED = (r"^\s*(The\s+)?(Exit\s*\/\s*)?Outcome\b[^.]{0,40}\b(has been|was|is)?\s*saved\b"
          r"[^.]{0,40}\.?\s*$")
# "Your session is about to expire", "Your session will time out in 2 minutes", "Session
# Timeout Warning"; not "Your session has expired" (the sign-in page's message: too late).
_SESSION_EXPIRING = (r"^(?=[\s\S]{0,300}$)[\s\S]*\bsession\b[\s\S]{0,80}?"
                     r"\b(expire|expires|expiring|time\s*out|times\s*out|timing\s*out)\b[\s\S]*$")
# A short control that keeps the session ("Continue", "Yes, keep me signed in", "OK"); never
# one that signs out, whatever else it says.
_KEEP_ALIVE = (r"^(?![\s\S]*\b(out|off|exit|quit|end|no|cancel)\b)"
               r"\s*(yes|ok|okay|continue|stay|keep|extend|renew|remain)\b[^.]{0,30}\.?\s*$")
_OUTAGE = (r"^(?=[^.]{0,80}$).*(currently unavailable|temporarily unavailable|maintenance"
           r"|outage|site is down).*$")


def _e(key: str, what: str, *words: str, kind: Kind = "caption", extra_words: int = 0,
       pattern: str | None = None, clickable: bool = False) -> Element:
    return Element(key, what, tuple(words), kind, extra_words, pattern, clickable)


ELEMENTS: tuple[Element, ...] = (
    # -- sign in ----------------------------------------------------------------------------
    _e("sign_in.username", "'Username' box's caption", "Username"),
    _e("sign_in.password", "'Password' box's caption", "Password"),
    _e("sign_in.sign_in_button", "button that signs in", "Sign In", clickable=True),
    _e("sign_in.agree", "button that accepts the notice shown after signing in", "Agree",
       kind="words", extra_words=2, clickable=True),
    # -- home page and menu (on every page) ------------------------------------------------
    _e("home.services_menu", "top level of the staff menu",
       "Services for Workforce Staff", clickable=True),
    _e("home.manage_individuals", "menu link 'Manage Individuals'", "Manage Individuals",
       clickable=True),
    _e("home.assist_an_individual", "menu link that opens the participant search",
       "Assist an Individual", clickable=True),
    _e("home.sign_out", "link that signs out", "Sign Out", "Log Out", "Sign Off", "Log Off",
       clickable=True),
    # -- Assist an Individual ---------------------------------------------------------------
    _e("search.state_id", "'State ID' search box's caption", "State ID"),
    _e("search.user_id", "'User ID' search box's caption", "User ID"),
    _e("search.last_name", "'Last Name' search box's caption", "Last Name"),
    _e("search.first_name", "'First Name' search box's caption", "First Name"),
    _e("search.search_button", "button that searches", "Search", clickable=True),
    _e("search.no_results", "message that nobody was found", "No records found.",
       "No matching individuals were found for the criteria entered.", kind="message",
       pattern=_NO_RESULTS),
    # -- Case Management Profile --------------------------------------------------------------
    _e("case.title", "page title 'Case Management Profile'", "Case Management Profile",
       kind="words", extra_words=8),
    _e("case.programs_tab", "tab that lists the program applications", "Programs",
       clickable=True),
    _e("case.exit_outcome_section", "application's section that lists its outcomes",
       "Exit / Outcome", "Outcome"),
    _e("case.closure_section", "application's section for closures", "Closure",
       "Exit / Closure"),
    _e("case.create_button", "button or link that creates the Exit/Outcome",
       "Create Exit/Outcome", "Create Outcome", clickable=True),
    _e("case.saved_message", "message shown after an outcome is saved",
       "The Exit/Outcome has been saved.", "The Outcome has been saved.",
       "Exit/Outcome record saved successfully", "Outcome record saved successfully",
       kind="message", pattern=_SAVED),
    _e("case.lwdb_caption", "caption of the workforce board line in an application", "LWDB",
       "LWIA"),
    _e("case.no_data", "text of an empty list", "No data found."),
    _e("case.expand", "tool tip or text of a tree node's (+)", "Expand", "Show", "Open", "(+)",
       kind="message", pattern=r"^\s*(\(\s*\+\s*\)|\+|(expand|show|open)\b.*)$"),
    _e("case.collapse", "tool tip or text of a tree node's (-)", "Collapse", "Hide", "Close",
       "(-)", kind="message", pattern=r"^\s*(\(\s*-\s*\)|-|(collapse|hide|close)\b.*)$"),
    # -- the Exit/Outcome form ----------------------------------------------------------------
    _e("outcome.title", "form title", "Exit/Outcome", "Outcome"),
    _e("outcome.general_section", "section title 'General Information'", "General Information"),
    _e("outcome.exit_section", "section title 'Exit Information'", "Exit Information"),
    _e("outcome.contacts_section", "section title 'Alternate Contact Information'",
       "Alternate Contact Information"),
    _e("outcome.staff_section", "section title 'Staff Information'", "Staff Information"),
    _e("outcome.login_name", "'Login Name' caption", "Login Name"),
    _e("outcome.user_id", "'User ID' caption", "User ID"),
    _e("outcome.state_id", "'State ID' caption", "State ID"),
    _e("outcome.name", "participant 'Name' caption", "Name"),
    # General Information's fields, each declared once in its section's table.
    *(_e(field.wording, f"{field.what}'s caption", field.label, *field.other_words)
      for field in GENERAL_INFORMATION),
    _e("outcome.exit_date", "'Exit Date' box's caption", "Exit Date"),
    _e("outcome.today", "link that fills today's date", "Today", clickable=True),
    _e("outcome.exit_reason", "'Exit Reason' dropdown's caption", "Exit Reason"),
    _e("outcome.none_selected", "first option of a dropdown (nothing chosen)", "None Selected",
       "-- Select --", "Select One"),
    _e("outcome.manage_contacts", "button that opens the alternate contacts",
       "Manage Alternate Contacts", clickable=True),
    _e("outcome.add_case_note", "link that opens the case note panel", "Add a new Case Note",
       clickable=True),
    _e("outcome.case_manager", "'Case Manager' caption in Staff Information", "Case Manager"),
    # A site may show "Current Case Manager: Staff25, Lac Assign": the short words are the
    # link right after the name (the panel's own "Assign" button hides until it opens).
    _e("outcome.assign_case_manager", "link that opens the Assign Case Manager panel",
       "Assign Case Manager", "Assign", "Change Case Manager", "Change", clickable=True),
    _e("outcome.remove_case_manager", "link that removes the case manager",
       "Remove Case Manager Assignment", clickable=True),
    _e("outcome.save", "form's Save button", "Save", clickable=True),
    _e("outcome.cancel", "form's Cancel button", "Cancel", clickable=True),
    # -- Case Note panel ----------------------------------------------------------------------
    _e("case_note.title", "panel title 'Case Note'", "Case Note"),
    _e("case_note.subject", "'Subject' caption", "Subject"),
    _e("case_note.comments", "'Comments' caption", "Comments"),
    _e("case_note.attachment", "'Attachment' caption", "Attachment"),
    _e("case_note.save", "panel's Save button", "Save", clickable=True),
    _e("case_note.cancel", "panel's Cancel button", "Cancel", clickable=True),
    # -- Assign Case Manager panel ------------------------------------------------------------
    _e("case_manager.title", "panel title 'Assign Case Manager'", "Assign Case Manager"),
    _e("case_manager.dropdown", "'Case Manager' dropdown's caption", "Case Manager"),
    _e("case_manager.assign", "button that assigns", "Assign", clickable=True),
    _e("case_manager.cancel", "panel's Cancel button", "Cancel", clickable=True),
    # -- Alternate Contacts ---------------------------------------------------------------------
    _e("contacts.title", "pop-up title 'Alternate Contacts'", "Alternate Contacts"),
    _e("contacts.add", "button that adds a contact", "Add New Contact", clickable=True),
    _e("contacts.edit", "link that edits a listed contact", "Edit", clickable=True),
    _e("contacts.first_name", "'First Name' caption", "First Name"),
    _e("contacts.last_name", "'Last Name' caption", "Last Name"),
    _e("contacts.relationship", "'Relationship' caption", "Relationship"),
    _e("contacts.phone", "'Phone' caption", "Phone"),
    _e("contacts.email", "'Email' caption", "Email"),
    _e("contacts.address", "'Address' caption", "Address"),
    _e("contacts.save", "button that saves the contact", "Save", clickable=True),
    _e("contacts.close", "button that closes the pop-up", "Close", clickable=True),
    _e("contacts.no_data", "text of an empty contact list", "No data found."),
    # -- the session-timeout warning (over any page; pages/session_warning.py) -----------------
    _e("session.expiring", "words of the warning that the session is about to expire",
       "Your session is about to expire", kind="message", pattern=_SESSION_EXPIRING),
    _e("session.keep_alive", "button on that warning that keeps the session (never one that "
       "signs out)", "Continue", "Stay signed in", "Keep working", "OK", "Yes",
       kind="message", pattern=_KEEP_ALIVE, clickable=True),
    # -- any page -----------------------------------------------------------------------------
    _e("site.maintenance", "title of a maintenance or outage page", "Scheduled Maintenance",
       kind="message", pattern=_OUTAGE),
)
ELEMENT: Mapping[str, Element] = {element.key: element for element in ELEMENTS}
