"""How politely a run loads pages: rules as data, applied by one function.

The real CalJOBS is shared and watched, so a site that is not this machine gets at most
`REMOTE.max_workers` browsers and a rate limit, whatever the settings say. This machine's
addresses (the sandbox) are exempt unless the `local_exempt = false` setting says otherwise,
which rehearses a real run's pace on the sandbox and lets a test hold the limits to account.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from caljobs_bot.settings.values import ConfigError, Origin, Setting, Source

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class Politeness:
    """Limits for one kind of site; None means no limit."""

    max_workers: int | None
    default_rate_limit: float | None  # page loads a minute when the settings give none
    max_rate_limit: float | None


LOCAL = Politeness(max_workers=None, default_rate_limit=None, max_rate_limit=None)
# The real site sits behind a web firewall and is used by staff all day: two browsers at most,
# and no more than one page load every two seconds across them.
REMOTE = Politeness(max_workers=2, default_rate_limit=30.0, max_rate_limit=30.0)


def is_local(base_url: str | None) -> bool:
    """True for an address on this machine (the sandbox); an unknown address is not local."""
    if not base_url:
        return False
    return (urlsplit(base_url).hostname or "").lower() in LOCAL_HOSTS


def apply_politeness(base_url: str | None, workers: Setting[int],
                     rate_limit: Setting[float | None], *, local_exempt: bool = True
                     ) -> tuple[Setting[int], Setting[float | None], list[str]]:
    """Cap workers and rate for a site that is not this machine (or for any site when
    `local_exempt` is False); refuse a faster rate."""
    rules = LOCAL if local_exempt and is_local(base_url) else REMOTE
    notes: list[str] = []
    if rules.max_workers is not None and workers.value > rules.max_workers:
        notes.append(f"workers: {workers.value} from {workers.origin} lowered to "
                     f"{rules.max_workers}, the most for a site that is not this machine.")
        workers = Setting(rules.max_workers, Origin(Source.SITE_LIMIT, capped=workers.origin))
    if rate_limit.value is None:
        if rules.default_rate_limit is not None:
            rate_limit = Setting(rules.default_rate_limit, Origin(Source.SITE_LIMIT))
    elif rules.max_rate_limit is not None and rate_limit.value > rules.max_rate_limit:
        raise ConfigError(
            f"rate_limit ({rate_limit.origin}): {rate_limit.value:g} page loads a minute is too "
            f"fast for {mask_url(base_url) if base_url else 'a site that is not this machine'}; "
            f"the most is "
            f"{rules.max_rate_limit:g}. Use a lower number or leave it out."
        )
    return workers, rate_limit, notes


def mask_url(url: str) -> str:
    """The address with any password written into it (https://user:pw@host) hidden."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
