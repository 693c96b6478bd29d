"""Nothing lost, nothing doubled: whatever fails on the way to Fortnox, after the next runs every receipt
is in Fortnox exactly once (counted by key in the sandbox) and the register knows where.

Each fault is the sandbox's own injection on the real HTTP path: a connection dropped before Fortnox
saw the request, a connection dropped after Fortnox committed it, an answer slower than the read
timeout, 429 storms, 500 and 503, tokens expiring or revoked in the middle of a run.
"""

from __future__ import annotations

import random
import socket
import time
from datetime import datetime

import pytest

from kassasync.clock import STOCKHOLM
from kassasync.commands.report import report_lines
from kassasync.config import Posting, ReceiptsAs
from kassasync.fortnox.tokens import TokenSet
from kassasync.pos.records import OutboxState
from kassasync.sync.bookkeeping import business_date, key_marker, summary_key
from kassasync.sync.events import Outcome, StepProgress, SyncEvent

from .conftest import Shop, assert_each_invoice_once_and_paid, assert_each_voucher_once, settle

VOUCHER_FAULTS = {
    "dropped before Fortnox saw it": {"kind": "drop_before_commit", "count": 3},
    "dropped after Fortnox committed": {"kind": "drop_after_commit", "count": 3},
    "a 429 storm": {"kind": "status", "status": 429, "count": 8},
    "500 Internal Server Error": {"kind": "status", "status": 500, "count": 2},
    "503 Service Unavailable": {"kind": "status", "status": 503, "count": 2},
}


@pytest.mark.parametrize("fault", VOUCHER_FAULTS.values(), ids=VOUCHER_FAULTS.keys())
def test_vouchers_are_posted_exactly_once_whatever_the_post_meets(
    shop: Shop, fault: dict[str, object]
) -> None:
    shop.sandbox.inject("POST", "/3/vouchers", **fault)  # type: ignore[arg-type]

    settle(shop, kind="everything")

    assert_each_voucher_once(shop)


def test_a_voucher_fortnox_committed_after_the_client_gave_up_is_found_not_sent_again(shop: Shop) -> None:
    """The answer comes after the read timeout: Fortnox has the voucher, the register does not know.
    Within the grace period the receipt waits; after it, the lookup finds the voucher."""
    shop.sandbox.inject("POST", "/3/vouchers", "delay", delay_s=3.0, count=1)
    # The grace period is chosen per phase, not raced against the wall clock: how long the first
    # sync takes depends on the machine's load, so one grace of 4 s could run out before the
    # "too soon" sync on a loaded machine.
    patient = shop.engine(reconcile_after_s=3600.0)

    first = shop.sync(kind="everything", engine=patient)
    assert (first.posted_count, first.unconfirmed_count) == (47, 1)
    assert "1 kvitto skickades men svaret från Fortnox uteblev" in "\n".join(report_lines(first))
    assert shop.states()[OutboxState.SENDING] == 1
    (in_flight,) = [e.receipt for e in _entries(shop, OutboxState.SENDING)]
    shop.sync(engine=patient)  # too soon to look it up: it is neither looked up nor sent again
    assert shop.states()[OutboxState.SENDING] == 1
    time.sleep(4.0)
    assert shop.vouchers_of(in_flight) == 1  # Fortnox committed it after the client had given up

    settle(shop, engine=shop.engine(reconcile_after_s=4.0))  # sent more than 4 s ago: looked up

    assert_each_voucher_once(shop)


def test_a_failing_lookup_leaves_the_receipt_in_flight_until_a_lookup_succeeds(shop: Shop) -> None:
    shop.sandbox.inject("POST", "/3/vouchers", "drop_after_commit", count=1)
    shop.sync(kind="everything")
    assert shop.states()[OutboxState.SENDING] == 1
    shop.sandbox.inject("GET", "/3/vouchers/sublist/*", "status", status=500, count=50)

    shop.sync()  # the lookup fails: nothing is posted again on a guess
    assert shop.states()[OutboxState.SENDING] == 1
    shop.sandbox.clear_faults()
    settle(shop)

    assert_each_voucher_once(shop)


def test_access_tokens_expiring_in_the_middle_of_a_run_are_refreshed_and_nothing_doubles(shop: Shop) -> None:
    def expire_midway(event: SyncEvent) -> None:
        if isinstance(event, StepProgress) and event.step == "receipts" and event.done in (5, 20):
            shop.sandbox.expire_access_tokens()

    report = shop.sync(kind="everything", emit=expire_midway)

    assert report.outcome is Outcome.OK, report.errors
    assert_each_voucher_once(shop)


def test_a_revoked_refresh_token_asks_for_a_new_login_and_the_receipts_wait_for_it(shop: Shop) -> None:
    def revoke_midway(event: SyncEvent) -> None:
        if isinstance(event, StepProgress) and event.step == "receipts" and event.done == 10:
            shop.sandbox.revoke_refresh_tokens()
            shop.sandbox.expire_access_tokens()

    report = shop.sync(kind="everything", emit=revoke_midway)

    assert report.outcome is Outcome.LOGIN_REQUIRED
    assert "Logga in igen" in report.errors[0].user_message
    states = shop.states()
    assert OutboxState.FAILED not in states and OutboxState.SENDING not in states
    assert 0 < states[OutboxState.POSTED] < 48
    assert shop.sync().outcome is Outcome.LOGIN_REQUIRED  # no login, no posting, nothing lost

    shop.token_store.save(TokenSet.from_response(shop.sandbox.issue_tokens(), datetime.now(tz=STOCKHOLM)))
    settle(shop)

    assert_each_voucher_once(shop)


INVOICE_STEPS = {
    "create": ("POST", "/3/invoices"),
    "bookkeep": ("PUT", "/3/invoices/*/bookkeep"),
    "payment": ("POST", "/3/invoicepayments"),
    "payment bookkeep": ("PUT", "/3/invoicepayments/*/bookkeep"),
}
INVOICE_FAULTS = {
    "dropped after commit": {"kind": "drop_after_commit", "count": 2},
    "dropped before": {"kind": "drop_before_commit", "count": 2},
    "503": {"kind": "status", "status": 503, "count": 2},
}


@pytest.mark.parametrize("step", INVOICE_STEPS.values(), ids=INVOICE_STEPS.keys())
@pytest.mark.parametrize("fault", INVOICE_FAULTS.values(), ids=INVOICE_FAULTS.keys())
def test_paid_invoices_are_created_bookkept_and_paid_exactly_once_whatever_a_step_meets(
    shop: Shop, step: tuple[str, str], fault: dict[str, object]
) -> None:
    shop.configure(receipts_as=ReceiptsAs.INVOICE)
    method, path = step
    shop.sandbox.inject(method, path, **fault)  # type: ignore[arg-type]

    settle(shop, kind="everything")

    assert_each_invoice_once_and_paid(shop)


def test_a_daily_summary_dropped_after_commit_is_found_not_posted_twice(shop: Shop) -> None:
    shop.configure(posting=Posting.DAILY_SUMMARY)
    shop.sandbox.inject("POST", "/3/vouchers", "drop_after_commit", count=1)
    today = datetime.now(tz=STOCKHOLM).date()

    shop.sync(kind="everything")
    shop.sync()
    shop.sync()

    with shop.store() as store:
        receipts = [store.get_receipt(e.receipt) for e in store.outbox_entries()]
    days = {(r.register_code, business_date(r)) for r in receipts if r is not None}
    closed = {(register, day) for register, day in days if day < today}
    assert closed
    for register, day in closed:
        assert shop.vouchers_with(key_marker(summary_key(register, day))) == 1, (register, day)
    assert shop.vouchers_with("(K1-") == 0
    assert OutboxState.SENDING not in shop.states()


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_random_day_of_faults_still_posts_every_receipt_exactly_once(shop: Shop, seed: int) -> None:
    """A seeded mix of every fault on every voucher request (the seed is in the test id to replay)."""
    rng = random.Random(seed)
    kinds = [
        {"kind": "drop_before_commit"},
        {"kind": "drop_after_commit"},
        {"kind": "status", "status": 429},
        {"kind": "status", "status": 500},
        {"kind": "status", "status": 503},
    ]
    for _ in range(6):
        shop.sandbox.inject("POST", "/3/vouchers", count=rng.randint(1, 3), **rng.choice(kinds))  # type: ignore[arg-type]
    shop.sandbox.inject("GET", "/3/vouchers/sublist/*", count=rng.randint(0, 2), kind="status", status=503)

    def sometimes_expire(event: SyncEvent) -> None:
        if isinstance(event, StepProgress) and event.step == "receipts" and rng.random() < 0.05:
            shop.sandbox.expire_access_tokens()

    settle(shop, runs=10, kind="everything", emit=sometimes_expire)

    assert_each_voucher_once(shop)


def _entries(shop: Shop, state: OutboxState) -> list[object]:
    with shop.store() as store:
        return list(store.outbox_entries(state))


def test_fortnox_failing_mid_run_stops_the_run_and_loses_nothing(shop: Shop) -> None:
    """Fortnox starts failing every request mid-run: the run stops (it does not hammer on) after at
    most three receipts without an answer, or at the first look-up of a day's vouchers, which comes
    before anything of that day is sent; it says so in Swedish, and the next run sorts it out."""

    def outage_midway(event: SyncEvent) -> None:
        if isinstance(event, StepProgress) and event.step == "receipts" and event.done == 12:
            for pattern in ("/3/*", "/3/*/*", "/3/*/*/*"):
                shop.sandbox.inject("*", pattern, "status", status=503, count=1000)

    report = shop.sync(kind="everything", emit=outage_midway)

    assert report.outcome is Outcome.ERROR
    message = report.errors[-1].user_message
    assert "inget dubbelbokas" in message or "Inget har gått förlorat" in message
    states = shop.states()
    assert states[OutboxState.POSTED] == 12 and states.get(OutboxState.SENDING, 0) <= 3
    assert states.get(OutboxState.SENDING, 0) + states[OutboxState.PENDING] == 36
    shop.sandbox.clear_faults()

    settle(shop)

    assert_each_voucher_once(shop)


def test_fortnox_out_of_reach_stops_the_run_before_anything_is_sent(shop: Shop) -> None:
    """Nothing listening where Fortnox should be (network down): a clear message, all receipts kept."""
    fortnox = shop.settings.fortnox
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    shop.configure(fortnox=fortnox.model_copy(update={"api_url": f"http://127.0.0.1:{closed}/3"}))

    report = shop.sync(kind="everything")

    assert report.outcome is Outcome.ERROR
    assert report.errors[0].user_message.startswith("Fortnox svarar inte just nu. Inget har gått förlorat")
    assert shop.states() == {OutboxState.PENDING: 48}
    shop.configure(fortnox=fortnox)

    settle(shop)

    assert_each_voucher_once(shop)
