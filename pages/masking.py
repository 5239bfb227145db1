"""Hiding participant data on a page while it is photographed, and putting it back after.

The guide's screenshots may be shared with trainees, so with --mask-pii every occurrence of
the participant's data (the words we are given) is replaced with ████ in the page itself:
text, form values and the few attributes a person or a screen reader meets (title, alt,
aria-label, placeholder). Working on the DOM rather than painting boxes over a picture means
nothing can peek out beside a box, and a test can read the page at screenshot time to prove
it. Matching is by whole word, case-insensitive, any whitespace between words. Everything is
restored afterwards, so the bot goes on with the real values (a masked form must never be
posted).

Besides the words, two kinds of value are hidden that a word list cannot carry safely:
`cells`, hidden only where they are a text's or a field's whole content (a city such as "Los
Angeles" is the participant's address in its own cell, but part of the public region "City
of Los Angeles"), and `PATTERNS`, every date: on these screens a date is always the
participant's (application, exit, case note), and it is known only once shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from playwright.sync_api import Error, Page

MASK = "████"
# Every date a screen may show (06/24/2021, 6/24/2021, 2021-06-24, June 24, 2021), as a
# JavaScript and Python regular expression alike, matched as whole words.
DATE_PATTERN = (r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}|"
                r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s*\d{4}")
PATTERNS = (DATE_PATTERN,)

_MASK_JS = r"""
([terms, cells, patterns, mask]) => {
  const undo = [];
  window.__caljobsMaskUndo = undo;
  if (!terms.length && !cells.length && !patterns.length) return 0;
  const escape = (term) => term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
  const words = [...[...terms].sort((a, b) => b.length - a.length).map(escape), ...patterns];
  const pattern = new RegExp("(?<![\\p{L}\\p{N}])(?:" + words.join("|")
                             + ")(?![\\p{L}\\p{N}])", "giu");
  const squeeze = (text) => text.replace(/\s+/g, " ").trim().toLowerCase();
  const whole = new Set(cells.map(squeeze));
  const hide = (text) => whole.has(squeeze(text)) ? text.replace(/\S(.*\S)?/s, mask)
                         : words.length ? text.replace(pattern, mask) : text;
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue;
    const hidden = hide(text);
    if (hidden !== text) { node.nodeValue = hidden; undo.push(() => { node.nodeValue = text; }); }
  }
  const attributes = ["value", "title", "alt", "aria-label", "aria-description", "placeholder"];
  for (const element of document.querySelectorAll("*")) {
    for (const name of attributes) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      const hidden = hide(value);
      if (hidden !== value) {
        element.setAttribute(name, hidden);
        undo.push(() => element.setAttribute(name, value));
      }
    }
    if (element instanceof HTMLInputElement && element.type === "file") {
      // A file box's value cannot be written: the file name it draws (which may name the
      // person) is made transparent, whatever it is.
      if (element.value) {
        const color = element.style.getPropertyValue("color");
        const priority = element.style.getPropertyPriority("color");
        element.style.setProperty("color", "transparent", "important");
        undo.push(() => element.style.setProperty("color", color, priority));
      }
      continue;
    }
    if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
      const value = element.value;
      const hidden = hide(value);
      if (hidden !== value) { element.value = hidden; undo.push(() => { element.value = value; }); }
    }
  }
  return undo.length;
}
"""

_RESTORE_JS = """
() => {
  const undo = window.__caljobsMaskUndo || [];
  while (undo.length) undo.pop()();
  delete window.__caljobsMaskUndo;
}
"""


@contextmanager
def masked(page: Page, terms: Iterable[str], *, cells: Iterable[str] = (),
           patterns: Iterable[str] = ()) -> Iterator[int]:
    """Within the block, every term (whole words), every text or field that is a whole cell,
    and whatever the patterns match (PATTERNS: every date) read ████ in the page and all its
    frames (an in-page dialog's iframe included); yields how many texts and values were
    hidden. No pattern unless asked: a run's evidence keeps its dates (the site's "cannot be
    before the application date (03/02/2020)" is what explains the failure)."""
    wanted = sorted({term.strip() for term in terms if term and term.strip()})
    whole = sorted({cell.strip() for cell in cells if cell and cell.strip()})
    frames = list(page.frames)
    hidden = 0
    try:
        for frame in frames:
            hidden += frame.evaluate(_MASK_JS, [wanted, whole, list(patterns), MASK])
        yield hidden
    finally:
        for frame in frames:
            try:
                frame.evaluate(_RESTORE_JS)
            except Error:
                continue  # a frame that went away has nothing left to restore
