"""A sync killed (SIGKILL) at random points while it posts, then run again: every receipt ends up in
Fortnox exactly once and none is lost. The kill can land anywhere: mid-request, between Fortnox
committing and the register recording it, inside a SQLite write.

``KASSASYNC_KILL_TRIALS`` sets the number of kills (10 in the test run; the benchmark runs 100).
"""

from __future__ import annotations

import os
import queue
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from fortnox_sandbox.testing import RunningSandbox
from kassasync.config import ReceiptsAs, save_settings
from kassasync.pos.records import OutboxState

from .conftest import (
    Shop,
    assert_each_invoice_once_and_paid,
    assert_each_voucher_once,
    fast_sandbox,
    make_shop,
    settle,
)

__all__ = ["fast_sandbox"]

CHILD = Path(__file__).with_name("sync_child.py")
TRIALS = int(os.environ.get("KASSASYNC_KILL_TRIALS", "10"))


@pytest.fixture
def big_shop(fast_sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Shop:
    """A day of receipts (24) per kill, at least eight days: the kills do not run out of work."""
    return make_shop(fast_sandbox, tmp_path / "home", monkeypatch, days=max(8, TRIALS))


IN_FLIGHT = {OutboxState.SENDING, OutboxState.POSTED, OutboxState.BOOKED}


def kill_at_random(shop: Shop, trials: int, rng: random.Random) -> list[set[OutboxState]]:
    """Start a sync in a child process, let it post a little, kill it hard; ``trials`` times.
    Returns, per kill that landed while the child was posting, the in-flight states it left behind
    (a receipt sent without an answer recorded, an invoice not yet bookkept or paid).

    ``Popen.kill()`` is SIGKILL on POSIX and TerminateProcess on Windows: no clean-up either way."""
    save_settings(shop.settings, shop.paths.settings_file)
    left_behind: list[set[OutboxState]] = []
    for _ in range(trials):
        child = subprocess.Popen(
            [sys.executable, str(CHILD)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        lines = read_lines(child)
        try:
            if lines.get(timeout=30.0) == "pushing":
                try:
                    lines.get(timeout=rng.uniform(0.0, 0.6))  # the run ended before the kill
                except queue.Empty:  # still posting: kill it now
                    child.kill()
                    child.wait(30)
                    left_behind.append(set(shop.states()) & IN_FLIGHT)
        finally:
            if child.poll() is None:
                child.kill()
            child.wait(30)
    return left_behind


def read_lines(child: subprocess.Popen[str]) -> queue.Queue[str]:
    """The child's stdout, line by line, on a thread (portable, unlike select() on a pipe)."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            lines.put(line.strip())
        lines.put("")  # end of output

    threading.Thread(target=pump, daemon=True).start()
    return lines


@pytest.mark.slow
def test_vouchers_killed_mid_push_are_each_in_fortnox_once_after_the_next_run(big_shop: Shop) -> None:
    big_shop.sandbox.inject("POST", "/3/vouchers", "delay", delay_s=0.01, count=100_000)

    left_behind = kill_at_random(big_shop, TRIALS, random.Random(TRIALS))
    big_shop.sandbox.clear_faults()
    settle(big_shop)

    assert len(left_behind) >= TRIALS // 2, "too few kills landed while posting: the test proved little"
    assert any(OutboxState.SENDING in states for states in left_behind)  # some died awaiting an answer
    assert_each_voucher_once(big_shop)


@pytest.mark.slow
def test_paid_invoices_killed_between_their_steps_are_each_finished_once_after_the_next_run(
    big_shop: Shop,
) -> None:
    big_shop.configure(receipts_as=ReceiptsAs.INVOICE)
    for method, path in [
        ("POST", "/3/invoices"),
        ("PUT", "/3/invoices/*/bookkeep"),
        ("POST", "/3/invoicepayments"),
    ]:
        big_shop.sandbox.inject(method, path, "delay", delay_s=0.01, count=100_000)

    left_behind = kill_at_random(big_shop, TRIALS, random.Random(TRIALS + 1))
    big_shop.sandbox.clear_faults()
    settle(big_shop)

    assert len(left_behind) >= TRIALS // 2, "too few kills landed while posting: the test proved little"
    assert len(set().union(*left_behind)) >= 2  # killed at different steps of the invoice's life
    assert_each_invoice_once_and_paid(big_shop)
