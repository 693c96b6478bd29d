"""One agent per user: a second start finds the lock held, says so and exits.

A lock file (not a PID file) so a crashed agent never blocks the next start: the OS drops the lock with
the process. The lock name is shared with the installer through ``constants``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from filelock import FileLock, Timeout

log = logging.getLogger(__name__)

ALREADY_RUNNING = "Kassasync körs redan. Du hittar den bland ikonerna i aktivitetsfältet."


class SingleInstance:
    def __init__(self, lock_path: Path) -> None:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(lock_path, is_singleton=False)

    def acquire(self) -> bool:
        """True when this process is the agent; False when another one already is."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            log.info("another agent holds %s", self._lock.lock_file)
            return False
        return True

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()
