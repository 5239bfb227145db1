"""Keeps secrets out of saved Playwright traces.

A trace records every request with its headers and form fields, so the session cookie rides
along in each one, and a sign-in that happened while recording would carry the password.
The runner keeps sign-ins out of the trace; this is the second lock: before a trace is left
on disk, cookie and authorization headers are masked and every occurrence of the password
(and of the browser's current cookie values) is replaced.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, quote_plus

MASK = b"***"
# Headers that carry a session or a credential, whatever their value is at the moment.
SECRET_HEADERS = frozenset({"cookie", "set-cookie", "authorization", "proxy-authorization"})
# Shorter values (flags such as "1") could match ordinary text and corrupt the trace.
SHORTEST_SECRET = 6
# The scrubbed copy while it is written: a run killed then leaves it, and the next run of the
# job deletes it with the unscrubbed ".part" (running/run.py).
SCRUBBING_SUFFIX = ".scrubbing"


def _forms(secret: str) -> set[bytes]:
    """The secret as it can appear: plain, URL-encoded (forms, cookies), JSON-escaped."""
    escaped = secret.replace("\\", "\\\\").replace('"', '\\"')
    return {form.encode() for form in (secret, quote(secret, safe=""), quote_plus(secret),
                                       escaped)}


def _mask_headers(node: object) -> object:
    """The same JSON with cookie and authorization values masked: request and response
    headers ({"name": "Cookie", "value": ...}) and the parsed "cookies" lists."""
    if isinstance(node, dict):
        name = node.get("name")
        if isinstance(name, str) and name.lower() in SECRET_HEADERS and "value" in node:
            return {**node, "value": MASK.decode()}
        masked = {key: _mask_headers(value) for key, value in node.items()}
        cookies = masked.get("cookies")
        if isinstance(cookies, list):
            masked["cookies"] = [{**c, "value": MASK.decode()} if isinstance(c, dict) else c
                                 for c in cookies]
        return masked
    if isinstance(node, list):
        return [_mask_headers(item) for item in node]
    return node


def _scrub_events(data: bytes) -> bytes:
    """Mask secret headers in a trace's event lines (one JSON object per line)."""
    lines = []
    for line in data.split(b"\n"):
        try:
            event = json.loads(line)
        except ValueError:
            lines.append(line)
            continue
        lines.append(json.dumps(_mask_headers(event), ensure_ascii=False,
                                separators=(",", ":")).encode())
    return b"\n".join(lines)


def scrub_trace(path: Path, secrets: Iterable[str | None]) -> int:
    """Rewrite the trace at `path`: cookie and authorization headers masked in its event
    files, and every occurrence of the `secrets` (the password) masked in every file.
    Returns how many secret occurrences were masked."""
    needles = sorted({form for s in secrets if s and len(s) >= SHORTEST_SECRET
                      for form in _forms(s)}, key=len, reverse=True)
    found = 0
    cleaned = path.with_suffix(SCRUBBING_SUFFIX)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(cleaned, "w",
                                                          zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith((".network", ".trace")):
                data = _scrub_events(data)
            for needle in needles:
                found += data.count(needle)
                data = data.replace(needle, MASK)
            target.writestr(item, data)
    shutil.move(cleaned, path)
    return found
