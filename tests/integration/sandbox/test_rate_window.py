"""The sandbox's two readings of Fortnox's "sliding window" (fortnox_sandbox/ratelimit.py), on a
clock the test moves: the counter Fortnox's page once spelled out, and the exact window."""

from __future__ import annotations

import pytest

from fortnox_sandbox.ratelimit import RateLimiter, SlidingWindowCounter, rate_limiter

SHOP = ("client", "tenant")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def let_through(limiter: RateLimiter, count: int) -> int:
    """How many of ``count`` requests at this moment are let through."""
    return sum(limiter.allow(SHOP) for _ in range(count))


def test_the_counter_reproduces_fortnox_s_own_example() -> None:
    """ "Suppose you do 40 requests in the current minute, which started 15 seconds ago, and 260
    requests during the entire previous minute … rate = 260 × ((60 − 15)/60) + 40 = 235 requests. This
    would leave you 5 requests below the current limit" (240 a minute, the rule of 2022)."""
    clock = Clock()
    limiter = SlidingWindowCounter(limit=10_000, window_s=60.0, monotonic=clock)
    clock.now = 30.0
    assert let_through(limiter, 260) == 260  # the previous minute, with room to spare
    clock.now = 60.0 + 10.0
    assert let_through(limiter, 40) == 40  # the current one
    clock.now = 60.0 + 15.0
    assert limiter.estimate(SHOP) == pytest.approx(235.0)
    limiter.limit = 240
    assert let_through(limiter, 10) == 5


def test_the_counter_refuses_a_burst_right_after_a_full_window_that_the_exact_window_lets_through() -> None:
    """25 at the start of one 5 s window, the next 25 just after they left the last 5 s: the exact
    window has room for all of them, the counter still weighs the previous window at 96 %."""
    results = {}
    for model in ("counter", "log"):
        clock = Clock()
        limiter = rate_limiter(model, 25, 5.0, clock)
        clock.now = 0.0
        assert let_through(limiter, 25) == 25
        clock.now = 5.2
        results[model] = let_through(limiter, 25)
    assert results == {"counter": 1, "log": 25}


def test_both_let_a_paced_client_use_24_per_5_s() -> None:
    """One request every 5/24 s for a minute, from any starting phase: never refused, by either (the
    agent's limiter paces its requests, so it must not matter which one Fortnox runs)."""
    for model in ("counter", "log"):
        for phase in (0.0, 0.07, 0.13, 0.2):
            clock = Clock()
            limiter = rate_limiter(model, 25, 5.0, clock)
            refused = 0
            for n in range(12 * 24):
                clock.now = phase + n * 5.0 / 24
                refused += not limiter.allow(SHOP)
            assert refused == 0, (model, phase)


def test_only_accepted_requests_count_so_waiting_heals_a_ban() -> None:
    for model in ("counter", "log"):
        clock = Clock()
        limiter = rate_limiter(model, 25, 5.0, clock)
        assert let_through(limiter, 100) == 25
        clock.now = 10.0  # two windows later, whatever was refused meanwhile
        assert let_through(limiter, 25) == 25, model


def test_the_models_are_named() -> None:
    with pytest.raises(ValueError, match="counter, log"):
        rate_limiter("bucket", 25, 5.0)  # type: ignore[arg-type]
