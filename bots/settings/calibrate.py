"""`caljobs-bot calibrate`: teach the bot the site's words by pointing at them.

`check` can suggest words only where a screen holds exactly one plausible candidate. When it
holds several (two captions renamed in one section) or none the bot can tell, the person who
knows the screen points: calibrate walks the screens as `check` does (read-only), and for each
element it cannot find shows a panel in the page ("Click the button or link that creates the
Exit/Outcome") and waits for a click. It keeps the clicked element's visible words (its text,
`value`, `alt` or `title`; for a box, its caption), never an id or a position, writes them to
the wording file at once, and walks on with them.

The click does nothing else: a listener in the capture phase takes it first and prevents the
default action, so pointing at a button never presses it, and the walk itself never presses
Save (it is check's walk).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from caljobs_bot.pages.candidates import PERSON_NAMES_JS
from caljobs_bot.pages.site_wording import in_force
from caljobs_bot.pages.wording_file import read_wording_file, write_wording
from caljobs_bot.pages.wording_table import ELEMENT

# Shows the panel and arms a one-shot click catcher: the next click anywhere in the page is
# recorded as words in window.__calibrated (null after Escape) and its default action and
# the page's own handlers are stopped; submitting a form is blocked while the panel shows.
_ASK = (
    """args => {
  const squeeze = t => (t || "").replace(/\\s+/g, " ").trim();
  const old = document.getElementById("__caljobs_calibrate");
  if (old) old.remove();
  const panel = document.createElement("div");
  panel.id = "__caljobs_calibrate";
  panel.style.cssText = "position:fixed;top:8px;right:8px;z-index:2147483647;max-width:380px;"
    + "background:#fffbe6;color:#111;border:3px solid #ff8c00;border-radius:6px;padding:10px;"
    + "font:15px/1.35 sans-serif;pointer-events:none;box-shadow:0 2px 10px rgba(0,0,0,.35)";
  const title = document.createElement("b");
  title.textContent = args.prompt;
  const hint = document.createElement("div");
  hint.style.cssText = "font-size:12px;margin-top:6px";
  hint.textContent = args.hint;
  panel.append(title, hint);
  document.body.appendChild(panel);
  window.__calibrated = undefined;
  const clickable = "a,button,input[type=submit],input[type=button],input[type=image]";
"""
    + PERSON_NAMES_JS
    + """  const wordsOf = target => {
    if (args.clickable) {
      const control = target.closest(clickable);
      return control ? named(control) : squeeze(target.innerText);
    }
    if (target.matches("input,select,textarea")) return captionOf(target);
    let e = target;
    while (e.parentElement && squeeze(e.innerText).replace(/[*:]/g, "").trim().length < 2) {
      e = e.parentElement;
    }
    return squeeze(e.innerText);
  };
  const stop = event => { event.preventDefault(); event.stopImmediatePropagation(); };
  const done = () => {
    window.removeEventListener("click", onClick, true);
    window.removeEventListener("submit", stop, true);
    window.removeEventListener("keydown", onKey, true);
    panel.remove();
    window.__caljobsCalibrateDone = undefined;
  };
  window.__caljobsCalibrateDone = done;
  const onClick = event => { stop(event); window.__calibrated = wordsOf(event.target); done(); };
  const onKey = event => {
    if (event.key === "Escape") { stop(event); window.__calibrated = null; done(); }
  };
  window.addEventListener("click", onClick, true);
  window.addEventListener("submit", stop, true);
  window.addEventListener("keydown", onKey, true);
}"""
)

# Called once the panel shows, with the page and the wording key: tests click here as the
# person would; None for a person at the screen.
Person = Callable[[Page, str], None]


def prompt_for(key: str) -> str:
    """What the panel asks: "Click the button or link that creates the Exit/Outcome"."""
    element = ELEMENT[key]
    if element.clickable or element.kind != "caption" or "caption" not in element.what:
        return f"Click the {element.what}"
    return f"Click the {element.what} (or the box beside it)"


def _bare(words: str) -> str:
    return " ".join(words.strip().strip("*:").strip().split())


class Calibrator:
    """A Preflight fixer that asks the person to point at each missing element and writes its
    words to the wording file as soon as they are known."""

    def __init__(self, output: Path, *, wait_ms: float, person: Person | None = None,
                 tell: Callable[[str], None] = print) -> None:
        self.output = output
        self._wait_ms = wait_ms
        self._person = person
        self._tell = tell
        self.learned: dict[str, str] = {}

    def __call__(self, page: Page, key: str) -> str | None:
        """Ask for `key` on this page; the words clicked (written to the file), or None when
        the person pressed Escape."""
        prompt = prompt_for(key)
        hint = (f"Looked for {in_force().describe(key)} (wording key {key}). The click is "
                "only recorded: nothing is pressed. Escape skips.")
        self._tell(f"In the browser: {prompt}. ({key}; Escape skips)")
        page.evaluate(_ASK, {"prompt": prompt, "hint": hint,
                             "clickable": ELEMENT[key].clickable})
        if self._person is not None:
            self._person(page, key)
        try:
            page.wait_for_function("() => window.__calibrated !== undefined",
                                   timeout=self._wait_ms)
        except PlaywrightTimeoutError:
            # The panel and its click catcher go too: left in the page, they would swallow
            # the walk's next click (the pop-up's button) as if the person had answered.
            page.evaluate("() => window.__caljobsCalibrateDone && window.__caljobsCalibrateDone()")
            self._tell(f"No click in time: {key} skipped.")
            return None
        words = page.evaluate("() => window.__calibrated")
        if not isinstance(words, str) or not _bare(words):
            self._tell(f"Skipped {key}.")
            return None
        learned = _bare(words)
        self.learned[key] = learned
        self._save(key, learned)
        self._tell(f"Recorded {key} = {learned!r} in {self.output}.")
        return learned

    def _save(self, key: str, words: str) -> None:
        """Add the words to the wording file (made if missing), keeping what it holds."""
        given: dict[str, tuple[str, ...]] = {}
        replace: frozenset[str] = frozenset()
        if self.output.exists():
            given, replace = read_wording_file(self.output)
        current = given.get(key, ())
        if words.casefold() not in {w.casefold() for w in current}:
            given[key] = (*current, words)
        comments = {k: f"{ELEMENT[k].what} (recorded by caljobs-bot calibrate)"
                    for k in given if k in self.learned}
        write_wording(self.output, given, comments, replace)
