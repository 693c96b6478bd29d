"""Client-side rate limiters, so we stay under Fortnox's limit instead of discovering it by 429s.

Fortnox allows 25 requests per sliding window of 5 s per client id and company and replies 429
beyond that (REFERENCE §3); peers that ran at exactly the limit still met 429s, so the full rate is
24. Whether that window is exact or the sliding window counter Fortnox once described
(fortnox_sandbox/ratelimit.py) is not known; pacing holds up under both. Two limiters share one
interface (``RateLimiter``):

- ``SlidingWindowLimiter``: a window of 24 without pacing, for one process (the tests' fast limiters,
  and the benchmarks' "today" baseline, as the SDKs run it). A 429 makes every thread ``hold``, not
  spin.
- ``shared_budget.AdaptiveLimiter``: what the agent uses. Several registers of one company share the
  25, each on its own PC; it lowers its rate on a 429 and probes back up (``aimd``), and all processes
  of one PC share it through a state file.

One limiter per (API, client id) is shared by every thread of the process (``shared_limiter``).
Time comes from a ``Clock`` so the tests run without sleeping.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from pathlib import Path
from typing import Protocol

from kassasync.clock import Clock, SystemClock
from kassasync.fortnox.aimd import AimdRules
from kassasync.fortnox.shared_budget import AdaptiveLimiter, FileBudget, MemoryBudget, Slot
from kassasync.fortnox.waits import pause

DEFAULT_LIMIT = 24
DEFAULT_WINDOW_S = 5.0


class RateLimiter(Protocol):
    """What the transport needs: a place per request, and to hear how Fortnox answered it."""

    limit: int
    window_s: float

    def reserve(self, cancel: threading.Event | None = None) -> Slot:
        """Block until a request may go (``cancel`` cuts the wait short: ``RequestCancelled``)."""
        ...

    def answered(self, slot: Slot, *, throttled: bool, hold_s: float = 0.0) -> None: ...


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

    def acquire(self, cancel: threading.Event | None = None) -> float:
        """Block until a request may be sent and record it; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock.monotonic()
                wait = self._wait_needed(now)
                if wait <= 0:
                    self._sent.append(now)
                    return waited
            pause(self.clock, wait, cancel, "a place in the rate window")
            waited += wait

    def hold(self, seconds: float) -> None:
        """Nobody sends for ``seconds`` (after a 429: the server's window is full)."""
        with self._lock:
            self._held_until = max(self._held_until, self.clock.monotonic() + seconds)

    def reserve(self, cancel: threading.Event | None = None) -> Slot:
        waited = self.acquire(cancel)
        return Slot(self.clock.monotonic(), waited)

    def answered(self, slot: Slot, *, throttled: bool, hold_s: float = 0.0) -> None:
        """A fixed window does not adapt: a 429 only holds everyone off."""
        if throttled:
            self.hold(hold_s)


_shared_lock = threading.Lock()
_shared: dict[tuple[str, str], RateLimiter] = {}


def budget_file(state_dir: Path, api_url: str, client_id: str) -> Path:
    """The PC-wide state file of one Fortnox budget (one per API and client id)."""
    digest = hashlib.sha256(f"{api_url.rstrip('/')}|{client_id}".encode()).hexdigest()[:12]
    return state_dir / f"fortnox-rate-{digest}.json"


def shared_limiter(
    api_url: str,
    client_id: str,
    *,
    limit: int = DEFAULT_LIMIT,
    window_s: float = DEFAULT_WINDOW_S,
    clock: Clock | None = None,
    state_dir: Path | None = None,
) -> RateLimiter:
    """The process-wide limiter for one Fortnox budget; created on first use with these settings.

    With ``state_dir`` it is the adaptive limiter shared by every process of the PC (the agent's
    own); without, adaptive within this process only."""
    key = (api_url.rstrip("/"), client_id)
    with _shared_lock:
        limiter = _shared.get(key)
        if limiter is None:
            rules = AimdRules(window_s=window_s, full_rate=float(limit))
            store = (
                MemoryBudget(rules)
                if state_dir is None
                else FileBudget(budget_file(state_dir, api_url, client_id), rules)
            )
            limiter = _shared[key] = AdaptiveLimiter(store, rules, clock)
        return limiter
