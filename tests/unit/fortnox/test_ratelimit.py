"""The client-side limiter: never more than N requests in any window, and waiting instead of spinning."""

from __future__ import annotations

import threading

from kassasync.clock import FakeClock
from kassasync.fortnox.ratelimit import SlidingWindowLimiter, shared_limiter


class CountingClock(FakeClock):
    def __init__(self) -> None:
        super().__init__()
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        super().sleep(seconds)


def test_no_window_ever_holds_more_than_the_limit() -> None:
    clock = CountingClock()
    limiter = SlidingWindowLimiter(24, 5.0, clock)
    sent = []
    for _ in range(100):
        limiter.acquire()
        sent.append(clock.monotonic())
    for i, start in enumerate(sent):
        assert sum(1 for t in sent[i:] if t < start + 5.0) <= 24


def test_the_limit_is_used_fully_a_burst_then_one_wait_per_window() -> None:
    clock = CountingClock()
    limiter = SlidingWindowLimiter(24, 5.0, clock)
    for _ in range(48):
        limiter.acquire()
    assert clock.sleeps == [5.0]
    assert clock.monotonic() == 1005.0


def test_a_hold_after_a_429_makes_the_next_request_wait_without_spinning() -> None:
    clock = CountingClock()
    limiter = SlidingWindowLimiter(24, 5.0, clock)
    limiter.acquire()
    limiter.hold(2.0)
    waited = limiter.acquire()
    assert waited == 2.0
    assert clock.sleeps == [2.0]


def test_threads_share_one_budget() -> None:
    clock = CountingClock()
    limiter = SlidingWindowLimiter(10, 5.0, clock)
    stamps: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(10):
            limiter.acquire()
            with lock:
                stamps.append(clock.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(stamps) == 40
    for start in stamps:
        assert sum(1 for t in stamps if start <= t < start + 5.0) <= 10


def test_the_shared_limiter_is_one_per_api_and_client() -> None:
    first = shared_limiter("http://x/3", "client-a")
    assert shared_limiter("http://x/3/", "client-a") is first
    assert shared_limiter("http://x/3", "client-b") is not first
