"""Patterns run in the browser: the smallest elements whose text matches, in reading order.

`check`'s suggestions (pages/candidates.py) look for a region of the page between two texts
by document order. The page objects themselves read a screen as lines of words with their
boxes (pages/screen_text.py).

Patterns handed to the browser run as JavaScript regexes (numbered groups only).
"""

from __future__ import annotations

import re


def _js_pattern(pattern: re.Pattern[str]) -> dict[str, str]:
    return {"source": pattern.pattern, "flags": "i" if pattern.flags & re.IGNORECASE else ""}


# The smallest elements whose squeezed text matches a pattern
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
