"""Fixtures for the sandbox's own tests: plain `requests` over loopback, nothing of kassasync."""

from __future__ import annotations

import pytest

from fortnox_sandbox.testing import ApiSession, RunningSandbox


@pytest.fixture
def api(sandbox: RunningSandbox) -> ApiSession:
    """The demo tenant with every scope; the rate limit is off so a test may make many calls."""
    sandbox.state.limiter.limit = 0
    return sandbox.api()


@pytest.fixture
def today(sandbox: RunningSandbox) -> str:
    """Today in Europe/Stockholm as the sandbox sees it."""
    return sandbox.state.clock.today().isoformat()
