"""What the trainers' walkthrough and guide draw over the site: a caption panel and an outline.

This is the one module that knows the overlay's JavaScript and CSS. The panel is our own
markup, added to the top of every page of a browser context: an init script draws it as each
page loads (the outcome form reloads on every postback, and the contacts pop-up window is a
page of its own), asking Python for the current caption through a binding. It never takes the
site's clicks (`pointer-events: none`, except on its Next button) and uses no role or text a
page object looks for (no heading, status or alert). The outline marks elements that page
objects found; it is a data attribute plus a style, removed again with `clear_outline`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from playwright.sync_api import BrowserContext, Error, Frame, FrameLocator, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

PANEL_NAME = "Walkthrough"
NEXT = "Next"
FINISH = "Finish"
OUTLINE_ATTRIBUTE = "data-caljobs-outline"
# An element wider than a guide's picture is outlined around its words, by a box of our own
# (OUTLINE_BOX_CLASS) laid over the page, its own outline turned off (attribute value
# AROUND_CONTENT): a heading or a message bar spans the whole page, its words only the left.
OUTLINE_BOX_CLASS = "caljobs-outline-box"
AROUND_CONTENT = "content"
# How often a page checks whether Next was clicked (a timer: animation frames stop in a
# window that is behind another one).
NEXT_POLLING_MS = 100

_STYLE = f"""
#caljobs-walkthrough {{
  position: fixed; right: 16px; bottom: 16px; z-index: 2147483647;
  width: 400px; max-width: calc(100vw - 32px); box-sizing: border-box;
  padding: 12px 16px 14px; border-radius: 8px; border: 2px solid #ff8c00;
  background: #0f2f4f; color: #fff; box-shadow: 0 6px 24px rgba(0, 0, 0, .35);
  font: 15px/1.45 system-ui, "Segoe UI", Arial, sans-serif; text-align: left;
  pointer-events: none;
}}
#caljobs-walkthrough .cj-counter {{ font-size: 12px; letter-spacing: .06em;
  text-transform: uppercase; color: #ffd29a; }}
#caljobs-walkthrough .cj-title {{ font-size: 18px; font-weight: 700; margin: 2px 0 6px; }}
#caljobs-walkthrough .cj-note {{ margin-top: 8px; color: #ffd29a; }}
#caljobs-walkthrough .cj-hint {{ margin-top: 8px; font-size: 13px; color: #c9d7e6; }}
#caljobs-walkthrough button {{
  pointer-events: auto; cursor: pointer; margin-top: 10px; padding: 6px 18px;
  border: 0; border-radius: 4px; background: #ff8c00; color: #10233a;
  font: 700 15px system-ui, "Segoe UI", Arial, sans-serif;
}}
#caljobs-walkthrough button[disabled] {{ opacity: .5; cursor: default; }}
[{OUTLINE_ATTRIBUTE}], .{OUTLINE_BOX_CLASS} {{
  outline: 4px solid #ff8c00 !important; outline-offset: 3px !important;
  box-shadow: 0 0 0 9px rgba(255, 140, 0, .28) !important;
}}
[{OUTLINE_ATTRIBUTE}="{AROUND_CONTENT}"] {{
  outline: none !important; box-shadow: none !important;
}}
.{OUTLINE_BOX_CLASS} {{
  position: absolute !important; z-index: 2147483646; pointer-events: none;
  box-sizing: border-box; margin: 0; padding: 0; border: 0; background: transparent;
}}
"""

# Adds the stylesheet to a document once (the outline needs it in frames and pop-ups too).
_ENSURE_STYLE = f"""
(doc) => {{
  if (!doc.getElementById("caljobs-walkthrough-style")) {{
    const style = doc.createElement("style");
    style.id = "caljobs-walkthrough-style";
    style.textContent = {json.dumps(_STYLE)};
    (doc.head || doc.documentElement).appendChild(style);
  }}
}}
"""

# Defines window.__caljobsShowCaption(caption) in a top-level page (not in its frames).
_INSTALL = f"""
() => {{
  if (window.top !== window || window.__caljobsShowCaption) return;
  const ensureStyle = {_ENSURE_STYLE};
  window.__caljobsShowCaption = (caption) => {{
    if (!document.body) return;
    ensureStyle(document);
    let panel = document.getElementById("caljobs-walkthrough");
    if (!panel) {{
      panel = document.createElement("aside");
      panel.id = "caljobs-walkthrough";
      panel.setAttribute("aria-label", {json.dumps(PANEL_NAME)});
      panel.setAttribute("aria-live", "polite");
      document.body.appendChild(panel);
    }}
    panel.replaceChildren();
    const line = (cls, text) => {{
      if (!text) return;
      const div = document.createElement("div");
      div.className = cls;
      div.textContent = text;
      panel.appendChild(div);
    }};
    line("cj-counter", caption.counter);
    line("cj-title", caption.title);
    line("cj-text", caption.text);
    line("cj-note", caption.note);
    line("cj-hint", caption.hint);
    window.__caljobsNextPressed = false;
    window.__caljobsWaiting = Boolean(caption.button && caption.take_clicks);
    if (!window.__caljobsClickWatch) {{
      // A trainee who clicks the outlined element (the Create button, a link) is doing the
      // step: that click counts as Next, and the bot performs it, so the page and the bot
      // never disagree about where they are.
      window.__caljobsClickWatch = true;
      document.addEventListener("click", (event) => {{
        if (!window.__caljobsWaiting || !(event.target instanceof Element)) return;
        if (!event.target.closest("[{OUTLINE_ATTRIBUTE}]")) return;
        if (!event.target.closest("a, button, input, select, textarea, [onclick]")) return;
        event.preventDefault();
        event.stopImmediatePropagation();
        window.__caljobsWaiting = false;
        window.__caljobsNextPressed = true;
        window.__caljobsTookClick = true;
      }}, true);
    }}
    if (caption.button) {{
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = caption.button;
      button.addEventListener("click", () => {{
        window.__caljobsNextPressed = true;
        button.disabled = true;
      }});
      panel.appendChild(button);
    }}
  }};
}}
"""

_INIT_SCRIPT = f"""
(() => {{
  ({_INSTALL})();
  if (!window.__caljobsShowCaption) return;
  const draw = () => window.__caljobsCaption()
    .then((caption) => {{ if (caption) window.__caljobsShowCaption(caption); }})
    .catch(() => {{}});
  if (document.readyState === "loading") {{
    document.addEventListener("DOMContentLoaded", draw, {{ once: true }});
  }} else {{
    draw();
  }}
}})();
"""

_SHOW = f"(caption) => {{ ({_INSTALL})(); window.__caljobsShowCaption(caption); }}"

_OUTLINE = f"""
(elements, widest) => {{
  const ensureStyle = {_ENSURE_STYLE};
  // What a person reads as the element: its words and its fields, not the empty rest of a
  // block that spans the page.
  const contentBox = (element) => {{
    const boxes = [];
    const walker = element.ownerDocument.createTreeWalker(element, NodeFilter.SHOW_ALL);
    for (let node = walker.currentNode; node; node = walker.nextNode()) {{
      if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) {{
        const range = element.ownerDocument.createRange();
        range.selectNodeContents(node);
        boxes.push(...range.getClientRects());
      }} else if (node !== element && node.nodeType === Node.ELEMENT_NODE
                 && /^(INPUT|SELECT|TEXTAREA|BUTTON|IMG|SVG)$/i.test(node.tagName)) {{
        boxes.push(node.getBoundingClientRect());
      }}
    }}
    const shown = boxes.filter((r) => r.width && r.height);
    if (!shown.length) return null;
    return {{ l: Math.min(...shown.map((r) => r.left)), t: Math.min(...shown.map((r) => r.top)),
             r: Math.max(...shown.map((r) => r.right)),
             b: Math.max(...shown.map((r) => r.bottom)) }};
  }};
  for (const element of elements) {{
    const doc = element.ownerDocument;
    ensureStyle(doc);
    element.setAttribute({json.dumps(OUTLINE_ATTRIBUTE)}, "");
  }}
  if (elements.length) elements[0].scrollIntoView({{ block: "center", inline: "nearest" }});
  for (const element of widest ? elements : []) {{
    const whole = element.getBoundingClientRect();
    const words = whole.width > widest ? contentBox(element) : null;
    if (!words || words.r - words.l >= whole.width - 1) continue;
    const doc = element.ownerDocument, view = doc.defaultView;
    const box = doc.createElement("div");
    box.className = {json.dumps(OUTLINE_BOX_CLASS)};
    box.setAttribute("aria-hidden", "true");
    // Around the words, a little away from them (the outline itself is 3 px further out).
    const pad = 2;
    Object.assign(box.style, {{
      left: `${{words.l - pad + view.scrollX}}px`, top: `${{words.t - pad + view.scrollY}}px`,
      width: `${{words.r - words.l + 2 * pad}}px`, height: `${{words.b - words.t + 2 * pad}}px`,
    }});
    doc.body.appendChild(box);
    element.__caljobsOutlineBox = box;  // what a crop must hold for this element
    element.setAttribute({json.dumps(OUTLINE_ATTRIBUTE)}, {json.dumps(AROUND_CONTENT)});
  }}
  return elements.length;
}}
"""

_CLEAR_OUTLINE = f"""
() => {{
  document.querySelectorAll("[{OUTLINE_ATTRIBUTE}]")
    .forEach((element) => element.removeAttribute({json.dumps(OUTLINE_ATTRIBUTE)}));
  document.querySelectorAll(".{OUTLINE_BOX_CLASS}").forEach((box) => box.remove());
}}
"""



@dataclass(frozen=True)
class Caption:
    """What the panel says: "Step 3 of 11", the step's title and explanation, an optional note
    (e.g. the button's wording on this screen), a hint on how to go on, and its button."""

    counter: str
    title: str
    text: str
    note: str | None = None
    hint: str | None = None
    button: str | None = NEXT
    take_clicks: bool = False
    """A click on the outlined element counts as the button (the walkthrough: the bot then
    does the step); off where the trainee's click must reach the page (practice)."""


class CaptionPanel:
    """The caption panel on every page of one browser context (one panel per context)."""

    def __init__(self, context: BrowserContext) -> None:
        self._context = context
        self._caption: Caption | None = None
        # The binding answers the init script of each page as it loads: the current caption.
        context.expose_binding("__caljobsCaption", self._current)
        context.add_init_script(script=_INIT_SCRIPT)

    def _current(self, _source: object) -> dict[str, str | bool | None] | None:
        return asdict(self._caption) if self._caption is not None else None

    def show(self, caption: Caption, *, button_on: Page | None = None) -> None:
        """Show the caption on every open page; its button only on `button_on` (the others
        say where to go on), so there is one Next to wait for."""
        self._caption = caption
        for page in self._context.pages:
            shown = caption if page is button_on else _without_button(caption, button_on)
            try:
                page.evaluate(_SHOW, asdict(shown))
            except Error:
                continue  # a page that is closing or navigating draws it when it loads

    def stop_waiting(self, page: Page) -> None:
        """The stop is over: clicks on the outlined element are the bot's own again."""
        try:
            page.evaluate("() => { window.__caljobsWaiting = false; }")
        except Error:
            return  # a page that is closing or navigating has no stop to end

    def wait_for_next(self, page: Page, timeout_ms: float) -> bool:
        """Wait up to `timeout_ms` (0: for ever) for the Next button on `page` to be clicked;
        whether it was."""
        try:
            page.wait_for_function(
                "() => window.__caljobsNextPressed === true",
                polling=NEXT_POLLING_MS, timeout=timeout_ms,
            )
        except PlaywrightTimeoutError:
            return False
        return True


def _without_button(caption: Caption, button_on: Page | None) -> Caption:
    if button_on is None or caption.button is None:
        return Caption(caption.counter, caption.title, caption.text, caption.note,
                       caption.hint, None)
    return Caption(caption.counter, caption.title, caption.text, caption.note,
                   "Go on in the other window.", None)


def panel(page: Page) -> Locator:
    """The caption panel on a page (for tests and for people: it is named "Walkthrough")."""
    return page.get_by_role("complementary", name=PANEL_NAME)


def next_button(page: Page) -> Locator:
    """The panel's Next (or Finish) button on a page."""
    return panel(page).get_by_role("button")


def outline(target: Locator, *, widest: float | None = None) -> int:
    """Outline every element the locator finds and scroll the first into view; how many.

    With `widest` (CSS px), an element wider than that is outlined around its words and
    fields instead of its whole box: a guide's picture is narrower than the page, and an
    outline running off its edge would point at nothing."""
    count: int = target.evaluate_all(_OUTLINE, widest or 0)
    return count


def drawn_outlines(scope: Page | FrameLocator | Locator) -> Locator:
    """The outlines as drawn in `scope`: each outlined element's own box, or the box laid
    around its words (what a guide's picture must hold)."""
    return scope.locator(f"[{OUTLINE_ATTRIBUTE}]:not([{OUTLINE_ATTRIBUTE}='{AROUND_CONTENT}']),"
                         f" .{OUTLINE_BOX_CLASS}")


def outlined(scope: Page | Frame) -> Locator:
    """The elements outlined now (the overlay's own marker, so a test can check the target)."""
    return scope.locator(f"[{OUTLINE_ATTRIBUTE}]")


def clear_outline(page: Page) -> None:
    """Remove every outline from a page and its frames (frames that are gone are skipped)."""
    for frame in page.frames:
        try:
            frame.evaluate(_CLEAR_OUTLINE)
        except Error:
            continue
