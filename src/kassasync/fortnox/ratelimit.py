"""A client-side sliding window, so we stay under Fortnox's limit instead of discovering it by 429s.

Fortnox allows 25 requests in any 5 s per client id and company and replies 429 beyond that (REFERENCE
§3); peers that ran at exactly the limit still met 429s, so the default is 24. One limiter per
(API, client id) is shared by every thread of the process (``shared_limiter``). A 429 still happens when
another register of the same shop uses the budget: then ``hold`` makes every thread wait, not spin.
Time comes from a ``Clock`` so the tests run without sleeping.
"""

from __future__ import annotations

import threading
from collections import deque

from kassasync.clock import Clock, SystemClock

DEFAULT_LIMIT = 24
DEFAULT_WINDOW_S = 5.0


class SlidingWindowLimiter:
    def __init__(
        self, limit: int = DEFAULT_LIMIT, window_s: float = DEFAULT_WINDOW_S, clock: Clock | None = None
    ) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("a rate limit needs at least one request per positive window")
        self.limit = limit
        self.window_s = window_s
        self.clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._sent: deque[float] = deque()
        self._held_until = 0.0

    def _wait_needed(self, now: float) -> float:
        """Seconds until a request may go (0: now). Caller holds the lock."""
        while self._sent and self._sent[0] <= now - self.window_s:
            self._sent.popleft()
        wait = max(self._held_until - now, 0.0)
        if len(self._sent) >= self.limit:
            wait = max(wait, self._sent[len(self._sent) - self.limit] + self.window_s - now)
        return wait

    def acquire(self) -> float:
        """Block until a request may be sent and record it; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock.monotonic()
                wait = self._wait_needed(now)
                if wait <= 0:
                    self._sent.append(now)
                    return waited
            self.clock.sleep(wait)
            waited += wait

    def hold(self, seconds: float) -> None:
        """Nobody sends for ``seconds`` (after a 429: the server's window is full)."""
        with self._lock:
            self._held_until = max(self._held_until, self.clock.monotonic() + seconds)


_shared_lock = threading.Lock()
_shared: dict[tuple[str, str], SlidingWindowLimiter] = {}


def shared_limiter(
    api_url: str,
    client_id: str,
    *,
    limit: int = DEFAULT_LIMIT,
    window_s: float = DEFAULT_WINDOW_S,
    clock: Clock | None = None,
) -> SlidingWindowLimiter:
    """The process-wide limiter for one Fortnox budget; created on first use with these settings."""
    key = (api_url.rstrip("/"), client_id)
    with _shared_lock:
        limiter = _shared.get(key)
        if limiter is None:
            limiter = _shared[key] = SlidingWindowLimiter(limit, window_s, clock)
        return limiter
