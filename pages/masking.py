"""Hiding participant data on a page while it is photographed, and putting it back after.

The guide's screenshots may be shared with trainees, so with --mask-pii every occurrence of
the participant's data (the words we are given) is replaced with ████ in the page itself:
text, form values and the few attributes a person or a screen reader meets (title, alt,
aria-label, placeholder). Working on the DOM rather than painting boxes over a picture means
nothing can peek out beside a box, and a test can read the page at screenshot time to prove
it. Matching is by whole word, case-insensitive, any whitespace between words. Everything is
restored afterwards, so the bot goes on with the real values (a masked form must never be
posted).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from playwright.sync_api import Error, Page

MASK = "████"

_MASK_JS = r"""
([terms, mask]) => {
  const undo = [];
  window.__caljobsMaskUndo = undo;
  if (!terms.length) return 0;
  const escape = (term) => term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
  const words = [...terms].sort((a, b) => b.length - a.length).map(escape).join("|");
  const pattern = new RegExp("(?<![\\p{L}\\p{N}])(?:" + words + ")(?![\\p{L}\\p{N}])", "giu");
  const hide = (text) => text.replace(pattern, mask);
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
def masked(page: Page, terms: Iterable[str]) -> Iterator[int]:
    """Within the block, every term (whole words) reads ████ in the page and all its frames
    (an in-page dialog's iframe included); yields how many texts and values were hidden."""
    wanted = sorted({term.strip() for term in terms if term and term.strip()})
    frames = list(page.frames)
    hidden = 0
    try:
        for frame in frames:
            hidden += frame.evaluate(_MASK_JS, [wanted, MASK])
        yield hidden
    finally:
        for frame in frames:
            try:
                frame.evaluate(_RESTORE_JS)
            except Error:
                continue  # a frame that went away has nothing left to restore
