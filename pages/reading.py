"""Reading a screen as a person does: its words in reading order, and what comes before what.

A WebForms tree (an ASP.NET TreeView) does not nest a node's children inside the node: each
node is a small table of its own, and its children follow in a sibling `<div>`. Nothing in the
markup says "this Create button belongs to application 2244266"; a person knows it because the
button comes after that application's line and before the next one. These helpers answer
such questions by document order, whatever the nesting, so one page object reads the sandbox's
nested list and a TreeView alike.

Patterns handed to the browser run as JavaScript regexes (numbered groups only).
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Locator, Page

from caljobs_bot.pages.fields import evaluate_one

# The elements a person clicks: links, buttons, and the input kinds that act as buttons.
CLICKABLE_XPATH = (
    "self::a or self::button or self::input[@type='image' or @type='button' or "
    "@type='submit']"
)


def _js_pattern(pattern: re.Pattern[str]) -> dict[str, str]:
    return {"source": pattern.pattern, "flags": "i" if pattern.flags & re.IGNORECASE else ""}


# Shared by the scripts below: the smallest elements whose squeezed text matches a pattern
# (a parent is skipped when one of its children matches too, as Playwright's text engine does).
_SMALLEST_MATCHES = """
const squeeze = t => (t || "").replace(/\\s+/g, " ").trim();
const smallest = (root, pattern) => {
  const re = new RegExp(pattern.source, pattern.flags);
  const found = [];
  const visit = element => {
    let childMatched = false;
    for (const child of element.children) {
      if (visit(child)) childMatched = true;
    }
    if (childMatched) return true;
    if (["SCRIPT", "STYLE", "NOSCRIPT"].includes(element.tagName)) return false;
    if (re.test(squeeze(element.textContent))) { found.push(element); return true; }
    return false;
  };
  visit(root);
  return found;
};
"""

_LINES_OF_REGION = (
    "(body, patterns) => {"
    + _SMALLEST_MATCHES
    + """
  let marks = [];
  for (const pattern of patterns) marks = marks.concat(smallest(body, pattern));
  if (!marks.length) return {lines: [], clickable: []};
  let region = marks[0];
  for (const mark of marks) {
    while (!region.contains(mark)) region = region.parentElement;
  }
  const lines = region.innerText.split("\\n").map(squeeze).filter(line => line);
  const clickable = Array.from(region.querySelectorAll("a, button"), e => squeeze(e.innerText))
    .filter(text => text);
  return {lines, clickable};
}"""
)

_NEAREST_BEFORE = (
    "(elements, patterns) => {"
    + _SMALLEST_MATCHES
    + """
  const body = elements.length ? elements[0].ownerDocument.body : null;
  if (!body) return [];
  const marks = patterns.map(pattern => smallest(body, pattern));
  const before = (a, b) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_PRECEDING;
  return elements.map(element => marks.map(list => {
    let nearest = null;
    for (const mark of list) {
      if (mark !== element && !mark.contains(element) && before(element, mark)) nearest = mark;
    }
    return nearest ? squeeze(nearest.textContent) : null;
  }));
}"""
)


def lines_of_region(page: Page, *patterns: re.Pattern[str]) -> tuple[list[str], set[str]]:
    """The visible lines of the smallest part of the page that holds every text matching one
    of the patterns (e.g. every application line and section name of the programs tree), and
    the words of the links and buttons in it (a line that is only a link is something to
    click, not something listed).

    One round trip. Only what is shown is read (innerText leaves hidden nodes out), so a
    collapsed node's contents are not there; nothing when no text matches.
    """
    read: dict[str, list[str]] | list[str] = page.locator("body").evaluate(
        _LINES_OF_REGION, [_js_pattern(p) for p in patterns]
    )
    if not isinstance(read, dict):
        return [], set()
    return read["lines"], set(read["clickable"])


def nearest_texts_before(
    candidates: Locator, *patterns: re.Pattern[str]
) -> list[list[str | None]]:
    """For every element the candidates match now, and for every pattern, the text of the
    nearest element before it (in reading order) whose text matches that pattern; None where
    nothing before it matches. One round trip; no waiting.

    This tells which application (the nearest "WIOA #..." line before it) and which section
    (the nearest section name before it) a button belongs to.
    """
    found: list[list[str | None]] = candidates.evaluate_all(
        _NEAREST_BEFORE, [_js_pattern(p) for p in patterns]
    )
    return found


def pick(candidates: Locator, index: int) -> Locator:
    """The candidate at `index` of those matched now.

    Last resort, by position: chosen by what comes before it on screen (see
    nearest_texts_before), which no role or text can say; the index was just read from the
    same candidates.
    """
    return candidates.nth(index)


def clickable_before(target: Locator) -> Locator:
    """The clickable element nearest before `target` in reading order: a tree node's (+)
    toggle sits just before the node's text, as an image link, a button or "(+)" text.

    Last resort, by structure: "the control just before this text" has no role or caption;
    XPath's preceding axis says exactly that, whatever the nesting.
    """
    return target.locator(f"xpath=preceding::*[{CLICKABLE_XPATH}][1]")


def state_words(element: Locator) -> dict[str, Any]:
    """What a toggle shows of its state, read in one round trip: its aria-expanded (when the
    site has it) and its words: text, `alt`, `title`, `value`, and those of an image inside."""
    # One round trip when the toggle is there (evaluate_one), where Locator.evaluate takes three.
    words: dict[str, Any] = evaluate_one(element, """e => {
          const img = e.querySelector("img");
          const parts = [e.textContent, e.getAttribute("alt"), e.getAttribute("title"),
            e.tagName === "INPUT" ? e.value : "", img && img.getAttribute("alt"),
            img && img.getAttribute("title")];
          return {expanded: e.getAttribute("aria-expanded"),
                  words: parts.filter(p => p).join(" ").replace(/\\s+/g, " ").trim()};
        }"""
    )
    return words
