"""Reading a job file: every problem in it at once, each at its line; else the Job.

Why it is built this way: users edit these files by hand, so every problem is reported at
once, as `file:line: records[2].exit_reason: sentence`, with record and list numbers counted
from 1 (as `record.index` and the run report count them). The YAML is read with its lines
(`yaml_reader`), the defaults merged under each record (`defaults`), the models checked
(`models`, their errors mapped back by `validation_problems`), and then the rule no single
record can check: one Exit/Outcome per participant's application. Exit dates after the
application date, and what the site already holds, are checked by the bot on the site.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from yaml.nodes import Node

from caljobs_bot.jobfile.attachments import AttachmentLimits
from caljobs_bot.jobfile.defaults import fallback_use, fallback_values, merged
from caljobs_bot.jobfile.field_types import digits_parser
from caljobs_bot.jobfile.models import Job, JobSpec, ParticipantRef
from caljobs_bot.jobfile.problems import JobFileError, Problem, file_problem
from caljobs_bot.jobfile.validation_problems import validation_problems
from caljobs_bot.jobfile.yaml_reader import compose, decode, line_at

# A job file bigger than this is refused before it is read: about 175,000 records, which take
# about a minute and gigabytes of memory to check. Split bigger lists into several jobs.
MAX_JOB_MB = 50


def _record_key(raw: object) -> tuple[ParticipantRef, str | None] | None:
    """The participant and application a raw record is for, when both read cleanly."""
    if not isinstance(raw, dict):
        return None
    try:
        participant = ParticipantRef.model_validate(raw.get("participant"))
        application = raw.get("application")
        if application is not None:
            application = digits_parser("", "")(application)
    except (ValidationError, ValueError):
        return None
    return participant, application


def _duplicate_records(file: Path, root: Node, records: list[Any]) -> Iterator[Problem]:
    """Two records for one participant's application: only one Exit/Outcome can exist.

    Records are indexed by (state id, application) and (user id, application), so a job of
    10,000 records is checked in one pass, not by comparing every pair."""
    first_seen: dict[tuple[str, str | None, str | None], int] = {}
    for later, raw in enumerate(records):
        key = _record_key(raw)
        if key is None:
            continue
        person, application = key
        ids = [("state", person.state_id, application), ("user", person.user_id, application)]
        ids = [(kind, value, app) for kind, value, app in ids if value is not None]
        matches = [first_seen[i] for i in ids if i in first_seen]
        for i in ids:
            first_seen.setdefault(i, later)
        if not matches:
            continue
        earlier = min(matches)
        yield Problem(file, line_at(root, ("records", later)), ("records", later),
                      "duplicate_record",
                      {"earlier": earlier, "earlier_line": line_at(root, ("records", earlier))})


def load_job(path: str | Path, *, today: date | None = None,
             fallback: Mapping[str, str | None] | None = None,
             fallback_sources: Mapping[str, str] | None = None,
             attachments_dir: Path | None = None,
             attachment_limits: AttachmentLimits | None = None) -> Job:
    """Read and check a job file; raise JobFileError listing every problem found.

    `today` is the day "today" means and the latest allowed exit date (default: the
    computer's date); tests pass a fixed day. `fallback` holds values for the defaultable
    fields (office, region, position from caljobs-bot.toml) that apply where neither the
    record nor the job's `defaults:` gives one; `fallback_sources` says where each came from
    (quoted in a problem about such a value). Attachments must lie in `attachments_dir`
    (default: the job file's folder) and keep to `attachment_limits`. A file over MAX_JOB_MB
    is refused from its size, before it is read.
    """
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_JOB_MB * 1024 * 1024:
            raise file_problem(file, "too_big", megabytes=size / 1024 / 1024, limit=MAX_JOB_MB)
        raw = file.read_bytes()
    except FileNotFoundError:
        raise file_problem(file, "not_found") from None
    except OSError as error:
        reason = error.strerror or "it is not a readable file"
        raise file_problem(file, "unreadable", reason=reason) from None
    return parse_job(raw, file, today=today, fallback=fallback,
                     fallback_sources=fallback_sources, attachments_dir=attachments_dir,
                     attachment_limits=attachment_limits)


def parse_job(text: str | bytes, path: str | Path, *, today: date | None = None,
              fallback: Mapping[str, str | None] | None = None,
              fallback_sources: Mapping[str, str] | None = None,
              attachments_dir: Path | None = None,
              attachment_limits: AttachmentLimits | None = None) -> Job:
    """Check a job file's text as if it were the file at `path` (attachments resolve there,
    or in `attachments_dir`); see load_job for the other arguments."""
    file = Path(path)
    if isinstance(text, bytes):
        text = decode(file, text)
    root, data, problems = compose(file, text)
    if root is None:  # nothing but comments or blank lines
        raise file_problem(file, "empty")
    if not isinstance(data, dict):
        raise JobFileError([*problems, Problem(file, root.start_mark.line + 1, (), "top_level")])
    outer = fallback_values(fallback, data.get("defaults"))
    merged_data = merged(data, outer)
    folder = (attachments_dir or file.parent).absolute()
    context = {"today": today or date.today(), "attachments_dir": folder,
               "attachment_limits": attachment_limits or AttachmentLimits()}
    spec: JobSpec | None = None
    try:
        spec = JobSpec.model_validate(merged_data, context=context)
    except ValidationError as error:
        problems.extend(validation_problems(error, file, root, data, fallback_sources or {}))
    if isinstance(merged_data.get("records"), list):
        problems.extend(_duplicate_records(file, root, merged_data["records"]))
    if problems or spec is None:
        raise JobFileError(problems)
    job = Job(version=spec.version, defaults=spec.defaults, records=spec.records, path=file)
    job._from_fallback = fallback_use(data, outer)
    for number, record in enumerate(job.records):
        record._index = number + 1
        record._line = line_at(root, ("records", number))
    return job
