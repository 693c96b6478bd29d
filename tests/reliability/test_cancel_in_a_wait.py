"""Quitting during a sync that waits for Fortnox's rate budget: the run ends within a fraction of a
second, says it was cancelled, and the next run posts every receipt once."""

from __future__ import annotations

import threading
import time

from kassasync.sync.events import Outcome, SyncReport, SyncRequest

from .conftest import Shop, assert_each_voucher_once, settle


def test_a_run_cancelled_while_waiting_on_the_rate_limit_ends_at_once_and_the_next_posts_all(
    shop: Shop,
) -> None:
    # The company check meets a 429 asking for 5 s: the limiter holds every request of the PC that long.
    shop.sandbox.inject("GET", "/3/companyinformation", "status", status=429, retry_after_s=5)
    slow = shop.engine()
    cancel = threading.Event()
    reports: list[SyncReport] = []
    worker = threading.Thread(
        target=lambda: reports.append(slow.run(SyncRequest(trigger="schedule"), cancel=cancel)), name="sync"
    )
    worker.start()
    time.sleep(0.5)
    assert worker.is_alive()  # waiting for a place
    cancelled_at = time.monotonic()
    cancel.set()
    worker.join(10.0)
    assert not worker.is_alive()
    assert time.monotonic() - cancelled_at < 0.5
    (report,) = reports
    assert report.outcome is Outcome.ERROR
    assert "Synkroniseringen avbröts" in report.errors[-1].user_message
    assert shop.sandbox.counters()["requests"] == {"GET /3/companyinformation": 1}  # nothing after it

    settle(shop)

    assert_each_voucher_once(shop)
