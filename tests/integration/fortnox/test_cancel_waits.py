"""A run's cancel (quit, SIGTERM) cuts every wait of the client short: a place in the rate budget, a
429's hold, a retry's back-off. The agent has 1.5 s to stop; a window is 5 s and a hold can be longer."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from fortnox_sandbox.testing import RunningSandbox
from kassasync.fortnox.aimd import AimdRules
from kassasync.fortnox.client import FortnoxClient
from kassasync.fortnox.errors import RequestCancelled
from kassasync.fortnox.ratelimit import SlidingWindowLimiter
from kassasync.fortnox.shared_budget import AdaptiveLimiter, FileBudget

from .conftest import FAST_RETRIES, MakeClient

CANCEL_AFTER_S = 0.3
PROMPT_S = 0.3  # "a fraction of a second" after the cancel, on a loaded machine


def cancelled_after(client: FortnoxClient, call: Callable[[], object]) -> tuple[BaseException, float]:
    """Run ``call`` on a worker thread, set the run's cancel after a moment; what it raised and how
    long after the cancel it ended."""
    cancel = threading.Event()
    client.cancel = cancel
    raised: list[BaseException] = []

    def work() -> None:
        try:
            call()
        except BaseException as exc:  # the test reads what ended the call
            raised.append(exc)

    worker = threading.Thread(target=work, name="sync")
    worker.start()
    time.sleep(CANCEL_AFTER_S)
    assert worker.is_alive(), "the call ended before the cancel: it did not wait"
    cancelled_at = time.monotonic()
    cancel.set()
    worker.join(10.0)
    ended = time.monotonic() - cancelled_at
    assert not worker.is_alive() and raised, "the call did not end"
    return raised[0], ended


def test_a_request_waiting_for_its_place_in_the_shared_budget_stops_at_the_cancel(
    make_client: MakeClient, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    rules = AimdRules(window_s=30.0, full_rate=1.0)  # one request per 30 s: the second one waits
    client = make_client(limiter=AdaptiveLimiter(FileBudget(tmp_path / "budget.json", rules), rules))
    client.company_information()
    sandbox.reset_counters()

    raised, ended = cancelled_after(client, client.company_information)

    assert isinstance(raised, RequestCancelled)
    assert "avbröts" in raised.user_message
    assert ended < PROMPT_S
    assert sandbox.counters()["requests"] == {}  # it was never sent


def test_a_request_held_off_after_a_429_stops_at_the_cancel(
    make_client: MakeClient, sandbox: RunningSandbox
) -> None:
    client = make_client(limiter=SlidingWindowLimiter(24, 30.0))  # a hold of up to a whole window: 30 s
    sandbox.inject("GET", "/3/companyinformation", "status", status=429, count=20)

    raised, ended = cancelled_after(client, client.company_information)

    assert isinstance(raised, RequestCancelled)
    assert ended < PROMPT_S


def test_a_retry_backing_off_after_a_server_error_stops_at_the_cancel(
    make_client: MakeClient, sandbox: RunningSandbox
) -> None:
    patient = replace(FAST_RETRIES, backoff_s=30.0, max_backoff_s=30.0)
    client = make_client(options=patient)
    sandbox.inject("GET", "/3/companyinformation", "status", status=503, count=1)

    raised, ended = cancelled_after(client, client.company_information)

    assert isinstance(raised, RequestCancelled)
    assert ended < PROMPT_S


def test_without_a_cancel_the_wait_is_kept(make_client: MakeClient, tmp_path: Path) -> None:
    rules = AimdRules(window_s=0.6, full_rate=1.0)
    client = make_client(limiter=AdaptiveLimiter(FileBudget(tmp_path / "budget.json", rules), rules))
    started = time.monotonic()
    client.company_information()
    client.company_information()
    assert time.monotonic() - started == pytest.approx(0.6, abs=0.3)
