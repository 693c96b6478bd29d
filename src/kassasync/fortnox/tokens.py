"""Where the Fortnox token pair lives between runs: the OS keyring, or a private file where there is none.

The refresh token is the connection: it works once, so a new pair must be on disk before it is used
(``save`` is atomic in both stores). On Windows the keyring is Credential Manager and is required: a
file fallback is never chosen silently there. Elsewhere (a Linux PC without Secret Service, the tests)
the file store is used, and the choice is logged. ``KASSASYNC_TOKEN_STORE=keyring|file`` forces one.

Credential Manager caps a secret at 2 560 bytes (UTF-16), which a Fortnox JWT access token nearly fills,
so the keyring store keeps the refresh token and the access token in two entries; the refresh token is
written first, and losing the access token only costs one refresh.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from kassasync.atomic import write_atomically
from kassasync.errors import RunAborted
from kassasync.logs import register_secret

log = logging.getLogger(__name__)

STORE_ENV = "KASSASYNC_TOKEN_STORE"
KEYRING_SERVICE = "Kassasync Fortnox"


class TokenStoreError(RunAborted):
    default_user_message = (
        "Kassasync kan inte spara inloggningen säkert på den här datorn (Windows Autentiseringshanteraren "
        "saknas). Kontakta support."
    )


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str
    expires_at: datetime  # aware
    scope: str = ""

    @classmethod
    def from_response(cls, body: dict[str, Any], now: datetime) -> TokenSet:
        tokens = cls(
            access_token=str(body["access_token"]),
            refresh_token=str(body["refresh_token"]),
            expires_at=now + timedelta(seconds=int(body.get("expires_in", 3600))),
            scope=str(body.get("scope", "")),
        )
        tokens.register_secrets()
        return tokens

    def register_secrets(self) -> None:
        register_secret(self.access_token, slot="access_token")
        register_secret(self.refresh_token, slot="refresh_token")

    def expires_within(self, now: datetime, seconds: float) -> bool:
        return self.expires_at - now <= timedelta(seconds=seconds)

    def to_json(self) -> dict[str, str]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at.isoformat(),
            "scope": self.scope,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TokenSet:
        tokens = cls(
            access_token=str(data.get("access_token", "")),
            refresh_token=str(data["refresh_token"]),
            expires_at=datetime.fromisoformat(str(data.get("expires_at", "1970-01-01T00:00:00+00:00"))),
            scope=str(data.get("scope", "")),
        )
        tokens.register_secrets()
        return tokens


class TokenStore(Protocol):
    description: str

    def load(self) -> TokenSet | None: ...

    def save(self, tokens: TokenSet) -> None: ...

    def clear(self) -> None: ...


class FileTokenStore:
    """A JSON file only the user can read (0600), replaced atomically (kassasync.atomic)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = f"file {path}"

    def load(self) -> TokenSet | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning(
                "token file %s is unreadable (%s); a new login is needed", self.path, type(exc).__name__
            )
            return None
        try:
            if not isinstance(data, dict):  # [], "x", null, 5: a file someone else wrote
                raise TypeError(f"a JSON {type(data).__name__}, not an object")
            return TokenSet.from_json(data)
        except (KeyError, ValueError, TypeError):
            log.warning("token file %s has an unexpected shape; a new login is needed", self.path)
            return None

    def save(self, tokens: TokenSet) -> None:
        write_atomically(self.path, json.dumps(tokens.to_json()), private=True)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


class KeyringTokenStore:
    """Two entries under one service: ``<account>:refresh`` (token + scope) and ``<account>:access``."""

    def __init__(self, account: str, backend: Any = None) -> None:
        import keyring

        self._keyring = backend if backend is not None else keyring.get_keyring()
        self.account = account
        self.description = f"keyring {type(self._keyring).__name__} ({KEYRING_SERVICE} / {account})"

    def load(self) -> TokenSet | None:
        refresh_raw = self._keyring.get_password(KEYRING_SERVICE, f"{self.account}:refresh")
        if not refresh_raw:
            return None
        access_raw = self._keyring.get_password(KEYRING_SERVICE, f"{self.account}:access")
        try:
            data = json.loads(refresh_raw)
            access = json.loads(access_raw) if access_raw else {}
            if not isinstance(data, dict) or not isinstance(access, dict):
                raise TypeError("a keyring entry that is not a JSON object")
            return TokenSet.from_json({**data, **access})
        except (KeyError, ValueError, TypeError):
            log.warning("the keyring entry %s has an unexpected shape; a new login is needed", self.account)
            return None

    def save(self, tokens: TokenSet) -> None:
        refresh = json.dumps({"refresh_token": tokens.refresh_token, "scope": tokens.scope})
        access = json.dumps(
            {"access_token": tokens.access_token, "expires_at": tokens.expires_at.isoformat()}
        )
        self._keyring.set_password(KEYRING_SERVICE, f"{self.account}:refresh", refresh)
        try:
            self._keyring.set_password(KEYRING_SERVICE, f"{self.account}:access", access)
        except Exception as exc:  # keyring backends raise their own types; the refresh token is safe
            log.warning("could not keep the access token in the keyring (%s); it will be refreshed", exc)
            self._delete(f"{self.account}:access")

    def _delete(self, name: str) -> None:
        try:
            self._keyring.delete_password(KEYRING_SERVICE, name)
        except Exception:  # PasswordDeleteError when absent
            log.debug("keyring entry %s was not there", name)

    def clear(self) -> None:
        self._delete(f"{self.account}:access")
        self._delete(f"{self.account}:refresh")


def keyring_usable(backend: Any) -> bool:
    """False for keyring's fail/null backends (no Credential Manager, no Secret Service)."""
    module = type(backend).__module__
    priority = getattr(backend, "priority", 0)
    return not module.startswith(("keyring.backends.fail", "keyring.backends.null")) and priority > 0


def choose_token_store(
    token_file: Path,
    account: str,
    *,
    forced: str = "",
    backend: Any = None,
    platform: str = sys.platform,
) -> TokenStore:
    """The keyring when usable; else the private file, except on Windows where that is refused.
    ``forced``: ``Environment.token_store`` ("file" or "keyring", from ``KASSASYNC_TOKEN_STORE``)."""
    if forced == "file":
        log.info("token store: %s (chosen by %s)", token_file, STORE_ENV)
        return FileTokenStore(token_file)
    if backend is None:
        import keyring

        backend = keyring.get_keyring()
    if forced == "keyring" or keyring_usable(backend):
        store = KeyringTokenStore(account, backend)
        log.info("token store: %s", store.description)
        return store
    if platform == "win32":
        raise TokenStoreError(
            f"no usable keyring backend ({type(backend).__name__}) on Windows; refusing a file"
        )
    log.warning(
        "token store: no OS keyring (%s); using the private file %s", type(backend).__name__, token_file
    )
    return FileTokenStore(token_file)
