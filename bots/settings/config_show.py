"""`caljobs-bot config show`: every setting, its value and where it came from, secrets masked.

Apart from the resolving in settings/config.py: that module decides the settings, this one
only says them (so a person can see why a run will do what it does).
"""

from __future__ import annotations

from caljobs_bot.settings.config import PASSWORD_NOT_STORED, Settings
from caljobs_bot.settings.keys import KEYS
from caljobs_bot.settings.politeness import mask_url
from caljobs_bot.settings.values import DEFAULT


def _shown(value: object) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def describe(settings: Settings, password_source: str | None = None) -> str:
    """Each setting of the table (settings/keys.py), its value and where it came from;
    secrets shown as ***.

    `password_source` (settings.credentials.password_source) adds a password line that says only
    where the password will come from.
    """
    head = f"Config file: {settings.config_file or '(none found)'}"
    profile = settings.profile or "(none)"
    if settings.profile:
        profile += f" ({settings.sources.get('profile', DEFAULT)})"
        if settings.production:
            profile += ", production: runs that save ask to type its name"
    rows: list[tuple[str, str, str]] = []
    for key in KEYS:
        value = key.value_of(settings)
        if key.name == "base_url" and isinstance(value, str):
            value = mask_url(value)
        rows.append((key.name, _shown(value), str(settings.sources.get(key.name, DEFAULT))))
    if password_source is not None:
        stored = password_source != PASSWORD_NOT_STORED
        rows.append(("password", "***" if stored else "(not set)", password_source))
    name_width = max(len(r[0]) for r in rows)
    value_width = min(max(len(r[1]) for r in rows), 48)
    lines = [head, f"Profile: {profile}", ""]
    lines += [f"  {n:<{name_width}}  {v:<{value_width}}  {s}" for n, v, s in rows]
    if settings.warnings:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in settings.warnings]
    return "\n".join(lines)
