"""The defaults merge: a record's fields from itself, else `defaults:`, else the settings.

Why it is built this way: the models check a record as it will be run, so `defaults:` (and
the office, region and position from caljobs-bot.toml) are merged under each record before
validation, the record's own value winning whole. A problem about a merged value must then
point at where the value was written: the `defaults:` line, or the settings file named.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from caljobs_bot.jobfile.problems import DEFAULTABLE, Loc


def fallback_values(fallback: Mapping[str, str | None] | None,
                    defaults: object) -> dict[str, Any]:
    """What every record gets unless it says otherwise: the settings' values for the
    defaultable fields, overridden by the job's `defaults:`."""
    outer: dict[str, Any] = {k: v for k, v in (fallback or {}).items()
                             if k in DEFAULTABLE and v is not None}
    if isinstance(defaults, dict):
        outer.update(defaults)
    return outer


def merged(data: dict[str, Any], outer: Mapping[str, Any]) -> dict[str, Any]:
    """The job's data with `outer` under each record (a record's own value wins, whole)."""
    result = dict(data)
    records = data.get("records")
    if outer and isinstance(records, list):
        result["records"] = [
            {**outer, **record} if isinstance(record, dict) else record for record in records
        ]
    return result


def _record_lacks(data: dict[str, Any], loc: Loc) -> bool:
    """True when `loc` is in a record that does not give its field itself."""
    records = data.get("records")
    return (
        len(loc) >= 3
        and loc[0] == "records"
        and isinstance(loc[1], int)
        and isinstance(records, list)
        and loc[1] < len(records)
        and isinstance(records[loc[1]], dict)
        and loc[2] not in records[loc[1]]
    )


def from_defaults(loc: Loc, data: dict[str, Any]) -> Loc:
    """Point a record field that came from `defaults:` at the defaults line."""
    defaults = data.get("defaults")
    if _record_lacks(data, loc) and isinstance(defaults, dict) and loc[2] in defaults:
        return ("defaults", *loc[2:])
    return loc


def from_fallback(loc: Loc, data: dict[str, Any], sources: Mapping[str, str]) -> str | None:
    """Where a record's value came from when neither the record nor `defaults:` gave it."""
    if len(loc) < 3 or loc[2] not in sources or not _record_lacks(data, loc):
        return None
    defaults = data.get("defaults")
    if isinstance(defaults, dict) and loc[2] in defaults:
        return None
    return sources[str(loc[2])]


def fallback_use(data: dict[str, Any], outer: Mapping[str, Any]) -> dict[str, int]:
    """For each settings value, the number of records that use it."""
    defaults, records = data.get("defaults"), data.get("records")
    counts: dict[str, int] = {}
    for name in outer:
        if isinstance(defaults, dict) and name in defaults:
            continue
        used = sum(1 for record in records or () if isinstance(record, dict)
                   and name not in record)
        if used:
            counts[name] = used
    return counts
