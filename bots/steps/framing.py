"""What each guide picture shows: the element to outline, the area to crop around it, and
when the picture is taken (before the step's action, after it, or on a sub-screen).

A full 1280x800 window printed on a Letter page puts the form's 13 px text at about 5 pt.
So every picture is cropped around its element and that element's section, CROP_WIDTH CSS
pixels wide at most, and printed PRINT_SCALE times its CSS size: 576 px x 1.25 fill the
7.5 in (720 px at 96 px per inch) between half-inch margins of a Letter page, and the site's
smallest text that matters, its 11 px hint lines, prints at 10.3 pt (its 13 px form text at
12.2 pt). At 1:1 the form text was 9.75 pt and the hints 8.25 pt. A wide field whose caption
would not fit (the case note's Comments) gets a picture up to MAX_CROP_WIDTH wide, printed
to the page's width. The guide's browser renders at twice the pixel density, so the crops
stay sharp on paper.

Each step's module says what its picture after the action shows (its `picture_after`); the
frame, the crop and the sub-screens are here.

An element wider than a picture (the form's title, the message after Save: blocks that span
the page) is outlined around its words (pages/overlay.py), and the crop holds that outline.

The sub-screens the help sheets picture (search results, the contact form, the case-note
form, the Assign Case Manager picker) are open only inside one bot action. They are
photographed just before the browser leaves them: a route handler sees the navigation
(Save, Assign, the name clicked) while the page still shows the filled form.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import ElementHandle, FloatRect, Locator, Page
from playwright.sync_api import Error as PlaywrightError

from caljobs_bot.pages.case_manager import CaseManagerPicker
from caljobs_bot.pages.case_note import CaseNoteForm
from caljobs_bot.pages.contacts_popup import AlternateContactsPopup
from caljobs_bot.pages.notfound import ElementNotFound
from caljobs_bot.pages.participant_id import ParticipantId
from caljobs_bot.pages.participant_search import ParticipantSearch

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record


# The printable width of a Letter page with half-inch margins, in CSS px (96 per inch).
PRINTABLE_WIDTH = 720
PRINT_SCALE = 1.25
# The usual width of a picture, printed PRINT_SCALE times its size.
CROP_WIDTH = round(PRINTABLE_WIDTH / PRINT_SCALE)
# The widest, for a field and its caption that do not fit CROP_WIDTH: printed to the page's
# width, the site's 12 px text is still 10.1 pt (its 13 px form text 11 pt).
MAX_CROP_WIDTH = 640
MAX_CROP_HEIGHT = 640
# The smallest picture: enough around a button or a line to see where on the screen it is.
MIN_CROP_WIDTH = 320
MIN_CROP_HEIGHT = 140
# Room around the area for the outline (4 px, 3 px offset) and its 9 px glow.
CROP_PADDING = 18
DEVICE_SCALE_FACTOR = 2

_BOX_JS = """
([elements, keep, maxWidth, widest, maxHeight, minWidth, minHeight, pad, minContext]) => {
  const visible = (list) => list.filter((e) => { const r = e.getBoundingClientRect();
                                                 return r.width || r.height; });
  const shown = visible(elements);
  if (!shown.length) return null;
  const union = (boxes) => ({ l: Math.min(...boxes.map((r) => r.left)),
    t: Math.min(...boxes.map((r) => r.top)), r: Math.max(...boxes.map((r) => r.right)),
    b: Math.max(...boxes.map((r) => r.bottom)) });
  // The outlined element must be in the picture whatever else has to be cut: its outline
  // as drawn (around its words, when it is wider than a picture: pages/overlay.py).
  const drawn = (e) => (e.__caljobsOutlineBox || e).getBoundingClientRect();
  const kept = visible(keep);
  const own = union((kept.length ? kept : shown).map(drawn));
  // Each element grows to its nearest ancestor that shows where it is (its row with the
  // caption, its section) while that ancestor still fits a printed page.
  const grown = shown.map((element) => {
    let box = element.getBoundingClientRect();
    if (!minContext) return box;
    for (let a = element.parentElement; a && a !== document.body; a = a.parentElement) {
      const q = a.getBoundingClientRect();
      if (q.width > maxWidth * 2 || q.height > maxHeight) break;
      box = q;
      if (q.height >= 120 && q.width >= 320) break;
    }
    return box;
  });
  // The outline as drawn counts too: drawn around the words of a wide element, it stands
  // out of that element's own box.
  const outlined = { left: own.l, top: own.t, right: own.r, bottom: own.b };
  let { l, t, r, b } = union([...grown, ...shown.map((e) => e.getBoundingClientRect()),
                              outlined]);
  l -= pad; t -= pad; r += pad; b += pad;
  if (r - l > maxWidth) {
    // A wide field (the case note's Comments) and its caption may not fit the usual width:
    // the picture is then wider, up to widest (and printed smaller, its text still 10 pt),
    // so the row that holds the outlined element, caption and all, is whole.
    const rows = (kept.length ? kept : shown).map((element) => {
      const own = element.getBoundingClientRect();
      for (let a = element.parentElement; a && a !== document.body; a = a.parentElement) {
        if (a.getBoundingClientRect().width <= own.width + 40) continue;
        // The row: the element and the words beside it (its caption), not the empty
        // rest of the caption's cell.
        const words = [own];
        const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (!n.textContent.trim() || element.contains(n)) continue;
          const range = document.createRange();
          range.selectNodeContents(n);
          const q = range.getBoundingClientRect();
          if (q.width && q.height) words.push(q);
        }
        return union(words);
      }
      return { l: own.left, t: own.top, r: own.right, b: own.bottom };
    });
    const row = { l: Math.min(...rows.map((q) => q.l)), r: Math.max(...rows.map((q) => q.r)) };
    const width = Math.min(r - l, row.r - row.l + 2 * pad <= widest
                           ? Math.max(maxWidth, row.r - row.l + 2 * pad) : maxWidth);
    // Keep the captions on the left, unless the element itself would not fit.
    l = Math.max(l, own.r + pad - width);
    r = l + width;
  }
  if (b - t > maxHeight) { t = Math.max(t, own.t - pad - 40); b = t + maxHeight; }
  // Never a sliver: a button or a line alone says nothing of where it is. What lies above
  // it (its section's title, the fields before it) and to its right comes in.
  if (b - t < minHeight) t = Math.max(-window.scrollY, b - minHeight);
  if (b - t < minHeight) b = t + minHeight;
  if (r - l < minWidth) r = l + minWidth;
  const doc = document.documentElement;
  const x = Math.max(0, l + window.scrollX), y = Math.max(0, t + window.scrollY);
  const right = Math.min(doc.scrollWidth, r + window.scrollX);
  const bottom = Math.min(doc.scrollHeight, b + window.scrollY);
  return { x, y, width: right - x, height: bottom - y };
}
"""


def _handles(locators: Locator | list[Locator] | None) -> list[ElementHandle]:
    found: list[ElementHandle] = []
    for locator in locators if isinstance(locators, list) else [locators] if locators else []:
        with suppress(PlaywrightError):
            found += [h for h in locator.element_handles() if h.is_visible()]
    return found


def crop_box(page: Page, area: Locator | list[Locator], *, keep: Locator | None = None,
             context: bool = True) -> FloatRect | None:
    """The document rectangle to photograph around `area` (and, with `context`, the section
    it sits in), at most MAX_CROP_WIDTH x MAX_CROP_HEIGHT, always holding `keep` (the
    outlined element); None when nothing is shown."""
    handles = _handles(area)
    if not handles:
        return None
    box = page.evaluate(_BOX_JS, [handles, _handles(keep), CROP_WIDTH, MAX_CROP_WIDTH,
                                  MAX_CROP_HEIGHT, MIN_CROP_WIDTH, MIN_CROP_HEIGHT,
                                  CROP_PADDING, context])
    if not box or box["width"] < 4 or box["height"] < 4:
        return None
    return box


@dataclass(frozen=True)
class Frame:
    """One picture's subject: the element outlined, and the area cropped around it (the
    element itself when None)."""

    element: Locator | None
    area: Locator | list[Locator] | None = None
    caption: str | None = None
    name: str | None = None
    """The picture's own name in its file ("exit-reason-list"), where a step has several."""


def fields(each: list[Locator]) -> tuple[Locator, list[Locator]]:
    """These fields: one locator to outline them all, and each for the crop (each grows to
    its row, caption included)."""
    together = each[0]
    for other in each[1:]:
        together = together.or_(other)
    return together, each


# Shows the option a person would choose in a dropdown (by its words), for the picture only;
# CLOSE_CHOICE_JS puts the old choice back before the bot goes on.
SHOW_CHOICE_JS = """
(select, wanted) => {
  const fold = (text) => text.replace(/\\s+/g, " ").trim().toLowerCase();
  const index = [...select.options].findIndex((o) => fold(o.text) === fold(wanted));
  if (index < 0) return false;
  select.dataset.caljobsIndex = String(select.selectedIndex);
  select.selectedIndex = index;
  return true;
}
"""
CLOSE_CHOICE_JS = """
(select) => {
  if (select.dataset.caljobsIndex === undefined) return;
  select.selectedIndex = Number(select.dataset.caljobsIndex);
  delete select.dataset.caljobsIndex;
}
"""

# Shows a dropdown's whole list in the page, as it looks opened (a native list cannot be
# photographed), and undoes it.
OPEN_LIST_JS = """
(select) => {
  select.dataset.caljobsSize = select.getAttribute("size") ?? "";
  select.setAttribute("size", String(Math.min(select.options.length, 10)));
  select.style.setProperty("height", "auto", "important");
}
"""
CLOSE_LIST_JS = """
(select) => {
  const size = select.dataset.caljobsSize;
  if (size) select.setAttribute("size", size); else select.removeAttribute("size");
  select.style.removeProperty("height");
  delete select.dataset.caljobsSize;
}
"""


def _visible(locator: Locator) -> bool:
    try:
        return locator.count() > 0 and locator.first.is_visible()
    except PlaywrightError:
        return False


def sub_screen(name: str, where: Page | AlternateContactsPopup,
               record: Record) -> Frame | None:
    """What to outline and crop on a sub-screen the bot reports (on the page, or in the
    contacts pop-up), found through its page object; None when it is not shown as expected
    (the picture is left out, the replay goes on)."""
    try:
        return _sub_screen(name, where, record)
    except (PlaywrightError, ElementNotFound):
        return None


def _sub_screen(name: str, where: Page | AlternateContactsPopup,
                record: Record) -> Frame | None:
    if isinstance(where, AlternateContactsPopup):
        if name != "contact_form":
            return None
        save = where.save_button()
        # The same form edits a listed contact: the caption says which one the picture shows.
        caption = ("The Edit Contact form, the changes typed in; Save keeps them."
                   if where.is_editing()
                   else "The Add New Contact form, filled in; Save adds the contact.")
        return Frame(save, [where.first_name_box(), save], caption)
    if name == "case_note_form":
        note = CaseNoteForm(where)
        return Frame(note.comments_box(), note.panel(),
                     "The case-note form: Subject, Comments and the attached document.")
    if name == "case_manager_picker":
        picker = CaseManagerPicker(where)
        return Frame(picker.dropdown(), picker.panel(),
                     "The Assign Case Manager picker: choose the staff member, then Assign.")
    if name == "search_results":
        who = record.participant
        key = who.state_id or who.user_id or ""
        search = ParticipantSearch(where)
        row = search.result_row(key)
        if not key or not _visible(row):
            return None
        which = ParticipantId.searched_by(who.state_id)
        box = search.search_box(which)
        return Frame(search.name_link(key), [box, search.results_table()],
                     f"{which.label} typed in and searched: check the name, then click it.")
    return None
