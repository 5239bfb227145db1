"""A resolved setting and the error a user must fix: shared by config.py, which resolves
every setting, and politeness.py, which caps some of them for a site that is not this machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


class ConfigError(Exception):
    """A setting the user must fix; the message names the file (and line) and the key."""


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One resolved value and where it came from ("flag --workers", "env CALJOBS_WORKERS"...)."""

    value: T
    source: str
