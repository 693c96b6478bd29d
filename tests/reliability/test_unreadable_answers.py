"""A 200 whose body cannot be read, after Fortnox committed the document, is an unknown outcome.

Fortnox (or a proxy in front of it) answering 200 with an HTML page or with JSON cut short: the
document exists. Taking that for "refused before any work" would post it again; it is reconciled.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from kassasync.clock import STOCKHOLM
from kassasync.config import Posting, ReceiptsAs
from kassasync.pos.records import OutboxState
from kassasync.sync.bookkeeping import business_date, key_marker, summary_key

from .conftest import Shop, assert_each_invoice_once_and_paid, assert_each_voucher_once, settle

UNREADABLE = ("html_after_commit", "truncated_after_commit")


@pytest.mark.parametrize("kind", UNREADABLE)
def test_a_voucher_answered_with_an_unreadable_200_is_found_not_posted_twice(shop: Shop, kind: str) -> None:
    shop.sandbox.inject("POST", "/3/vouchers", kind, count=2)

    first = shop.sync(kind="everything")

    assert first.unconfirmed_count == 2 and shop.states()[OutboxState.SENDING] == 2
    settle(shop)
    assert_each_voucher_once(shop)


@pytest.mark.parametrize("kind", UNREADABLE)
@pytest.mark.parametrize("step", ["/3/invoices", "/3/invoicepayments"])
def test_an_invoice_answered_with_an_unreadable_200_is_created_and_paid_once(
    shop: Shop, kind: str, step: str
) -> None:
    shop.configure(receipts_as=ReceiptsAs.INVOICE)
    shop.sandbox.inject("POST", step, kind, count=2)

    first = shop.sync(kind="everything")

    assert first.unconfirmed_count == 2
    settle(shop)
    assert_each_invoice_once_and_paid(shop)  # no invoice left unbooked with money open


@pytest.mark.parametrize("kind", UNREADABLE)
def test_a_daily_summary_answered_with_an_unreadable_200_is_not_posted_twice(shop: Shop, kind: str) -> None:
    shop.configure(posting=Posting.DAILY_SUMMARY)
    shop.sandbox.inject("POST", "/3/vouchers", kind, count=1)

    shop.sync(kind="everything")
    assert OutboxState.SENDING in shop.states()
    shop.sync()
    shop.sync()

    today = datetime.now(tz=STOCKHOLM).date()
    with shop.store() as store:
        receipts = [store.get_receipt(e.receipt) for e in store.outbox_entries()]
    closed = {
        (r.register_code, business_date(r)) for r in receipts if r is not None and business_date(r) < today
    }
    assert closed
    for register, day in closed:
        assert shop.vouchers_with(key_marker(summary_key(register, day))) == 1, (register, day)
    assert OutboxState.SENDING not in shop.states()
