"""A screen as a person reads it: the lines of words shown, and the things one can click.

We have never seen the real CalJOBS markup, and every site that imitates it draws its tree,
its grids and its messages differently: an application's words may sit in a link, a cell,
a span beside its (+), or be split over `<b>` and `<span>`. What does not change is what a
person sees: words on a visual line, and something to click near them. So a screen is read
in one round trip into

- `lines`: the visible text, grouped into visual lines (text on one row, in reading order),
  each with its box and the box of each piece, pieces in different cells or different
  clickable elements joined by a tab, pieces of one flow of text joined as shown;
- `clickables`: every visible thing a person can click (links, buttons, image and submit
  inputs, elements with an `onclick` or a pointer cursor), with its box, its words (text,
  alt, title, value, and its image's) and what a click would do to the page (stay, post the
  form back, or follow a real address).

Python then decides by pattern and by place: which line names an application, which
clickable sits just before it. Nothing here knows a tag name the site must use.

The read marks each clickable with a numbered attribute of our own (`SPOT_ATTRIBUTE`), so the
one the decision names can be clicked by Playwright (which waits and scrolls) without an id,
an XPath or a position; a new read renumbers them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from playwright.sync_api import Frame, Locator, Page

SPOT_ATTRIBUTE = "data-caljobs-spot"
# The kinds of element a person types into or chooses from (buttons and hidden inputs are not).
CONTROL_SELECTOR = (
    "input:not([type=hidden]):not([type=button]):not([type=submit]):not([type=reset])"
    ":not([type=image]):not([type=checkbox]):not([type=radio]), select, textarea"
)
# What a control's value begins with in a read with values (read_lines_with_values): a
# zero-width space, which no trimming removes, so an empty box keeps its cell in its line and a
# value is told from a caption.
VALUE_MARK = "\u200b"

# What a click on a clickable does to the page, as far as its markup tells before clicking.
#   page:     stays on the page (a script, a "#" link, a plain button);
#   postback: submits the page's form (a WebForms postback, a submit button);
#   leaves:   follows a real address.
Effect = Literal["page", "postback", "leaves"]

# What the page shows, in a few characters: its rendered text and the words of its visible
# buttons (an opened node may show only a Create button, which has no text of its own), our
# walkthrough panel left out. A change of it is "something happened"; what happened is
# decided by reading the page again.
SIGNATURE_JS = """() => {
  const body = document.body;
  if (!body) return "";
  let text = body.innerText || "";
  const panel = document.getElementById("caljobs-walkthrough");
  if (panel) text = text.replace(panel.innerText || "", "");
  for (const e of document.querySelectorAll("input[type=submit], input[type=button], " +
      "input[type=image], button")) {
    if (e.getClientRects().length) text += "|" + (e.value || e.alt || e.textContent || "");
  }
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return text.length + ":" + hash;
}"""

_READ = """(root, options) => {
  const MARK = "__MARK__";
  // A screen read marks its clickables and remembers what the page showed; a read of one
  // part for its values (options.values) leaves both alone, so a screen's marks stay valid.
  const marking = !(options && options.values);
  const doc = root.ownerDocument;
  const view = doc.defaultView;
  if (marking) {
    view.__caljobsSeen = (__SIGNATURE__)();
    for (const old of doc.querySelectorAll("[" + MARK + "]")) old.removeAttribute(MARK);
  }
  const styles = new Map();
  const style = e => {
    let s = styles.get(e);
    if (!s) { s = view.getComputedStyle(e); styles.set(e, s); }
    return s;
  };
  const ours = e => Boolean(e.closest("#caljobs-walkthrough"));
  const squeeze = t => (t || "").replace(/\\s+/g, " ").trim();
  const NATIVE = "a[href], a[onclick], button, input[type=image], input[type=button], " +
    "input[type=submit], input[type=reset], [onclick], area[href], summary";
  const pointerOwn = e => style(e).cursor === "pointer" &&
    !(e.parentElement && style(e.parentElement).cursor === "pointer");
  const isClickable = e => e.matches(NATIVE) || pointerOwn(e);
  const clickableIds = new Map();
  const clickables = [];
  const sx = view.scrollX, sy = view.scrollY;
  const boxOf = r => [r.left + sx, r.top + sy, r.right + sx, r.bottom + sy];
  for (const e of root.querySelectorAll("*")) {
    if (!isClickable(e) || ours(e)) continue;
    const r = e.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0 || style(e).visibility !== "visible") continue;
    const img = e.tagName === "IMG" ? e : e.querySelector("img");
    const parts = [squeeze(e.textContent), e.getAttribute("alt"), e.getAttribute("title"),
      e.tagName === "INPUT" ? e.value : null, img && img !== e ? img.getAttribute("alt") : null,
      img && img !== e ? img.getAttribute("title") : null].map(squeeze).filter(p => p);
    const href = e.getAttribute("href") || "";
    const script = href + " " + (e.getAttribute("onclick") || "");
    let effect = "page";
    if (e.tagName === "A" && href && !/^\\s*(javascript:|#)/i.test(href)) effect = "leaves";
    if (e.tagName === "AREA" && href && !/^\\s*(javascript:|#)/i.test(href)) effect = "leaves";
    if (/__doPostBack|WebForm_DoPostBack/i.test(script)) effect = "postback";
    const type = (e.getAttribute("type") || "").toLowerCase();
    if (e.form && ((e.tagName === "INPUT" && (type === "image" || type === "submit")) ||
        (e.tagName === "BUTTON" && (type === "" || type === "submit")))) effect = "postback";
    const spot = clickables.length;
    if (marking) e.setAttribute(MARK, String(spot));
    clickableIds.set(e, spot);
    clickables.push({spot, box: boxOf(r), tag: e.tagName.toLowerCase(), words: parts,
      image: Boolean(img) || type === "image", effect,
      expanded: e.getAttribute("aria-expanded")});
  }
  const clickableOf = node => {
    for (let e = node.parentElement; e && e !== root.parentElement; e = e.parentElement) {
      if (clickableIds.has(e)) return clickableIds.get(e);
    }
    return -1;
  };
  const inline = e => ["inline", "contents"].includes(style(e).display);
  const blockOf = node => {
    let e = node.parentElement;
    while (e && e !== root && inline(e)) e = e.parentElement;
    return e;
  };
  const SKIP = "script, style, noscript, template, select, textarea, option, title";
  // With options.values, each control a person types into or chooses from counts as words
  // of its own cell where it is drawn: its shown value (a dropdown's chosen option), or
  // after a mark of its own (so an empty box still stands between a caption and the next, and
  // a value that reads like a caption is still known for a value).
  const CONTROLS = "__CONTROLS__";
  const shownValue = e => e.tagName === "SELECT" ?
    (e.selectedIndex >= 0 ? e.options[e.selectedIndex].text : "") : e.value;
  const walker = doc.createTreeWalker(root, options && options.values ?
    NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT : NodeFilter.SHOW_TEXT);
  const range = doc.createRange();
  const lines = [];
  let line = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let rects, block, click, text;
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (!node.matches(CONTROLS) || ours(node) || style(node).visibility !== "visible") continue;
      rects = Array.from(node.getClientRects()).filter(r => r.width > 0 && r.height > 0);
      block = node;
      click = clickableOf(node);
      text = "__VALUE_MARK__" + squeeze(shownValue(node));
    } else {
      if (!node.data.trim()) continue;
      const parent = node.parentElement;
      if (!parent || parent.closest(SKIP) || ours(parent)) continue;
      if (style(parent).visibility !== "visible") continue;
      range.selectNodeContents(node);
      rects = Array.from(range.getClientRects()).filter(r => r.width > 0 && r.height > 0);
      block = blockOf(node);
      click = clickableOf(node);
      text = node.data.replace(/\\s+/g, " ");
    }
    if (!rects.length) continue;
    const first = rects[0], last = rects[rects.length - 1];
    const overlap = line ? Math.min(first.bottom, line.band.bottom) -
      Math.max(first.top, line.band.top) : 0;
    const sameRow = line && overlap > Math.min(first.height, line.band.height) / 2 &&
      first.left >= line.band.right - 2;
    if (!sameRow) {
      line = {text: "", box: boxOf(first), band: first, pieces: [], block, click};
      lines.push(line);
      text = text.trimStart();
    } else if (block !== line.block || click !== line.click) {
      line.text = line.text.trimEnd() + "\\t";
      text = text.trimStart();
    } else if (line.text.endsWith(" ")) {
      text = text.trimStart();
    } else if (first.left - line.band.right > 1.5 && !text.startsWith(" ")) {
      line.text += " ";
    }
    const start = line.text.length;
    line.text += text;
    const box = boxOf(first);
    line.pieces.push([start, line.text.length, box[0], boxOf(last)[2], click]);
    const whole = rects.map(boxOf);
    line.box = [Math.min(line.box[0], ...whole.map(b => b[0])),
      Math.min(line.box[1], ...whole.map(b => b[1])),
      Math.max(line.box[2], ...whole.map(b => b[2])),
      Math.max(line.box[3], ...whole.map(b => b[3]))];
    line.band = last;
    line.block = block;
    line.click = click;
  }
  return {
    lines: lines.map(l => ({text: l.text.trimEnd(), box: l.box, pieces: l.pieces}))
      .filter(l => l.text),
    clickables,
  };
}""".replace("__MARK__", SPOT_ATTRIBUTE).replace("__SIGNATURE__", SIGNATURE_JS).replace(
    "__CONTROLS__", CONTROL_SELECTOR).replace("__VALUE_MARK__", "\\u200b")


@dataclass(frozen=True)
class Box:
    """Where something is drawn, in page coordinates (pixels from the document's top left)."""

    left: float
    top: float
    right: float
    bottom: float

    def same_row(self, other: Box) -> bool:
        """Whether the two overlap vertically by at least half the smaller height: a person
        reads them as one line."""
        overlap = min(self.bottom, other.bottom) - max(self.top, other.top)
        smaller = min(self.bottom - self.top, other.bottom - other.top)
        return overlap > smaller / 2


@dataclass(frozen=True)
class Piece:
    """A run of a line's text from one text node: its place in the line's text and where it
    is drawn from left to right; `clickable` is the spot of the clickable holding it, or -1."""

    start: int
    end: int
    left: float
    right: float
    clickable: int


@dataclass(frozen=True)
class Line:
    """One visual line of words: its text (cells and controls separated by a tab) and box."""

    index: int
    text: str
    box: Box
    pieces: tuple[Piece, ...]

    def cells(self) -> list[str]:
        """The line's text split where it crosses a cell or a control."""
        return [cell.strip() for cell in self.text.split("\t") if cell.strip()]

    def left_of(self, offset: int) -> float:
        """Where the character at `offset` of the text starts on screen (about)."""
        for piece in self.pieces:
            if piece.start <= offset < piece.end:
                return piece.left
        return self.box.left

    def right_of(self, offset: int) -> float:
        """Where the character just before `offset` of the text ends on screen (about)."""
        for piece in self.pieces:
            if piece.start < offset <= piece.end:
                return piece.right
        return self.box.right


@dataclass(frozen=True)
class Clickable:
    """Something a person can click: where, its words, and what a click would do."""

    spot: int
    box: Box
    tag: str
    words: tuple[str, ...]
    image: bool
    effect: Effect
    expanded: str | None

    def says(self, pattern: re.Pattern[str]) -> bool:
        """Whether any of its words (text, alt, title, value, its image's) match."""
        return any(pattern.search(word) for word in self.words)

    def describe(self) -> str:
        """How a person would point at it: "a '(+)' link", "an image button (alt 'toggle')"."""
        kind = {"a": "link", "button": "button", "input": "button", "img": "image"}.get(
            self.tag, f"<{self.tag}>")
        if self.image:
            kind = f"image {kind}" if kind != "image" else kind
        said = f"'{self.words[0]}'" if self.words else "with no words"
        return f"a {kind} {said}"


@dataclass(frozen=True)
class Screen:
    """What one read of a page found: its lines in reading order and its clickables."""

    lines: tuple[Line, ...]
    clickables: tuple[Clickable, ...]

    def find(self, pattern: re.Pattern[str]) -> list[tuple[Line, re.Match[str]]]:
        """Every line where the pattern is found (anywhere in it), with the match."""
        found = []
        for line in self.lines:
            match = pattern.search(line.text)
            if match:
                found.append((line, match))
        return found

    def find_cell(self, pattern: re.Pattern[str]) -> list[Line]:
        """Every line with a cell (a piece between tabs) that the pattern matches whole, as
        a section name or a caption stands alone in its cell."""
        return [line for line in self.lines if any(pattern.match(c) for c in line.cells())]

    def between(self, top: float, bottom: float) -> list[Line]:
        """The lines drawn below `top` and above `bottom` (page coordinates)."""
        return [line for line in self.lines
                if line.box.top >= top - 1 and line.box.bottom <= bottom + 1]

    def clickables_between(self, top: float, bottom: float) -> list[Clickable]:
        """The clickables drawn below `top` and above `bottom` (page coordinates)."""
        return [c for c in self.clickables if c.box.top >= top - 1 and c.box.bottom <= bottom + 1]

    def on_row_before(self, line: Line, x: float) -> list[Clickable]:
        """The clickables on the same visual line as `line`, ending left of `x`, nearest
        first: where a tree node's (+) sits, whatever it is made of."""
        before = [c for c in self.clickables
                  if c.box.same_row(line.box) and c.box.right <= x + 2]
        return sorted(before, key=lambda c: x - c.box.right)

    def on_row_after(self, line: Line, x: float) -> list[Clickable]:
        """The clickables on the same visual line as `line`, starting right of `x`, nearest
        first: where some sites put a node's [+]."""
        after = [c for c in self.clickables
                 if c.box.same_row(line.box) and c.box.left >= x - 2]
        return sorted(after, key=lambda c: c.box.left - x)

    def holding(self, line: Line, start: int, end: int) -> list[Clickable]:
        """The clickables that hold the words of `line` from `start` to `end` (a node whose
        own words are its toggle)."""
        spots = {piece.clickable for piece in line.pieces
                 if piece.clickable >= 0 and piece.start < end and piece.end > start}
        return [self.clickables[spot] for spot in sorted(spots)]


def read_screen(scope: Page | Frame) -> Screen:
    """Read what the page (or frame) shows: its visual lines and clickables, one round trip."""
    # Page.evaluate is one round trip (Locator.evaluate takes three).
    read: dict[str, Any] = scope.evaluate(f"() => ({_READ})(document.body)")
    lines = tuple(
        Line(index, raw["text"], Box(*raw["box"]),
             tuple(Piece(*piece) for piece in raw["pieces"]))
        for index, raw in enumerate(read["lines"])
    )
    clickables = tuple(
        Clickable(raw["spot"], Box(*raw["box"]), raw["tag"], tuple(raw["words"]),
                  bool(raw["image"]), raw["effect"], raw["expanded"])
        for raw in read["clickables"]
    )
    return Screen(lines, clickables)


def read_lines_with_values(target: Page | Locator) -> tuple[Line, ...]:
    """The visual lines of one element (a form's section) or of the whole page, each control
    a cell of its own holding its shown value after VALUE_MARK, read in one round trip; waits
    for the element only when it is not there yet. Marks nothing: a screen read's marks stay
    valid."""
    function = f"(root) => ({_READ})(root, {{values: true}})"
    read: dict[str, Any]
    if isinstance(target, Page):
        read = target.evaluate(f"() => ({function})(document.body)")
    else:
        # evaluate_all is one round trip and does not wait; Locator.evaluate (three, and
        # waits) only when the element is not there yet, or not alone.
        reads: list[dict[str, Any]] = target.evaluate_all(f"roots => roots.map({function})")
        read = reads[0] if len(reads) == 1 else target.evaluate(function)
    return tuple(
        Line(index, raw["text"], Box(*raw["box"]),
             tuple(Piece(*piece) for piece in raw["pieces"]))
        for index, raw in enumerate(read["lines"])
    )


def spot(scope: Page | Frame, clickable: Clickable) -> Locator:
    """The element the last read found as `clickable`, to click it.

    Last resort, by our own mark: what was decided by place and words (the thing just before
    an application's line) has no role, caption or id of its own to name it by. The mark is
    ours, written by the read, and valid until the next read or until the page changes.
    """
    return scope.locator(f"[{SPOT_ATTRIBUTE}='{clickable.spot}']")
