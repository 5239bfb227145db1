"""What a practice produced: the time and mistakes per step, the outcome as the sandbox saved
it, and the short Markdown report a trainer collects (trainer/practice.py runs the practice).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caljobs_bot.steps.definitions import STEPS, Step, number
from caljobs_bot.trainer.output import write_text

if TYPE_CHECKING:
    from caljobs_bot.fixtures.sandbox.client import SandboxClient
    from caljobs_bot.jobfile.models import Record


@dataclass
class StepScore:
    """How one help-sheet step went."""

    title: str
    seconds: float = 0.0
    mistakes: int = 0
    shown: int = 0
    """How many of its checks "Show me" did."""


@dataclass
class PracticeResult:
    """How the practice went: per step, and the outcome as the site stored it."""

    steps: dict[str, StepScore]
    finished: bool
    outcome: dict[str, Any] | None = None
    report: Path | None = None

    @property
    def mistakes(self) -> int:
        """Mistakes in all steps."""
        return sum(score.mistakes for score in self.steps.values())


def saved_outcome(client: SandboxClient, record: Record) -> dict[str, Any] | None:
    """The outcome the sandbox stored for this record's participant (the newest), if any."""
    state = client.state()
    who = record.participant
    people = [p for p in state["participants"]
              if (who.state_id and p.get("state_id") == who.state_id)
              or (who.user_id and p.get("user_id") == who.user_id)]
    if not people:
        return None
    numbers = {a["number"] for a in state["applications"]
               if a["participant_user_id"] == people[0]["user_id"]}
    if record.application:
        numbers &= {record.application}
    stored = [o for o in state["outcomes"] if o["application_number"] in numbers]
    return stored[-1] if stored else None


def render_report(result: PracticeResult, record: Record, trainee: str | None = None, *,
                  steps: tuple[Step, ...] = STEPS) -> str:
    """A short Markdown report a trainer can collect: the outcome as saved, and per step
    the time taken and the mistakes made, numbered as in `steps` (those practised)."""
    lines = ["# CalJOBS practice report", ""]
    if trainee:
        lines += [f"Trainee: {trainee}", ""]
    lines += [f"Record: {record.label()}", f"Finished: {'yes' if result.finished else 'no'}",
              f"Mistakes: {result.mistakes}", ""]
    if result.outcome is not None:
        outcome = result.outcome
        lines += ["## The outcome as saved", "",
                  f"- Application: {outcome.get('application_number')}",
                  f"- Exit date: {outcome.get('exit_date')}",
                  f"- Exit reason: {outcome.get('exit_reason')}",
                  f"- Office location: {outcome.get('office_location')}", ""]
        # The site may store the date either way (the sandbox stores ISO dates).
        dates = {f"{record.exit_date:%m/%d/%Y}", record.exit_date.isoformat()}
        right = (str(outcome.get("exit_date")) in dates
                 and str(outcome.get("exit_reason")) == record.exit_reason.label)
        lines += ["Matches the record: " + ("yes" if right else "no"), ""]
    else:
        lines += ["No outcome was saved.", ""]
    lines += ["## Steps", "", "| Step | Time (s) | Mistakes | Show me |", "|---|---|---|---|"]
    for key, score in result.steps.items():
        if score.seconds or score.mistakes or score.shown:
            lines.append(f"| {number(key, steps)}. {score.title} | {score.seconds:.0f} | "
                         f"{score.mistakes} | {score.shown} |")
    return "\n".join(lines) + "\n"


def write_report(path: Path, result: PracticeResult, record: Record, *,
                 steps: tuple[Step, ...] = STEPS) -> None:
    """Write the report (OutputNotWritable, one sentence, when it cannot be)."""
    write_text(path, render_report(result, record, steps=steps))
