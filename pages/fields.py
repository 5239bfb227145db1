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
from typing import Any

from playwright.sync_api import FrameLocator, Locator, Page

from pages.wording import NONE_SELECTED

Scope = Page | Locator | FrameLocator


def squeeze(text: str) -> str:
    """The text with runs of whitespace (tabs, newlines, non-breaking spaces) made one space."""
    return " ".join(text.split())


def normalise(text: str) -> str:
    """Text for comparison: whitespace squeezed and case folded (accents are kept: José ≠ Jose)."""
    return squeeze(text).casefold()


def _caption_body(caption: str) -> str:
    """The regex for a caption's words: any whitespace between words and around slashes."""
    words = caption.strip().strip("*:").strip().split()
    escaped = (re.escape(word).replace("/", r"\s*\/\s*") for word in words)
    return r"\s+".join(escaped)


def caption_pattern(caption: str) -> re.Pattern[str]:
    """The whole caption, case-insensitive, with an optional `*` before and `:` after."""
    return re.compile(rf"^\s*\*?\s*{_caption_body(caption)}\s*\*?\s*:?\s*$", re.IGNORECASE)


def _inline_pattern(caption: str) -> re.Pattern[str]:
    """A caption and its value in one piece of text: `Case Manager: Staff25, Lac`."""
    return re.compile(rf"^\s*\*?\s*{_caption_body(caption)}\s*:\s*(\S.*?)\s*$", re.IGNORECASE)


def root_page(scope: Scope) -> Page:
    """The page a scope belongs to: inner locators for `filter(has=...)` are built from it."""
    if isinstance(scope, Page):
        return scope
    if isinstance(scope, Locator):
        return scope.page
    return scope.owner.page


def _container_of(heading: Locator) -> Locator:
    """The element holding a heading (a section without a fieldset: a heading and its fields).

    Last resort, by structure: only used when the site shows no `role=group` with that title;
    "the heading's parent" has no role to name it by.
    """
    return heading.locator("xpath=..")


def section(scope: Scope, title: str | re.Pattern[str]) -> Locator:
    """A form section by its title: a fieldset (role=group named by its legend), else the
    container of a heading with that title."""
    name = caption_pattern(title) if isinstance(title, str) else title
    group = scope.get_by_role("group", name=name)
    heading_container = _container_of(scope.get_by_role("heading", name=name))
    # A fieldset comes before any heading inside it, so the first match is the fieldset.
    return group.or_(heading_container).first


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
    return scope.get_by_text(pattern).locator(
        "xpath=ancestor-or-self::*[self::td or self::th][1]"
        "/following-sibling::*[self::td or self::th][1]"
    )


def _controls_in(cell: Locator) -> Locator:
    """The input/select/textarea elements in a cell (see `_cell_after_caption` for why CSS)."""
    return cell.locator(_CONTROLS)


def field(scope: Scope, caption: str) -> Locator:
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


def read_only_value(scope: Scope, caption: str) -> str:
    """A read-only field's value, as a person reads it: the control's value if it is a
    control, else the text in the cell after the caption, else the text after `caption:` in
    the same line ("Case Manager: Staff25, Lac"). Hidden elements are not read."""
    pattern = caption_pattern(caption)
    inline = _inline_pattern(caption)
    wait_for_any(scope.get_by_text(pattern), scope.get_by_text(inline))
    # One round trip reads every visible control's shown value (see evaluate_one for why).
    shown: list[str] = each_value(field(scope, caption).filter(visible=True), SHOWN_VALUE)
    if shown:
        return squeeze(shown[0])
    cell = _cell_after_caption(scope, pattern).filter(visible=True)
    if cell.count():
        return squeeze(cell.inner_text())
    for text in scope.get_by_text(inline).filter(visible=True).all_inner_texts():
        match = inline.match(squeeze(text))
        if match:
            return match[1]
    return ""


def unshown_value(scope: Scope, caption: str) -> str:
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
    return target.evaluate_all(f"elements => elements.map({function})")


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


def real_choices(select: Locator) -> list[str]:
    """The options a person would pick from: the placeholder ("None Selected") left out."""
    return [label for label in option_labels(select) if not NONE_SELECTED.match(label)]


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


def action(scope: Scope, name: str | re.Pattern[str]) -> Locator:
    """Something to click by its text, whether the site made it a link or a button.

    The help sheets themselves disagree ("Assign Case Manager" link in 2021, button in 2016).
    """
    exact = isinstance(name, str)
    return scope.get_by_role("link", name=name, exact=exact).or_(
        scope.get_by_role("button", name=name, exact=exact)
    )


def data_table(scope: Scope, column: str) -> Locator:
    """The innermost table with a column header `column` (a list, not a layout table)."""
    header = root_page(scope).get_by_role("columnheader", name=caption_pattern(column))
    tables = scope.get_by_role("table").filter(has=header)
    # A layout table around the list also "has" the header; the list is the one that holds
    # no other table with it.
    return tables.filter(has_not=root_page(scope).get_by_role("table").filter(has=header))


def table_rows(table: Locator) -> list[dict[str, str]]:
    """A list table's data rows as {column header: cell text}; header rows and a lone
    "No data found." / "No records found." row spanning the table are left out."""
    header_texts = table.get_by_role("columnheader").all_inner_texts()
    headers = [squeeze(text).rstrip(":") for text in header_texts]
    rows: list[dict[str, str]] = []
    for row in table.get_by_role("row").all():
        cells = [squeeze(text) for text in row.get_by_role("cell").all_inner_texts()]
        if len(cells) == len(headers):
            rows.append(dict(zip(headers, cells, strict=True)))
    return rows


def row_with(table: Locator, column_text: str) -> Locator:
    """The table row that has a cell reading exactly `column_text` (whitespace trimmed)."""
    cell = root_page(table).get_by_role("cell", name=column_text, exact=True)
    return table.get_by_role("row").filter(has=cell)
