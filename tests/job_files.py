"""Job files for tests: the header every test job starts with, written once.

`job_yaml(records)` is a job file's text: `version: 1`, the sandbox's defaults (LWIA/Region,
Office Location, Staff Position, as seeded), then `records:` and the given YAML list items,
dedented and indented under it. The `write_job_file` fixture (tests/conftest.py) writes one
into the test's tmp_path. Line numbers are fixed: the header is six lines, so the first record
starts on line 7 (more defaults add a line each, after staff_position).
"""

from __future__ import annotations

import textwrap

SANDBOX_DEFAULTS = {
    "lwia_region": "Los Angeles County WDACS",
    "office_location": "2703 - LAO Community and Senior Services",
    "staff_position": "Staff",
}


def job_yaml(records: str = "", **more_defaults: str) -> str:
    """A job file's text with the sandbox's defaults (and `more_defaults`) and `records`."""
    defaults = {**SANDBOX_DEFAULTS, **more_defaults}
    header = ["version: 1", "defaults:", *(f"  {key}: {value}" for key, value in defaults.items()),
              "records:"]
    return "\n".join(header) + "\n" + textwrap.indent(textwrap.dedent(records), "  ")
