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


@pytest.mark.browser
@pytest.mark.slow  # both sides of the realistic job end to end: make test-all
def test_realistic_job_both_sides_do_every_part_and_the_sandbox_confirms_it(
    tmp_path: Path,
) -> None:
    """N=3 holds one of each kind (bench/realistic.py): contacts, case notes (one with the
    attachment), a case-manager change and an already-exited participant."""
    figures = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--job", "realistic", "--records", "3",
         "--json", str(figures)],
        cwd=REPO, capture_output=True, text=True, timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    line = done.stdout.strip().splitlines()[-1]
    assert line.startswith("N=3 W=1 L=0ms job=realistic"), line
    sides = {m["side"]: m for m in SIDE.finditer(line)}
    assert set(sides) == {"minimal", "bot"}, line
    assert all((s["verified"], s["records"]) == ("3", "3") for s in sides.values()), line

    saved = json.loads(figures.read_text(encoding="utf-8"))
    assert saved["job"] == "realistic"
    for name in ("minimal", "bot"):
        side = saved["sides"][name]
        assert side["verified"] == 3 and side["done"] == 3 and side["wrong"] == []
        # The extra screens were really used: the pop-up, and the note's and the case
        # manager's postbacks (the form: 2 creates + 2 saves + 2 postbacks).
        assert side["by_path"]["/vosnet/Individual/AltContacts.aspx"] >= 3
        assert side["by_path"]["/vosnet/Individual/Outcome.aspx"] >= 6
        assert 0 < side["records_per_hour_at_cap"] <= 30 * 60 / side["page_loads_per_record"]
