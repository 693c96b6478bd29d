"""One agent per user: a second start finds the lock held, says so and exits.

A lock file (not a PID file) so a crashed agent never blocks the next start: the OS drops the lock with
the process. On Windows the agent also holds a named mutex (``constants.MUTEX_NAME``): that is what the
installer checks to see whether an agent is running before it replaces or removes the program files.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from filelock import FileLock, Timeout

from kassasync.platform.constants import MUTEX_NAME

log = logging.getLogger(__name__)

ALREADY_RUNNING = "Kassasync körs redan. Du hittar den bland ikonerna i aktivitetsfältet."


class SingleInstance:
    def __init__(self, lock_path: Path) -> None:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(lock_path, is_singleton=False)
        self._mutex: int | None = None

    def acquire(self) -> bool:
        """True when this process is the agent; False when another one already is."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            log.info("another agent holds %s", self._lock.lock_file)
            return False
        self._mutex = _create_mutex(MUTEX_NAME)
        return True

    def release(self) -> None:
        if self._mutex is not None:
            _close_mutex(self._mutex)
            self._mutex = None
        if self._lock.is_locked:
            self._lock.release()

    def is_held_elsewhere(self) -> bool:
        """Whether an agent runs now (this process not holding the lock): try it and let go at once."""
        if self._lock.is_locked:
            return False
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return True
        self._lock.release()
        return False


def _create_mutex(name: str) -> int | None:
    """The installer's "is Kassasync running?" mark; the OS closes it with the process."""
    if sys.platform != "win32":
        return None
    import ctypes

    handle = ctypes.windll.kernel32.CreateMutexW(None, False, name)
    if not handle:
        log.warning("could not create the mutex %s (error %d)", name, ctypes.GetLastError())
        return None
    return int(handle)


def _close_mutex(handle: int) -> None:
    if sys.platform == "win32":
        import ctypes

        ctypes.windll.kernel32.CloseHandle(handle)
