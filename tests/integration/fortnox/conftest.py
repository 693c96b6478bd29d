"""Fixtures: a token store seeded from the sandbox, and a client on it (real HTTP over loopback)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fortnox_sandbox.testing import RunningSandbox
from kassasync.fortnox.auth import ClientCredentials, TokenManager
from kassasync.fortnox.client import FortnoxClient
from kassasync.fortnox.ratelimit import RateLimiter, SlidingWindowLimiter
from kassasync.fortnox.tokens import FileTokenStore, TokenSet
from kassasync.fortnox.transport import ClientOptions

FAST_RETRIES = ClientOptions(backoff_s=0.01, max_backoff_s=0.05, connect_timeout_s=2.0, read_timeout_s=5.0)


class RecordingStore(FileTokenStore):
    """The real file store, remembering every pair it saved (so tests can grep logs for them)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.saved: list[TokenSet] = []

    def save(self, tokens: TokenSet) -> None:
        super().save(tokens)
        self.saved.append(tokens)


@pytest.fixture
def credentials(sandbox: RunningSandbox) -> ClientCredentials:
    return ClientCredentials(sandbox.client_id, sandbox.client_secret)


@pytest.fixture
def store(tmp_path: Path, sandbox: RunningSandbox) -> RecordingStore:
    """Logged in already (tokens issued without the browser), as most tests are not about login."""
    from datetime import datetime

    from kassasync.clock import STOCKHOLM

    recording = RecordingStore(tmp_path / "state" / "tokens.json")
    recording.save(TokenSet.from_response(sandbox.issue_tokens(), datetime.now(tz=STOCKHOLM)))
    return recording


MakeClient = Callable[..., FortnoxClient]


@pytest.fixture
def make_client(
    sandbox: RunningSandbox, store: RecordingStore, credentials: ClientCredentials, tmp_path: Path
) -> Iterator[MakeClient]:
    clients: list[FortnoxClient] = []

    def make(
        *,
        api_url: str | None = None,
        limiter: RateLimiter | None = None,
        options: ClientOptions = FAST_RETRIES,
    ) -> FortnoxClient:
        tokens = TokenManager(store, credentials, sandbox.token_url, tmp_path / "state" / "tokens.lock")
        client = FortnoxClient(
            tokens,
            api_url=api_url or sandbox.api_url,
            limiter=limiter or SlidingWindowLimiter(24, 5.0),
            options=options,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: MakeClient) -> FortnoxClient:
    return make_client()
