"""Making job files: `import` turns a data team's spreadsheet into a job file; `schema`
prints the JSON Schema editors use to check one."""

from __future__ import annotations

from pathlib import Path

import click

from caljobs_bot.cli.common import EXIT_UNUSABLE, CheckedPath, echo_problems, say
from caljobs_bot.cli.options import SiteOptions, settings_options
from caljobs_bot.cli.site import settings_or_stop
from caljobs_bot.settings.keys import FlagGroup


@click.command("import")
@click.argument("sheet_file", metavar="SHEET", required=False,
                type=CheckedPath(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=CheckedPath(dir_okay=False, path_type=Path),
              help="The job file to write (YAML).")
@click.option("--sheet", "sheet_name", help="The worksheet to read (default: the first).")
@click.option("--template", type=CheckedPath(dir_okay=False, path_type=Path),
              help="Write a blank template (.csv or .xlsx) with the column names, and stop.")
@click.option("--strict-ids", is_flag=True,
              help="Refuse id columns holding Excel numbers (leading zeros may be lost) "
                   "instead of warning.")
@settings_options(FlagGroup.SHEET)
def import_command(sheet_file: Path | None, output: Path | None, sheet_name: str | None,
                   template: Path | None, strict_ids: bool, site: SiteOptions) -> None:
    """Turn a spreadsheet (.xlsx or .csv, one row per record) into a job file.

    Nothing is written unless every row is valid; problems name the row and column.
    """
    from caljobs_bot.jobfile.attachments import AttachmentLimits
    from caljobs_bot.jobfile.sheet_problems import SheetError, SheetProblem
    from caljobs_bot.jobfile.spreadsheet import import_sheet, write_template

    if template is not None:
        write_template(template)
        say(f"Wrote the template {template}; fill one row per record.")
        return
    if sheet_file is None or output is None:
        raise click.UsageError("Give a spreadsheet and -o JOB.yaml (or --template PATH).")
    settings = settings_or_stop(site)
    attachments_dir = site.flags.get("attachments_dir")
    notes: list[SheetProblem] = []
    try:
        count = import_sheet(
            sheet_file, output, sheet=sheet_name, strict_ids=strict_ids, warnings=notes,
            attachments_dir=settings.attachments_dir,
            attachment_limits=AttachmentLimits.from_megabytes(settings.max_attachment_mb))
    except SheetError as error:
        echo_problems(error.problems)
        say(f"{sheet_file}: nothing was written.", err=True)
        raise SystemExit(EXIT_UNUSABLE) from None
    for note in notes:
        say(f"Warning: {note}", err=True)
    say(f"Wrote {output} with {count} record{'s' if count != 1 else ''}. "
               f"Next: caljobs-bot run {output} --base-url ... --dry-run"
               + (f" --attachments-dir {attachments_dir}" if attachments_dir else ""))


@click.command()
def schema() -> None:
    """Print the job file's JSON Schema, for editors that complete and check YAML.

    jobs/job.schema.json is this output; a job file opts in with its first line
    `# yaml-language-server: $schema=job.schema.json`.
    """
    from caljobs_bot.jobfile.schema import schema_json

    say(schema_json(), nl=False)
