"""The sandbox's own clock: wall time in Europe/Stockholm plus an offset tests can move.

Token lifetimes (10 min, 1 h, 45 days) and `lastmodified` are tested by advancing this clock instead
of sleeping. (The sandbox may not import kassasync.clock: the packages are independent.)
"""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class SandboxClock:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta()

    def now(self) -> datetime:
        """Aware, Europe/Stockholm (Fortnox interprets `lastmodified` in Swedish time, REFERENCE §4.6)."""
        with self._lock:
            return datetime.now(tz=STOCKHOLM) + self._offset

    def local_naive(self) -> datetime:
        return self.now().replace(tzinfo=None, microsecond=0)

    def today(self) -> date:
        return self.now().date()

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += timedelta(seconds=seconds)
