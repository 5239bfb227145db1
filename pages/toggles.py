"""Opening a tree node as a person does: click what sits just before its words, and look.

A site's (+) may be a `+` link, an image with any alt or none, an arrow drawn in CSS on a
`<span>` with an onclick, a submit that posts the page back, or the node's own words. No
list of names or shapes covers the next site, so the toggle is found by place (the clickable
things on the node's visual line, nearest before its words first, then the words themselves,
then what follows them on the line) and proven by effect: after the click, the node must show
more than before (its children became visible, or the page came back from a postback with
them). A click that changes
nothing moves on to the next candidate; one that leaves the screen is undone.

The shape that worked (where it sat, what kind of element, what a click did) is remembered
per browser context and node kind, so the search costs once per run, not once per record;
every later click is still proven by its effect. Names (`aria-expanded`, "Expand", "(+)")
are hints that order the candidates, never a requirement.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from playwright.sync_api import BrowserContext, Locator, Page
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from caljobs_bot.pages.notfound import ElementNotFound
from caljobs_bot.pages.screen_text import SIGNATURE_JS, Clickable, Line, Screen, read_screen, spot
from caljobs_bot.pages.site_wording import in_force as wording

# How long a click may take to show its effect (the real site may fetch a node's contents).
EFFECT_TIMEOUT_MS = 5_000
# How many clicks one node may take before we give up and say what each did.
MAX_CLICKS = 8
# How far left of a node's words its toggle may sit on the same line (a grid's first column).
MAX_DISTANCE_PX = 300
# Words of things that are never a node's toggle, whatever sits where: clicking them would
# change data, sign out, or open something else.
NEVER_A_TOGGLE = re.compile(
    r"\b(delete|remove|sign\s*out|sign\s*off|log\s*(off|out)|save|cancel|print|edit|create|"
    r"add|new|assign|submit|search)\b", re.IGNORECASE)
_EFFECT_RANK = {"page": 0, "postback": 1, "leaves": 2}
_RELATION_RANK = {"before": 0, "holding": 1, "after": 2}

# Waits until the page shows something else than at the last read (or is another document),
# has finished loading, and is not saying it is still loading.
_CHANGED = f"""() => {{
  if (document.readyState !== "complete" || !document.body) return false;
  if (/^\\s*(loading|please wait)\\b.{{0,30}}$/im.test(document.body.innerText || "")) return false;
  return !("__caljobsSeen" in window) || ({SIGNATURE_JS})() !== window.__caljobsSeen;
}}"""


@dataclass(frozen=True)
class Shape:
    """Where a toggle sat and what it was: what is remembered of the one that worked."""

    relation: str  # "before" the words, "holding" them (the words' own link), or "after"
    tag: str
    image: bool
    effect: str

    @staticmethod
    def of(relation: str, clickable: Clickable) -> Shape:
        """The shape of a candidate."""
        return Shape(relation, clickable.tag, clickable.image, clickable.effect)


_remembered: WeakKeyDictionary[BrowserContext, dict[str, Shape]] = WeakKeyDictionary()


@dataclass(frozen=True)
class NodeOnScreen:
    """A node as one read shows it: its line, where its words are, and how much shows under
    it (`size`) and whether that already reads as open."""

    line: Line
    words_start: int
    words_end: int
    size: int
    is_open: bool


@dataclass(frozen=True)
class TreeNode:
    """What the opener needs to know of a node: its name for messages, its kind (the memory
    key: applications and sections may have different toggles), and how to find it on a read
    screen (None when the screen does not show it)."""

    screen_name: str
    name: str
    kind: str
    find: Callable[[Screen], NodeOnScreen | None]


def open_node(page: Page, node: TreeNode, screen: Screen | None = None) -> Screen:
    """Open the node unless it already shows open; the screen as read afterwards.

    ElementNotFound when the node's words are not on the screen, or when no candidate's
    click opened it: the message lists each candidate tried and what its click did.
    """
    screen = screen if screen is not None else read_screen(page)
    tried: list[str] = []
    clicks: dict[tuple[str, int, str], int] = {}
    for _ in range(MAX_CLICKS):
        shown = node.find(screen)
        if shown is None:
            raise ElementNotFound(node.screen_name, f"line '{node.name}'" + _tried_note(tried))
        if shown.is_open:
            return screen
        candidates = [c for c in _candidates(page, node, screen, shown)
                      if clicks.get(_key(c), 0) < 2]
        if not candidates:
            break
        relation, rank, clickable = candidates[0]
        key = _key(candidates[0])
        # A candidate that changed the page without opening the node may have lost its
        # click to something that appeared meanwhile (a time-out warning): one more try.
        clicks[key] = clicks.get(key, 0) + 1
        what = f"{clickable.describe()} {_where(relation)} '{node.name}'"
        after = _click_and_look(page, clickable)
        if after is None:
            tried.append(f"{what}: clicking it showed nothing new")
            clicks[key] = 2
            continue
        now = node.find(after)
        if now is None:
            tried.append(f"{what}: clicking it left the screen")
            clicks[key] = 2
            screen = _come_back(page)
            continue
        if now.is_open or now.size > shown.size:
            _remember(page, node.kind, Shape.of(relation, clickable))
            return after
        if now.size < shown.size:
            # It closed the node, which was open though it did not read so: open it again.
            tried.append(f"{what}: clicking it hid the node's lines, so it was open")
            clicks[key] = 0
        else:
            tried.append(f"{what}: the page changed, but nothing new showed under it")
        screen = after
    what_was_there = "; ".join(tried) or "nothing to click on its line"
    raise ElementNotFound(
        node.screen_name,
        f"toggle that opens '{node.name}' (tried: {what_was_there})", "case.expand")


def toggle_to_click(page: Page, node: TreeNode) -> Locator | None:
    """The element `open_node` would click first to open the node now (the remembered shape,
    else the nearest clickable before its words...), for a walkthrough or guide to point at
    the very (+) the bot is about to click; None when the node is not shown or shows open.

    Its mark is valid until the page is read again (pages/screen_text.py): point at it
    before the bot opens the node."""
    screen = read_screen(page)
    shown = node.find(screen)
    if shown is None or shown.is_open:
        return None
    candidates = _candidates(page, node, screen, shown)
    return spot(page, candidates[0][2]) if candidates else None


def _tried_note(tried: list[str]) -> str:
    return f" after trying to open it ({'; '.join(tried)})" if tried else ""


def _where(relation: str) -> str:
    return {"before": "before", "holding": "on the words of", "after": "after"}[relation]


def _key(candidate: tuple[str, int, Clickable]) -> tuple[str, int, str]:
    """A candidate as found again on the next read (spots are renumbered by each read)."""
    relation, rank, clickable = candidate
    return (relation, rank, clickable.tag)


def _candidates(page: Page, node: TreeNode, screen: Screen,
                shown: NodeOnScreen) -> list[tuple[str, int, Clickable]]:
    """Everything that could be the node's toggle, most likely first: the remembered shape,
    then what names itself a toggle; what would follow a real address last; then before the
    words, on them, after them; what stays on the page before a postback; the nearest first."""
    line = shown.line
    x = line.left_of(shown.words_start)
    own = {c.spot for c in screen.holding(line, shown.words_start, shown.words_end)}
    before = [c for c in screen.on_row_before(line, x)
              if c.spot not in own and x - c.box.right <= MAX_DISTANCE_PX]
    end = line.right_of(shown.words_end)
    after = [c for c in screen.on_row_after(line, end)
             if c.spot not in own and c.box.left - end <= MAX_DISTANCE_PX]
    found = [("before", rank, c) for rank, c in enumerate(before)]
    found += [("holding", rank, screen.clickables[s]) for rank, s in enumerate(sorted(own))]
    found += [("after", rank, c) for rank, c in enumerate(after)]
    found = [f for f in found if not f[2].says(NEVER_A_TOGGLE)]
    remembered = _remembered.get(page.context, {}).get(node.kind)
    words = wording()
    toggle_words = words.either("case.expand", "case.collapse")

    def order(candidate: tuple[str, int, Clickable]) -> tuple[int, ...]:
        relation, rank, clickable = candidate
        named = clickable.expanded in ("true", "false") or clickable.says(toggle_words)
        return (0 if Shape.of(relation, clickable) == remembered else 1,
                0 if named else 1, 1 if clickable.effect == "leaves" else 0,
                _RELATION_RANK[relation], _EFFECT_RANK[clickable.effect], rank)

    return sorted(found, key=order)


def _click_and_look(page: Page, clickable: Clickable) -> Screen | None:
    """Click, then wait for the page to show something else; the new read, or None when
    nothing changed in time. Windows the click opened are closed again."""
    pages_before = list(page.context.pages)
    try:
        spot(page, clickable).click(timeout=EFFECT_TIMEOUT_MS)
        page.wait_for_function(_CHANGED, timeout=EFFECT_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        return None
    finally:
        for other in page.context.pages:
            if other not in pages_before and other is not page:
                _close_quietly(other)
    return read_screen(page)


def _come_back(page: Page) -> Screen:
    """Back to the screen a click left (the browser's Back), read again."""
    with suppress(PlaywrightError):  # the read below tells whether the node is there
        page.go_back(wait_until="load")
    return read_screen(page)


def _close_quietly(window: Page) -> None:
    try:
        window.close()
    except PlaywrightError:
        return


def _remember(page: Page, kind: str, shape: Shape) -> None:
    _remembered.setdefault(page.context, {})[kind] = shape
