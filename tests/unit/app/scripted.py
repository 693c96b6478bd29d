"""A scripted sync runner: the controller's input at this boundary (it stands in for the engine).

Each run records its request, reports progress, then waits at a cancel point until the test releases it
or the controller cancels it, and returns the report the test scripted for it.
"""

from __future__ import annotations

import threading
from collections import deque

from kassasync.sync.events import EventSink, Outcome, StepCounts, StepProgress, SyncReport, SyncRequest
from kassasync.ui.notify import Notice

WAIT_S = 5.0  # upper bound for waits in tests; they normally end in milliseconds


class ScriptedRunner:
    def __init__(self, *outcomes: Outcome, hold: bool = False) -> None:
        self.outcomes = deque(outcomes)
        self.hold = hold
        self.requests: list[SyncRequest] = []
        self.started = threading.Semaphore(0)
        self.release = threading.Event()
        self.cancelled: list[bool] = []
        self.concurrent = 0
        self.max_concurrent = 0
        self._lock = threading.Lock()

    def __call__(self, request: SyncRequest, emit: EventSink, cancel: threading.Event) -> SyncReport:
        with self._lock:
            self.requests.append(request)
            self.concurrent += 1
            self.max_concurrent = max(self.max_concurrent, self.concurrent)
        try:
            self.started.release()
            emit(StepProgress("articles", "Hämtar artiklar", 1500, 20000))
            if self.hold:
                # the cancel point: a real engine checks `cancel` between items
                while not (self.release.wait(0.01) or cancel.is_set()):
                    pass
            self.cancelled.append(cancel.is_set())
            outcome = self.outcomes.popleft() if self.outcomes else Outcome.OK
            failed = 2 if outcome is Outcome.ATTENTION else 0
            return SyncReport(
                request=request, outcome=outcome, steps={"receipts": StepCounts(posted=5, failed=failed)}
            )
        finally:
            with self._lock:
                self.concurrent -= 1

    def wait_started(self) -> None:
        assert self.started.acquire(timeout=WAIT_S), "the runner was not started"


class RecordingNotifier:
    """The desktop's notification area is an OS facility; tests record what would have been shown."""

    def __init__(self) -> None:
        self.notices: list[Notice] = []

    def notify(self, notice: Notice) -> None:
        self.notices.append(notice)

    @property
    def messages(self) -> list[str]:
        return [n.message for n in self.notices]
