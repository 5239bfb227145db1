"""How fast big job files validate and big spreadsheets import (issue 12's targets).

A data team's list can hold tens of thousands of rows; `validate` and `import` must answer
in seconds and refuse what they cannot read, not run for minutes. Targets: a 20,000-record
job validates in under 5 s, a 20,000-row sheet imports in under 20 s.

`python -m bench.files [--records 20000] [--repeat 3]` writes both files to a temporary
folder, then runs `caljobs-bot validate` and `caljobs-bot import` on them as a
user would (a fresh process each time, start-up included) and prints one line: the best and
median wall seconds of each and the peak memory of the child (ru_maxrss).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.startup import write_big_job

assert sys.platform != "win32", "ru_maxrss (resource) is POSIX-only"  # mypy's Windows leg too
REPO = Path(__file__).resolve().parent.parent
COLUMNS = ("state_id", "name", "exit_date", "exit_reason", "lwia_region", "office_location",
           "staff_position", "case_note_subject", "case_note_comments")


def write_big_sheet(folder: Path, rows: int) -> Path:
    """An .xlsx of `rows` valid rows, ids as Text cells, dates as Excel dates."""
    from datetime import date

    from openpyxl import Workbook

    path = folder / f"import-{rows}.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Hard exits")
    sheet.append(list(COLUMNS))
    for n in range(rows):
        sheet.append([str(60001 + n), f"Bao Bulk-{n + 1:05d}", date(2021, 6, 24), "Deceased",
                      "Los Angeles County WDACS", "2703 - LAO Community and Senior Services",
                      "Staff", "Global exclusion - Deceased", "Verified with a death record."])
    workbook.save(path)
    return path


def timed(command: list[str], repeat: int) -> tuple[list[float], float]:
    """Wall seconds of each run (each must succeed) and the largest child peak RSS in MB."""
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, cwd=REPO, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        seconds.append(time.perf_counter() - started)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kb / 1024


def main(argv: list[str] | None = None) -> int:
    """Write the files, time both commands, print one line."""
    parser = argparse.ArgumentParser(prog="python -m bench.files", description=__doc__)
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args(argv)
    cli = [sys.executable, "-m", "caljobs_bot.cli"]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        job = write_big_job(folder, options.records)
        sheet = write_big_sheet(folder, options.records)
        validate, validate_mb = timed([*cli, "validate", str(job)], options.repeat)
        imported, import_mb = timed(
            [*cli, "import", str(sheet), "-o", str(folder / "out.yaml")], options.repeat)
        job_mb = job.stat().st_size / 1024 / 1024
        sheet_mb = sheet.stat().st_size / 1024 / 1024
    print(f"validate {options.records} records ({job_mb:.1f} MB) best {min(validate):.2f} s "
          f"(median {statistics.median(validate):.2f}) | import {options.records} rows "
          f"({sheet_mb:.1f} MB .xlsx) best {min(imported):.2f} s (median "
          f"{statistics.median(imported):.2f}) | peak RSS of a child "
          f"{max(validate_mb, import_mb):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
