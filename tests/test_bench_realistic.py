"""The realistic benchmark job's mix and its check, without a browser.

The figures of `python -m bench --job realistic` mean something only if `verified` fails a
record that got less (or more) than the job asked for: each case below breaks one part.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def _load_realistic() -> Any:
    """bench/realistic.py by its path: `bench` is not installed (it is run from the checkout,
    `python -m bench`), and the test run must not put the checkout on sys.path for everyone."""
    spec = importlib.util.spec_from_file_location("bench_realistic", REPO / "bench/realistic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


realistic = _load_realistic()

RECORD = {"exit_date": "2021-06-24", "exit_reason": "Deceased",
          "lwia_region": "Los Angeles County WDACS",
          "office_location": "2703 - LAO Community and Senior Services",
          "staff_position": "Staff"}


def _state(count: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Fresh participants as add_participants gives them, and one seeded exited one."""
    people = [{"user_id": str(50001 + i), "state_id": str(60001 + i),
               "name": f"Ana Bulk-{i + 1:05d}", "application": str(3000001 + i)}
              for i in range(count)]
    state: dict[str, Any] = {
        "case_managers": ["Staff25, Lac", "Nguyen, Mai", "Tran, Minh"],
        "participants": [
            {"user_id": "37805", "state_id": "34805", "name": "Dana Whitfield",
             "case_manager": "Staff25, Lac"},
            *({"user_id": p["user_id"], "state_id": p["state_id"], "name": p["name"],
               "case_manager": None} for p in people),
        ],
        "applications": [
            {"number": "2244305", "participant_user_id": "37805", "kind": "WIOA"},
            *({"number": p["application"], "participant_user_id": p["user_id"], "kind": "WIOA"}
              for p in people),
        ],
        "outcomes": [{"application_number": "2244305", **RECORD, "exit_reason": "Deceased"}],
        "contacts": [], "case_notes": [],
    }
    return people, state


def _done(state: dict[str, Any], planned: list[Any]) -> dict[str, Any]:
    """The state after a perfect run of the job."""
    after = copy.deepcopy(state)
    digest = hashlib.sha256(realistic.ATTACHMENT.read_bytes()).hexdigest()
    for item in planned:
        if item.exited:
            continue
        uid = item.person["user_id"]
        after["outcomes"].append({"application_number": item.person["application"], **RECORD})
        after["contacts"] += [{"participant_user_id": uid,
                               **{f: c.get(f, "") for f in realistic.CONTACT_FIELDS}}
                              for c in item.contacts]
        if item.note:
            attached = "attachment" in item.note
            after["case_notes"].append({
                "participant_user_id": uid, "subject": item.note["subject"],
                "comments": item.note["comments"],
                "attachment_name": realistic.ATTACHMENT.name if attached else None,
                "attachment_sha256": digest if attached else None})
        person = next(p for p in after["participants"] if p["user_id"] == uid)
        person["case_manager"] = item.case_manager
    return after


def test_the_mix_is_fixed_by_index_and_holds_every_kind_in_three_records() -> None:
    people, state = _state(20)
    planned = realistic.plan(people, state)
    assert planned == realistic.plan(people, state)  # deterministic
    assert [p.exited for p in planned[:3]] == [False, False, True]
    assert planned[2].person["state_id"] == "34805"
    assert sum(bool(p.contacts) for p in planned) == 7
    assert sum(p.note is not None for p in planned if not p.exited) == 15
    assert sum(bool(p.note and "attachment" in p.note) for p in planned) == 7
    assert sum(p.case_manager is not None for p in planned) == 3


def test_verified_counts_a_perfect_run_and_fails_each_missing_or_extra_part() -> None:
    people, state = _state(20)
    planned = realistic.plan(people, state)
    after = _done(state, planned)
    assert realistic.verified(after, planned, RECORD) == (20, [])

    def broken(change: Any) -> list[str]:
        bad = copy.deepcopy(after)
        change(bad)
        good, wrong = realistic.verified(bad, planned, RECORD)
        assert good == 19, wrong
        return wrong

    assert "case note" in broken(lambda s: s["case_notes"].pop(0))[0]
    assert "case note" in broken(lambda s: s["case_notes"].append(dict(s["case_notes"][0])))[0]
    assert "contacts" in broken(lambda s: s["contacts"].pop())[0]
    assert "outcome" in broken(lambda s: s["outcomes"].append(dict(s["outcomes"][-1])))[0]
    # Record 1 gets a case manager; record 0 does not.
    assert "case manager" in broken(lambda s: s["participants"][2].update(case_manager=None))[0]
    assert "case manager" in broken(lambda s: s["participants"][1].update(case_manager="X"))[0]
    # The already-exited participant must stay as it was.
    assert "already exited" in broken(lambda s: s["case_notes"].append(
        {"participant_user_id": "37805", "subject": "x"}))[0]
