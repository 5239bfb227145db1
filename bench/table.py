"""Markdown tables from the JSON the harness writes (`python -m bench --json FILE`).

`python -m bench.table bench/results/*.json` prints one row per side per run and one row of
bot/minimal ratios per run, so RESULTS.md quotes the measured figures without retyping them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HEADER = ("| run | side | rec/min | median s | p95 s | page loads/rec | sign-ins | "
          "driver calls/rec | peak RSS MB python / driver / browser | peak PSS MB all | "
          "CPU s/rec | verified | rec/h at the cap | load before→after |")
# The bot's default politeness cap on a site that is not this machine (bench/harness.py).
CAP_PAGE_LOADS_PER_MINUTE = 30.0


def at_cap(side: dict[str, Any]) -> float:
    """Records an hour at the cap: min(measured records/hour, cap * 60 / page loads per
    record). Computed here too, so JSON files written before the column existed have it."""
    if "records_per_hour_at_cap" in side:
        return float(side["records_per_hour_at_cap"])
    cap = float(side.get("cap_page_loads_per_minute", CAP_PAGE_LOADS_PER_MINUTE))
    loads = float(side["page_loads_per_record"])
    return min(float(side["records_per_minute"]) * 60, cap * 60 / loads) if loads else 0.0


def _fmt(value: float, places: int = 2) -> str:
    return f"{value:.{places}f}"


def rows(path: Path) -> list[str]:
    """The rows of one run: each side, then the ratios when both sides ran."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    job = data.get("job", "bare")
    name = (f"{job} N={data['records']} W={data['workers']} L={data['latency_ms']:g}")
    load = "→".join(f"{x:.1f}" for x in data.get("load_1min", []))
    out = []
    sides = data["sides"]
    for side_name in ("minimal", "bot"):
        if side_name not in sides:
            continue
        side = sides[side_name]
        peak = side["usage"]["peak_mb"]
        out.append(
            f"| {name} | {side_name} | {_fmt(side['records_per_minute'], 1)} | "
            f"{_fmt(side['median_s'])} | {_fmt(side['p95_s'])} | "
            f"{_fmt(side['page_loads_per_record'])} | {side['sign_ins']} | "
            f"{_fmt(side['calls_per_record'], 1)} | "
            f"{peak['python']:.0f} / {peak['driver']:.0f} / {peak['browser']:.0f} | "
            f"{side['usage']['peak_total_pss_mb']:.0f} | {_fmt(side['cpu_s_per_record'])} | "
            f"{side['verified']}/{side['records']} | {at_cap(side):.0f} | {load} |"
        )
    if {"minimal", "bot"} <= sides.keys():
        bot, minimal = sides["bot"], sides["minimal"]

        def ratio(key: str) -> str:
            def get(side: dict[str, Any]) -> float:
                return float(side[key] if key in side else side["usage"][key])

            return _fmt(get(bot) / get(minimal)) if get(minimal) else "n/a"

        out.append(
            f"| {name} | **bot/minimal** | {ratio('records_per_minute')} | "
            f"**{ratio('median_s')}** | {ratio('p95_s')} | {ratio('page_loads_per_record')} | | "
            f"{ratio('calls_per_record')} | | {ratio('peak_total_pss_mb')} | "
            f"{ratio('cpu_s_per_record')} | | | |"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the table for the JSON files given."""
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    print(HEADER)
    print("|" + "---|" * (HEADER.count("|") - 1))
    for path in paths:
        for row in rows(path):
            print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
