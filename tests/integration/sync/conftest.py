"""A shop wired to the sandbox: the demo company file (real SQLite), a logged-in token store, the engine.

The shop logs in through the OAuth flow (authorize → loopback callback → token) with the agent's own
scope list for its mode, as a shop does: a token minted with every scope would test the client, not
the engine.

The sandbox and the engine get a generous rate limit here so the suite stays fast; the rate limit itself
is exercised by the client tests and the benchmarks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from fortnox_sandbox.tenant import Tenant
from fortnox_sandbox.testing import RunningSandbox, running_sandbox
from kassasync.config import FortnoxSettings, Settings
from kassasync.environment import read_environment
from kassasync.fortnox.auth import ClientCredentials, OAuthEndpoints, login, login_scopes
from kassasync.fortnox.tokens import FileTokenStore, TokenSet
from kassasync.fortnox.transport import ClientOptions
from kassasync.paths import AppPaths, app_paths
from kassasync.pos.demo import make_demo_company
from kassasync.pos.records import OutboxState
from kassasync.pos.store import PosStore, company_file
from kassasync.sync.bookkeeping import key_marker
from kassasync.sync.collaborators import engine_for
from kassasync.sync.engine import SyncEngine
from kassasync.sync.events import EventSink, SyncReport, SyncRequest

FAST = ClientOptions(backoff_s=0.01, max_backoff_s=0.05, connect_timeout_s=2.0, read_timeout_s=2.0)


@dataclass
class Shop:
    sandbox: RunningSandbox
    paths: AppPaths
    settings: Settings
    token_store: FileTokenStore
    events: list[Any] = field(default_factory=list)

    @property
    def company(self) -> Path:
        assert self.settings.company_path is not None
        return company_file(self.settings.company_path)

    def configure(self, **changes: Any) -> None:
        self.settings = self.settings.model_copy(update=changes)

    def login(self) -> TokenSet:
        """The browser login, as "Logga in" runs it, with the scopes the current settings need."""
        return oauth_login(self.sandbox, self.token_store, stock_module=self.settings.stock_module)

    def engine(self, **options: Any) -> SyncEngine:
        options.setdefault("rate_limit", 10_000)
        options.setdefault("rate_window_s", 1.0)
        options.setdefault("reconcile_after_s", 0.0)
        options.setdefault("client_options", FAST)
        return engine_for(
            self.settings, self.paths, read_environment(), token_store=self.token_store, **options
        )

    def sync(
        self, emit: EventSink | None = None, engine: SyncEngine | None = None, **request: Any
    ) -> SyncReport:
        request.setdefault("trigger", "cli")
        return (engine or self.engine()).run(SyncRequest(**request), emit=emit or self.events.append)

    def store(self) -> PosStore:
        return PosStore.open(self.company)

    def receipt_keys(self) -> list[str]:
        with self.store() as store:
            return [entry.receipt for entry in store.outbox_entries()]

    def states(self) -> dict[OutboxState, int]:
        """Receipts per outbox state, states with none left out."""
        with self.store() as store:
            return {state: n for state, n in store.state_counts().items() if n}

    def tenant(self) -> Tenant:
        return self.sandbox.state.tenant("demo")

    def vouchers_with(self, marker: str) -> int:
        """How many vouchers Fortnox holds whose text carries ``marker``: the exactly-once count."""
        texts = self.sandbox.counters()["vouchers_by_description"]
        return sum(count for text, count in texts.items() if marker in text)

    def vouchers_of(self, key: str) -> int:
        return self.vouchers_with(key_marker(key))

    def invoices_of(self, key: str) -> int:
        return int(self.sandbox.counters()["invoices_by_reference"].get(key, 0))

    def requests(self) -> dict[str, int]:
        return dict(self.sandbox.counters()["requests"])


@pytest.fixture
def fast_sandbox() -> Iterator[RunningSandbox]:
    with running_sandbox(
        seed="demo", test_mode=True, auto_approve=True, rate_limit=10_000, rate_window_s=1.0
    ) as sandbox:
        yield sandbox


def follow_in_browser(url: str) -> bool:
    """The user's browser: the sandbox approves at once and redirects to Kassasync's loopback listener."""
    return requests.get(url, timeout=10).status_code == 200


def oauth_login(sandbox: RunningSandbox, store: FileTokenStore, *, stock_module: bool) -> TokenSet:
    """Kassasync's own login (any free loopback port: parallel test runs must not collide)."""
    return login(
        ClientCredentials(sandbox.client_id, sandbox.client_secret),
        OAuthEndpoints.under(f"{sandbox.base_url}/oauth-v1"),
        store,
        redirect_port=0,
        browser_opener=follow_in_browser,
        scopes=login_scopes(stock_module),
        timeout_s=10,
    )


def make_shop(sandbox: RunningSandbox, home: Path, monkeypatch: pytest.MonkeyPatch, *, days: int = 2) -> Shop:
    monkeypatch.setenv("KASSASYNC_HOME", str(home))
    monkeypatch.setenv("KASSASYNC_CLIENT_ID", sandbox.client_id)
    monkeypatch.setenv("KASSASYNC_CLIENT_SECRET", sandbox.client_secret)
    monkeypatch.setenv("KASSASYNC_TOKEN_STORE", "file")
    paths = app_paths(read_environment().home).ensure()
    company_dir = home / "butik"
    company_dir.mkdir(parents=True)
    make_demo_company(company_file(company_dir), days=days).close()
    tokens = FileTokenStore(paths.token_file)
    oauth_login(sandbox, tokens, stock_module=False)
    sandbox.reset_counters()  # the login's requests are not the sync's
    settings = Settings(
        company_path=company_dir,
        fortnox=FortnoxSettings(
            api_url=sandbox.api_url,
            auth_url=f"{sandbox.base_url}/oauth-v1",
            client_id=sandbox.client_id,
            redirect_port=0,  # any free port: parallel test runs must not collide
        ),
    )
    return Shop(sandbox, paths, settings, tokens)


@pytest.fixture
def shop(fast_sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Shop:
    """The demo shop with two days of receipts (48), logged in to the demo tenant, nothing synced yet."""
    return make_shop(fast_sandbox, tmp_path / "home", monkeypatch)
