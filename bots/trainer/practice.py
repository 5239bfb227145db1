"""Practice mode: the trainee does the record; the tool watches, checks and coaches.

The walkthrough and the guide show the bot doing the work. Here the roles are swapped: the
caption panel says what to do next with this record's values, the element to use is
outlined, and the trainee does it in the browser. What is checked at each step comes from the
step's own module (its `practice`, e.g. bots/steps/save.py); this module only runs the
checks of the steps the record needs, in order, and knows no step by name. A small script
in every page reports each click and each changed field back to Python; the page itself
(through the page objects) says when a check is done. A click on another button or link, or
a wrong value in the outlined field, is a mistake: the first gets a hint, and from the
second on the hint names the right element or value. A check may also see a mistake on the
page itself (the other participant's case opened, the form closed by Cancel): said at once,
counted once. A step the record needs without checks of its own (the contacts, the case
manager) is still on the panel: the trainee does it and clicks Done. The panel speaks the
screen's words (the 2016 screens' "Create Outcome"). The tool never acts by itself; "Show
me" in the panel does the current check, once, with the page objects the bot uses.

The verdict is the result, not the clicks: the sandbox's whole stored state is read before
and after, and "Well done" is given only when it holds what the record asks for (the right
person by every id, the outcome with its date and reason, each contact, the case-manager
change, the note) and nothing changed for anybody else (practice_report.judge); otherwise
the panel and the report say what is missing or wrong, each a mistake.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from caljobs_bot.pages.overlay import Caption, CaptionPanel, clear_outline, outline
from caljobs_bot.steps.definitions import STEPS, Step, number
from caljobs_bot.steps.definitions import step as step_by_key
from caljobs_bot.steps.practice_checks import DONE, Check
from caljobs_bot.trainer.practice_report import (
    PracticeResult,
    StepScore,
    judge,
    write_report,
)

if TYPE_CHECKING:
    from caljobs_bot.fixtures.sandbox.client import SandboxClient
    from caljobs_bot.jobfile.models import Record
    from caljobs_bot.settings.browser_session import SessionOptions

SHOW_ME = "Show me"
# How long the watcher waits for the panel's Show me before it looks at the page again
# (Playwright's own wait; the page's reports arrive meanwhile).
WATCH_SLICE_MS = 250

# Reports every click and every changed field to Python (the binding below), with what a
# person would call the element and whether it is (inside) the outlined one.
_WATCH_SCRIPT = """
(() => {
  if (window.__caljobsPracticeWatch) return;
  window.__caljobsPracticeWatch = true;
  const describe = (e) => (e.innerText || e.value || e.getAttribute("alt") ||
                           e.getAttribute("title") || e.tagName).trim().slice(0, 60);
  const report = (kind, element) => {
    if (!window.__caljobsPracticeEvent) return;
    const panel = element.closest("#caljobs-walkthrough");
    if (panel) return;
    const value = element.tagName === "SELECT"
      ? (element.selectedOptions[0] ? element.selectedOptions[0].text : "") : element.value;
    window.__caljobsPracticeEvent({ kind, tag: element.tagName.toLowerCase(),
      type: (element.getAttribute("type") || "").toLowerCase(), name: describe(element),
      value: value ?? "", outlined: Boolean(element.closest("[data-caljobs-outline]")) });
  };
  document.addEventListener("click", (event) => {
    if (!(event.target instanceof Element)) return;
    const clicked = event.target.closest("a, button, input, select, textarea, [onclick]");
    if (clicked) report("click", clicked);
  }, true);
  document.addEventListener("change", (event) => {
    if (event.target instanceof Element) report("change", event.target);
  }, true);
})();
"""


@dataclass(frozen=True)
class Prompt:
    """What the panel shows now: for the command line, and for a test playing the trainee."""

    check: Check
    page: Page
    caption: Caption
    misses: int


def checks_for(record: Record, *, steps: tuple[Step, ...] = STEPS) -> list[Check]:
    """The checks of one record, in the help sheet's order: each step the record needs gives
    its own (each step module's `practice`), knowing those before it."""
    checks: list[Check] = []
    for each in steps:
        if each.applies_to(record):
            # A step the record needs is never skipped in silence: without checks of its
            # own the trainee does it and says so, and the report judges what was stored.
            checks += (each.practice(record, each, tuple(checks))
                       or each.declared_checks(record))
    return checks


@dataclass
class _Watched:
    """What the page reported since the last look."""

    events: list[dict[str, Any]] = field(default_factory=list)


class Practice:
    """Runs the checks of one record on a signed-in page; `steps` as the bot would take
    them (a caller may pass its own tuple, as to the walkthrough and the guide)."""

    def __init__(self, page: Page, record: Record, *,
                 on_prompt: Callable[[Prompt], None] | None = None,
                 patience_seconds: float | None = None,
                 steps: tuple[Step, ...] = STEPS,
                 on_site: Callable[[str], list[str]] | None = None) -> None:
        self.page = page
        self.record = record
        self.steps = steps
        self.checks = checks_for(record, steps=steps)
        self.scores = {s.key: StepScore(s.title) for s in steps}
        for check in self.checks:
            self.scores[check.step].checks += 1
        self._on_prompt = on_prompt
        self._patience = patience_seconds
        # What the site's stored state shows missing or wrong for a step, now: asked when
        # the trainee clicks Done on a step practice cannot see (judge's by_step).
        self._on_site = on_site
        self._watched = _Watched()
        self._started = time.monotonic()
        self.panel = CaptionPanel(page.context)
        page.context.expose_binding("__caljobsPracticeEvent", self._event)
        page.context.add_init_script(script=_WATCH_SCRIPT)
        for open_page in page.context.pages:
            open_page.evaluate(_WATCH_SCRIPT)

    def _event(self, _source: object, event: dict[str, Any]) -> None:
        self._watched.events.append(event)

    def run(self) -> bool:
        """Coach the trainee through every check; whether all were done (False when the
        patience ran out). The verdict is not given here: `finish` gives it once the site's
        stored state has been judged."""
        self._started = time.monotonic()
        return all(self._practise(index, check) for index, check in enumerate(self.checks))

    def finish(self, result: PracticeResult) -> None:
        """The verdict on the panel: "Well done" only when the site holds what the record
        asks for and nothing else changed; otherwise the first things missing or wrong."""
        seconds = time.monotonic() - self._started
        if result.well_done:
            caption = Caption("Practice finished", "Well done: the outcome is saved",
                              f"Everything the record asks for is on the site. "
                              f"{result.mistakes} mistakes on the way, in {seconds:.0f} "
                              "seconds.", button=None)
        else:
            shown = result.problems[:3] or ["Not every step was done."]
            more = len(result.problems) - len(shown)
            caption = Caption("Practice finished", "Not right yet: see the report",
                              " ".join(shown) + (f" (and {more} more)" if more > 0 else ""),
                              note=f"{result.mistakes} mistakes.", button=None)
        # A closed browser still gets the written report.
        with suppress(PlaywrightError):
            clear_outline(self.page)
            self.panel.show(caption)

    def _practise(self, index: int, check: Check) -> bool:
        score = self.scores[check.step]
        began = time.monotonic()
        misses = 0
        self._watched.events.clear()
        hint: str | None = None
        said_wrong: str | None = None
        warned = False
        original = check
        check = self._prompt(index, check, hint, misses)
        try:
            while not check.done(self.page):
                if (check.reworded is not None
                        and self._in_screen_words(original).say != check.say):
                    # The screen now shows the words the panel should use (the outcome
                    # section once the application is open): say it in those.
                    check = self._prompt(index, original, hint, misses)
                if self.panel.wait_for_next(self.page, WATCH_SLICE_MS):
                    missing = self._missing(check) if not warned else []
                    if missing:
                        # Done, but the site says otherwise: said at once, a mistake; a
                        # second Done goes on (the report keeps it).
                        warned = True
                        misses += 1
                        score.mistakes += 1
                        score.notes.append(f"Done clicked, but {missing[0]}")
                        score.counted += missing
                        hint = (f"Not on the site yet: {' '.join(missing)} Put it right, then "
                                f"click {DONE} (or {DONE} again to go on as it is).")
                        check = self._prompt(index, original, hint, misses)
                        continue
                    if not check.declared:
                        score.shown += 1
                    check.show_me(self.page)
                    continue
                wrong = self._wrong(check)
                if wrong is not None and wrong != said_wrong:
                    # The page shows the mistake (a wrong case, the form closed unsaved):
                    # one mistake, said as such; the click that led there is not another.
                    said_wrong = wrong
                    self._watched.events.clear()
                    misses += 1
                    score.mistakes += 1
                    score.notes.append(wrong)
                    hint = f"Mistake: {wrong}."
                    # The element to use is not on this page (a page object would wait
                    # for it in vain): the hint says how to get back to it.
                    check = self._prompt(index, check, hint, misses, point=False)
                    continue
                if wrong is None:
                    said_wrong = None
                new_misses, about = self._misses(check)
                if new_misses:
                    misses += new_misses
                    score.mistakes += new_misses
                    hint = (f"Not that one ({about}). Look for the outlined element."
                            if misses < 2 else f"The right one: {check.right_one}.")
                    check = self._prompt(index, check, hint, misses)
                elif self._patience is not None and time.monotonic() - began > self._patience:
                    return False
                elif self._watched.events:
                    self._watched.events.clear()
            score.done += 1
            return True
        finally:
            score.seconds += time.monotonic() - began

    def _missing(self, check: Check) -> list[str]:
        """For a check the trainee declares done: what the site's stored state shows missing
        or wrong for its step ([] for other checks, or when the state cannot be read)."""
        if not check.declared or self._on_site is None:
            return []
        try:
            return self._on_site(check.step)
        except (RuntimeError, OSError, KeyError, ValueError):
            return []  # the sandbox did not answer: the verdict at the end judges the step

    def _wrong(self, check: Check) -> str | None:
        """What the page shows that is wrong for this check, if anything (a page that is
        loading says nothing yet)."""
        if check.wrong is None:
            return None
        try:
            return check.wrong(self.page)
        except PlaywrightError:
            return None

    def _misses(self, check: Check) -> tuple[int, str]:
        """Mistakes among the events reported since the last look, and what the last was."""
        misses, about = 0, ""
        clicked_wrong = False
        for event in self._watched.events:
            clickable = event["tag"] == "a" or event["tag"] == "button" or (
                event["tag"] == "input" and event["type"] in ("submit", "button", "image"))
            if (event["kind"] == "click" and clickable and not event["outlined"]
                    and check.strict):
                misses += 1
                about = f"that was {event['name']!r}"
                clicked_wrong = True  # a field it changes is its effect, not a second miss
            elif (event["kind"] == "change" and event["outlined"] and check.value is not None
                  and not clicked_wrong
                  and event["value"].strip().casefold() != check.value.strip().casefold()):
                misses += 1
                about = f"{event['value']!r} is not the value wanted"
        self._watched.events.clear()
        return misses, about

    def _prompt(self, index: int, check: Check, hint: str | None, misses: int, *,
                point: bool = True) -> Check:
        """Show the check on the panel, in the words the screen shows now, and outline its
        element unless `point` is False; the check as shown (what later hints name)."""
        check = self._in_screen_words(check)
        step = step_by_key(check.step, self.steps)
        caption = Caption(f"Practice  ·  step {number(check.step, self.steps)} of "
                          f"{len(self.steps)}  ·  check {index + 1} of {len(self.checks)}",
                          step.title, check.say, note=hint,
                          hint=(f"Do it in the page, then click {DONE}: what the site stored "
                                "is checked at the end." if check.declared
                                else "Do it in the page; Show me does it for you."),
                          button=DONE if check.declared else SHOW_ME)
        clear_outline(self.page)
        self.panel.show(caption, button_on=self.page)
        try:
            target = check.target(self.page) if point else None
            if target is not None and target.count():
                outline(target)
        except PlaywrightError:
            pass  # no outline is better than no practice
        if self._on_prompt is not None:
            self._on_prompt(Prompt(check, self.page, caption, misses))
        return check

    def _in_screen_words(self, check: Check) -> Check:
        """The check worded as this screen words it (see Check.reworded)."""
        if check.reworded is None:
            return check
        try:
            words = check.reworded(self.page)
        except PlaywrightError:
            words = None
        if words is None:
            return check
        return replace(check, say=words[0], right_one=words[1])


def practise_on(page: Page, sign_in_url: str, username: str, password: str, record: Record,
                client: SandboxClient, report_path: Path, *,
                on_prompt: Callable[[Prompt], None] | None = None,
                patience_seconds: float | None = None,
                steps: tuple[Step, ...] = STEPS) -> PracticeResult:
    """Sign in on `page` (the tool's only action of its own: sign-in is no help-sheet step),
    coach the trainee through the record, then read what the sandbox saved and write the
    report."""
    from caljobs_bot.pages.login import LoginPage

    before = client.state()  # what the site held before: "nothing done to anyone else"
    LoginPage(page).open(sign_in_url).sign_in(username, password)
    practice = Practice(page, record, on_prompt=on_prompt, patience_seconds=patience_seconds,
                        steps=steps, on_site=lambda key: judge(
                            before, client.state(), record).by_step.get(key, []))
    finished = practice.run()
    judged = judge(before, client.state(), record)
    result = PracticeResult(practice.scores, finished, judged.outcome, report_path,
                            problems=judged.problems, found=judged.found)
    write_report(report_path, result, record, steps=steps)
    practice.finish(result)
    return result


def run_practice(record: Record, report_path: Path, *, session: SessionOptions,
                 ui: str = "2021", captions: str = "label", popup: str = "window",
                 on_prompt: Callable[[Prompt], None] | None = None) -> PracticeResult:
    """Start the sandbox and a browser as `session` says (visible unless headless), and
    practise one record on them."""
    from caljobs_bot.fixtures.sandbox import SANDBOX_PASSWORD, SANDBOX_USERNAME
    from caljobs_bot.fixtures.sandbox.client import SandboxClient
    from caljobs_bot.fixtures.sandbox.server import Sandbox
    from caljobs_bot.settings.browser_session import open_session

    with Sandbox(port=0, ui=ui, captions=captions, popup=popup) as server, \
            open_session(session) as opened:
        return practise_on(opened.new_page(), server.sign_in_url, SANDBOX_USERNAME,
                           SANDBOX_PASSWORD, record, SandboxClient(server.root_url),
                           report_path, on_prompt=on_prompt)
