"""The report an audit leaves: `audit.csv`, a row per application, and `audit.html` for people.

The CSV is for the data team's own spreadsheet, so it names participants by their ids (the
ones the job or list gave) as well as by record and line; every text cell is made safe from
spreadsheet formulas and control characters (report.py's helpers, shared with `run`). The
HTML page leads with the count of each verdict; with `--mask-pii` names and ids read ████ in
it, so it can be passed on.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from caljobs_bot.running.audit import ParticipantAudit
from caljobs_bot.running.audit_verdict import Verdict
from caljobs_bot.running.report import cell_text, html_page, html_text

CSV_COLUMNS = ("record", "line", "row", "state id", "user id", "verdict", "application",
               "targeted", "status", "program", "outcome listed", "exit date", "exit reason",
               "detail")
MASK = "\u2588\u2588\u2588\u2588"
# The verdicts that need someone's attention, listed first in the HTML.
ATTENTION = (Verdict.DIFFERENT_OUTCOME, Verdict.OTHER_APPLICATIONS_OPEN, Verdict.NOT_FOUND,
             Verdict.NOT_READABLE, Verdict.NO_OUTCOME_YET, Verdict.NOT_RUN)


def _application_cells(result: ParticipantAudit) -> list[list[str]]:
    """Per application: number, targeted, status, program, outcome listed, date, reason."""
    if not result.applications:
        return [["", "", "", "", "", "", ""]]
    cells = []
    for application in result.applications:
        listed = application.outcomes
        cells.append([
            application.number, "yes" if application.number == result.application else "",
            application.status, application.program, "yes" if listed else "no",
            "; ".join(o.exit_date or "" for o in listed),
            "; ".join(o.exit_reason or o.text for o in listed)])
    return cells


def write_audit_csv(results: list[ParticipantAudit], path: Path) -> Path:
    """One row per application read (one for a participant with none), in list order."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for result in results:
            target = result.target
            who = target.participant
            for cells in _application_cells(result):
                writer.writerow([
                    target.index, target.line or "", target.row or "",
                    *(cell_text(v) for v in (who.state_id or "", who.user_id or "",
                                             result.verdict.value, *cells, result.detail))])
    return path


def write_audit_html(results: list[ParticipantAudit], path: Path, *, title: str,
                     notes: list[str], mask_pii: bool = False) -> Path:
    """A page a person reads: the count of each verdict, the ones needing attention first,
    then every participant with their applications."""
    counts = Counter(r.verdict.value for r in results)
    summary = ", ".join(f"{n} {html_text(v)}" for v, n in counts.most_common()) or "nobody"

    def private(text: str | None) -> str:
        return MASK if mask_pii and text else html_text(text or "")

    def table(chosen: list[ParticipantAudit]) -> str:
        head = "".join(f"<th>{html_text(c)}</th>" for c in (
            "participant", "name", "state id", "user id", "verdict", "application", "status",
            "program", "outcome listed", "exit date", "exit reason", "detail"))
        body = []
        for result in chosen:
            who = result.target.participant
            rows = _application_cells(result)
            span = len(rows)
            for number, cells in enumerate(rows):
                first = (
                    f'<td rowspan="{span}">{html_text(result.target.label())}</td>'
                    f'<td rowspan="{span}">{private(who.name)}</td>'
                    f'<td rowspan="{span}">{private(who.state_id)}</td>'
                    f'<td rowspan="{span}">{private(who.user_id)}</td>'
                    f'<td rowspan="{span}">{html_text(result.verdict.value)}</td>'
                    if number == 0 else "")
                application = cells[0] + (" (targeted)" if cells[1] else "")
                last = (f'<td rowspan="{span}">{html_text(result.detail)}</td>'
                        if number == 0 else "")
                shown = [application, *cells[2:]]
                body.append(f'<tr class="{result.verdict.name.lower()}">{first}'
                            + "".join(f"<td>{html_text(c)}</td>" for c in shown)
                            + f"{last}</tr>")
        return f"<table><tr>{head}</tr>{''.join(body)}</table>"

    attention = [r for r in results if r.verdict in ATTENTION]
    attention_part = (f"<h2>Needing attention ({len(attention)})</h2>{table(attention)}"
                      if attention else "<p>Every participant is as the job says.</p>")
    note_items = "".join(f"<li>{html_text(n)}</li>" for n in notes)
    rows_style = """
tr.as_the_job_says td { background: #eaf7ea; } tr.different_outcome td { background: #fde8e8; }
tr.not_readable td, tr.not_found td { background: #fde8e8; }
tr.no_outcome_yet td, tr.other_applications_open td { background: #fff8e1; }"""
    path.write_text(html_page(title, rows_style, f"""<p id="summary"><strong>{summary}</strong></p>
<ul>{note_items}</ul>
{attention_part}
<h2>Every participant ({len(results)})</h2>{table(results)}"""), encoding="utf-8")
    return path
