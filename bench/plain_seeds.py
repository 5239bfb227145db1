"""The example job on fifty sites nobody tuned the bot to: the sandbox's plain markup, seeds
1 to 50 (each seed draws every screen's markup anew: titles, tree toggles, grids, sections).

For each seed: run the example job as `caljobs-bot run` does (the runner, with a ledger) on a
fresh sandbox; then run it again with a fresh ledger (`--no-resume`), so only the site's own
state can stop a second save. One line per seed; exit 1 if any seed fell short.

Run: `python -m bench.plain_seeds [--seeds 1-50] [--ui 2021|2016]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

from caljobs_bot.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.running.run import RunOptions, run_job
from caljobs_bot.settings.browser_session import SessionOptions
from caljobs_bot.settings.credentials import Credentials


def _seeds(text: str) -> list[int]:
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def one_seed(server: Sandbox, seed: int, ui: str, runs: Path) -> tuple[bool, str]:
    """Both runs on one seed: (all well, the line to print)."""
    client = SandboxClient(server.root_url)
    client.reset()
    client.configure(markup="plain", markup_seed=seed, ui=ui)
    job = load_job(EXAMPLE_JOB)
    options = RunOptions(sign_in_url=server.sign_in_url,
                         credentials=Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD),
                         runs_dir=runs / f"seed-{seed}-first", retries=0,
                         session=SessionOptions(trace="off"))
    first = run_job(job, options)
    after_first = len(client.outcomes())
    options = RunOptions(sign_in_url=server.sign_in_url,
                         credentials=Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD),
                         runs_dir=runs / f"seed-{seed}-second", retries=0,
                         session=SessionOptions(trace="off"))
    second = run_job(job, options)
    after_second = len(client.outcomes())
    first_counts = Counter(r.status.value for r in first.results)
    second_counts = Counter(r.status.value for r in second.results)
    saved_all = first_counts.get("saved", 0) == len(job.records)
    none_new = after_second == after_first and not second_counts.get("saved")
    problems = [r.reason for r in [*first.results, *second.results] if not r.ok]
    line = (f"seed {seed:2}: first run {dict(first_counts)}, second run {dict(second_counts)}, "
            f"outcomes on the site {after_first} -> {after_second}: "
            f"{'OK' if saved_all and none_new else 'SHORT'}")
    if problems:
        line += "\n    " + "\n    ".join(problems)
    return saved_all and none_new, line


def main(argv: list[str] | None = None) -> int:
    """Run every seed; print one line each, then a summary."""
    parser = argparse.ArgumentParser(prog="python -m bench.plain_seeds", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default="1-50", help="a seed or a range (default 1-50)")
    parser.add_argument("--ui", default="2021", choices=("2021", "2016"))
    args = parser.parse_args(argv)
    good = 0
    seeds = _seeds(args.seeds)
    server = Sandbox(port=0, markup="plain").start()
    try:
        with tempfile.TemporaryDirectory() as runs:
            for seed in seeds:
                ok, line = one_seed(server, seed, args.ui, Path(runs))
                good += ok
                print(line, flush=True)
    finally:
        server.stop()
    print(f"{good} of {len(seeds)} seeds: every record saved, and a second run saved nothing.")
    return 0 if good == len(seeds) else 1


if __name__ == "__main__":
    sys.exit(main())
