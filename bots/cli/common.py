"""What every command group shares: exit codes, the sandbox's sign-in, loading a job file.

Heavy imports (Playwright, Flask, pydantic) happen inside the functions that need them, so
`--help` starts fast (bench/startup.py).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from caljobs_bot import bundled_job_file
from caljobs_bot.visible import visible

if TYPE_CHECKING:
    from rich.console import Console

    from caljobs_bot.jobfile.models import Job
    from caljobs_bot.settings.config import Settings

EXAMPLE_JOB = bundled_job_file("example-hard-exits.yaml")

# Exit codes a scheduler can act on.
EXIT_OK, EXIT_RECORDS_FAILED, EXIT_UNUSABLE = 0, 1, 2


class CheckedPath(click.Path):
    """click's Path, with the length every system accepts checked first: a name too long
    for the file system is one sentence naming the option and the limit (exit code 2), never
    an OSError from deep inside a command. Every path option and argument uses it."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        from caljobs_bot.settings.limits import path_too_long

        if isinstance(value, str | os.PathLike):
            problem = path_too_long(os.fspath(value) if isinstance(value, os.PathLike)
                                    else value)
            if problem is not None:
                self.fail(problem, param, ctx)
        return super().convert(value, param, ctx)


def say(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """Print a line of the command line's output. Every command prints through here (or
    through `data_console`), because nearly every line quotes something the tool did not
    write (a job's values and file name, a path, the site's words): its control characters
    are shown escaped (caljobs_bot.visible), never sent to the terminal to obey."""
    click.echo(visible(message), err=err, nl=nl)


def data_console() -> Console:
    """A rich console that prints text as data: no markup (`[/]` in a case-note subject once
    stopped a run with a markup error), no `:emoji:` codes, no highlighting. Styles are given
    as `rich.text.Text` objects; text that rich prints is passed through `visible` first."""
    from rich.console import Console

    return Console(highlight=False, markup=False, emoji=False)


def load_job_or_stop(path: Path, settings: Settings | None = None) -> Job:
    """Load a job file, or print its problems (at most MAX_PROBLEMS_SHOWN) and stop with
    EXIT_UNUSABLE.

    The settings' General Information defaults (region, office, position: one per row of
    form_fields.GENERAL_INFORMATION) fill what the job file leaves out, and their
    attachments folder and size limit apply; `validate` and `run` pass the same settings,
    so they accept and refuse the same files."""
    from caljobs_bot.jobfile.attachments import AttachmentLimits
    from caljobs_bot.jobfile.loader import load_job
    from caljobs_bot.jobfile.problems import JobFileError

    fallback: dict[str, str | None] | None = None
    sources: dict[str, str] | None = None
    attachments_dir, limits = None, None
    if settings is not None:
        fallback = dict(settings.form_defaults)
        sources = {name: str(settings.sources[name])
                   for name, value in fallback.items() if value is not None}
        attachments_dir = settings.attachments_dir
        limits = AttachmentLimits.from_megabytes(settings.max_attachment_mb)
    try:
        return load_job(path, fallback=fallback, fallback_sources=sources,
                        attachments_dir=attachments_dir, attachment_limits=limits)
    except JobFileError as error:
        echo_problems(error.problems)
        count = len(error.problems)
        plural = "s" if count != 1 else ""
        say(f"{path}: {count} problem{plural}; nothing was run.", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None


def echo_problems(problems: Sequence[object]) -> None:
    """The first MAX_PROBLEMS_SHOWN problems, then how many more: an all-bad file of 175,000
    records once printed 357,634 lines, burying the few mistakes that caused them."""
    from caljobs_bot.jobfile.problems import MAX_PROBLEMS_SHOWN

    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        say(problem, err=True)
    rest = len(problems) - MAX_PROBLEMS_SHOWN
    if rest > 0:
        say(f"... and {rest} more problem{'s' if rest != 1 else ''} not shown; fix "
                   "the ones above and check again.", err=True)
