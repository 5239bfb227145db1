"""Runs a whole job: the ledger, the workers, the evidence and the report.

Every record ends saved, skipped or failed with a reason, exactly once on the site, whatever
happens to the run: the ledger is written before and after each Save, a re-run skips what an
earlier run saved, and a record whose Save was pressed but never answered is looked up on the
site before anything is typed again. One failed record never stops the run.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from playwright.sync_api import Page, Route

from caljobs_bot.jobfile.models import Job, Record
from caljobs_bot.pages.masking import masked
from caljobs_bot.running.ledger import Entry, Ledger, record_identity
from caljobs_bot.running.report import rows_for, write_csv, write_html
from caljobs_bot.running.scrub import SCRUBBING_SUFFIX
from caljobs_bot.running.tracing import PARTIAL_SUFFIX, Tracer
from caljobs_bot.safe_names import digest, short_name
from caljobs_bot.settings.browser_session import SessionOptions, open_session
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.settings.private import private_folder
from caljobs_bot.steps.definitions import STEPS, Step
from caljobs_bot.steps.outcome_bot import OutcomeBot, StepObserver
from caljobs_bot.steps.results import (
    RecordResult,
    SessionExpired,
    SiteUnavailable,
    SiteUnreachable,
    Status,
)

ResultCallback = Callable[[Record, RecordResult], None]



_LEDGER_STATUS = {
    Status.SAVED: Entry.SAVED,
    Status.SKIPPED: Entry.SKIPPED,
    Status.FAILED: Entry.FAILED,
    Status.DRY_RUN: Entry.DRY_RUN,
    Status.NOT_KNOWN: Entry.NOT_KNOWN,
}


def _run_session() -> SessionOptions:
    # A run keeps the trace of a record that failed, for whoever looks into it.
    return SessionOptions(trace="on-failure")


@dataclass(frozen=True)
class RunOptions:
    """How to run a job: where the site is, who signs in, how each browser opens, and how
    politely the site is used."""

    sign_in_url: str
    credentials: Credentials
    # How each worker's browser is opened (bots/settings/browser_session.py).
    session: SessionOptions = field(default_factory=_run_session)
    dry_run: bool = False
    runs_dir: Path = Path("runs")
    retries: int = 2
    backoff_seconds: float = 1.0
    workers: int = 1
    page_loads_per_minute: float | None = None
    # Evidence screenshots and page HTML with the record's participant data blanked out.
    mask_pii: bool = False
    # The help-sheet steps the bot performs, in order (steps/definitions.py).
    steps: tuple[Step, ...] = STEPS


@dataclass
class RunOutcome:
    """What a run produced: a result per record and where its files are."""

    results: list[RecordResult]
    folder: Path
    ledger: Path
    report_csv: Path
    report_html: Path
    interrupted: bool = False
    notes: list[str] = field(default_factory=list)


def job_folder(job: Job, runs_dir: Path) -> Path:
    """The folder of one job file's runs: the same for every run of it, so re-runs resume.

    Named by a readable prefix of the job's name and a hash of its full path
    (caljobs_bot.safe_names): a 250-character job name once made a folder name too long to
    create. A short name of safe characters gives the same folder as before; a job whose
    folder was named by the old rule (its name as it was) keeps using that folder, so a
    resume still finds its ledger."""
    full = str(job.path.resolve())
    named = runs_dir / short_name(job.path.stem, full)
    legacy = runs_dir / f"{job.path.stem}-{digest(full)}"
    return legacy if legacy != named and _is_folder(legacy) else named


def _is_folder(path: Path) -> bool:
    """Whether `path` is a folder; False for a name the system cannot even look up (too
    long, or a character Windows refuses)."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


class RateLimiter:
    """At most N page loads a minute across all workers: the real site is shared and watched.

    `clock` and `wait` are the monotonic clock and a stop-aware wait; tests give fakes.
    """

    def __init__(self, per_minute: float, stop: threading.Event, *,
                 clock: Callable[[], float] = time.monotonic,
                 wait: Callable[[float], object] | None = None) -> None:
        self._interval = 60.0 / per_minute
        self._next = 0.0
        self._lock = threading.Lock()
        self._clock = clock
        self._wait = wait or stop.wait

    def wait_turn(self) -> None:
        """Return when this page load's turn has come (at once for the first)."""
        with self._lock:
            now = self._clock()
            turn = max(now, self._next)
            self._next = turn + self._interval
        self._wait(turn - now)


class JobRunner:
    """Runs the records of one job with N workers, sharing one ledger."""

    def __init__(
        self,
        job: Job,
        options: RunOptions,
        *,
        on_result: ResultCallback | None = None,
        observer: StepObserver | None = None,
        stop: threading.Event | None = None,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        self.job = job
        # Called in the calling thread once every worker's browser runs (or failed to start).
        self._on_ready = on_ready
        self.options = options
        self.stop = stop or threading.Event()
        self._on_result = on_result
        self._observer = observer
        self.folder = private_folder(job_folder(job, options.runs_dir))
        self.ledger = Ledger(self.folder / "ledger.jsonl")
        self.run_id = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        _remove_unscrubbed_evidence(self.folder)
        self.run_folder = private_folder(self.folder / self.run_id)
        self._results: list[RecordResult] = []
        self._results_lock = threading.Lock()
        self._errors: list[BaseException] = []
        # Why the whole run stopped early (maintenance page, expired saved session), if it did.
        self._halted: str | None = None
        limit = options.page_loads_per_minute
        self._limiter = RateLimiter(limit, self.stop) if limit else None

    # -- the run -----------------------------------------------------------------------

    def run(self, records: list[Record] | None = None) -> RunOutcome:
        """Process the records (all by default); re-raises SignInFailed/BrowserNotFound."""
        chosen = self.job.records if records is None else records
        saved_before = self.ledger.saved_by_identity()
        pending = self._saves_without_answer()
        work: queue.SimpleQueue[Record] = queue.SimpleQueue()
        for record in chosen:
            earlier = saved_before.get(record_identity(record))
            if earlier is not None and not self.options.dry_run:
                self._finish(record, RecordResult(
                    record.index, record.line, Status.SKIPPED,
                    f"saved by an earlier run ({earlier.run}); not entered again"), write=False)
            else:
                work.put(record)

        started = [threading.Event() for _ in range(min(self.options.workers, work.qsize()))]
        workers = [
            threading.Thread(target=self._worker, args=(work, pending, started[n]),
                             name=f"worker-{n}", daemon=True)
            # No browser at all when the ledger says everything is done already.
            for n in range(len(started))
        ]
        for worker in workers:
            worker.start()
        for event in started:
            event.wait()
        if self._on_ready is not None:
            self._on_ready()
        for worker in workers:
            while worker.is_alive():
                worker.join(timeout=0.5)  # short joins keep Ctrl-C responsive in this thread
        if self._errors and not self._results:
            raise self._errors[0]
        for error in self._errors:
            self._halted = self._halted or (
                f"a browser stopped on an unexpected error ({type(error).__name__}); the "
                "records it had not reached were not run.")
        return self._report(chosen)

    def _saves_without_answer(self) -> set[str]:
        """Identities whose Save was pressed by an earlier run that never recorded the end."""
        saving, settled = set(), set()
        for line in self.ledger.lines():
            if line.status is Entry.SAVING:
                saving.add(line.identity)
            elif line.status in (Entry.SAVED, Entry.SKIPPED):
                settled.add(line.identity)
        return saving - settled

    def _worker(self, work: queue.SimpleQueue[Record], pending: set[str],
                started: threading.Event) -> None:
        try:
            self._work(work, pending, started)
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            self._errors.append(error)
            self.stop.set()
        finally:
            started.set()  # a worker that never got going must not hold up the start

    def _work(self, work: queue.SimpleQueue[Record], pending: set[str],
              started: threading.Event) -> None:
        options = self.options
        with open_session(options.session) as session:
            started.set()
            context = session.new_context()
            if self._limiter is not None:
                context.route("**/*", self._pace)
            page = context.new_page()
            tracer = Tracer(context, options.session.trace, options.credentials.password)
            bot = OutcomeBot(
                page, options.sign_in_url, options.credentials, dry_run=options.dry_run,
                retries=options.retries, backoff_seconds=options.backoff_seconds,
                stop=self.stop, untraced=tracer.untraced, steps=options.steps,
                observer=self._observer,
            )
            try:
                bot.start()
            except (SiteUnavailable, SessionExpired) as reason:
                self._halt(reason)
                return
            while not self.stop.is_set():
                try:
                    record = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    self._process(bot, tracer, record, pending)
                except (SiteUnavailable, SessionExpired) as reason:
                    self._finish(record, _stopped_during(record, reason),
                                 write=getattr(reason, "save_pressed", False))
                    self._halt(reason)

    def _pace(self, route: Route) -> None:
        if route.request.resource_type == "document" and self._limiter is not None:
            self._limiter.wait_turn()
        route.continue_()

    def _process(self, bot: OutcomeBot, tracer: Tracer, record: Record,
                 pending: set[str]) -> None:
        tracer.begin(record.label())
        intent = "" if self.options.dry_run else "Save pressed"

        def side_effect(kind: str, stage: str) -> None:
            entry = Entry.NOTE_ADDING if stage == "intent" else Entry.NOTE_ADDED
            self.ledger.append(self.run_id, record, entry, kind)

        def before_save() -> None:
            self.ledger.append(self.run_id, record, Entry.SAVING, intent)

        try:
            result = bot.process(
                record,
                on_save=before_save,
                save_may_have_happened=record_identity(record) in pending,
                on_side_effect=side_effect,
            )
        except (SiteUnavailable, SessionExpired):
            raise
        except Exception as error:  # noqa: BLE001 - one record's surprise must not end the run
            # Only the error's kind: its message may quote page text (participant data).
            result = RecordResult(
                record.index, record.line, Status.FAILED,
                f"unexpected error ({type(error).__name__}); check the case by hand before "
                "running this record again, and report it with the evidence")
        failed = result.status is Status.FAILED
        evidence = self._evidence(bot.page, record, result.reason) if failed else []
        trace = tracer.end(failed, self._evidence_folder(record) / "trace.zip")
        if trace is not None:
            evidence.append(trace)
        if evidence:
            result = RecordResult(result.index, result.line, result.status, result.reason,
                                  tuple(str(p.relative_to(self.run_folder)) for p in evidence))
        self._finish(record, result)

    def _halt(self, reason: SiteUnavailable | SessionExpired) -> None:
        """Stop every worker after its current record, and remember why for the report."""
        self._halted = self._halted or _halt_reason(reason)
        self.stop.set()

    def _evidence_folder(self, record: Record) -> Path:
        return private_folder(self.run_folder / "evidence" / f"record-{record.index:05d}")

    def _evidence(self, page: Page, record: Record, reason: str) -> list[Path]:
        """The reason (with what was tried: each candidate clicked and what its click did), a
        screenshot and the HTML of the page as the record failed, if the page is alive."""
        folder = self._evidence_folder(record)
        (folder / "reason.txt").write_text(reason + "\n", encoding="utf-8")
        saved: list[Path] = [folder / "reason.txt"]
        terms = participant_terms(record) if self.options.mask_pii else []
        try:
            with masked(page, terms):
                page.screenshot(path=folder / "screenshot.png", full_page=True)
                saved.append(folder / "screenshot.png")
                (folder / "page.html").write_text(page.content(), encoding="utf-8")
                saved.append(folder / "page.html")
        except Exception:  # noqa: BLE001 - evidence is best effort; the result stands
            pass
        return saved

    def _finish(self, record: Record, result: RecordResult, *, write: bool = True) -> None:
        if write:
            self.ledger.append(self.run_id, record, _LEDGER_STATUS[result.status], result.reason)
        with self._results_lock:
            self._results.append(result)
        if self._on_result is not None:
            self._on_result(record, result)

    # -- the report --------------------------------------------------------------------

    def _report(self, chosen: list[Record]) -> RunOutcome:
        done = {r.index for r in self._results}
        not_run = [r for r in chosen if r.index not in done]
        results = sorted(self._results, key=lambda r: r.index) + [
            RecordResult(r.index, r.line, Status.NOT_RUN, "the run stopped before this record")
            for r in not_run
        ]
        notes = []
        if self._halted:
            notes.append(f"The run stopped: {self._halted}")
        if self.options.dry_run:
            notes.append("Dry run: every form was filled and cancelled; nothing was saved.")
        if not_run:
            notes.append(f"The run was stopped with {len(not_run)} records not run. Run the "
                         "same command again to finish them; saved records are skipped.")
        notes.append(f"Evidence (screenshots, page HTML, traces) is kept in {self.run_folder}; "
                     "it may show participant data: keep it private. Open a trace with "
                     "'playwright show-trace trace.zip'.")
        rows = rows_for(results, {r.index: r.exit_date for r in chosen})
        csv_path = write_csv(rows, self.run_folder / "report.csv")
        html_path = write_html(rows, self.run_folder / "report.html",
                               title=f"caljobs-bot run {self.run_id}: {self.job.path.name}",
                               notes=notes)
        return RunOutcome(results, self.run_folder, self.ledger.path, csv_path, html_path,
                          interrupted=bool(not_run), notes=notes)


def participant_terms(record: Record) -> list[str]:
    """The words of a record that identify a person: names, ids, contacts, the note."""
    who = record.participant
    terms = [who.state_id, who.user_id, record.application, who.name,
             *(who.name or "").replace(",", " ").split()]
    for contact in record.alternate_contacts:
        terms += [contact.first_name, contact.last_name, contact.phone, contact.email,
                  contact.address]
    if record.case_note is not None:
        terms += [record.case_note.subject, record.case_note.comments]
    return [t for t in terms if t and len(t) > 1]


def _remove_unscrubbed_evidence(folder: Path) -> None:
    """Delete what an earlier run of the job left half-written (a trace killed before it was
    scrubbed may hold session cookies): every "*.part" under the job's folder, and any
    half-written scrubbed copy ("*.scrubbing") a kill during the scrub left beside it."""
    for suffix in (PARTIAL_SUFFIX, SCRUBBING_SUFFIX):
        for leftover in folder.rglob(f"*{suffix}"):
            leftover.unlink(missing_ok=True)


def _stopped_during(record: Record, reason: SiteUnavailable | SessionExpired) -> RecordResult:
    """The record the run was on when it had to stop: "not known" when its Save had been
    pressed (it may be stored: the next run looks first), else "not run" (nothing saved)."""
    during = getattr(reason, "during", "")
    step = f" during step '{during}'" if during else ""
    if getattr(reason, "save_pressed", False):
        return RecordResult(record.index, record.line, Status.NOT_KNOWN,
                            f"not known: the run stopped{step} after Save was pressed; the "
                            "next run looks at the case before anything is typed again")
    return RecordResult(record.index, record.line, Status.NOT_RUN,
                        f"not run: the run stopped{step}, before Save; nothing was saved")


def _halt_reason(reason: SiteUnavailable | SessionExpired) -> str:
    if isinstance(reason, SiteUnreachable):
        return (f"{reason}, and it still did not answer when asked again. Nothing more was "
                "tried; run the same command again when the site is back.")
    if isinstance(reason, SiteUnavailable):
        return (f"the site shows a maintenance or outage page ('{reason}'). Nothing more was "
                "tried; run the same command again when the site is back.")
    return str(reason)


def run_job(job: Job, options: RunOptions, *, on_result: ResultCallback | None = None,
            observer: StepObserver | None = None, records: list[Record] | None = None,
            stop: threading.Event | None = None,
            on_ready: Callable[[], None] | None = None) -> RunOutcome:
    """Run a job (or some of its records) and write its report. `on_ready` is called once
    the browsers run (the command line arms Ctrl-C then)."""
    runner = JobRunner(job, options, on_result=on_result, observer=observer, stop=stop,
                       on_ready=on_ready)
    return runner.run(records)
