"""Two agents (two Windows users, each with a home of their own) on one company file.

The sync lock lies beside the company file, so however their clocks differ or however long Fortnox
asks one of them to wait, they never sync at once, and every receipt is in Fortnox exactly once.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kassasync.clock import STOCKHOLM, SystemClock
from kassasync.environment import read_environment
from kassasync.fortnox.tokens import FileTokenStore, TokenSet
from kassasync.paths import app_paths
from kassasync.pos.records import OutboxState
from kassasync.sync.events import Outcome, SyncReport

from .conftest import Shop, assert_each_voucher_once, settle


class JumpedClock(SystemClock):
    """The other user's PC: its clock an hour ahead (a time-zone or DST mistake, a dead CMOS battery)."""

    def now(self) -> datetime:
        return super().now() + timedelta(hours=1)


def _second_agent(shop: Shop, home: Path, monkeypatch: pytest.MonkeyPatch) -> Shop:
    """Another user's agent: its own home (settings, tokens, logs, locks), the same company file."""
    monkeypatch.setenv("KASSASYNC_HOME", str(home))
    paths = app_paths(read_environment().home).ensure()
    tokens = FileTokenStore(paths.token_file)
    tokens.save(TokenSet.from_response(shop.sandbox.issue_tokens(), datetime.now(tz=STOCKHOLM)))
    return Shop(shop.sandbox, paths, shop.settings, tokens)


def test_two_agents_with_clocks_an_hour_apart_never_post_a_receipt_twice(
    shop: Shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = _second_agent(shop, tmp_path / "other-user", monkeypatch)
    shop.sandbox.inject("POST", "/3/vouchers", "delay", delay_s=1.5, count=1)
    first: list[SyncReport] = []
    runner = threading.Thread(target=lambda: first.append(shop.sync(kind="everything")))
    runner.start()
    deadline = time.monotonic() + 10
    while OutboxState.SENDING not in shop.states() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert OutboxState.SENDING in shop.states()  # the first agent's request is on its way

    second = other.sync(engine=other.engine(clock=JumpedClock(), reconcile_after_s=120.0))
    runner.join()

    assert second.outcome is Outcome.ERROR
    assert second.errors[0].user_message.startswith("En synkronisering pågår redan")
    assert second.requests_used == 0
    assert first[0].outcome is Outcome.OK, first[0].errors
    settle(other, engine=other.engine(clock=JumpedClock()))
    assert_each_voucher_once(shop)


def test_a_long_retry_after_stops_the_run_and_frees_the_lock_for_the_other_agent(
    shop: Shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = _second_agent(shop, tmp_path / "other-user", monkeypatch)
    shop.sync(kind="everything", push=False)
    shop.sandbox.inject("POST", "/3/vouchers", "status", status=429, retry_after_s=125, count=1)
    started = time.monotonic()

    stopped = shop.sync()

    assert time.monotonic() - started < 30  # not 125 s holding the company file's lock
    assert stopped.outcome is Outcome.ERROR
    assert "Fortnox begränsar antalet anrop" in stopped.errors[-1].user_message
    assert shop.states() == {OutboxState.PENDING: 48}  # a 429 is a refusal: nothing was made
    settle(other, engine=other.engine(clock=JumpedClock()))
    assert_each_voucher_once(shop)
