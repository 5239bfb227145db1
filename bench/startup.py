"""How fast the command line answers when no browser is involved: `--help` and `validate`.

A data team runs `caljobs-bot validate` on every job file before a run, often on big files,
and staff type `--help` to remember a flag: both must feel instant, and neither should load
Playwright (bots/cli/ imports it only inside the commands that open a browser).

`python -m bench.startup [--records 10000] [--repeat 5] [--big-repeat 3]` prints one line: the
best (and median) wall seconds of `caljobs-bot --help` and of `caljobs-bot validate` on the
example job (start-up: 4 records), both over `--repeat` runs; of `caljobs-bot validate` on a
job of `--records` records (written to a temporary folder) over `--big-repeat` runs; and which
heavy packages each path imported (from `python -X importtime`).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_JOB = REPO / "jobs" / "example-hard-exits.yaml"
HEAVY = ("playwright", "flask", "werkzeug", "pydantic", "yaml", "rich", "openpyxl", "keyring")


def write_big_job(folder: Path, records: int) -> Path:
    """A valid job of `records` records, each for a different (made-up) participant."""
    path = folder / f"validate-{records}.yaml"
    job = {
        "version": 1,
        "defaults": {"lwia_region": "Los Angeles County WDACS",
                     "office_location": "2703 - LAO Community and Senior Services",
                     "staff_position": "Staff"},
        "records": [{"participant": {"state_id": str(60001 + n), "name": f"Bao Bulk-{n + 1:05d}"},
                     "exit_date": "2021-06-24", "exit_reason": "Deceased"}
                    for n in range(records)],
    }
    path.write_text(yaml.safe_dump(job, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def cli() -> list[str]:
    """The installed `caljobs-bot` script of this interpreter's environment, or `-m caljobs_bot`."""
    script = Path(sys.executable).with_name("caljobs-bot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "caljobs_bot.cli"]


def timed(command: list[str], repeat: int) -> list[float]:
    """Wall seconds of `repeat` runs of the command (each must succeed)."""
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, cwd=REPO, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        seconds.append(time.perf_counter() - started)
    return seconds


def heavy_imports(arguments: list[str]) -> list[str]:
    """The heavy top-level packages `python -X importtime -m caljobs_bot.cli ARGS` imported."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "caljobs_bot", *arguments],
                            cwd=REPO, capture_output=True, text=True, check=True)
    found = set()
    for line in result.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        module = line.rsplit("|", 1)[-1].strip()
        top = module.split(".", 1)[0]
        if top in HEAVY:
            found.add(top)
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    """Time the three paths and print the line (and JSON with --json)."""
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--big-repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="caljobs-bench-startup-"))
    job = write_big_job(folder, args.records)
    figures = {
        "help": timed([*cli(), "--help"], args.repeat),
        "validate_example": timed([*cli(), "validate", str(EXAMPLE_JOB)], args.repeat),
        "validate": timed([*cli(), "validate", str(job)], args.big_repeat),
        "imports_help": heavy_imports(["--help"]),
        "imports_validate": heavy_imports(["validate", str(job)]),
        "command": cli(),
        "records": args.records,
    }
    help_s, validate_s = figures["help"], figures["validate"]
    example_s = figures["validate_example"]
    print(f"--help best {min(help_s):.3f} s (median {statistics.median(help_s):.3f}) "
          f"imports {','.join(figures['imports_help']) or 'none heavy'} | "
          f"validate example (4 records) best {min(example_s):.3f} s "
          f"(median {statistics.median(example_s):.3f}) | "
          f"validate {args.records} records best {min(validate_s):.3f} s "
          f"(median {statistics.median(validate_s):.3f}) "
          f"imports {','.join(figures['imports_validate']) or 'none heavy'} | "
          f"playwright imported: "
          f"{'playwright' in figures['imports_help'] + figures['imports_validate']}")
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
