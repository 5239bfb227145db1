"""Runs a whole job: the ledger, the workers, the evidence and the report.

Every record ends saved, skipped or failed with a reason, exactly once on the site, whatever
happens to the run: the ledger is written before and after each Save, a re-run skips what an
earlier run saved, and a record whose Save was pressed but never answered is looked up on the
site before anything is typed again. One failed record never stops the run.
"""

from __future__ import annotations

import contextlib
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
from caljobs_bot.running.disk import DiskFull, naming_full_disk
from caljobs_bot.running.job_lock import hold_job_lock
from caljobs_bot.running.ledger import Entry, Ledger, RunLedger, record_identity
from caljobs_bot.running.report import rows_for, write_csv, write_html
from caljobs_bot.running.scrub import SCRUBBING_SUFFIX
from caljobs_bot.running.stopping import (
    STOPPED_BY_REQUEST,
    StopCause,
    cause_of,
    disk_full_during,
    stopped_during,
)
from caljobs_bot.running.tracing import PARTIAL_SUFFIX, Tracer
from caljobs_bot.running.workers import run_workers
from caljobs_bot.safe_names import digest, short_name
from caljobs_bot.settings.browser_session import SessionOptions, open_session
from caljobs_bot.settings.credentials import Credentials
from caljobs_bot.settings.private import private_folder
from caljobs_bot.steps.definitions import STEPS, Step
from caljobs_bot.steps.outcome_bot import OutcomeBot, RunPolicy, SiteAccess
from caljobs_bot.steps.results import (
    Interrupted,
    RecordResult,
    SessionExpired,
    SiteUnavailable,
    Status,
)
from caljobs_bot.steps.state import NO_OBSERVERS, Observers, RecordJournal, StepObserver

ResultCallback = Callable[[Record, RecordResult], None]
# What stops every worker of a run at once (the report then says why).
Halt = SiteUnavailable | SessionExpired | DiskFull


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

    @property
    def policy(self) -> RunPolicy:
        """How each worker's bot treats the site (the bot's share of these options). A bulk
        run keeps the participant search in a tab of its own (RunPolicy.search_tab): one
        page load fewer per record."""
        return RunPolicy(dry_run=self.dry_run, retries=self.retries,
                         backoff_seconds=self.backoff_seconds, steps=self.steps,
                         search_tab=True)


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
    # The job file the run read (the summary names it in the `audit` command it suggests).
    job_path: Path | None = None


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
        on_report: Callable[[Path], None] | None = None,
    ) -> None:
        self.job = job
        # Called in the calling thread once every worker's browser runs (or failed to start).
        self._on_ready = on_ready
        # Told where report.html was written, however the run ends: a run that ends on an
        # error writes it and then raises, and the command line still names it.
        self._on_report = on_report
        self.options = options
        self.stop = stop or threading.Event()
        self._on_result = on_result
        self._observers = NO_OBSERVERS if observer is None else Observers(step=observer)
        folder = job_folder(job, options.runs_dir)
        with naming_full_disk(folder):
            self.folder = private_folder(folder)
            self.ledger = Ledger(self.folder / "ledger.jsonl")
            self.ledger.check_usable()  # a folder in its place: named before anything starts
            self.run_id = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            _remove_unscrubbed_evidence(self.folder)
            self.run_folder = private_folder(self.folder / self.run_id)
        # What the bots and this runner write to the ledger; _run gives it what earlier runs
        # left unsettled, once the damaged lines are set aside.
        self._journal: RecordJournal = RunLedger(self.ledger, self.run_id, set())
        self._results: list[RecordResult] = []
        self._results_lock = threading.Lock()
        self._errors: list[BaseException] = []
        # Why the whole run stopped early (maintenance page, expired saved session, a full
        # disk, a sign-in that kept failing), if it did: the first cause wins.
        self._halted: StopCause | None = None
        self._disk_full: DiskFull | None = None
        limit = options.page_loads_per_minute
        self._limiter = RateLimiter(limit, self.stop) if limit else None

    # -- the run -----------------------------------------------------------------------

    def run(self, records: list[Record] | None = None) -> RunOutcome:
        """Process the records (all by default) and write the report, however the run ends.

        An error that ended the run before any record (a refused or failing sign-in, a
        browser that would not start) is re-raised after the report is written, as is a full
        disk (DiskFull), so the command line names it and exits 2."""
        chosen = self.job.records if records is None else records
        try:
            self._run(chosen)
        except BaseException as error:  # Ctrl-C twice, a damaged ledger, a full disk...
            self._stop_cause(error)
            self._report_before_raising(chosen, error)
            raise
        if self._errors and not self._results:
            first = self._errors[0]
            self._report_before_raising(chosen, first)
            raise first
        outcome = self._report(chosen)
        if self._disk_full is not None:
            raise self._disk_full
        return outcome

    def _run(self, chosen: list[Record]) -> None:
        with naming_full_disk(self.folder):
            self.ledger.set_aside_damaged()
        saved_before = self.ledger.saved_by_identity()
        pending = self._saves_without_answer() | self.ledger.damaged_identities
        self._journal = RunLedger(self.ledger, self.run_id, pending)
        work: queue.SimpleQueue[Record] = queue.SimpleQueue()
        for record in chosen:
            earlier = saved_before.get(record_identity(record))
            if earlier is not None and not self.options.dry_run:
                self._finish(record, RecordResult(
                    record.index, record.line, Status.SKIPPED,
                    f"saved by an earlier run ({earlier.run}); not entered again"), write=False)
            else:
                work.put(record)

        # No browser at all when the ledger says everything is done already.
        run_workers(min(self.options.workers, work.qsize()),
                    lambda started: self._worker(work, started), "worker", self._on_ready)
        for error in self._errors:
            self._stop_cause(error)

    def _stop_cause(self, error: BaseException) -> None:
        """Remember why the run stopped (the first cause wins)."""
        if isinstance(error, DiskFull):
            self._disk_full = self._disk_full or error
        self._halted = self._halted or cause_of(error)

    def _report_before_raising(self, chosen: list[Record], error: BaseException) -> None:
        """Write the report of a run that ends on `error`; a report that cannot be written
        (the disk is full) must not hide the error itself."""
        with contextlib.suppress(Exception):  # the error being raised is what matters
            self._report(chosen)

    def _saves_without_answer(self) -> set[str]:
        """Identities whose Save was pressed by an earlier run that never recorded the end."""
        saving, settled = set(), set()
        for line in self.ledger.lines():
            if line.status is Entry.SAVING:
                saving.add(line.identity)
            elif line.status in (Entry.SAVED, Entry.SKIPPED):
                settled.add(line.identity)
        return saving - settled

    def _worker(self, work: queue.SimpleQueue[Record], started: threading.Event) -> None:
        try:
            self._work(work, started)
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            self._errors.append(error)
            if isinstance(error, DiskFull):
                _remove_unscrubbed_evidence(self.folder)  # a trace cut short; room too
            self.stop.set()
        finally:
            started.set()  # a worker that never got going must not hold up the start

    def _work(self, work: queue.SimpleQueue[Record], started: threading.Event) -> None:
        options = self.options
        with open_session(options.session) as session:
            started.set()
            context = session.new_context()
            if self._limiter is not None:
                context.route("**/*", self._pace)
            page = context.new_page()
            tracer = Tracer(context, options.session.trace, options.credentials.password)
            bot = OutcomeBot(
                page, SiteAccess(options.sign_in_url, options.credentials, tracer.untraced),
                policy=options.policy, observers=self._observers, journal=self._journal,
                stop=self.stop,
            )
            try:
                bot.start()
            except (SiteUnavailable, SessionExpired) as reason:
                self._halt(reason)
                return
            except Exception as error:
                # A sign-in that keeps failing: the first cause is kept for every not-run row.
                self._stop_cause(error)
                raise
            while not self.stop.is_set():
                try:
                    record = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    interrupted = self._process(bot, tracer, record)
                except (SiteUnavailable, SessionExpired) as reason:
                    interrupted = Interrupted(reason)  # met outside any step: nothing pressed
                except DiskFull as full:
                    # The ledger could not take a line: nothing more may be saved. The record
                    # is reported (its result, if _finish met the full disk, is kept already).
                    self._halt(full)
                    if not self._has_result(record):
                        self._finish(record, disk_full_during(record), write=False)
                    _remove_unscrubbed_evidence(self.folder)
                    return
                if interrupted is not None:
                    self._halt(interrupted.cause)
                    self._finish(record, stopped_during(record, interrupted),
                                 write=interrupted.save_pressed)

    def _pace(self, route: Route) -> None:
        if route.request.resource_type == "document" and self._limiter is not None:
            self._limiter.wait_turn()
        route.continue_()

    def _process(self, bot: OutcomeBot, tracer: Tracer, record: Record) -> Interrupted | None:
        """One record, with its evidence and ledger line; returns where it stood when the
        site went down meanwhile (the run then stops), else None."""
        tracer.begin(record.label())
        try:
            ended = bot.try_record(record)
        except (SiteUnavailable, SessionExpired, DiskFull):
            raise
        except Exception as error:  # noqa: BLE001 - one record's surprise must not end the run
            # Only the error's kind: its message may quote page text (participant data).
            result = RecordResult(
                record.index, record.line, Status.FAILED,
                f"unexpected error ({type(error).__name__}); check the case by hand before "
                "running this record again, and report it with the evidence")
        else:
            if isinstance(ended, Interrupted):
                return ended
            result = ended
        failed = result.status is Status.FAILED
        try:
            with naming_full_disk(self.folder):
                evidence = (self._evidence(bot.current_page, record, result.reason)
                            if failed else [])
                trace = tracer.end(failed, self._evidence_folder(record) / "trace.zip")
        except DiskFull:
            self._finish(record, result)  # what happened on the site stands
            raise
        if trace is not None:
            evidence.append(trace)
        if evidence:
            result = RecordResult(result.index, result.line, result.status, result.reason,
                                  tuple(str(p.relative_to(self.run_folder)) for p in evidence))
        self._finish(record, result)
        return None

    def _halt(self, reason: Halt) -> None:
        """Stop every worker after its current record, and remember why for the report."""
        self._stop_cause(reason)
        self.stop.set()

    def _has_result(self, record: Record) -> bool:
        with self._results_lock:
            return any(r.index == record.index for r in self._results)

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
        """Record how a record ended: the ledger, the results, the caller. A ledger that
        cannot take the line (a full disk) still leaves the result in the report, then
        raises DiskFull: the next run reads the site for this record (not in the ledger)."""
        try:
            if write:
                self._journal.ended(record, result)
        finally:
            with self._results_lock:
                self._results.append(result)
            if self._on_result is not None:
                self._on_result(record, result)

    # -- the report --------------------------------------------------------------------

    def _report(self, chosen: list[Record]) -> RunOutcome:
        with self._results_lock:
            finished = list(self._results)
        done = {r.index for r in finished}
        not_run = [r for r in chosen if r.index not in done]
        cause = self._halted or StopCause(STOPPED_BY_REQUEST, "", datetime.now())
        results = sorted(finished, key=lambda r: r.index) + [cause.not_run(r) for r in not_run]
        notes = []
        if self._halted:
            notes.append(f"The run stopped: {self._halted.sentence}")
        if self.options.dry_run:
            notes.append("Dry run: every form was filled and cancelled; nothing was saved.")
        if not_run:
            notes.append(f"The run was stopped with {len(not_run)} records not run. Run the "
                         "same command again to finish them; saved records are skipped.")
        notes.append(f"Evidence (screenshots, page HTML, traces) is kept in {self.run_folder}; "
                     "it may show participant data: keep it private. Open a trace with "
                     "'playwright show-trace trace.zip'.")
        rows = rows_for(results, {r.index: r.exit_date for r in chosen})
        with naming_full_disk(self.run_folder):
            csv_path = write_csv(rows, self.run_folder / "report.csv")
            html_path = write_html(rows, self.run_folder / "report.html",
                                   title=f"caljobs-bot run {self.run_id}: {self.job.path.name}",
                                   notes=notes)
        if self._on_report is not None:
            self._on_report(html_path)
        return RunOutcome(results, self.run_folder, self.ledger.path, csv_path, html_path,
                          interrupted=bool(not_run), notes=notes, job_path=self.job.path)


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


def run_job(job: Job, options: RunOptions, *, on_result: ResultCallback | None = None,
            observer: StepObserver | None = None, records: list[Record] | None = None,
            stop: threading.Event | None = None,
            on_ready: Callable[[], None] | None = None,
            on_report: Callable[[Path], None] | None = None) -> RunOutcome:
    """Run a job (or some of its records) and write its report. `on_ready` is called once
    the browsers run (the command line arms Ctrl-C then); `on_report` with the report.html
    written, also when the run then raises (a refused sign-in, a full disk), so the caller
    can name it without the error carrying it.

    Holds the job's lock throughout (job_lock.py: JobBusy when another run has it), and names
    a full disk under the runs folder (DiskFull) wherever a write met it."""
    folder = job_folder(job, options.runs_dir)
    with naming_full_disk(folder), hold_job_lock(folder, dry_run=options.dry_run):
        runner = JobRunner(job, options, on_result=on_result, observer=observer, stop=stop,
                           on_ready=on_ready, on_report=on_report)
        return runner.run(records)
