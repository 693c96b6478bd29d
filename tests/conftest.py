"""Root fixtures shared by every area's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fortnox_sandbox.testing import RunningSandbox, running_sandbox


@pytest.fixture
def sandbox() -> Iterator[RunningSandbox]:
    """A fresh local Fortnox per test: demo tenant (+ `other`), test mode, rate limit 25 per 5 s."""
    with running_sandbox(
        seed="demo", test_mode=True, auto_approve=True, rate_limit=25, rate_window_s=5.0
    ) as sb:
        yield sb
