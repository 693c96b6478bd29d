"""Every wait of the client (a place in the rate budget, a 429's hold, a retry's back-off) is cut short
by the run's cancel.

Quitting the agent (the menu's "Avsluta", SIGTERM at logoff) gives a running sync 1.5 s to stop. A
request waiting for its place can wait a whole window (5 s) or longer after a 429, and a back-off up
to ``max_backoff_s``: a plain sleep there kept the agent alive past its quit. The wait happens before
the request is sent, so stopping there is as safe as stopping between two items.
"""

from __future__ import annotations

import threading

from kassasync.clock import Clock
from kassasync.fortnox.errors import RequestCancelled


def pause(clock: Clock, seconds: float, cancel: threading.Event | None, what: str) -> None:
    """Wait ``seconds`` on the clock; raise ``RequestCancelled`` as soon as ``cancel`` is set."""
    if cancel is None:
        clock.sleep(seconds)
    elif clock.wait(cancel, seconds):
        raise RequestCancelled(f"cancelled while waiting for {what}")


def check(cancel: threading.Event | None, what: str) -> None:
    """A cancel already set stops the request before it waits at all."""
    if cancel is not None and cancel.is_set():
        raise RequestCancelled(f"cancelled before {what}")
