"""The sandbox as tests use it: `running_sandbox()` starts it on a free loopback port.

Control methods go through the HTTP admin routes, so they behave the same against a sandbox started
in another process (`RunningSandbox.attach(base_url, ...)`); `state` is there for in-process
assertions and for seeding variations (`sandbox.state.tenant("demo").lock_period(...)`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

import requests

from fortnox_sandbox.ratelimit import RateModel
from fortnox_sandbox.server import SandboxServer
from fortnox_sandbox.state import Options, SandboxState, build_state, primary_tenant


class ApiSession:
    """A bearer-authenticated `requests` session on one tenant, for assertions on what the sandbox
    holds (and for the sandbox's own tests). Paths are relative to the base URL (`/3/articles`)."""

    def __init__(self, sandbox: RunningSandbox, token: str) -> None:
        self.sandbox = sandbox
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                "Content-Type": "application/json",
            }
        )

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.sandbox.base_url + path

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.session.get(self.url(path), params=params or None, timeout=10)

    def post(self, path: str, body: Any) -> requests.Response:
        return self.session.post(self.url(path), json=body, timeout=10)

    def put(self, path: str, body: Any = None) -> requests.Response:
        return self.session.put(self.url(path), json=body, timeout=10)

    def delete(self, path: str) -> requests.Response:
        return self.session.delete(self.url(path), timeout=10)


class RunningSandbox:
    def __init__(self, base_url: str, client_id: str, client_secret: str, state: SandboxState | None) -> None:
        self.base_url = base_url
        self.api_url = base_url + "/3"
        self.token_url = base_url + "/oauth-v1/token"
        self.authorize_url = base_url + "/oauth-v1/auth"
        self.revoke_url = base_url + "/oauth-v1/revoke"
        self.client_id = client_id
        self.client_secret = client_secret
        self._state = state
        self._http = requests.Session()

    @property
    def state(self) -> SandboxState:
        if self._state is None:
            raise RuntimeError("this sandbox runs in another process; use the admin routes")
        return self._state

    @classmethod
    def attach(cls, base_url: str, client_id: str, client_secret: str) -> RunningSandbox:
        """A handle on a sandbox started elsewhere (`python -m fortnox_sandbox --test-mode`)."""
        return cls(base_url.rstrip("/"), client_id, client_secret, None)

    def api(self, tenant: str = "demo", scopes: Iterable[str] | None = None) -> ApiSession:
        """A session with a fresh token for `tenant` (counts against the rate limit like any client)."""
        return ApiSession(self, self.issue_tokens(tenant, scopes)["access_token"])

    def _admin(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self._http.request(method, f"{self.base_url}/_sandbox/{path}", json=body, timeout=10)
        response.raise_for_status()
        return response.json() if response.content else None

    def issue_tokens(self, tenant: str = "demo", scopes: Iterable[str] | None = None) -> dict[str, Any]:
        """A fresh token response (access_token, refresh_token, expires_in, scope, token_type) without
        the browser flow, for tests that are not about login."""
        body: dict[str, Any] = {"tenant": tenant, "scopes": None if scopes is None else list(scopes)}
        result: dict[str, Any] = self._admin("POST", "tokens", body)
        return result

    def inject(
        self,
        method: str,
        path: str,
        kind: str,
        *,
        count: int = 1,
        status: int | None = None,
        delay_s: float | None = None,
        retry_after_s: int | None = None,
    ) -> None:
        """kind: "status" | "delay" | "drop_after_commit" | "drop_before_commit" | "html_after_commit" |
        "truncated_after_commit"; path like
        `/3/vouchers` or `/3/invoices/*/bookkeep` (`*` is one segment)."""
        body = {
            "method": method,
            "path": path,
            "kind": kind,
            "count": count,
            "status": status,
            "delay_s": delay_s,
            "retry_after_s": retry_after_s,
        }
        self._admin("POST", "faults", body)

    def clear_faults(self) -> None:
        self._admin("DELETE", "faults")

    def expire_access_tokens(self, tenant: str = "demo") -> None:
        self._admin("POST", "tokens/expire", {"tenant": tenant})

    def revoke_refresh_tokens(self, tenant: str = "demo", refresh_token: str | None = None) -> None:
        self._admin("POST", "tokens/revoke", {"tenant": tenant, "refresh_token": refresh_token})

    def counters(self) -> dict[str, Any]:
        result: dict[str, Any] = self._admin("GET", "counters")
        return result

    def reset_counters(self) -> None:
        """Also empties the rate limiter's windows, so a test starts with a full budget."""
        self._admin("DELETE", "counters")

    def configure_tenant(self, tenant: str = "demo", **settings: Any) -> dict[str, Any]:
        """warehouse, allow_negative_stock, invoice_rounding, vat_per_row, accounting_method, locked_until,
        remove_financial_year_for, accounts_active, series_manual, licensed_scopes, redirect_uris
        (docs/fortnox-api.md)."""
        result: dict[str, Any] = self._admin("PUT", f"tenants/{tenant}", settings)
        return result

    def advance_clock(self, seconds: float) -> None:
        self._admin("POST", "clock/advance", {"seconds": seconds})

    def close(self) -> None:
        self._http.close()


@contextlib.contextmanager
def running_sandbox(
    *,
    seed: str = "demo",
    test_mode: bool = True,
    auto_approve: bool = True,
    rate_limit: int = 25,
    rate_window_s: float = 5.0,
    rate_model: RateModel = "counter",
) -> Iterator[RunningSandbox]:
    options = Options(
        test_mode=test_mode,
        auto_approve=auto_approve,
        rate_limit=rate_limit,
        rate_window_s=rate_window_s,
        rate_model=rate_model,
    )
    state = build_state(seed, options)
    server = SandboxServer(state).start()
    integration = state.integration_of(primary_tenant(state, seed))
    handle = RunningSandbox(server.base_url, integration.client_id, integration.client_secret, state)
    try:
        yield handle
    finally:
        handle.close()
        server.stop()
