"""The benchmark harness end to end, small: both sides run, the line parses, the site agrees.

The harness is only worth its figures if a side that saved nothing cannot look fast: its
"verified" counts come from the sandbox's own state (each generated participant's application
holds exactly one outcome with the job's values), and this test holds it to that.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("psutil", reason="the benchmark needs the 'bench' extra (psutil)")

REPO = Path(__file__).resolve().parent.parent
SIDE = re.compile(
    r"(?P<side>minimal|bot): (?P<rate>[\d.]+) rec/min, median (?P<median>[\d.]+) s, "
    r"p95 (?P<p95>[\d.]+) s, (?P<loads>[\d.]+) page loads/rec, (?P<sign_ins>\d+) sign-ins, "
    r"(?P<calls>[\d.]+) driver calls/rec, peak RSS python (?P<py>\d+) MB "
    r"driver (?P<driver>\d+) MB browser (?P<browser>\d+) MB \(PSS all (?P<pss>\d+) MB\), "
    r"CPU (?P<cpu>[\d.]+) s/rec, verified (?P<verified>\d+)/(?P<records>\d+)"
)
RATIOS = re.compile(r"bot/minimal: median (?P<median>[\d.]+), wall (?P<wall>[\d.]+), "
                    r"page loads (?P<loads>[\d.]+)")


@pytest.mark.browser
@pytest.mark.slow  # both sides of the benchmark end to end: make test-all
def test_harness_runs_both_sides_and_the_sandbox_confirms_their_outcomes(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--records", "2", "--json", str(figures)],
        cwd=REPO, capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout
    line = lines[0]
    assert line.startswith("N=2 W=1 L=0ms")

    sides = {m["side"]: m for m in SIDE.finditer(line)}
    assert set(sides) == {"minimal", "bot"}, line
    for side in sides.values():
        # Both saved both records, as the sandbox's state says, with one sign-in each.
        assert (side["verified"], side["records"]) == ("2", "2")
        assert side["sign_ins"] == "1"
        assert float(side["median"]) > 0 and float(side["p95"]) >= float(side["median"])
        # At least search page, search, case, form and Save for each record.
        assert float(side["loads"]) >= 5
        assert int(side["browser"]) > 0 and int(side["driver"]) > 0
    assert RATIOS.search(line), line

    saved = json.loads(figures.read_text(encoding="utf-8"))
    for name in ("minimal", "bot"):
        side = saved["sides"][name]
        assert side["verified"] == 2 and len(side["per_record_s"]) == 2
        assert side["by_path"]["/vosnet/Individual/Outcome.aspx"] >= 2
