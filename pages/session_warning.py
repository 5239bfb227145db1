"""The session-timeout warning: answered with its continue-like button, whenever it shows.

Sites of this family warn before a session ends with a panel over the page ("Your session is
about to expire ... Continue / Sign Out"), on a timer, on any screen, in the middle of a
record. Until it is answered it swallows every click. No page object can expect it at a
given moment, so it is answered from Playwright's locator handlers: before every action
(click, fill, a wait for an element) Playwright looks whether the warning's words are shown
and, if so, runs `_answer` first. A read in one round trip (`evaluate`) is not held up by the
panel and runs no handler; it does not need to.

The words are the trigger (`session.expiring` in the wording table); the effect decides.
Only a keep-alive control (`session.keep_alive`: Continue, Stay signed in, OK...) that sits
in a visible floating box over the page (position fixed, or absolute above the page's
stacking) holding those words is pressed: a screen whose own form has a Continue button, or
a line that mentions a session, is never touched. A control that signs out never matches the
keep-alive words. `guard_context` registers the handlers on every page of a browser context,
the pages it opens later too (the contacts pop-up window); the warning inside the first shown
iframe of a page (the contacts dialog) is answered as well.
"""

from __future__ import annotations

import weakref
from typing import Any

from playwright.sync_api import BrowserContext, FrameLocator, Locator, Page

from caljobs_bot.pages.fields import action
from caljobs_bot.pages.notfound import looking_for
from caljobs_bot.pages.site_wording import in_force as wording

SCREEN = "session-timeout warning"
# A box positioned `absolute` counts as over the page from this z-index up (a fixed one always).
OVERLAY_Z_INDEX = 100

# Which of the controls is the first whose nearest floating ancestor is shown and holds the
# warning's words: its index, or -1. One round trip for all of them.
_FIRST_IN_OVERLAY = """(controls, {expiring, zIndex}) => {
  const words = new RegExp(expiring, "i");
  const text = (el) => (el.innerText || el.textContent || "").replace(/\\s+/g, " ").trim();
  const floating = (el) => {
    const style = getComputedStyle(el);
    return style.position === "fixed" ||
      (style.position === "absolute" && (parseInt(style.zIndex, 10) || 0) >= zIndex);
  };
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  return controls.findIndex((control) => {
    let box = control.parentElement;
    while (box && box !== control.ownerDocument.body && !floating(box)) box = box.parentElement;
    if (!box || box === control.ownerDocument.body || !shown(box)) return false;
    return [box, ...box.querySelectorAll("*")].some((el) => words.test(text(el)));
  });
}"""

# Contexts and pages already guarded (a page object may ask again: nothing is registered twice).
_GUARDED_CONTEXTS: weakref.WeakSet[BrowserContext] = weakref.WeakSet()
_GUARDED_PAGES: weakref.WeakSet[Page] = weakref.WeakSet()


def guard_context(context: BrowserContext) -> None:
    """Answer the warning on every page of `context`, now and on the pages it opens later."""
    if context in _GUARDED_CONTEXTS:
        return
    _GUARDED_CONTEXTS.add(context)
    context.on("page", guard_page)
    for page in context.pages:
        guard_page(page)


def guard_page(page: Page) -> None:
    """Answer the warning whenever it covers this page or its first shown iframe, before the
    next action there."""
    if page in _GUARDED_PAGES:
        return
    _GUARDED_PAGES.add(page)
    # The page-in-a-page of an in-page pop-up, by tag: an iframe has no words of its own, and
    # a locator handler's locator must name one element (the first shown one).
    frame = page.locator("iframe").filter(visible=True).first.content_frame
    for scope in (page, frame):
        page.add_locator_handler(_warning_words(scope), _answerer(scope), no_wait_after=True)


def _warning_words(scope: Page | FrameLocator) -> Locator:
    """The warning's words where they are shown (the first, as a handler needs one element)."""
    return scope.get_by_text(wording().pattern("session.expiring")).filter(visible=True).first


def _answerer(scope: Page | FrameLocator) -> Any:
    def answer() -> None:
        _answer(scope)

    return answer


def _answer(scope: Page | FrameLocator) -> None:
    """Press the keep-alive control of the warning over `scope`, and wait until the warning
    has gone; nothing when the words are not in a box over the page (a line that merely
    mentions a session). ElementNotFound when the warning stays after its button was pressed.
    """
    words = wording()
    controls = action(scope, words.pattern("session.keep_alive")).filter(visible=True)
    found: int = controls.evaluate_all(_FIRST_IN_OVERLAY, {
        "expiring": words.pattern("session.expiring").pattern, "zIndex": OVERLAY_Z_INDEX})
    if found < 0:
        return
    # nth(): the one control, among the visible keep-alive-worded ones, that the check above
    # found inside the floating box (a form's own Continue may come before it in the page).
    # Held as that element, so the wait is for it to go, not for whatever Continue is next.
    pressed = controls.nth(found).element_handle()
    with looking_for(SCREEN, "way to answer the warning: it was still shown after pressing "
                     f"{words.describe('session.keep_alive')}", "session.keep_alive"):
        pressed.click()
        pressed.wait_for_element_state("hidden")
