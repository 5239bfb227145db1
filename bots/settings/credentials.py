"""The staff password: from CALJOBS_PASSWORD, the system keyring, or a hidden prompt.

Never from the config file or a flag (both end up in shell history, backups and screenshots).
The keyring entry is per site and per person (service "caljobs-bot", key "username@host"), so a
training site and the real one never share a password by accident. A machine without a usable
keyring (a headless Linux server, CI) is normal: it just means "not stored", and is mentioned
only when the person asked to store a password there.

Nothing here logs, prints or reprs a password; errors name variables, never values.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Protocol
from urllib.parse import urlsplit

from caljobs_bot.settings.config import PASSWORD_NOT_STORED
from caljobs_bot.settings.limits import MAX_NAME, text_too_long

SERVICE = "caljobs-bot"
PASSWORD_ENV = "CALJOBS_PASSWORD"
USERNAME_ENV = "CALJOBS_USERNAME"


@dataclass(frozen=True)
class Credentials:
    """A staff sign-in. Kept out of every log, report and repr."""

    username: str
    # None when the browser carries a session saved by `caljobs-bot login` (sites with
    # multi-factor sign-in): the bot then never types a password, and stops when it expires.
    password: str | None

    def __repr__(self) -> str:
        return f"Credentials(username={self.username!r}, password='***')"


class CredentialsError(Exception):
    """No username or password could be had; the message says which variable to set."""


class KeyringLike(Protocol):
    """The two functions of the `keyring` library we use (a fake one in tests)."""

    def get_password(self, service_name: str, username: str) -> str | None: ...

    def set_password(self, service_name: str, username: str, password: str) -> None: ...


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def keyring_key(base_url: str, username: str) -> str:
    """The keyring entry's name for this person on this site: "username@host"."""
    host = (urlsplit(base_url).hostname or base_url).lower()
    return f"{username}@{host}"


def _keyring(module: KeyringLike | ModuleType | None) -> KeyringLike | ModuleType | None:
    """The keyring to use: the one given, else the `keyring` library if installed."""
    if module is not None:
        return module
    try:
        import keyring
    except ImportError:
        return None
    return keyring


def _from_keyring(base_url: str, username: str,
                  module: KeyringLike | ModuleType | None) -> str | None:
    """The stored password, or None: no entry, no library, or no usable backend (quietly)."""
    store = _keyring(module)
    if store is None:
        return None
    try:
        found = store.get_password(SERVICE, keyring_key(base_url, username))
    except Exception:  # noqa: BLE001 - any backend failure (no D-Bus, locked) means "not stored"
        return None
    return found or None


def store_password(base_url: str, username: str, password: str, *,
                   keyring_module: KeyringLike | ModuleType | None = None) -> bool:
    """Keep the password in the system keyring; False when this machine has no usable one."""
    store = _keyring(keyring_module)
    if store is None:
        return False
    try:
        store.set_password(SERVICE, keyring_key(base_url, username), password)
    except Exception:  # noqa: BLE001 - no backend, locked, or refused: the caller explains
        return False
    return True


def forget_password(base_url: str, username: str, *,
                    keyring_module: KeyringLike | ModuleType | None = None) -> bool:
    """Remove a stored password (after it changed); False when there was none to remove."""
    store = _keyring(keyring_module)
    if store is None or not hasattr(store, "delete_password"):
        return False
    try:
        store.delete_password(SERVICE, keyring_key(base_url, username))
    except Exception:  # noqa: BLE001 - not there, or no usable backend
        return False
    return True


def password_source(base_url: str, username: str, *, env: Mapping[str, str] | None = None,
                    keyring_module: KeyringLike | ModuleType | None = None) -> str:
    """Where get_password would find the password, for `config show` (never the password)."""
    env = os.environ if env is None else env
    if env.get(PASSWORD_ENV):
        return f"env {PASSWORD_ENV}"
    if _from_keyring(base_url, username, keyring_module) is not None:
        return f"system keyring ({SERVICE}, {keyring_key(base_url, username)})"
    return PASSWORD_NOT_STORED


def get_password(base_url: str, username: str, *, env: Mapping[str, str] | None = None,
                 interactive: bool | None = None,
                 prompt: Callable[[str], str] = getpass.getpass,
                 ask: Callable[[str], str] = input,
                 say: Callable[[str], None] = _say,
                 keyring_module: KeyringLike | ModuleType | None = None,
                 offer_to_save: bool = True) -> str:
    """The password for `username` on the site at `base_url`.

    In order: CALJOBS_PASSWORD; the system keyring; a hidden prompt (then, if `offer_to_save`,
    "save to keyring? [y/N]"). Without a terminal (`interactive` False; by default, when
    standard input is not one) a missing password raises CredentialsError naming the variables.
    """
    env = os.environ if env is None else env
    if env.get(PASSWORD_ENV):
        return env[PASSWORD_ENV]
    stored = _from_keyring(base_url, username, keyring_module)
    if stored is not None:
        return stored
    if interactive is None:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    host = urlsplit(base_url).hostname or base_url
    if not interactive:
        raise CredentialsError(
            f"No password for {username!r} on {host}, and no terminal to ask on. Set "
            f"{PASSWORD_ENV} (and {USERNAME_ENV}, or username in caljobs-bot.toml), or run once "
            "in a terminal and save the password to the system keyring when asked."
        )
    password = prompt(f"CalJOBS password for {username} on {host}: ")
    if not password:
        raise CredentialsError("No password was typed; nothing was run.")
    if offer_to_save and ask("Save it in the system keyring for next time? [y/N] ").strip(
    ).lower() in {"y", "yes"}:
        if store_password(base_url, username, password, keyring_module=keyring_module):
            say(f"Saved in the system keyring as {SERVICE} / {keyring_key(base_url, username)}.")
        else:
            say(f"Not saved: this machine has no usable system keyring. Set {PASSWORD_ENV} "
                "instead, or type the password each time.")
    return password


def get_username(username: str | None, *, interactive: bool | None = None,
                 ask: Callable[[str], str] = input) -> str:
    """The username from the settings, else asked for; without a terminal, an error."""
    if username:
        return username
    if interactive is None:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    if not interactive:
        raise CredentialsError(f"No CalJOBS username: set {USERNAME_ENV}, username in "
                               "caljobs-bot.toml, or --username.")
    typed = ask("CalJOBS username: ").strip()
    if not typed:
        raise CredentialsError("No username was typed; nothing was run.")
    if (problem := text_too_long(typed, MAX_NAME)) is not None:
        raise CredentialsError(f"The username typed {problem}; nothing was run.")
    return typed

