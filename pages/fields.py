"""Finding fields, sections, tables and dropdown options by what a person reads: their captions.

We have never seen the real CalJOBS markup. A caption may be a `<label>` tied to its control,
or plain text in the table cell before it (as on many ASP.NET WebForms pages); it may carry a
leading `*` (required), a trailing `:` and odd whitespace. Everything that copes with that
lives here, once, so the page objects can simply say `field(section, "Exit Date")`.

Scopes may be a Page (the main window or the contacts window), a Locator (a section, a panel,
a dialog) or a FrameLocator (the contacts page inside an in-page dialog's iframe).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from playwright.sync_api import FrameLocator, Locator, Page

from caljobs_bot.matching import squeeze as squeeze
from caljobs_bot.pages.screen_text import VALUE_MARK, Line, read_lines_with_values

Scope = Page | Locator | FrameLocator
# The keys a caller names the fields of read_only_values by (its wording keys, say).
K = TypeVar("K")


def normalise(text: str) -> str:
    """Text for comparison: whitespace squeezed and case folded (accents are kept: José ≠ Jose)."""
    return squeeze(text).casefold()


# An element's words: one text, or the alternatives a wording table gives for it.
Words = str | Sequence[str]


def _one_body(caption: str) -> str:
    """The regex for one caption's words: any whitespace between words and around slashes."""
    words = caption.strip().strip("*:").strip().split()
    escaped = (re.escape(word).replace("/", r"\s*\/\s*") for word in words)
    return r"\s+".join(escaped)


def _caption_body(caption: Words) -> str:
    """The regex for a caption's words, or for any of several alternatives (a group)."""
    if isinstance(caption, str):
        return _one_body(caption)
    return "(?:" + "|".join(_one_body(one) for one in caption) + ")"


def caption_pattern(caption: Words) -> re.Pattern[str]:
    """The whole caption, case-insensitive, with signs around it ignored: a `*` before, a `:`
    after, a button's "Save »" or "[Search]", a node's "+ Exit / Outcome"."""
    return re.compile(rf"^[\W_]*{_caption_body(caption)}[\W_]*$", re.IGNORECASE)


def _inline_pattern(caption: Words, words_before: int = 0, *,
                    empty: bool = False) -> re.Pattern[str]:
    """A caption and its value in one piece of text: `Case Manager: Staff25, Lac`; with
    `words_before`, up to that many other words may come first (`Current Case Manager:
    Staff25, Lac`); with `empty`, the value may be missing (`Current Case Manager:`). The
    text may run over several lines (a link on a line of its own in the markup):
    read_only_value then reads it line by line."""
    before = rf"(?:\S+\s+){{0,{words_before}}}" if words_before else ""
    value = r"(.*?)" if empty else r"(\S.*?)"
    return re.compile(rf"^\s*{before}\*?\s*{_caption_body(caption)}\s*:\s*{value}\s*$",
                      re.IGNORECASE | re.DOTALL)


def root_page(scope: Scope) -> Page:
    """The page a scope belongs to: inner locators for `filter(has=...)` are built from it."""
    if isinstance(scope, Page):
        return scope
    if isinstance(scope, Locator):
        return scope.page
    return scope.owner.page


def words_pattern(words: Words, *, extra_words: int = 6) -> re.Pattern[str]:
    """The words as a person recognises them in a short text: case, spacing, a leading `*`
    and a trailing `:` ignored, and up to `extra_words` words around them ("Case Management
    Profile for Karen James", "Assist an Individual - Search"). A long paragraph that merely
    mentions the words does not match."""
    body = _caption_body(words)
    around = rf"(?:\S+\s+){{0,{extra_words}}}"
    after = rf"(?:\s+\S+){{0,{extra_words}}}"
    return re.compile(rf"^\s*\*?\s*{around}{body}\s*:?{after}\s*$", re.IGNORECASE)


# What a person reads as a title or a caption, not as something to click.
_NOT_CLICKABLE = ":not(a):not(button):not(input):not(select):not(option):not(textarea)"


def words_shown(scope: Scope, pattern: re.Pattern[str]) -> Locator:
    """Text a person reads as words on the page, not as a control: a caption, a title, a
    message. A dropdown's option ("Case Manager" among the Staff Positions) or a button's
    name never counts as the caption of the field beside it."""
    return scope.get_by_text(pattern).and_(scope.locator(_NOT_CLICKABLE))


def title(scope: Scope, name: Words | re.Pattern[str]) -> Locator:
    """A page or section title: a heading with that name when the site marks one up, else any
    text that reads so and is not a link or button (WebForms titles are often a bold cell or a
    styled `<span>`)."""
    pattern = name if isinstance(name, re.Pattern) else words_pattern(name)
    return scope.get_by_role("heading", name=pattern).or_(words_shown(scope, pattern))


def _container_of(heading: Locator) -> Locator:
    """The nearest element around a title that also holds something to fill in or click:
    the section of a form that has no fieldset, or a panel whose title is a bold line.

    Last resort, by structure: "the block this title heads" has no role or caption to name
    it by; XPath's ancestor axis says it. When a site puts every section in one table, this is
    that table: still the right place to look, only wider.
    """
    return heading.locator(
        "xpath=ancestor::*[.//input[not(@type='hidden')] or .//select or .//textarea or "
        ".//button or .//a][1]"
    )


def section(scope: Scope, name: Words | re.Pattern[str]) -> Locator:
    """A form section or panel by its title: a fieldset (role=group named by its legend) or a
    region when the site marks them up, else the block around a title with that name."""
    pattern = name if isinstance(name, re.Pattern) else caption_pattern(name)
    plain_title = words_shown(scope, pattern)
    # A fieldset comes before any title inside it, so the first match is the fieldset.
    return (
        scope.get_by_role("group", name=pattern)
        .or_(scope.get_by_role("region", name=pattern))
        .or_(_container_of(plain_title))
        .first
    )


# The kinds of element a person types into or chooses from (buttons and hidden inputs are not).
_CONTROLS = (
    "input:not([type=hidden]):not([type=button]):not([type=submit]):not([type=reset])"
    ":not([type=image]), select, textarea"
)


def _cell_after_caption(scope: Scope, pattern: re.Pattern[str]) -> Locator:
    """The table cell right after the cell whose text is the caption.

    Last resort, by structure: on table-laid-out WebForms pages a caption is plain text in one
    cell and its control (or read-only value) is in the next, with no `<label>` tying them, and
    no role says "the cell after". The caption may be wrapped (`<b>`, `<span>`, `<label>`), so
    we climb to its cell before stepping to the next one.
    """
    return words_shown(scope, pattern).locator(
        "xpath=ancestor-or-self::*[self::td or self::th][1]"
        "/following-sibling::*[self::td or self::th][1]"
    )


def _controls_in(cell: Locator) -> Locator:
    """The input/select/textarea elements in a cell (see `_cell_after_caption` for why CSS)."""
    return cell.locator(_CONTROLS)


def field(scope: Scope, caption: Words) -> Locator:
    """The input/select/textarea for a caption: the control its `<label>` names, or the
    control in the table cell after the caption's cell (both, if both hold, are one element)."""
    pattern = caption_pattern(caption)
    return scope.get_by_label(pattern).or_(_controls_in(_cell_after_caption(scope, pattern)))


def wait_for_any(*candidates: Locator, timeout: float | None = None) -> None:
    """Wait until one of the candidates shows, whichever the site shows (an answer, or an
    error message, or an empty list): no fixed sleep, no guessing which comes."""
    combined = candidates[0]
    for candidate in candidates[1:]:
        combined = combined.or_(candidate)
    # `.first` here picks no element to act on: any visible match ends the wait.
    combined.filter(visible=True).first.wait_for(timeout=timeout)


# An element's shown text as a person reads it: lines (a block, a table cell or a <br> ends
# one), each control (link, button, box) replaced by _CONTROL_MARK, as its words are not the text
# before it ("Current Case Manager: Staff25, Lac [Assign]" reads "Staff25, Lac"). Hidden parts
# are left out; `display: contents` wrappers break nothing.
_CONTROL_MARK = "\x01"
_LINES_AND_CONTROLS = """e => {
  const parts = [];
  const walk = node => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) { parts.push(child.textContent); continue; }
      if (child.nodeType !== Node.ELEMENT_NODE) continue;
      const display = getComputedStyle(child).display;
      if (display === "none") continue;
      if (child.tagName === "BR") { parts.push("\\n"); continue; }
      if (child.matches("a, button, input, select, textarea")) { parts.push("\\u0001"); continue; }
      const inline = display.startsWith("inline") || display === "contents";
      if (!inline) parts.push("\\n");
      walk(child);
      if (!inline) parts.push("\\n");
    }
  };
  walk(e);
  return parts.join("");
}"""


def _value_in_lines(text: str, line_pattern: re.Pattern[str]) -> str | None:
    """The value after the caption in text read by _LINES_AND_CONTROLS: the rest of the
    caption's line up to a control; when that is empty and no control follows, the next line
    up to a control ("Case Manager:" above "Staff25, Lac"); "" when a control comes first."""
    lines = [line for line in text.split("\n") if squeeze(line)]
    for index, line in enumerate(lines):
        match = line_pattern.match(squeeze(line.split(_CONTROL_MARK)[0]))
        if not match:
            continue
        if match[1] or _CONTROL_MARK in line or index + 1 == len(lines):
            return match[1]
        return squeeze(lines[index + 1].split(_CONTROL_MARK)[0])
    return None


def _inline_value(scope: Scope, caption: Words, words_before: int) -> str | None:
    """The value after the caption in the first shown text that reads `caption: value`, up
    to the end of its line or the next control's words ("" when a control follows the caption
    at once); None when no shown text reads so."""
    element = _inline_pattern(caption, words_before)
    line_pattern = _inline_pattern(caption, words_before, empty=True)
    texts: list[str] = each_value(words_shown(scope, element).filter(visible=True),
                                  _LINES_AND_CONTROLS)
    for text in texts:
        value = _value_in_lines(text, line_pattern)
        if value is not None:
            return value
    return None


def read_only_value(scope: Scope, caption: Words, *, words_before: int = 0) -> str:
    """A read-only field's value, as a person reads it: the control's value if it is a
    control, else the text in the cell after the caption, else the text after `caption:` in
    the same line ("Case Manager: Staff25, Lac"), up to the line's end or the next link's or
    button's words. With `words_before`, a line whose caption has up to that many words before
    it counts too, after any that has none ("Current Case Manager: Staff25, Lac Assign").
    Hidden elements are not read."""
    pattern = caption_pattern(caption)
    inline = _inline_pattern(caption)
    loose = _inline_pattern(caption, words_before)
    wait_for_any(words_shown(scope, pattern), words_shown(scope, inline),
                 words_shown(scope, loose))
    # One round trip reads every visible control's shown value (see evaluate_one for why).
    shown: list[str] = each_value(field(scope, caption).filter(visible=True), SHOWN_VALUE)
    if shown:
        return squeeze(shown[0])
    cell = _cell_after_caption(scope, pattern).filter(visible=True)
    if cell.count():
        return squeeze(cell.inner_text())
    for before in sorted({0, words_before}):
        value = _inline_value(scope, caption, before)
        if value is not None:
            return value
    return ""


def read_only_values(scope: Page | Locator, captions: Mapping[K, Words]) -> dict[K, str]:
    """Several read-only fields' values in one round trip, read as a person reads them: the
    scope's visual lines (pages/screen_text.py), where a caption's value is the cell right
    after the caption's cell on its line (a control's shown value, or text), or the rest of
    a cell that reads `caption: value`. A caption whose value this one read cannot tell for
    sure (not shown yet, alone at the end of its line, or followed by another caption) is
    left out: read_only_value, which waits and knows more layouts, reads it alone."""
    lines = read_lines_with_values(scope)
    wanted = {key: (caption_pattern(caption), _inline_pattern(caption))
              for key, caption in captions.items()}
    found: dict[K, str] = {}
    for key, (whole, inline) in wanted.items():
        value = _value_on_lines(lines, whole, inline, [w for w, _ in wanted.values()])
        if value is not None:
            found[key] = value
    return found


def _value_on_lines(lines: Sequence[Line], whole: re.Pattern[str], inline: re.Pattern[str],
                    captions: Sequence[re.Pattern[str]]) -> str | None:
    """The value of the first line that shows the caption (see read_only_values), or None."""
    for line in lines:
        cells = [cell.strip() for cell in line.text.split("\t") if cell.strip()]
        for index, cell in enumerate(cells):
            if cell.startswith(VALUE_MARK):
                continue  # a control's value is never a caption
            match = inline.match(cell)
            if match:
                return squeeze(match[1])
            if not whole.match(cell):
                continue
            after = cells[index + 1] if index + 1 < len(cells) else None
            if after is None:
                return None
            if after.startswith(VALUE_MARK):
                return squeeze(after.removeprefix(VALUE_MARK))  # a control's shown value
            if any(caption.match(after) for caption in captions):
                return None  # the next field's caption: this one's value is not shown here
            return squeeze(after)
    return None


def unshown_value(scope: Scope, caption: Words) -> str:
    """A caption's value read even where it is not shown (a tab that is not open): the text of
    the cell after the caption, or "" when the page has none. No waiting: the page is read as
    it is. For hiding data on screenshots, never for decisions (a person could not see it)."""
    cell = _cell_after_caption(scope, caption_pattern(caption))
    if not cell.count():
        return ""
    return squeeze(cell.first.text_content() or "")


def each_value(target: Locator, function: str) -> list[Any]:
    """`function` applied to every element the target matches now, in one round trip; no
    waiting ([] when nothing matches yet)."""
    values: list[Any] = target.evaluate_all(f"elements => elements.map({function})")
    return values


def evaluate_one(target: Locator, function: str) -> Any:
    """`target.evaluate(function)`, in one round trip to the browser when the element is there.

    Locator.evaluate takes three (find a handle, evaluate, let go of the handle), and a bot
    reads a dozen values per record. evaluate_all takes one but neither waits nor insists on a
    single element, so it is tried first, and Locator.evaluate (which waits, and refuses
    several matches) only does the work when the element is not there yet or is not alone.
    """
    values = each_value(target, function)
    if len(values) == 1:
        return values[0]
    return target.evaluate(function)


# The text a person reads in a control: a dropdown's selected option, else the control's value.
SHOWN_VALUE = (
    "e => e.tagName === 'SELECT' ? (e.selectedIndex >= 0 ? e.options[e.selectedIndex].text : '')"
    " : e.value"
)


def selected_label(select: Locator) -> str:
    """The visible text of a dropdown's selected option ("" when nothing is selected)."""
    # Reading a property, not finding an element: the selected option has no role of its own.
    text: str = evaluate_one(select, SHOWN_VALUE)
    return squeeze(text)


def option_labels(select: Locator) -> list[str]:
    """The visible texts of a dropdown's options, in the order shown."""
    # Reading a property: a closed <select>'s options are not visible to role locators.
    texts: list[str] = evaluate_one(select, "s => Array.from(s.options, o => o.text)")
    return [squeeze(text) for text in texts]


def option_pattern(wanted: str) -> re.Pattern[str]:
    """An option's whole text as find_option matches it: case and whitespace ignored."""
    body = r"\s+".join(re.escape(word) for word in wanted.split())
    return re.compile(rf"^\s*{body}\s*$", re.IGNORECASE)


def real_choices(select: Locator) -> list[str]:
    """The options a person would pick from: the placeholder ("None Selected") left out."""
    from caljobs_bot.pages.site_wording import in_force

    none_selected = in_force().caption("outcome.none_selected")
    return [label for label in option_labels(select)
            if label.strip() and not none_selected.match(label)]


def find_option(select: Locator, wanted: str) -> str:
    """The option text that matches `wanted` once case and whitespace are ignored.

    Raises ValueError listing the options when none matches: the live option texts are the
    truth, and a near miss must be fixed by the user, not guessed.
    """
    labels = option_labels(select)
    for label in labels:
        if normalise(label) == normalise(wanted):
            return label
    raise ValueError(f"{wanted!r} is not one of the options: {', '.join(map(repr, labels))}")


def choose_option(select: Locator, wanted: str) -> str:
    """Select the option whose text matches `wanted` (see find_option); returns its text.

    `select_option(label=...)` fires the change event a postback dropdown listens for.
    """
    label = find_option(select, wanted)
    select.select_option(label=label)
    return label


def action(scope: Scope, name: Words | re.Pattern[str], *, extra_words: int = 0) -> Locator:
    """Something to click by its name (text, `value`, `alt` or `title`), whether the site made
    it a link or a button.

    The help sheets themselves disagree ("Assign Case Manager" link in 2021, button in 2016).
    A name given as words matches whatever the case and spacing; `extra_words` lets a few more
    words around them count too ("I Agree" for "Agree").
    """
    if not isinstance(name, re.Pattern):
        name = words_pattern(name, extra_words=extra_words) if extra_words else (
            caption_pattern(name)
        )
    links_and_buttons = scope.get_by_role("link", name=name).or_(
        scope.get_by_role("button", name=name))
    return links_and_buttons.or_(_scripted(scope).filter(has_text=name))


def _scripted(scope: Scope) -> Locator:
    """Elements a script makes clickable (`<span onclick>`, `<td onclick>`), which have no
    link or button role; one that wraps a real link or button is left to that control.

    Last resort, by attribute: what makes them clickable is only their onclick.
    """
    return scope.locator("[onclick]:not(a):not(button):not(input):not(:has(a, button, input))")


def _header_cell(scope: Scope, column: str) -> Locator:
    """A column's header: a `<th>` (GridView), or an ordinary cell reading the column's name
    (the older DataGrid writes its header row as bold `<td>`s)."""
    pattern = caption_pattern(column)
    page = root_page(scope)
    header = page.get_by_role("columnheader", name=pattern)
    return header.or_(page.get_by_role("cell", name=pattern))


def data_table(scope: Scope, *columns: str) -> Locator:
    """The innermost table with all these column headers (a list, not a layout table)."""
    page = root_page(scope)
    tables = scope.get_by_role("table")
    inner = page.get_by_role("table")
    for column in columns:
        tables = tables.filter(has=_header_cell(scope, column))
        inner = inner.filter(has=_header_cell(scope, column))
    # A layout table around the list also "has" the headers; the list is the one that holds
    # no other table with them.
    return tables.filter(has_not=inner)


# Reads a list table in one round trip: the first row whose cells name every wanted column is
# the header; the rows after it with as many cells are the data. Rows of tables nested inside
# are not this table's (table.rows leaves them out), nor are hidden rows (detail rows, filtered
# rows) or a lone "No data found." cell spanning the table.
_TABLE_ROWS = """(table, wanted) => {
  const squeeze = t => (t || "").replace(/\\s+/g, " ").trim();
  const bare = t => t.replace(/^\\*\\s*/, "").replace(/\\s*:$/, "").toLowerCase();
  const rows = Array.from(table.rows).filter(r => r.getClientRects().length);
  const cellsOf = row => Array.from(row.cells, c => squeeze(c.innerText));
  const start = rows.findIndex(r => {
    const names = cellsOf(r).map(bare);
    return wanted.every(w => names.includes(w));
  });
  if (start < 0) return [];
  const trim = t => squeeze(t).replace(/^\\*\\s*/, "").replace(/\\s*:$/, "");
  const headers = cellsOf(rows[start]).map(trim);
  return rows.slice(start + 1).map(cellsOf).filter(cells => cells.length === headers.length)
    .map(cells => Object.fromEntries(headers.map((h, i) => [h, cells[i]])));
}"""


def table_rows(table: Locator, *columns: str) -> list[dict[str, str]]:
    """A list table's shown data rows as {column header: cell text}, read in one round trip;
    the header row is the first that names every one of `columns`."""
    wanted = [normalise(column) for column in columns]
    rows: list[dict[str, str]] = evaluate_one(table, f"t => ({_TABLE_ROWS})(t, {wanted!r})")
    return rows


def table_rows_now(table: Locator, *columns: str) -> list[dict[str, str]]:
    """The rows as table_rows reads them, without waiting: [] when no such table is shown
    now (the caller has waited for the table or for a message that says there is none)."""
    wanted = [normalise(column) for column in columns]
    found: list[list[dict[str, str]]] = each_value(table, f"t => ({_TABLE_ROWS})(t, {wanted!r})")
    if len(found) > 1:
        return table_rows(table, *columns)  # not one table: table_rows says so
    return found[0] if found else []


Row = TypeVar("Row")


def table_records(table: Locator, make: Callable[..., Row], by_column: Mapping[str, str],
                  *columns: str, now: bool = False) -> list[Row]:
    """A list table's shown data rows, each made by `make` from its cells: `by_column` names
    the column each argument is read from ("" where a row has no such cell); the header row
    is the first that names every one of `columns` (as table_rows). With `now`, read as
    table_rows_now does: no waiting, [] when no such table is shown."""
    rows = table_rows_now(table, *columns) if now else table_rows(table, *columns)
    return [make(**{argument: row.get(column, "") for argument, column in by_column.items()})
            for row in rows]


def row_with(table: Locator, column_text: str) -> Locator:
    """The table row that has a cell reading exactly `column_text` (whitespace trimmed)."""
    cell = root_page(table).get_by_role("cell", name=column_text, exact=True)
    return table.get_by_role("row").filter(has=cell)


# Colours a person reads as "something is wrong": red-ish text.
_RED_TEXT = """root => {
  const squeeze = t => (t || "").replace(/\\s+/g, " ").trim();
  const found = [];
  for (const e of root.querySelectorAll("*")) {
    if (!e.getClientRects().length || ["SCRIPT", "STYLE", "OPTION"].includes(e.tagName)) {
      continue;
    }
    const texts = Array.from(e.childNodes).filter(n => n.nodeType === 3);
    const own = texts.map(n => n.textContent).join(" ");
    if (squeeze(own).length < 4) continue;
    const rgb = (getComputedStyle(e).color.match(/\\d+/g) || []).map(Number);
    const red = rgb.length >= 3 && rgb[0] >= 150 && rgb[1] <= 90 && rgb[2] <= 90;
    if (red) found.push(squeeze(e.innerText));
  }
  return found;
}"""


def messages_in_red(scope: Scope) -> list[str]:
    """The site's error messages as a person spots them: an alert when the site marks one up,
    else every shown text in red (a WebForms ValidationSummary is a red list with no role).
    One line per message; [] when there are none."""
    alerts = scope.get_by_role("alert").filter(visible=True).all_inner_texts()
    if alerts:
        texts = alerts
    else:
        body = scope.locator("body") if not isinstance(scope, Locator) else scope
        texts = each_value(body, f"({_RED_TEXT})") if body.count() else []
        texts = [line for found in texts for line in found]
    lines = [squeeze(line) for text in texts for line in text.splitlines() if line.strip()]
    return list(dict.fromkeys(lines))
