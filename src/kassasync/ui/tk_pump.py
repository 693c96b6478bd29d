"""The one way work reaches the Tk thread: a queue that any thread posts to and an ``after()`` poll that
runs it there (Tk is not thread-safe; the tray's owner thread, the controller's worker and the dialog's
Fortnox workers all hand their results over this way). The agent has one for its hidden root, the
settings dialog one for its window.

``in_background`` runs blocking work (a browser login, a Fortnox lookup) on a daemon thread and brings
its answer back through the pump, so no window freezes while Fortnox is slow; ``busy`` says that some
answer is still out or not yet handled (tests wait on it).
"""

from __future__ import annotations

import logging
import queue
import threading
import tkinter as tk
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from kassasync.errors import KassasyncError

log = logging.getLogger(__name__)

POLL_MS = 50
UNEXPECTED = "Något oväntat gick fel; se loggen."

T = TypeVar("T")


class TkPump:
    def __init__(self, name: str, interval_ms: int = POLL_MS) -> None:
        self.name = name
        self._interval_ms = interval_ms
        self._work: queue.Queue[tuple[Callable[[], object], bool]] = queue.Queue()
        self._owner: tk.Misc | None = None
        self._working = 0  # background tasks whose answer has not been handled yet

    def post(self, work: Callable[[], object]) -> None:
        """Run ``work`` on the Tk thread (from any thread)."""
        self._work.put((work, False))

    def start(self, owner: tk.Misc) -> None:
        """Poll from now on, for as long as ``owner`` (the window the work is for) exists."""
        self._owner = owner
        owner.after(self._interval_ms, self._poll)

    def _alive(self) -> bool:
        """Not started (a test drives ``run_pending`` by hand): no window to outlive."""
        if self._owner is None:
            return True
        try:
            return bool(self._owner.winfo_exists())
        except tk.TclError:  # the Tk interpreter itself is gone
            return False

    def run_pending(self) -> None:
        """Run what was posted; the work of a window that is gone is dropped (its answer is moot)."""
        while True:
            try:
                work, finished = self._work.get_nowait()
            except queue.Empty:
                return
            if finished:
                self._working -= 1
            if not self._alive():
                continue
            try:
                work()
            except Exception:  # the Tk thread's boundary: log it, keep pumping
                log.exception("%s: UI task failed", self.name)

    def _poll(self) -> None:
        self.run_pending()
        if self._owner is not None and self._alive():
            self._owner.after(self._interval_ms, self._poll)

    @property
    def busy(self) -> bool:
        return self._working > 0 or not self._work.empty()

    def in_background(
        self, work: Callable[[], T], done: Callable[[T], None], failed: Callable[[KassasyncError], None]
    ) -> None:
        """Run ``work`` on a worker thread; ``done`` or ``failed`` then runs on the Tk thread.

        A worker nobody waits for any more (OK gave up waiting, the window closed) is simply left to
        finish: it is a daemon thread, and its answer is dropped with the window."""
        self._working += 1

        def run() -> None:
            try:
                result = work()
            except KassasyncError as exc:
                log.warning("%s: %s", self.name, exc.detail)
                self._work.put((partial(failed, exc), True))
            except Exception as exc:  # a worker's boundary: say it, log it, never hang the window
                log.exception("%s: background task failed", self.name)
                self._work.put((partial(failed, KassasyncError(repr(exc), user_message=UNEXPECTED)), True))
            else:
                self._work.put((partial(done, result), True))

        threading.Thread(target=run, name=f"{self.name}-work".replace(" ", "-"), daemon=True).start()
