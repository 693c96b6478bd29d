"""Integrations, authorization codes and tokens, with Fortnox's lifetimes (REFERENCE §2.1).

Code: 10 min, once. Access token: 3600 s. Refresh token: 45 days, single use, rotated on every
refresh. Reusing a rotated refresh token also revokes the token that replaced it: field reports say
parallel refreshes "log your users out" (FIELD.md §1), which is what a reuse-detecting server does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

CODE_TTL = timedelta(minutes=10)
ACCESS_TTL = timedelta(seconds=3600)
REFRESH_TTL = timedelta(days=45)

ALL_SCOPES = frozenset(
    {
        "companyinformation",
        "bookkeeping",
        "settings",
        "article",
        "price",
        "customer",
        "invoice",
        "payment",
        "warehouse",
        "profile",
    }
)


@dataclass
class Integration:
    client_id: str
    client_secret: str
    home_tenant: str
    redirect_uris: tuple[str, ...] = ()
    allow_loopback: bool = True
    scopes: frozenset[str] = ALL_SCOPES


@dataclass
class Grant:
    """What a code or a token stands for: one client, one tenant, some scopes."""

    client_id: str
    tenant: str
    scopes: frozenset[str]
    expires_at: datetime
    redirect_uri: str | None = None
    used: bool = False
    successor: str | None = None


@dataclass
class AuthStore:
    signing_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    integrations: dict[str, Integration] = field(default_factory=dict)
    codes: dict[str, Grant] = field(default_factory=dict)
    access: dict[str, Grant] = field(default_factory=dict)
    refresh: dict[str, Grant] = field(default_factory=dict)

    def new_code(self, grant: Grant) -> str:
        code = secrets.token_urlsafe(24)
        self.codes[code] = grant
        return code

    def issue(
        self, client_id: str, tenant: str, database_number: int, scopes: frozenset[str], now: datetime
    ) -> dict[str, object]:
        """A token response; the access token is a JWT-shaped string carrying tenantId (REFERENCE §2.5)."""
        expires = now + ACCESS_TTL
        claims = {
            "tenantId": database_number,
            "clientId": client_id,
            "scope": " ".join(sorted(scopes)),
            "iat": int(now.timestamp()),
            "exp": int(expires.timestamp()),
            "jti": secrets.token_hex(8),
        }
        access = self._jwt(claims)
        refresh = secrets.token_hex(20)
        self.access[access] = Grant(client_id, tenant, scopes, expires)
        self.refresh[refresh] = Grant(client_id, tenant, scopes, now + REFRESH_TTL)
        return {
            "access_token": access,
            "refresh_token": refresh,
            "scope": " ".join(sorted(scopes)),
            "expires_in": int(ACCESS_TTL.total_seconds()),
            "token_type": "bearer",
        }

    def _jwt(self, claims: dict[str, object]) -> str:
        def b64(data: bytes) -> str:
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

        head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = b64(json.dumps(claims).encode())
        sig = hmac.new(self.signing_key, f"{head}.{body}".encode(), hashlib.sha256).digest()
        return f"{head}.{body}.{b64(sig)}"

    def revoke_chain(self, token: str) -> None:
        """Revoke a refresh token and every token that replaced it."""
        seen: str | None = token
        while seen is not None and seen in self.refresh:
            grant = self.refresh[seen]
            grant.used = True
            seen = grant.successor

    def expire_access(self, tenant: str, now: datetime) -> int:
        count = 0
        for grant in self.access.values():
            if grant.tenant == tenant and grant.expires_at > now:
                grant.expires_at = now
                count += 1
        return count

    def revoke_refresh(self, tenant: str, token: str | None = None) -> int:
        count = 0
        for key, grant in self.refresh.items():
            if grant.tenant == tenant and (token is None or key == token) and not grant.used:
                grant.used = True
                count += 1
        return count
