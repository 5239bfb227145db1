"""What a practice produced: the time and mistakes per step, the verdict on what the sandbox
stored (judge: the state before and after, against the record), and the short Markdown
report a trainer collects (trainer/practice.py runs the practice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caljobs_bot.form_fields import GENERAL_INFORMATION
from caljobs_bot.matching import fold, same_name
from caljobs_bot.steps.definitions import STEPS, Step, number
from caljobs_bot.trainer.output import write_text

if TYPE_CHECKING:
    from caljobs_bot.jobfile.models import Record


@dataclass
class StepScore:
    """How one help-sheet step went."""

    title: str
    seconds: float = 0.0
    mistakes: int = 0
    shown: int = 0
    """How many of its checks "Show me" did."""
    checks: int = 0
    """How many checks the record needs at this step (0: the step does not apply)."""
    done: int = 0
    """How many of them were done."""
    notes: list[str] = field(default_factory=list)
    """The mistakes the page showed (the other participant's case, a Cancel), in words."""
    counted: list[str] = field(default_factory=list)
    """Problems on the site already counted here as mistakes (said when Done was clicked):
    not counted again when the verdict lists them."""


@dataclass
class PracticeResult:
    """How the practice went: per step, the outcome as the site stored it, and what the
    site's stored state shows missing or wrong (`problems`)."""

    steps: dict[str, StepScore]
    finished: bool
    outcome: dict[str, Any] | None = None
    report: Path | None = None
    problems: list[str] = field(default_factory=list)
    """What the site's state shows missing or wrong, one sentence each; each a mistake."""
    found: list[str] = field(default_factory=list)
    """What the site's state shows right, one sentence each (for the report)."""

    @property
    def mistakes(self) -> int:
        """Mistakes in all steps, and each thing the result lacks or has wrong (once: a
        problem already counted at its step is not counted again)."""
        counted = {text for score in self.steps.values() for text in score.counted}
        return (sum(score.mistakes for score in self.steps.values())
                + len([problem for problem in self.problems if problem not in counted]))

    @property
    def well_done(self) -> bool:
        """Every check done and the site holds exactly what the record asks for."""
        return self.finished and not self.problems


@dataclass
class Judgement:
    """The practice's result as the site stored it (judge)."""

    problems: list[str]
    found: list[str]
    outcome: dict[str, Any] | None
    by_step: dict[str, list[str]] = field(default_factory=dict)
    """The problems again, under the key of the step whose work they are about (the
    contacts under alternate_contacts), so a step can be judged on its own as it ends."""


def _person(row: dict[str, Any]) -> str:
    return (f"{row.get('name')} (User ID {row.get('user_id')}, State ID "
            f"{row.get('state_id')})")


def _same(wanted: str, stored: object) -> bool:
    return fold(wanted) == fold(str(stored or ""))


def _by_key(rows: list[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    return {row[key]: row for row in rows}


def _changed(before: list[dict[str, Any]], after: list[dict[str, Any]], key: str = "id"
             ) -> list[dict[str, Any]]:
    """Rows new or different after, matched by `key` (a deleted row is reported as it
    was)."""
    old, new = _by_key(before, key), _by_key(after, key)
    return ([row for key, row in new.items() if old.get(key) != row]
            + [row for key, row in old.items() if key not in new])


def judge(before: dict[str, Any], after: dict[str, Any], record: Record) -> Judgement:
    """What the trainee's practice left on the site, against what the record asks for.

    `before` and `after` are the sandbox's whole stored state (SandboxClient.state()) at the
    start and at the end. Judged from the state, not from the clicks, so a Cancel, a skipped
    step or the other participant with the same name cannot pass as done: the right person
    by every id the record gives, one new outcome on the right application with the
    record's date and reason (and office), each contact, the case-manager change and the
    note, and nothing changed for anybody else.
    """
    problems: list[str] = []
    found: list[str] = []
    who = record.participant
    people = [p for p in before["participants"]
              if (not who.state_id or p.get("state_id") == who.state_id)
              and (not who.user_id or p.get("user_id") == who.user_id)]
    ids = ", ".join(f"{caption} {value}" for caption, value in
                    (("State ID", who.state_id), ("User ID", who.user_id)) if value)
    if len(people) != 1:
        problems.append(f"The practice site has no single participant with {ids}: the "
                        "record cannot be judged.")
        return Judgement(problems, found, None)
    person = people[0]
    uid = person["user_id"]
    by_step: dict[str, list[str]] = {}
    since = 0

    def belongs_to(step: str) -> None:
        """The problems found since the last call are this step's."""
        nonlocal since
        by_step.setdefault(step, []).extend(problems[since:])
        since = len(problems)

    own_applications = {a["number"] for a in before["applications"]
                        if a["participant_user_id"] == uid}

    def new_rows(table: str) -> list[dict[str, Any]]:
        return _changed(before[table], after[table])

    outcomes = [o for o in new_rows("outcomes") if o["application_number"] in own_applications]
    outcome = outcomes[-1] if outcomes else None
    if outcome is None:
        problems.append(f"No outcome was saved for {_person(person)}.")
    else:
        if len(outcomes) > 1:
            problems.append(f"{len(outcomes)} outcomes were saved for {_person(person)}; the "
                            "record asks for one.")
        number = outcome["application_number"]
        if record.application and number != record.application:
            problems.append(f"The outcome was saved on application {number}, not on "
                            f"{record.application} as the record asks.")
        else:
            found.append(f"Outcome saved for {_person(person)} on application {number}.")
        dates = {f"{record.exit_date:%m/%d/%Y}", record.exit_date.isoformat()}
        # The outcome form's fields the record gives, each stored under its attribute.
        general = [(each.label, wanted, outcome.get(each.attribute), None)
                   for each in GENERAL_INFORMATION
                   if (wanted := getattr(record, each.attribute)) is not None]
        for caption, wanted, stored, right in (
                ("Exit date", f"{record.exit_date:%m/%d/%Y}", outcome.get("exit_date"),
                 str(outcome.get("exit_date")) in dates),
                ("Exit reason", record.exit_reason.label, outcome.get("exit_reason"), None),
                *general):
            if right is None:
                right = _same(wanted, stored)
            if right:
                found.append(f"{caption}: {wanted}.")
            else:
                problems.append(f"{caption} saved as {stored or 'nothing'}; the record says "
                                f"{wanted}.")

    belongs_to("save")

    contacts = [c for c in after["contacts"] if c["participant_user_id"] == uid]
    for contact in record.alternate_contacts:
        full = f"{contact.first_name} {contact.last_name}"
        row = next((c for c in contacts
                    if same_name(full, f"{c['first_name']} {c['last_name']}")), None)
        if row is None:
            problems.append(f"Alternate contact {full} is not on the site (the contacts step "
                            "was not done).")
            continue
        wrong = [f"{attribute} reads {row.get(attribute) or 'nothing'}, not {wanted}"
                 for attribute in ("relationship", "phone", "email", "address")
                 if (wanted := getattr(contact, attribute)) and not _same(wanted,
                                                                          row.get(attribute))]
        if wrong:
            problems.append(f"Alternate contact {full}: " + "; ".join(wrong) + ".")
        else:
            found.append(f"Alternate contact {full} as the record gives it.")

    belongs_to("alternate_contacts")

    change = record.case_manager
    if change is not None:
        nobody: dict[str, Any] = {}
        manager = next((p for p in after["participants"] if p["user_id"] == uid),
                       nobody).get("case_manager")
        if change.remove and manager:
            problems.append(f"The case manager ({manager}) was not removed.")
        elif change.assign and not (manager and same_name(change.assign, manager)):
            problems.append(f"The case manager is {manager or 'nobody'}; the record asks for "
                            f"{change.assign}.")
        else:
            found.append("Case manager " + ("removed." if change.remove
                                            else f"is {change.assign}."))

    belongs_to("case_manager")

    note = record.case_note
    if note is not None:
        notes = [n for n in new_rows("case_notes") if n["participant_user_id"] == uid]
        if not any(_same(note.subject, n.get("subject")) for n in notes):
            problems.append(f"No case note \u201c{note.subject}\u201d was added.")
        elif not any(_same(note.subject, n.get("subject")) and _same(note.comments,
                                                                     n.get("comments"))
                     for n in notes):
            problems.append(f"The case note \u201c{note.subject}\u201d does not hold the "
                            "record's comments.")
        elif note.attachment is not None and not any(
                n.get("attachment_name") == note.attachment.name for n in notes):
            problems.append(f"The case note has no attachment {note.attachment.name}.")
        else:
            found.append(f"Case note \u201c{note.subject}\u201d added.")

    belongs_to("case_note")
    problems += _done_to_others(before, after, uid)
    belongs_to("find_participant")
    return Judgement(problems, found, outcome, by_step)


def _done_to_others(before: dict[str, Any], after: dict[str, Any], uid: str) -> list[str]:
    """One sentence per other participant the practice changed anything for."""
    people = {p["user_id"]: p for p in before["participants"] + after["participants"]}
    touched: dict[str, list[str]] = {}
    for table, what in (("outcomes", "an outcome saved"), ("contacts", "a contact changed"),
                        ("case_notes", "a case note added")):
        for row in _changed(before[table], after[table]):
            if row["participant_user_id"] != uid:
                number = row.get("application_number") if table == "outcomes" else None
                touched.setdefault(row["participant_user_id"], []).append(
                    f"{what} (application {number})" if number else what)
    for row in _changed(before["participants"], after["participants"], "user_id"):
        if row["user_id"] != uid:
            touched.setdefault(row["user_id"], []).append("the case manager changed")
    return [f"Something was done to {_person(people[other])}, who is not the record's "
            f"participant: {', '.join(dict.fromkeys(whats))}."
            for other, whats in touched.items()]


def render_report(result: PracticeResult, record: Record, trainee: str | None = None, *,
                  steps: tuple[Step, ...] = STEPS) -> str:
    """A short Markdown report a trainer can collect: the verdict, what the site holds
    missing or wrong (each a mistake), and per step the time taken, the mistakes made and
    whether it was done, numbered as in `steps`; every step the record needs is listed."""
    lines = ["# CalJOBS practice report", ""]
    if trainee:
        lines += [f"Trainee: {trainee}", ""]
    lines += [f"Record: {record.label()}", f"Finished: {'yes' if result.finished else 'no'}",
              f"Mistakes: {result.mistakes}", ""]
    if result.well_done:
        lines += ["Well done: the outcome is saved, and the site holds what the record asks "
                  "for and nothing else.", ""]
    else:
        lines += ["Not right yet: the site does not hold what the record asks for."
                  if result.problems else "Not finished: not every step was done.", ""]
    if result.problems:
        lines += ["## Missing or wrong on the site", ""]
        lines += [f"- {problem}" for problem in result.problems] + [""]
    if result.outcome is not None:
        outcome = result.outcome
        lines += ["## The outcome as saved", "",
                  f"- Application: {outcome.get('application_number')}",
                  f"- Exit date: {outcome.get('exit_date')}",
                  f"- Exit reason: {outcome.get('exit_reason')}",
                  *(f"- {each.label}: {outcome.get(each.attribute)}"
                    for each in GENERAL_INFORMATION), ""]
    else:
        lines += ["No outcome was saved for the record's participant.", ""]
    if result.found:
        lines += ["## Right on the site", ""] + [f"- {line}" for line in result.found] + [""]
    lines += ["## Steps", "", "| Step | Done | Time (s) | Mistakes | Show me |",
              "|---|---|---|---|---|"]
    notes: list[str] = []
    for key, score in result.steps.items():
        if score.checks or score.seconds or score.mistakes or score.shown:
            done = ("yes" if score.done >= score.checks
                    else f"no ({score.done} of {score.checks} checks)")
            lines.append(f"| {number(key, steps)}. {score.title} | {done} | "
                         f"{score.seconds:.0f} | {score.mistakes} | {score.shown} |")
            notes += [f"- Step {number(key, steps)}: {note}" for note in score.notes]
    if notes:
        lines += ["", "## Mistakes seen on the page", "", *notes]
    return "\n".join(lines) + "\n"


def write_report(path: Path, result: PracticeResult, record: Record, *,
                 steps: tuple[Step, ...] = STEPS) -> None:
    """Write the report (OutputNotWritable, one sentence, when it cannot be)."""
    write_text(path, render_report(result, record, steps=steps))
