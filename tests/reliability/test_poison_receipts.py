"""One receipt's failure is that receipt's: poison receipts a register wrote, ahead of good ones.

Each is written the way a register would, with plain SQL into the company file: .NET's
``DateTime.MinValue`` and ``MaxValue``, a quantity with a decimal comma or empty, an amount no ledger
holds. Every good receipt is posted exactly once; each poison one is failed with its reason, named.
"""

from __future__ import annotations

import sqlite3

import pytest

from kassasync.commands.report import report_lines
from kassasync.config import Posting, ReceiptsAs
from kassasync.pos.records import OutboxState

from .conftest import Shop, assert_each_invoice_once_and_paid, assert_each_voucher_once

RECEIPT = (
    "register_code, receipt_number, sold_at, total_ore, rounding_ore, change_ore, customer_number, is_return"
)
LINE = (
    "register_code, receipt_number, line_number, article_number, description, quantity, unit_price_ore, "
    "discount_ore, vat_rate, amount_ore, kind"
)
# (receipt number, sold_at or None = the model's, quantity or None, total_ore or None, the reason's words)
POISON = [
    (1, "0001-01-01T00:00:00+00:00", None, None, "orimligt år (1)"),
    (2, "9999-12-31T23:59:59+00:00", None, None, "orimligt år (9999)"),
    (3, None, "1,5", None, "antal (quantity) ska vara ett tal"),
    (4, None, "", None, "antal (quantity) ska vara ett tal"),
    (5, None, None, 10**17, "för stort för Fortnox"),
]


def _write_poison(shop: Shop) -> None:
    """Copies of K1-1 as K0-n (sorted ahead of every good receipt), each spoiled one way."""
    conn = sqlite3.connect(shop.company, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("INSERT OR IGNORE INTO registers (code, name) VALUES ('K0', 'Kassa 0')")
    for number, sold_at, quantity, total, _ in POISON:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            f"INSERT INTO receipts ({RECEIPT}) SELECT 'K0', ?, coalesce(?, sold_at), coalesce(?, total_ore), "
            "rounding_ore, change_ore, customer_number, is_return FROM receipts "
            "WHERE register_code = 'K1' AND receipt_number = 1",
            (number, sold_at, total),
        )
        conn.execute(
            f"INSERT INTO receipt_lines ({LINE}) SELECT 'K0', ?, line_number, article_number, description, "
            "coalesce(?, quantity), unit_price_ore, discount_ore, vat_rate, amount_ore, kind "
            "FROM receipt_lines "
            "WHERE register_code = 'K1' AND receipt_number = 1",
            (number, quantity),
        )
        conn.execute(
            "INSERT INTO receipt_payments SELECT 'K0', ?, line_number, method, amount_ore "
            "FROM receipt_payments "
            "WHERE register_code = 'K1' AND receipt_number = 1",
            (number,),
        )
        conn.execute("COMMIT")
    conn.close()


@pytest.mark.parametrize("mode", ["voucher", "invoice", "summary"])
def test_poison_receipts_fail_alone_with_their_reasons_and_every_good_one_is_posted_once(
    shop: Shop, mode: str
) -> None:
    if mode == "invoice":
        shop.configure(receipts_as=ReceiptsAs.INVOICE)
    if mode == "summary":
        shop.configure(posting=Posting.DAILY_SUMMARY)
    _write_poison(shop)

    report = shop.sync(kind="everything")
    again = shop.sync()  # failed stays failed: nothing of it goes, the rest is done

    assert report.failed_count == len(POISON), report.errors
    text = "\n".join(report_lines(report))
    for number, *_, words in POISON:
        assert any(e.item == f"K0-{number}" and words in e.user_message for e in report.errors), (
            number,
            text,
        )
        assert f"FEL K0-{number}: Kvitto K0-{number}" in text
    with shop.store() as store:
        failed = {e.receipt: e.last_error for e in store.outbox_entries(OutboxState.FAILED)}
    assert set(failed) == {f"K0-{n}" for n, *_ in POISON}
    assert again.posted_count == 0 and OutboxState.SENDING not in shop.states()
    _forget_poison(shop)
    if mode == "voucher":
        assert_each_voucher_once(shop)
    elif mode == "invoice":
        assert_each_invoice_once_and_paid(shop)
    else:  # today's receipts wait for the day to close; yesterday's are one summary per register
        assert shop.vouchers_with("(K0-") == 0
        assert shop.states().get(OutboxState.POSTED, 0) > 0


def _forget_poison(shop: Shop) -> None:
    """The checks below count every receipt in the file: look at the good ones only."""
    conn = sqlite3.connect(shop.company, isolation_level=None)
    for table in ("outbox", "receipt_payments", "receipt_lines", "receipts"):
        conn.execute(f"DROP TRIGGER IF EXISTS {table}_are_not_deleted")
        conn.execute(f"DELETE FROM {table} WHERE register_code = 'K0'")
    conn.close()


def test_a_receipt_in_flight_that_cannot_be_read_waits_and_stops_nothing(shop: Shop) -> None:
    """Its answer was lost, then another program spoiled its outbox row: it is neither sent on a guess
    nor allowed to stop the run."""
    shop.sandbox.inject("POST", "/3/vouchers", "drop_after_commit", count=1)
    shop.sync(kind="everything")
    with shop.store() as store:
        (in_flight,) = [e.receipt for e in store.outbox_entries(OutboxState.SENDING)]
    code, number = in_flight.split("-")
    conn = sqlite3.connect(shop.company, isolation_level=None)
    conn.execute(
        "UPDATE outbox SET updated_at = 'igår' WHERE register_code = ? AND receipt_number = ?",
        (code, int(number)),
    )
    conn.close()

    report = shop.sync()

    assert any(
        e.item == in_flight and "väntar på kontroll i Fortnox" in e.user_message for e in report.errors
    )
    assert shop.states() == {OutboxState.POSTED: 47, OutboxState.SENDING: 1}
    assert shop.vouchers_of(in_flight) == 1
