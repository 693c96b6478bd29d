"""A shop wired to the sandbox: the demo company file (real SQLite), a logged-in token store, the engine.

The sandbox and the engine get a generous rate limit here so the suite stays fast; the rate limit itself
is exercised by the client tests and the benchmarks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from fortnox_sandbox.tenant import Tenant
from fortnox_sandbox.testing import RunningSandbox, running_sandbox
from kassasync.clock import STOCKHOLM
from kassasync.config import FortnoxSettings, Settings
from kassasync.fortnox.tokens import FileTokenStore, TokenSet
from kassasync.fortnox.transport import ClientOptions
from kassasync.paths import AppPaths, app_paths
from kassasync.pos.demo import make_demo_company
from kassasync.pos.records import OutboxState
from kassasync.pos.store import PosStore, company_file
from kassasync.sync.bookkeeping import key_marker
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

    def engine(self, **options: Any) -> SyncEngine:
        options.setdefault("rate_limit", 10_000)
        options.setdefault("rate_window_s", 1.0)
        options.setdefault("reconcile_after_s", 0.0)
        options.setdefault("client_options", FAST)
        return SyncEngine(self.settings, self.paths, token_store=self.token_store, **options)

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


def make_shop(sandbox: RunningSandbox, home: Path, monkeypatch: pytest.MonkeyPatch, *, days: int = 2) -> Shop:
    monkeypatch.setenv("KASSASYNC_HOME", str(home))
    monkeypatch.setenv("KASSASYNC_CLIENT_ID", sandbox.client_id)
    monkeypatch.setenv("KASSASYNC_CLIENT_SECRET", sandbox.client_secret)
    monkeypatch.setenv("KASSASYNC_TOKEN_STORE", "file")
    paths = app_paths().ensure()
    company_dir = home / "butik"
    company_dir.mkdir(parents=True)
    make_demo_company(company_file(company_dir), days=days).close()
    tokens = FileTokenStore(paths.token_file)
    tokens.save(TokenSet.from_response(sandbox.issue_tokens(), datetime.now(tz=STOCKHOLM)))
    settings = Settings(
        company_path=company_dir,
        fortnox=FortnoxSettings(
            api_url=sandbox.api_url, auth_url=f"{sandbox.base_url}/oauth-v1", client_id=sandbox.client_id
        ),
    )
    return Shop(sandbox, paths, settings, tokens)


@pytest.fixture
def shop(fast_sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Shop:
    """The demo shop with two days of receipts (48), logged in to the demo tenant, nothing synced yet."""
    return make_shop(fast_sandbox, tmp_path / "home", monkeypatch)
