"""Fortnox's rate limit: at most N requests in any sliding window of S seconds, per client id and
tenant (REFERENCE §3: "300 requests per minute per client-id and tenant … a sliding window … with a
period of 5 seconds, so the actual limit is 25 requests per 5 seconds").

The key is (client id, tenant), never the token: every login of the same integration to the same
company (one per register of a chain) draws on one window, as Fortnox counts it.

Only accepted requests enter the window; rejected ones are answered 429 and do not extend the ban
(the docs do not say otherwise, and a client that backs off then recovers after the window).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class SlidingWindowLimiter:
    def __init__(self, limit: int, window_s: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window_s = window_s
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._hits: dict[tuple[str, str], deque[float]] = {}

    def allow(self, key: tuple[str, str]) -> bool:
        """Record the request and say whether it is within the limit (limit 0: off)."""
        if self.limit <= 0:
            return True
        now = self._monotonic()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
