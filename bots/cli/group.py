"""The `caljobs-bot` command group and its last line of defence: whatever a command did not
expect ends in one sentence and an exit code, never a Python traceback (`--debug` shows it).

The commands themselves live one module per group (running, checking, setting_up, trainers,
jobs, sandbox) and are added to `main` in cli/__init__.py.
"""

from __future__ import annotations

import warnings
from typing import TextIO

import click

from caljobs_bot.cli.common import EXIT_UNUSABLE, say


class _NoTracebacks(click.Group):
    """The command group, with one last handler: whatever a command did not expect ends in
    one sentence and an exit code, never a Python traceback (`--debug` shows it)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit,
                KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001 - the last line of defence, by design
            if ctx.params.get("debug"):
                raise
            _explain_unexpected(error)
            raise SystemExit(EXIT_UNUSABLE) from None


def _explain_unexpected(error: Exception) -> None:
    """One line for an error no command handled. A page object's ElementNotFound names the
    screen and element; other errors are named by kind only, as their text may quote the
    page (participant data)."""
    from caljobs_bot.pages.notfound import ElementNotFound, ServerErrorAnswer

    if isinstance(error, ServerErrorAnswer):
        say(f"The site is failing: {error}. Nothing was changed; try again later.", err=True)
        return
    if isinstance(error, ElementNotFound):
        say(f"The site does not look as expected: {error}. Run 'caljobs-bot check' to "
                   "see every screen that differs.", err=True)
        return
    say(f"caljobs-bot stopped on an unexpected error ({type(error).__name__}). Nothing "
               "more was done; runs/ holds the ledger and evidence of any run. Add --debug "
               "before the command to see where it happened.", err=True)


@click.group(cls=_NoTracebacks, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="caljobs-bot")
@click.option("--debug", is_flag=True, help="Show a Python traceback on an unexpected error.")
def main(debug: bool) -> None:
    """Create CalJOBS Exit/Outcome records from YAML job files, the way the help sheets say."""
    show_privacy_warnings_as_sentences()


def show_privacy_warnings_as_sentences() -> None:
    """A folder or file that could not be made private is something the user must act on: say
    it as one line on stderr, not in Python's `file:line: Category` form."""
    from caljobs_bot.settings.private import NotPrivateWarning

    default = warnings.showwarning

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: TextIO | None = None, line: str | None = None) -> None:
        # A warning class may ask to be shown as a sentence (ledger.LedgerDamagedWarning).
        if issubclass(category, NotPrivateWarning) or getattr(category, "sentence", False):
            say(f"Warning: {message}", err=True)
        else:
            default(message, category, filename, lineno, file, line)

    warnings.showwarning = show
