"""One adaptive Fortnox budget for every process of the agent on one PC (tray, a CLI sync, a login).

Each process has its own limiter object, but they all read and write one small state file in the
app's state folder, under a file lock: the send times of the last window and the adaptive rate
(``aimd``). So a CLI sync started while the tray syncs shares the tray's 24 per 5 s instead of adding
its own, and a rate lowered after a 429 in one process holds in the others.

Times in the file are wall-clock seconds (``time.time()``): monotonic clocks are per process. A clock
step (NTP, sleep) can at worst make one window look full or empty once; the rate itself is kept.
An unreadable file (a crash mid-write) starts over as a new budget would (``aimd.restart``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from filelock import FileLock

from kassasync.clock import Clock, SystemClock
from kassasync.fortnox import aimd
from kassasync.fortnox.aimd import AimdRules, BudgetState
from kassasync.fortnox.waits import pause

log = logging.getLogger(__name__)


class BudgetStore(Protocol):
    def transaction(self) -> contextlib.AbstractContextManager[BudgetState]:
        """The state, locked against every other user of the budget; changes are kept on exit."""
        ...


class MemoryBudget:
    """The budget of one process (tests, simulations, a client built without a state folder)."""

    def __init__(self, rules: AimdRules) -> None:
        self._lock = threading.Lock()
        self._state = BudgetState(rate=rules.full_rate)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[BudgetState]:
        with self._lock:
            yield self._state


class FileBudget:
    """The budget of one PC: a JSON file beside a lock file. The threading lock keeps this process's
    threads in line before they queue for the file lock (cheap, and fair among them).

    Every request passes here twice (its place, its answer), so a transaction must cost little next
    to a request: the file stays open between transactions (opening it twice per transaction cost
    about 1 ms each on a slow disk, several seconds per sync at the tests' fast limits), and a state
    that did not change is not written back."""

    def __init__(self, path: Path, rules: AimdRules) -> None:
        self.path = path
        self.rules = rules
        self._thread_lock = threading.Lock()
        self._file_lock = FileLock(str(path) + ".lock", is_singleton=False)
        self._fd: int | None = None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[BudgetState]:
        with self._thread_lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)  # a state folder removed meanwhile
            with self._file_lock:
                fd = self._open()
                raw = _read_all(fd)
                state = self._parse(raw)
                yield state
                text = json.dumps(state.to_json()).encode("utf-8")
                if text != raw:
                    _write_all(fd, text)

    def _open(self) -> int:
        """The state file's descriptor, opened again when the file was removed or replaced meanwhile."""
        if self._fd is not None:
            try:
                same = os.path.samestat(os.fstat(self._fd), os.stat(self.path))
            except OSError:
                same = False
            if same:
                return self._fd
            os.close(self._fd)
            self._fd = None
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        return self._fd

    def _parse(self, raw: bytes) -> BudgetState:
        if not raw:  # a new file
            return BudgetState(rate=self.rules.full_rate)
        try:
            data = json.loads(raw.decode("utf-8"))
        except ValueError as exc:
            log.warning("rate budget %s unreadable (%s); starting over as a new budget", self.path, exc)
            return BudgetState(rate=self.rules.full_rate)
        if not isinstance(data, dict):
            return BudgetState(rate=self.rules.full_rate)
        return BudgetState.from_json(data, self.rules)

    def close(self) -> None:
        with self._thread_lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks: list[bytes] = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    # In place, under the lock: every reader holds the lock too, and a torn file reads as "start over".
    os.lseek(fd, 0, os.SEEK_SET)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.ftruncate(fd, len(data))


@dataclass(frozen=True)
class Slot:
    """One request's place in the budget: when it went (the budget's clock) and how long it waited."""

    sent_at: float
    waited: float


class AdaptiveLimiter:
    """Paces requests at the budget's adaptive rate and adapts it from Fortnox's answers (``aimd``)."""

    def __init__(self, store: BudgetStore, rules: AimdRules, clock: Clock | None = None) -> None:
        self.store = store
        self.rules = rules
        self.clock = clock or SystemClock()
        self.limit = int(rules.full_rate)
        self.window_s = rules.window_s

    def _wall(self) -> float:
        return self.clock.now().timestamp()

    def reserve(self, cancel: threading.Event | None = None) -> Slot:
        """Block until a request may be sent and take its place; returns the place. The run's
        ``cancel`` cuts the wait short (``RequestCancelled``): the place is not taken."""
        waited = 0.0
        while True:
            with self.store.transaction() as state:
                now = self._wall()
                wait = aimd.wait_needed(state, self.rules, now)
                if wait <= 0:
                    return Slot(aimd.take_slot(state, self.rules, now, waited > 0), waited)
            pause(self.clock, wait, cancel, "a place in the rate budget")
            waited += wait

    def answered(self, slot: Slot, *, throttled: bool, hold_s: float = 0.0) -> None:
        """Fortnox answered the request of ``slot``: a 429 (``throttled``) or anything else."""
        with self.store.transaction() as state:
            now = self._wall()
            if not throttled:
                aimd.on_clean(state, self.rules, now)
            elif aimd.on_throttled(state, self.rules, now, slot.sent_at, hold_s):
                log.info(
                    "Fortnox rate limit (429): this PC's rate lowered to %.1f requests per %g s",
                    state.rate,
                    self.window_s,
                )

    @property
    def rate(self) -> float:
        """The current rate, requests per window (for logs, tests and the benchmark)."""
        with self.store.transaction() as state:
            return state.rate
