"""Time, injected, so rate limiters, schedulers and token expiry are tested without sleeping.

Business dates (a receipt's day, a financial year) are in Europe/Stockholm whatever the PC's zone is.
"""

from __future__ import annotations

import threading
import time
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def now(self) -> datetime:
        """An aware datetime."""
        ...

    def sleep(self, seconds: float) -> None: ...

    def wait(self, event: threading.Event, seconds: float) -> bool:
        """Sleep, cut short when ``event`` is set (a run's cancel); True when it is set."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(tz=STOCKHOLM)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def wait(self, event: threading.Event, seconds: float) -> bool:
        return event.wait(max(seconds, 0.0))


class FakeClock:
    """A clock that moves only when slept on or advanced; thread-safe."""

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._mono = 1000.0
        self._now = start or datetime(2026, 11, 28, 12, 0, tzinfo=STOCKHOLM)

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def wait(self, event: threading.Event, seconds: float) -> bool:
        """Set already: no time passes; else the whole wait passes at once (nobody sets it meanwhile)."""
        if not event.is_set():
            self.sleep(seconds)
        return event.is_set()

    def advance(self, seconds: float) -> None:
        from datetime import timedelta

        with self._lock:
            self._mono += max(seconds, 0.0)
            self._now += timedelta(seconds=max(seconds, 0.0))


def business_date(moment: datetime) -> date:
    """The Swedish calendar date of an aware moment (what a receipt's day and a voucher's date are)."""
    return moment.astimezone(STOCKHOLM).date()
