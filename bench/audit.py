"""What an audit costs the site: page loads per participant (issue 24).

`python -m bench.audit --participants 50 [--markup plain] [--workers 1]` starts the sandbox in
this process, adds N fresh participants (one open WIOA application each), half of them exited
by `run` first, and audits a job file for all of them with `caljobs_bot.running.audit`, what
`caljobs-bot audit JOB --base-url URL` calls. It prints the sandbox's own counters for the
audit alone: page loads (HTML pages it answered), sign-ins, requests by method, and the time.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from caljobs_bot.fixtures.sandbox import SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.running.audit import AuditRunner, targets_of_job
from caljobs_bot.running.run import RunOptions, run_job
from caljobs_bot.settings.browser_session import SessionOptions
from caljobs_bot.settings.credentials import Credentials

HEADER = """version: 1
defaults:
  lwia_region: Los Angeles County WDACS
  office_location: 2703 - LAO Community and Senior Services
  staff_position: Staff
  exit_date: 2021-06-24
  exit_reason: Deceased
records:
"""


def main() -> None:
    """Measure one audit and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--markup", default="accessible", choices=("accessible", "plain"))
    args = parser.parse_args()
    server = Sandbox(port=0, markup=args.markup).start()
    try:
        client = SandboxClient(server.root_url)
        client.reset()
        people = client.add_participants(args.participants)
        folder = Path(tempfile.mkdtemp(prefix="bench-audit-"))
        job_path = folder / "audit.yaml"
        job_path.write_text(HEADER + "".join(
            f"  - participant: {{state_id: \"{p['state_id']}\"}}\n" for p in people),
            encoding="utf-8")
        job = load_job(job_path)
        options = RunOptions(sign_in_url=server.sign_in_url,
                             credentials=Credentials(SANDBOX_USERNAME, SANDBOX_PASSWORD),
                             session=SessionOptions(), runs_dir=folder / "runs",
                             workers=args.workers)
        run_job(job, options, records=job.records[: args.participants // 2])
        before, log_before = client.stats(), len(client.request_log())
        started = time.monotonic()
        outcome = AuditRunner(targets_of_job(job), options).run()
        seconds = time.monotonic() - started
        after, log = client.stats(), client.request_log()[log_before:]
    finally:
        server.stop()
    loads = after["page_loads"] - before["page_loads"]
    sign_ins = after["sign_ins"] - before["sign_ins"]
    posts = sum(1 for e in log if e["method"] == "POST")
    verdicts: dict[str, int] = {}
    for result in outcome.results:
        verdicts[result.verdict.value] = verdicts.get(result.verdict.value, 0) + 1
    count = args.participants
    print(f"audit of {count} participants, {args.workers} worker(s), {args.markup} markup:")
    print(f"  page loads {loads} ({loads / count:.2f} per participant), sign-ins {sign_ins}, "
          f"requests {len(log)} ({posts} POST: search and tree postbacks)")
    print(f"  {seconds:.1f} s ({seconds / count:.2f} s per participant); verdicts {verdicts}")


if __name__ == "__main__":
    main()
