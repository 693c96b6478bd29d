"""Receipts keep being posted while a long pull runs.

A first pull of a big catalogue reads one article detail per article: 100 000 articles are nearly six
hours at Fortnox's rate limit. The run holds the sync lock all that time, so the schedule's own syncs
cannot start; the run itself posts what the register sold since its last push, once per schedule
interval, between two catalogue requests (the store is not inside a transaction there).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kassasync.config import Schedule

DEFAULT_PUSH_EVERY_S = 15 * 60.0  # a daily or manual schedule still posts during an hours-long pull


def push_every_s(schedule: Schedule) -> float:
    """How often a long pull stops to post receipts: the schedule's interval, when it has one."""
    if schedule.kind == "interval":
        return schedule.every_minutes * 60.0
    return DEFAULT_PUSH_EVERY_S


class Every:
    """Calls ``action`` when at least ``seconds`` passed since it was made or last ran; else nothing.

    Cheap enough to call before every request of the pull: one clock read."""

    def __init__(
        self, seconds: float, action: Callable[[], None], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds, self.action, self.clock = seconds, action, clock
        self.last = clock()
        self.runs = 0

    def __call__(self) -> None:
        if self.clock() - self.last < self.seconds:
            return
        self.runs += 1
        try:
            self.action()
        finally:
            self.last = self.clock()  # the interval counts from the end of a push, not its start


def never() -> None:
    """The pull's hook when nothing is to be done between its requests."""
