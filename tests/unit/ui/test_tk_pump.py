"""The one Tk pump: work from any thread runs where the pump is drained (the Tk thread), and blocking work
comes back as its answer or as a Swedish error, never as a hung window. Driven by hand, without a display
(``run_pending`` is what the ``after()`` poll calls)."""

from __future__ import annotations

import threading
import time

from kassasync.errors import ConfigError, KassasyncError
from kassasync.ui.tk_pump import UNEXPECTED, TkPump


def drain_until_idle(pump: TkPump, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while pump.busy:
        assert time.monotonic() < deadline, "the background work did not come back"
        pump.run_pending()
        time.sleep(0.01)


def test_posted_work_runs_on_the_thread_that_drains_in_order() -> None:
    pump = TkPump("test")
    ran: list[tuple[int, str]] = []
    poster = threading.Thread(
        target=lambda: [
            pump.post(lambda n=n: ran.append((n, threading.current_thread().name))) for n in range(3)
        ]
    )
    poster.start()
    poster.join()
    assert ran == [] and pump.busy  # nothing runs on the posting thread

    pump.run_pending()

    assert ran == [(n, threading.current_thread().name) for n in range(3)]
    assert not pump.busy


def test_a_failing_task_is_logged_and_the_next_one_still_runs() -> None:
    pump = TkPump("test")
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("a bug in one callback")

    pump.post(broken)
    pump.post(lambda: ran.append("next"))
    pump.run_pending()

    assert ran == ["next"]


def test_background_work_comes_back_as_its_answer_on_the_draining_thread() -> None:
    pump = TkPump("test")
    answers: list[tuple[int, str]] = []
    release = threading.Event()

    def slow() -> int:
        assert release.wait(5)
        return 42

    pump.in_background(slow, lambda n: answers.append((n, threading.current_thread().name)), lambda e: None)
    assert pump.busy  # out asking: tests and OK wait on this
    release.set()
    drain_until_idle(pump)

    assert answers == [(42, threading.current_thread().name)]


def test_background_errors_come_back_typed_and_an_unexpected_one_in_swedish() -> None:
    pump = TkPump("test")
    failures: list[KassasyncError] = []

    def refused() -> None:
        raise ConfigError("no keyring", user_message="Inloggningen kunde inte läsas.")

    def bug() -> None:
        raise ZeroDivisionError("division by zero")

    pump.in_background(refused, lambda _none: None, failures.append)
    pump.in_background(bug, lambda _none: None, failures.append)
    drain_until_idle(pump)

    messages = sorted(failure.user_message for failure in failures)
    assert messages == sorted(["Inloggningen kunde inte läsas.", UNEXPECTED])
    assert any("ZeroDivisionError" in failure.detail for failure in failures)
