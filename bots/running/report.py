"""The report a run leaves behind: a CSV for spreadsheets and an HTML page for people.

Records are named by their number and line in the job file; no participant data is written.
Each exit date's age is shown, because local boards set late-entry deadlines. A reason may quote
the job or the site, so control characters in it are written as escapes (caljobs_bot.visible):
a spreadsheet or a browser shows them as data, never as a line break or a hidden word.
"""

from __future__ import annotations

import csv
import html
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

from caljobs_bot.steps.results import RecordResult, Status
from caljobs_bot.visible import visible

COLUMNS = ("record", "line", "status", "exit date age (days)", "reason", "evidence")


@dataclass(frozen=True)
class ReportRow:
    """A result with what the report adds to it."""

    result: RecordResult
    exit_date_age_days: int | None


def rows_for(results: list[RecordResult], exit_dates: dict[int, date],
             today: date | None = None) -> list[ReportRow]:
    """Pair each result with its exit date's age in days."""
    today = today or date.today()
    return [
        ReportRow(r, (today - exit_dates[r.index]).days if r.index in exit_dates else None)
        for r in sorted(results, key=lambda r: r.index)
    ]


def write_csv(rows: list[ReportRow], path: Path) -> Path:
    """One line per record, in job order."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for row in rows:
            r = row.result
            writer.writerow([r.index, r.line or "", r.status.value,
                             "" if row.exit_date_age_days is None else row.exit_date_age_days,
                             cell_text(r.reason), cell_text(" ".join(r.evidence))])
    return path


def write_html(rows: list[ReportRow], path: Path, *, title: str, notes: list[str]) -> Path:
    """A page a person reads: counts, the failures first with links to their evidence."""
    counts = Counter(row.result.status.value for row in rows)
    failures = [row for row in rows if row.result.status is Status.FAILED]

    def table(chosen: list[ReportRow]) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in COLUMNS)
        body = []
        for row in chosen:
            r = row.result
            links = " ".join(
                f'<a href="{_link(e)}">{_shown(Path(e).name)}</a>' for e in r.evidence
            )
            age = "" if row.exit_date_age_days is None else str(row.exit_date_age_days)
            body.append(
                f'<tr class="{r.status.name.lower()}"><td>{r.index}</td><td>{r.line or ""}</td>'
                f"<td>{html.escape(r.status.value)}</td><td>{age}</td>"
                f"<td>{_shown(r.reason)}</td><td>{links}</td></tr>"
            )
        return f"<table><tr>{head}</tr>{''.join(body)}</table>"

    summary = ", ".join(f"{n} {html.escape(s)}" for s, n in counts.items()) or "no records"
    note_items = "".join(f"<li>{_shown(n)}</li>" for n in notes)
    failed_part = (f"<h2>Failed records ({len(failures)})</h2>{table(failures)}"
                   if failures else "<p>No record failed.</p>")
    rows_style = """
tr.failed td { background: #fde8e8; } tr.saved td { background: #eaf7ea; }
tr.skipped td { background: #fff8e1; }"""
    path.write_text(html_page(title, rows_style, f"""<p><strong>{summary}</strong></p>
<ul>{note_items}</ul>
{failed_part}
<h2>All records</h2>{table(rows)}"""), encoding="utf-8")
    return path


# What a spreadsheet reads as the start of a formula (OWASP's list): "=HYPERLINK(...)" in a
# job's value or the site's words would run when report.csv is opened in Excel.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(text: object) -> str:
    """Text for a CSV cell: control characters as escapes, and a leading quote before text a
    spreadsheet would read as a formula, so it shows as the text it is."""
    shown = visible(text)
    return "'" + shown if shown.startswith(FORMULA_START) else shown


def html_text(text: object) -> str:
    """Text for an HTML page: control characters as escapes, then HTML's own characters."""
    return html.escape(visible(text))


def html_page(title: str, row_styles: str, body: str) -> str:
    """A report page: the title as its heading, the shared table style plus `row_styles` (a
    colour per row class), then `body` (already HTML)."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html_text(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; margin-bottom: 2em; }}
td, th {{ border: 1px solid #bbb; padding: 4px 8px; text-align: left; vertical-align: top; }}\
{row_styles}
</style></head>
<body><h1>{html_text(title)}</h1>
{body}
</body></html>
"""


def _shown(text: str) -> str:
    """Text for the page: control characters as escapes, then HTML's own characters."""
    return html_text(text)


def _link(evidence: str) -> str:
    """An evidence file's relative address: separators kept (either kind: Windows writes
    `\\`), anything else a URL may not hold percent-encoded."""
    return html.escape(quote(evidence, safe="/\\"))
