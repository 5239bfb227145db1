"""A resolved setting, where it came from, and the error a user must fix: shared by config.py,
which resolves every setting, and politeness.py, which caps some of them for a site that is
not this machine.

Where a value came from is a `Source` (an enum a program can test) with the details a person
needs (which flag, which variable, which file and profile); `str()` of an `Origin` is the
sentence `config show` prints, such as "flag --workers" or "file caljobs-bot.toml [training]".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

T = TypeVar("T")


class ConfigError(Exception):
    """A setting the user must fix; the message names the file (and line) and the key."""


class Source(Enum):
    """Where a setting's value came from, from the weakest to the strongest (SITE_LIMIT: the
    limits of a site that is not this machine changed or supplied it)."""

    DEFAULT = "default"
    CONFIG_FILE = "file"
    PROFILE = "profile"
    ENVIRONMENT = "env"
    COMMAND_LINE = "flag"
    SITE_LIMIT = "site limit"


@dataclass(frozen=True)
class Origin:
    """Where one value came from: the `source`, and `name` of the flag, the variable or the
    file (and `profile`, for a profile's table). A SITE_LIMIT origin keeps the origin it
    overrode in `capped` (None: the limit supplied a value the settings did not give)."""

    source: Source
    name: str = ""
    profile: str | None = None
    capped: Origin | None = None

    def __str__(self) -> str:
        if self.source is Source.DEFAULT:
            return "default"
        if self.source is Source.COMMAND_LINE:
            return f"flag {self.name}"
        if self.source is Source.ENVIRONMENT:
            return f"env {self.name}"
        if self.source is Source.CONFIG_FILE:
            return f"file {self.name}"
        if self.source is Source.PROFILE:
            return f"file {self.name} [{self.profile}]"
        if self.capped is None:
            return "default for a non-local site"
        return f"{self.capped}, capped for a non-local site"


DEFAULT = Origin(Source.DEFAULT)


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One resolved value and where it came from."""

    value: T
    origin: Origin
