"""The realistic benchmark job (issue 23): what real jobs carry besides the outcome.

The bare job (harness.RECORD only) leaves out what costs the most on the site: alternate
contacts (a pop-up window, a page load per contact and more), case notes with attachments
and case-manager changes (a postback each), and participants who have already exited (the
bot must notice and stop). This module says, from the record's index alone (so both sides
and every run get the same job), what each record asks for:

- contacts: every third record (index % 3 == 0), one contact, or two when index % 6 == 3;
- a case note (subject and comments): 80% (all but index % 5 == 4), with the attachment
  jobs/verification.pdf on about half of those (even indexes);
- a case-manager change: 15% (index % 20 in 1, 8, 15), a staff member the sandbox offers;
- already exited: 5% (index % 20 == 2): the record names one of the seed's participants
  whose only WIOA application has an outcome, so both sides open the case and stop. The
  seed has four; past them (N > 80) those indexes become ordinary records.

`verified` then checks each record from the sandbox's own state: exactly what the job asked
for, once, and nothing for the ones already exited.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
ATTACHMENT = REPO / "jobs" / "verification.pdf"
CONTACT_FIELDS = ("first_name", "last_name", "relationship", "phone", "email", "address")
_GIVEN = ("Ana", "Luis", "Mai", "Omar", "Rosa", "Tuan")
_RELATIONSHIPS = ("Sister", "Spouse", "Son", "Friend")


@dataclass(frozen=True)
class Planned:
    """What one record of the realistic job asks for, and whom it names."""

    index: int
    person: Mapping[str, Any]
    """user_id, state_id, name and application (add_participants' answer, or a seeded one)."""
    contacts: tuple[dict[str, str], ...] = ()
    note: dict[str, str] | None = None
    case_manager: str | None = None
    exited: bool = False
    before: Mapping[str, Any] = field(default_factory=dict)
    """An already-exited participant's stored state before the run (compared afterwards)."""


def _contacts(index: int, last_name: str) -> tuple[dict[str, str], ...]:
    """One or two contacts for index % 3 == 0 (the first complete, the second partial, as
    people often know only a phone number)."""
    if index % 3:
        return ()
    first = {
        "first_name": _GIVEN[index % len(_GIVEN)], "last_name": last_name,
        "relationship": _RELATIONSHIPS[index % len(_RELATIONSHIPS)],
        "phone": f"213-555-{index % 10000:04d}", "email": f"contact{index}@example.org",
        "address": f"{100 + index} W 7th St, Los Angeles, CA 90017",
    }
    if index % 6 != 3:
        return (first,)
    second = {"first_name": _GIVEN[(index + 1) % len(_GIVEN)], "last_name": last_name,
              "relationship": "Friend", "phone": f"323-555-{index % 10000:04d}"}
    return (first, second)


def _note(index: int) -> dict[str, str] | None:
    """A case note for 80% of records, with the attachment on the even ones."""
    if index % 5 == 4:
        return None
    note = {"subject": f"Global exclusion - Deceased ({index})",
            "comments": "Death reported by family; verified with the county record."}
    if index % 2 == 0:
        note["attachment"] = ATTACHMENT.name
    return note


def _exited_people(state: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Seeded participants whose applications are all WIOA and all have an outcome."""
    applications: dict[str, list[Mapping[str, Any]]] = {}
    for app in state["applications"]:
        applications.setdefault(app["participant_user_id"], []).append(app)
    exited_numbers = {o["application_number"] for o in state["outcomes"]}
    people = []
    for person in state["participants"]:
        apps = applications.get(person["user_id"], [])
        if apps and all(a["kind"] == "WIOA" and a["number"] in exited_numbers for a in apps):
            people.append({"user_id": person["user_id"], "state_id": person["state_id"],
                           "name": person["name"], "application": apps[0]["number"]})
    return people


def _stored(state: Mapping[str, Any], user_id: str) -> dict[str, Any]:
    """What the site keeps about one participant that a record could change."""
    person = next(p for p in state["participants"] if p["user_id"] == user_id)
    numbers = {a["number"] for a in state["applications"] if a["participant_user_id"] == user_id}
    return {
        "case_manager": person["case_manager"],
        "outcomes": [o for o in state["outcomes"] if o["application_number"] in numbers],
        "contacts": [c for c in state["contacts"] if c["participant_user_id"] == user_id],
        "case_notes": [n for n in state["case_notes"] if n["participant_user_id"] == user_id],
    }


def plan(people: list[dict[str, Any]], state: Mapping[str, Any]) -> list[Planned]:
    """The realistic job over fresh participants (`people`, one per record) and the seed's
    already-exited ones (from `state`, the sandbox's state before the run)."""
    exited = _exited_people(state)
    managers: list[str] = state["case_managers"]
    planned = []
    for index, person in enumerate(people):
        if index % 20 == 2 and exited:
            seeded = exited.pop(0)
            planned.append(Planned(index, seeded, exited=True,
                                   before=_stored(state, seeded["user_id"])))
            continue
        last_name = person["name"].split()[-1]
        cm = managers[index % len(managers)] if index % 20 in (1, 8, 15) else None
        planned.append(Planned(index, person, _contacts(index, last_name), _note(index), cm))
    return planned


def write_job(folder: Path, planned: list[Planned], record: Mapping[str, Any]) -> Path:
    """The job file (with the attachment beside it, where the bot accepts it)."""
    records = []
    for item in planned:
        entry: dict[str, Any] = {
            "participant": {"state_id": item.person["state_id"], "name": item.person["name"]},
            **record,
        }
        if item.contacts:
            entry["alternate_contacts"] = [dict(c) for c in item.contacts]
        if item.case_manager:
            entry["case_manager"] = {"assign": item.case_manager}
        if item.note:
            entry["case_note"] = dict(item.note)
        records.append(entry)
    shutil.copyfile(ATTACHMENT, folder / ATTACHMENT.name)
    path = folder / f"bench-realistic-{len(planned)}.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "records": records}, sort_keys=False,
                                   allow_unicode=True), encoding="utf-8")
    return path


def _outcome_ok(outcomes: list[Mapping[str, Any]], record: Mapping[str, Any]) -> bool:
    keys = ("exit_date", "exit_reason", "lwia_region", "office_location", "staff_position")
    return len(outcomes) == 1 and all(outcomes[0][k] == record[k] for k in keys)


def _contacts_ok(stored: list[Mapping[str, Any]], wanted: tuple[dict[str, str], ...]) -> bool:
    """Each asked-for contact once, with its fields (a field not given stays empty)."""
    got = sorted(tuple(c[f] for f in CONTACT_FIELDS) for c in stored)
    asked = sorted(tuple(w.get(f, "") for f in CONTACT_FIELDS) for w in wanted)
    return got == asked


def _notes_ok(stored: list[Mapping[str, Any]], wanted: dict[str, str] | None) -> bool:
    """The asked-for note once (subject, comments, the attachment's name and content)."""
    if wanted is None:
        return not stored
    if len(stored) != 1:
        return False
    note = stored[0]
    if (note["subject"], note["comments"]) != (wanted["subject"], wanted["comments"]):
        return False
    if "attachment" not in wanted:
        return note["attachment_name"] is None
    digest = hashlib.sha256(ATTACHMENT.read_bytes()).hexdigest()
    return (note["attachment_name"], note["attachment_sha256"]) == (ATTACHMENT.name, digest)


def verified(state: Mapping[str, Any], planned: list[Planned],
             record: Mapping[str, Any]) -> tuple[int, list[str]]:
    """How many records the site shows done exactly as the job says, and what is wrong with
    the others (one line each, for the JSON): one outcome with the job's values, the note
    once, the contacts once, the case manager; an already-exited participant unchanged."""
    good, wrong = 0, []
    for item in planned:
        stored = _stored(state, item.person["user_id"])
        if item.exited:
            problems = [] if stored == dict(item.before) else ["changed although already exited"]
        else:
            problems = [name for name, ok in (
                ("outcome", _outcome_ok(stored["outcomes"], record)),
                ("contacts", _contacts_ok(stored["contacts"], item.contacts)),
                ("case note", _notes_ok(stored["case_notes"], item.note)),
                ("case manager", stored["case_manager"] == item.case_manager),
            ) if not ok]
        if problems:
            wrong.append(f"record {item.index} ({item.person['state_id']}): "
                         + ", ".join(problems))
        else:
            good += 1
    return good, wrong


def already_exited(planned: list[Planned]) -> list[str]:
    """State ids of the records whose participant has already exited (the minimal script is
    told them: it has no checks, so it cannot find out)."""
    return [str(item.person["state_id"]) for item in planned if item.exited]
