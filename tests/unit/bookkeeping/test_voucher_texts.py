"""What reconciliation and the accountant read in a voucher's text: the key, within Fortnox's limits."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kassasync.pos.models import PaymentMethod
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.bookkeeping import (
    DESCRIPTION_MAX,
    UnbalancedVoucher,
    VoucherDraft,
    VoucherRow,
    check_balanced,
    fortnox_text,
    key_marker,
    number_ranges,
    receipt_voucher,
    summary_key,
)

BAS = AccountPlan.bas_defaults()


def test_a_receipt_voucher_carries_its_key_exactly_once_in_the_description(shop) -> None:
    receipt = shop.receipt(
        [shop.line("10.00", 25)], [(PaymentMethod.CARD, "10.00")], register="K1", number=1001
    )
    voucher = receipt_voucher(receipt, BAS, "F")
    assert voucher.description == "Kassa K1 kvitto 1001 (K1-1001)"
    assert voucher.description.count(key_marker("K1-1001")) == 1
    assert key_marker("K1-100") not in voucher.description


def test_a_summary_key_can_never_equal_a_receipt_key() -> None:
    assert summary_key("K1", date(2026, 11, 28)) == "K1/2026-11-28"


def test_a_receipt_late_in_the_evening_utc_is_booked_on_its_swedish_day(shop) -> None:
    sold = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)  # 00:30 on 1 July in Stockholm
    receipt = shop.receipt([shop.line("10.00", 25)], [(PaymentMethod.CARD, "10.00")], sold_at=sold)
    assert receipt_voucher(receipt, BAS, "F").transaction_date == date(2026, 7, 1)


def test_characters_fortnox_refuses_are_replaced_and_long_texts_cut() -> None:
    assert fortnox_text('Kaffe "Bryggkaffe" [500 g] <ekologisk>', 100) == "Kaffe Bryggkaffe 500 g ekologisk"
    assert fortnox_text("Räksmörgås 25 % & co (stor)", 100) == "Räksmörgås 25 % & co (stor)"
    assert len(fortnox_text("x" * 300, DESCRIPTION_MAX)) == DESCRIPTION_MAX


def test_a_long_register_code_and_receipt_number_still_fit_with_the_key_whole(shop) -> None:
    receipt = shop.receipt(
        [shop.line("10.00", 25)], [(PaymentMethod.CARD, "10.00")], register="R" * 20, number=10**15,
        original="X" * 180,
    )  # fmt: skip
    voucher = receipt_voucher(receipt, BAS, "F")
    assert len(voucher.description) <= DESCRIPTION_MAX
    assert voucher.description.endswith(key_marker(receipt.key))


def test_receipt_ranges_are_named_compactly() -> None:
    assert number_ranges([1003, 1001, 1002, 1007, 1009, 1008]) == "1001–1003, 1007–1009"
    assert number_ranges([5]) == "5"


def test_an_unbalanced_voucher_is_refused_with_a_swedish_message() -> None:
    voucher = VoucherDraft(
        "F", date(2026, 11, 28), "x", (VoucherRow(1910, 10000, 0), VoucherRow(3001, 0, 9999))
    )
    with pytest.raises(UnbalancedVoucher) as caught:
        check_balanced(voucher, "kvitto K1-1")
    assert "går inte jämnt ut" in caught.value.user_message
    assert "100,00 kr" in caught.value.user_message


def test_a_row_with_a_negative_side_is_refused_even_when_the_sums_agree() -> None:
    voucher = VoucherDraft(
        "F",
        date(2026, 11, 28),
        "x",
        (VoucherRow(1910, 100, 0), VoucherRow(3001, 0, 200), VoucherRow(3740, 0, -100)),
    )
    with pytest.raises(UnbalancedVoucher):
        check_balanced(voucher, "kvitto K1-1")
