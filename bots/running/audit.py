"""Runs an audit: every listed participant's case read, judged against the job, reported.

Read-only by construction: a worker signs in as `run` does (the bot's session handling), then
only searches, opens cases and opens tree nodes (steps/read_case.py); it never reaches a step
that creates, fills or saves. It shares `run`'s politeness (the page-load cap, at most the
workers the site allows) and its way of surviving a kill: each participant's reading is one
line of `audit-ledger.jsonl` in the job's runs folder, written and forced to disk as it ends,
so an audit started again after an interruption reads only the participants it had not
finished. An audit that finished is not resumed: the next one reads everyone again, since
the site may have changed since.

The audit ledger holds no names or ids (participants are keyed by the hash `run` uses); it
does hold application numbers, statuses and listed exit dates and reasons, which the report
is built from: the runs folder is private.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError

from caljobs_bot.jobfile.attachments import AttachmentLimits
from caljobs_bot.jobfile.models import Job, ParticipantRef
from caljobs_bot.pages.case import ListedOutcome
from caljobs_bot.pages.login import LoginPage
from caljobs_bot.pages.masking import masked
from caljobs_bot.pages.notfound import ElementNotFound
from caljobs_bot.running.audit_verdict import FINAL, Expected, Verdict, judge
from caljobs_bot.running.disk import naming_full_disk
from caljobs_bot.running.ledger import Ledger, participant_identity
from caljobs_bot.running.run import RateLimiter, RunOptions
from caljobs_bot.running.workers import run_workers
from caljobs_bot.safe_names import short_name
from caljobs_bot.settings.browser_session import open_session
from caljobs_bot.settings.private import private_folder
from caljobs_bot.steps.definitions import STEPS
from caljobs_bot.steps.outcome_bot import OutcomeBot, RunPolicy, SiteAccess, kind_of
from caljobs_bot.steps.read_case import ApplicationReading, CaseReader
from caljobs_bot.steps.results import RecordFailed, SessionExpired, SiteUnavailable

AUDIT_LEDGER = "audit-ledger.jsonl"


@dataclass(frozen=True)
class AuditTarget:
    """One participant to read: a job's record (with what it says the site should hold) or
    a row of a list of participants (nothing to compare)."""

    index: int
    participant: ParticipantRef
    application: str | None = None
    expected: Expected | None = None
    line: int | None = None  # in the job file
    row: int | None = None  # in the spreadsheet

    def label(self) -> str:
        """'record 3 (line 20)' or 'row 4': names the participant without their data."""
        if self.row is not None:
            return f"row {self.row}"
        return f"record {self.index} (line {self.line})" if self.line else f"record {self.index}"

    @property
    def identity(self) -> str:
        """The anonymous key of the participant and application (as `run` keys records)."""
        return participant_identity(self.participant, self.application)


@dataclass(frozen=True)
class AuditList:
    """The participants of one job file or spreadsheet, and whether it says what to expect."""

    path: Path
    targets: list[AuditTarget]

    @property
    def compares(self) -> bool:
        """Whether the list says which outcome each participant should have."""
        return any(t.expected is not None for t in self.targets)


def targets_of_job(job: Job) -> AuditList:
    """Every record of a loaded job, with the outcome it asks for."""
    return AuditList(job.path, [
        AuditTarget(record.index, record.participant, record.application,
                    Expected(record.application, record.exit_date, record.exit_reason),
                    line=record.line)
        for record in job.records])


def targets_of_sheet(path: Path, *, sheet: str | None = None,
                     attachments_dir: Path | None = None,
                     attachment_limits: AttachmentLimits | None = None) -> AuditList:
    """A spreadsheet's participants: read with `import`'s rules when it has the outcome's
    columns (exit_date, exit_reason), compared with the site then; else as a list of ids
    (only state_id or user_id needed). SheetError names every row and column to fix."""
    from caljobs_bot.jobfile.loader import parse_job
    from caljobs_bot.jobfile.sheet_header import read_header
    from caljobs_bot.jobfile.sheet_participants import has_outcome_columns, listed_participants
    from caljobs_bot.jobfile.sheet_reading import read_sheet
    from caljobs_bot.jobfile.sheet_rows import sheet_records
    from caljobs_bot.jobfile.spreadsheet import job_text

    read = read_sheet(path, sheet=sheet)
    if not has_outcome_columns(read):
        return AuditList(path, [AuditTarget(n, p.participant, p.application, row=p.row)
                                for n, p in enumerate(listed_participants(read), start=1)])
    # Where the job file would be, as `import` would write it (attachments resolve there).
    output = path.with_suffix(".yaml")
    text, _ = job_text(read, output, attachments_dir=attachments_dir,
                       attachment_limits=attachment_limits)
    job = parse_job(text, output, attachments_dir=attachments_dir,
                    attachment_limits=attachment_limits)
    columns, _ = read_header(read)
    rows = [row.number for row in sheet_records(read, columns, path.parent, [], {})]
    return AuditList(path, [
        AuditTarget(record.index, record.participant, record.application,
                    Expected(record.application, record.exit_date, record.exit_reason),
                    row=rows[record.index - 1] if record.index <= len(rows) else None)
        for record in job.records])


@dataclass(frozen=True)
class ParticipantAudit:
    """How one participant was found: the verdict, the application it is about, why, and
    every WIOA application read (none when the case could not be read)."""

    target: AuditTarget
    verdict: Verdict
    application: str | None
    detail: str
    applications: tuple[ApplicationReading, ...] = ()
    # Read by the same audit before it was interrupted and resumed (not read again).
    earlier: bool = False


@dataclass
class AuditOutcome:
    """What an audit produced: a row per participant and where its files are."""

    results: list[ParticipantAudit]
    folder: Path
    ledger: Path
    report_csv: Path
    report_html: Path
    notes: list[str] = field(default_factory=list)
    halted: str | None = None


ResultCallback = Callable[[AuditTarget, ParticipantAudit], None]


def audit_folder(path: Path, runs_dir: Path) -> Path:
    """The runs folder of a job file or sheet: the one `run` uses for the same job file
    (running/run.py job_folder), so its audit ledger sits beside the run's ledger."""
    full = str(path.resolve())
    return runs_dir / short_name(path.stem, full)


class AuditLedger:
    """`audit-ledger.jsonl`: a start line per audit, a line per participant read, an end line
    when every participant was read. Written with the run ledger's guarantees (ledger.py)."""

    def __init__(self, path: Path) -> None:
        self._ledger = Ledger(path)
        self.path = path

    def unfinished(self) -> tuple[str | None, dict[str, dict[str, Any]]]:
        """The last audit, if it never ended, and what it read to the end, by identity."""
        lines = self._ledger.json_lines()
        starts = [line for line in lines if line.get("kind") == "start"]
        if not starts:
            return None, {}
        audit = str(starts[-1].get("audit"))
        if any(line.get("kind") == "end" and line.get("audit") == audit for line in lines):
            return None, {}
        read = {str(line["identity"]): line for line in lines
                if line.get("kind") == "read" and line.get("audit") == audit
                and line.get("verdict") in FINAL and "identity" in line}
        return audit, read

    def start(self, audit: str) -> None:
        self._write({"kind": "start", "audit": audit})

    def read(self, audit: str, result: ParticipantAudit) -> None:
        self._write({"kind": "read", "audit": audit, "identity": result.target.identity,
                     "index": result.target.index, "verdict": result.verdict.value,
                     "found": result.verdict is not Verdict.NOT_FOUND,
                     "detail": result.detail if result.verdict is Verdict.NOT_FOUND else "",
                     "applications": [_application_json(a) for a in result.applications]})

    def end(self, audit: str) -> None:
        self._write({"kind": "end", "audit": audit})

    def _write(self, payload: dict[str, Any]) -> None:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        self._ledger.append_json({"time": stamp, **payload})


def _participant_words(who: ParticipantRef) -> list[str]:
    """The words that identify a participant on a screenshot: ids and names."""
    words = [who.state_id, who.user_id, who.name, *(who.name or "").replace(",", " ").split()]
    return [w for w in words if w and len(w) > 1]


def _application_json(reading: ApplicationReading) -> dict[str, Any]:
    return {"number": reading.number, "status": reading.status, "program": reading.program,
            "outcomes": [asdict(o) for o in reading.outcomes]}


def _application_of(data: dict[str, Any]) -> ApplicationReading:
    return ApplicationReading(str(data["number"]), str(data["status"]), str(data["program"]),
                              tuple(ListedOutcome(**o) for o in data["outcomes"]))


def judged(target: AuditTarget, applications: list[ApplicationReading], *,
           earlier: bool = False) -> ParticipantAudit:
    """A found participant's result: the verdict from what the site showed."""
    judgement = judge(target.expected, applications)
    return ParticipantAudit(target, judgement.verdict, judgement.application, judgement.detail,
                            tuple(applications), earlier)


def _from_ledger(target: AuditTarget, line: dict[str, Any]) -> ParticipantAudit:
    """A result an interrupted audit wrote, judged again against the list as it is now."""
    if not line.get("found", True):
        return ParticipantAudit(target, Verdict.NOT_FOUND, None, str(line.get("detail", "")),
                                earlier=True)
    return judged(target, [_application_of(a) for a in line.get("applications", [])],
                  earlier=True)


class AuditRunner:
    """Reads the participants of one list with N workers, sharing one audit ledger."""

    def __init__(self, listed: AuditList, options: RunOptions, *, resume: bool = True,
                 on_result: ResultCallback | None = None,
                 on_ready: Callable[[], None] | None = None,
                 stop: threading.Event | None = None) -> None:
        self.listed = listed
        self.options = options
        self.stop = stop or threading.Event()
        self._resume = resume
        self._on_result = on_result
        self._on_ready = on_ready
        with naming_full_disk(options.runs_dir):
            self.folder = private_folder(audit_folder(listed.path, options.runs_dir))
            self.ledger = AuditLedger(self.folder / AUDIT_LEDGER)
        self.audit_id = datetime.now().strftime("audit-%Y%m%d-%H%M%S-%f")
        self._results: dict[int, ParticipantAudit] = {}
        self._lock = threading.Lock()
        self._errors: list[BaseException] = []
        self._halted: str | None = None
        limit = options.page_loads_per_minute
        self._limiter = RateLimiter(limit, self.stop) if limit else None

    def run(self) -> AuditOutcome:
        """Read every participant not read yet by this audit, then write the report."""
        earlier_audit, done = self.ledger.unfinished() if self._resume else (None, {})
        if earlier_audit is not None:
            self.audit_id = earlier_audit
        else:
            done = {}
            self.ledger.start(self.audit_id)
        work: queue.SimpleQueue[AuditTarget] = queue.SimpleQueue()
        for target in self.listed.targets:
            line = done.get(target.identity)
            if line is not None:
                self._finish(_from_ledger(target, line), write=False)
            else:
                work.put(target)
        run_workers(min(self.options.workers, work.qsize()),
                    lambda started: self._worker(work, started), "audit", self._on_ready)
        if self._errors and not any(not r.earlier for r in self._results.values()):
            raise self._errors[0]
        if all(t.index in self._results and self._results[t.index].verdict in FINAL
               for t in self.listed.targets):
            self.ledger.end(self.audit_id)
        return self._report()

    def _worker(self, work: queue.SimpleQueue[AuditTarget], started: threading.Event) -> None:
        try:
            self._work(work, started)
        except (SiteUnavailable, SessionExpired) as reason:
            self._halt(str(reason))
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            self._errors.append(error)
            self._halt(f"{type(error).__name__}: {error}")
        finally:
            started.set()

    def _halt(self, why: str) -> None:
        with self._lock:
            self._halted = self._halted or why
        self.stop.set()

    def _work(self, work: queue.SimpleQueue[AuditTarget], started: threading.Event) -> None:
        options = self.options
        with open_session(options.session) as session:
            started.set()
            context = session.new_context()
            if self._limiter is not None:
                limiter = self._limiter

                def pace(route: Any) -> None:
                    if route.request.resource_type == "document":
                        limiter.wait_turn()
                    route.continue_()

                context.route("**/*", pace)
            page = context.new_page()
            bot = OutcomeBot(page, SiteAccess(options.sign_in_url, options.credentials),
                             policy=RunPolicy(retries=options.retries,
                                              backoff_seconds=options.backoff_seconds),
                             stop=self.stop)
            bot.start()
            while not self.stop.is_set():
                try:
                    target = work.get_nowait()
                except queue.Empty:
                    return
                bot.begin_record()
                self._finish(self._read(bot, target))

    def _read(self, bot: OutcomeBot, target: AuditTarget) -> ParticipantAudit:
        """One participant, tried again after a time-out, server error or expired session;
        a screen that lacks what the help sheet shows is `not readable`, with the step and
        the element, as `run` reports it."""
        attempt = 0
        while True:
            attempt += 1
            bot.close_leftovers()
            reader = CaseReader()
            try:
                applications = reader.read(bot.participant_search(), target.participant)
            except RecordFailed as failed:
                return ParticipantAudit(target, Verdict.NOT_FOUND, None, str(failed))
            except PlaywrightError as error:
                bot.raise_if_site_down(error)
                where = reader.where(STEPS)
                detail = kind_of(error)
                problem = f"{where}: {detail}" if detail.startswith("on the ") else (
                    f"{where} {detail}")
                transient = (not isinstance(error, ElementNotFound)
                             or LoginPage(bot.page).is_shown())
                if transient and attempt <= self.options.retries and not self.stop.is_set():
                    self.stop.wait(self.options.backoff_seconds * 2 ** (attempt - 1))
                    continue
                tries = f" (gave up after {attempt} tries)" if transient else ""
                evidence = self._evidence(bot, target)
                shown = f"; screenshot: {evidence}" if evidence else ""
                return ParticipantAudit(target, Verdict.NOT_READABLE, target.application,
                                        problem + tries + shown)
            return judged(target, applications)

    def _evidence(self, bot: OutcomeBot, target: AuditTarget) -> str | None:
        """A screenshot of the screen that could not be read (the participant's words
        blanked with --mask-pii), relative to the job's runs folder; None if the page is gone.
        It may show participant data: the runs folder is private."""
        folder = private_folder(self.folder / self.audit_id / f"participant-{target.index:05d}")
        terms = _participant_words(target.participant) if self.options.mask_pii else []
        try:
            with masked(bot.page, terms):
                bot.page.screenshot(path=folder / "screenshot.png", full_page=True)
        except PlaywrightError:  # evidence is best effort; the verdict stands
            return None
        return (folder / "screenshot.png").relative_to(self.folder).as_posix()

    def _finish(self, result: ParticipantAudit, *, write: bool = True) -> None:
        if write:
            self.ledger.read(self.audit_id, result)
        with self._lock:
            self._results[result.target.index] = result
        if self._on_result is not None:
            self._on_result(result.target, result)

    def _report(self) -> AuditOutcome:
        from caljobs_bot.running.audit_report import write_audit_csv, write_audit_html

        with self._lock:
            results = dict(self._results)
        halted = self._halted or "the audit was stopped"
        rows = [results.get(t.index) or ParticipantAudit(t, Verdict.NOT_RUN, None,
                                                         f"not read: {halted}")
                for t in self.listed.targets]
        notes = ["Read only: nothing was created or saved, and no form or pop-up was opened."]
        if self._halted:
            notes.append(f"The audit stopped: {self._halted}")
        resumed = sum(1 for r in rows if r.earlier)
        if resumed:
            notes.append(f"{resumed} participant(s) were read by this audit before it was "
                         "interrupted, and not read again.")
        if any(r.verdict is Verdict.NOT_RUN for r in rows):
            notes.append("Run the same command again to read the rest; participants read "
                         "already are not read again.")
        with naming_full_disk(self.folder):
            csv_path = write_audit_csv(rows, self.folder / "audit.csv")
            html_path = write_audit_html(
                rows, self.folder / "audit.html",
                title=f"caljobs-bot audit {self.audit_id}: {self.listed.path.name}",
                notes=notes, mask_pii=self.options.mask_pii)
        return AuditOutcome(rows, self.folder, self.ledger.path, csv_path, html_path, notes,
                            self._halted)
