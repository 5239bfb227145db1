"""When an element is not found: is there exactly one thing on the screen it could be?

A release that rewords the Create button leaves one link or button under the Exit / Outcome
section, and it is not a Create word. `check` can then say "the screen shows 'Add
Exit/Outcome' where the Create button should be" and print the wording line to add. Only
`check` asks this (after a miss, once): a run never guesses, it uses the table in force.

A candidate must be plausible: in the place the element belongs (the section that holds it,
the menu around the other menu entries), of the right kind (something to click, or a caption
before a box), and not already a known word of any element. Zero or several candidates give
no suggestion.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from caljobs_bot.form_fields import GENERAL_INFORMATION
from caljobs_bot.pages.reading import _SMALLEST_MATCHES, _js_pattern
from caljobs_bot.pages.site_wording import SiteWording, in_force
from caljobs_bot.pages.wording_table import ELEMENT, ELEMENTS

# Outcome-form elements and the section whose title precedes them; a region runs from the
# section's title to the next section's title, in reading order (sections may not nest).
_OUTCOME_SECTIONS = ("outcome.general_section", "outcome.exit_section",
                     "outcome.contacts_section", "outcome.staff_section")
_SECTION_OF = {
    **{field.wording: "outcome.general_section" for field in GENERAL_INFORMATION},
    "outcome.exit_date": "outcome.exit_section",
    "outcome.exit_reason": "outcome.exit_section",
    "outcome.today": "outcome.exit_section",
    "outcome.manage_contacts": "outcome.contacts_section",
    "outcome.add_case_note": "outcome.staff_section",
    "outcome.assign_case_manager": "outcome.staff_section",
    "outcome.remove_case_manager": "outcome.staff_section",
}
_MENU = ("home.services_menu", "home.manage_individuals", "home.assist_an_individual")

# How a person names what they click (its words, value, alt or title, or its image's) and
# what they call a box (its label, else the nearest words in the cells before it), as
# JavaScript defining `named` and `captionOf`; needs `squeeze` in scope. settings/calibrate.py
# words a person's click with the same functions, so a suggestion and a calibration agree.
PERSON_NAMES_JS = """
  const named = e => {
    const img = e.querySelector && e.querySelector("img");
    return squeeze(e.innerText || e.value || e.getAttribute("alt") || e.getAttribute("title")
      || (img && (img.getAttribute("alt") || img.getAttribute("title"))) || "");
  };
  const captionOf = e => {
    if (e.id) {
      const label = e.ownerDocument.querySelector(`label[for="${CSS.escape(e.id)}"]`);
      if (label) return squeeze(label.innerText);
    }
    let cell = e.closest("td,th");
    while (cell && !cell.previousElementSibling) cell = cell.parentElement.closest("td,th");
    let before = cell ? cell.previousElementSibling : null;
    while (before && !squeeze(before.innerText)) before = before.previousElementSibling;
    return before ? squeeze(before.innerText) : "";
  };
"""

_WORDS_ON = ("e => { const squeeze = t => (t || '').replace(/\\s+/g, ' ').trim();"
             + PERSON_NAMES_JS + " return named(e); }")


def words_on(control: Locator) -> str:
    """The words a person reads on a control: its text, else its value (a submit input), alt
    or title, or its image's; "" when it has none."""
    words: str = control.evaluate(_WORDS_ON)
    return words


# The words of what is in a region: its clickables' names, or the captions before its boxes.
_IN_REGION = (
    "(body, args) => {"
    + _SMALLEST_MATCHES
    + """
  const FOLLOWING = Node.DOCUMENT_POSITION_FOLLOWING;
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
"""
    + PERSON_NAMES_JS
    + """  const clickable = "a, button, input[type=submit], input[type=button], input[type=image]";
  const boxes = "input:not([type=hidden]):not([type=button]):not([type=submit])" +
    ":not([type=reset]):not([type=image]), select, textarea";
  const starts = args.start ? smallest(body, args.start).filter(shown) : [null];
  const stops = args.stops.flatMap(p => smallest(body, p));
  const found = [];
  for (const start of starts) {
    let stop = null;
    for (const s of stops) {
      if (start && (s === start || !(start.compareDocumentPosition(s) & FOLLOWING))) continue;
      if (start && (s.contains(start) || start.contains(s))) continue;
      if (!stop || (s.compareDocumentPosition(stop) & FOLLOWING)) stop = s;
    }
    for (const e of body.querySelectorAll(args.kind === "caption" ? boxes : clickable)) {
      if (start && (start.contains(e) || !(start.compareDocumentPosition(e) & FOLLOWING))) continue;
      if (stop && !(e.compareDocumentPosition(stop) & FOLLOWING)) continue;
      if (!shown(e)) continue;
      const words = args.kind === "caption" ? captionOf(e) : named(e);
      if (words) found.push(words);
    }
  }
  return found;
}"""
)

# The clickables around the menu's known entries: climb from the deepest one shown until an
# ancestor holds clickables that are no known word (the renamed entry sits among the others).
_NEAR_MENU = (
    "(body, args) => {"
    + _SMALLEST_MATCHES
    + """
  const shown = e => e.getClientRects().length > 0;
  const known = args.known.map(p => new RegExp(p.source, p.flags));
  const named = e => squeeze(e.innerText || e.value || e.getAttribute("alt")
    || e.getAttribute("title") || "");
  const marks = args.menu.flatMap(p => smallest(body, p)).filter(shown);
  if (!marks.length) return [];
  const clickable = "a, button, input[type=submit], input[type=button]";
  for (let box = marks[marks.length - 1]; box && box !== body; box = box.parentElement) {
    const unknown = Array.from(box.querySelectorAll(clickable)).filter(shown).map(named)
      .filter(w => w && !known.some(k => k.test(w)));
    if (unknown.length) return unknown;
  }
  return [];
}"""
)


def _bare(words: str) -> str:
    """A caption's words without the `*` and `:` a screen adds."""
    return " ".join(words.strip().strip("*:").strip().split())


def _known(table: SiteWording, clickable: bool) -> list[re.Pattern[str]]:
    """Every word the table knows, for things to click or for captions: a candidate that
    reads as one of them is some other element, not the missing one."""
    patterns = [table.pattern(e.key) for e in ELEMENTS
                if e.clickable == clickable and e.kind != "message"]
    if clickable:
        patterns.append(table.either("case.expand", "case.collapse"))
    return patterns


def single_candidate(page: Page, key: str, table: SiteWording | None = None) -> str | None:
    """The words of the one plausible candidate for a missing element on this screen, or
    None (no finder for this element, or zero or several candidates). One round trip."""
    table = table or in_force()
    element = ELEMENT[key]
    if key in _MENU:
        menu = [_js_pattern(table.caption(level)) for level in _MENU]
        menu.append(_js_pattern(table.loose("home.services_menu")))
        known_js = [_js_pattern(p) for p in _known(table, True)]
        found: list[str] = page.locator("body").evaluate(
            _NEAR_MENU, {"menu": menu, "known": known_js})
        return _one(found)
    if key == "case.create_button":
        start = table.pattern("case.exit_outcome_section")
        stops = [table.either("case.closure_section", "case.exit_outcome_section"),
                 re.compile(r"^\s*[A-Za-z][^#:]{0,40}#\s*\d+\s*-\s*.+$")]
    elif key in _SECTION_OF:
        start = table.caption(_SECTION_OF[key])
        stops = [table.caption(section) for section in _OUTCOME_SECTIONS]
    elif key.startswith("search.") and element.kind == "caption":
        start, stops = None, []
    else:
        return None
    kind = "clickable" if element.clickable else "caption"
    found = page.locator("body").evaluate(_IN_REGION, {
        "start": _js_pattern(start) if start is not None else None,
        "stops": [_js_pattern(stop) for stop in stops],
        "kind": kind,
    })
    known = _known(table, element.clickable)
    unknown = [_bare(words) for words in found
               if not any(pattern.match(words) for pattern in known)]
    return _one(unknown)


def _one(found: list[str]) -> str | None:
    distinct = list(dict.fromkeys(_bare(words) for words in found if _bare(words)))
    return distinct[0] if len(distinct) == 1 else None
