"""The daily summary voucher: one per register and closed day, the sum of its receipts (rules 7 and 9)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kassasync.clock import STOCKHOLM
from kassasync.money import vat_of_gross
from kassasync.pos.models import PaymentMethod
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.bookkeeping import daily_summary, key_marker, receipt_voucher

CASH, CARD = PaymentMethod.CASH, PaymentMethod.CARD
BAS = AccountPlan.bas_defaults()
DAY = date(2026, 11, 28)


def test_rule_9_the_days_vat_is_the_sum_of_the_receipts_vat_not_vat_on_the_days_total(shop) -> None:
    # Each 18.90 @12 % receipt shows 2.03 VAT (2.025 rounded up); two of them 4.06, though 37.80 holds 4.05.
    receipts = [shop.receipt([shop.line("18.90", 12)], [(CARD, "18.90")], number=n) for n in (1, 2)]
    summary = daily_summary(receipts, BAS, "F", "K1", DAY)
    assert summary.net_by_account()[2621] == -406
    assert vat_of_gross(3780, 12) == 405
    assert summary.net_by_account() == {1580: 3780, 2621: -406, 3002: -3374}


def test_the_summary_holds_the_days_sums_per_payment_method_vat_rate_and_rounding(shop) -> None:
    receipts = [
        shop.receipt([shop.line("99.90", 25)], [(CASH, "100.00")], number=1001),
        shop.receipt(
            [shop.line("157.35", 25), shop.line("100.00", 12)],
            [(CARD, "200.00"), (CASH, "57.00")],
            number=1002,
        ),
        shop.receipt([shop.line("99.90", 25, "-1")], [(CASH, "-100.00")], number=1003, original="K1-1001"),
    ]
    summary = daily_summary(receipts, BAS, "F", "K1", DAY, z_report="42")
    assert shop.rows(summary) == [
        (1580, "200.00", "0.00"),
        (1910, "57.00", "0.00"),
        (2611, "0.00", "31.47"),
        (2621, "0.00", "10.71"),
        (3001, "0.00", "125.88"),
        (3002, "0.00", "89.29"),
        (3740, "0.35", "0.00"),
    ]
    assert summary.transaction_date == DAY
    assert summary.description == "Kassa K1 dagskassa 2026-11-28 kvitto 1001–1003 3 st (K1/2026-11-28)"
    assert summary.comments == "Z-rapport 42. Kvitton: 1001–1003"
    assert key_marker("K1/2026-11-28") in summary.to_fortnox()["Voucher"]["Description"]


def test_the_summary_equals_the_receipt_vouchers_added_up_per_account(shop) -> None:
    receipts = [
        shop.receipt([shop.line("33.33", 25, "3"), shop.line("18.90", 12)], [(CARD, "118.89")], number=1),
        shop.receipt([shop.line("500.00", 0, gift_card=True)], [(CASH, "500.00")], number=2),
        shop.receipt(
            [shop.line("149.90", 12)], [(PaymentMethod.GIFT_CARD, "100.00"), (CASH, "50.00")], number=3
        ),
    ]
    expected: dict[int, int] = {}
    for receipt in receipts:
        for account, amount in receipt_voucher(receipt, BAS, "F").net_by_account().items():
            expected[account] = expected.get(account, 0) + amount
    assert daily_summary(receipts, BAS, "F", "K1", DAY).net_by_account() == {
        a: v for a, v in expected.items() if v
    }


def test_a_receipt_of_another_register_or_day_is_not_summed_in(shop) -> None:
    other_day = datetime(2026, 11, 29, 0, 5, tzinfo=STOCKHOLM)
    receipts = [
        shop.receipt([shop.line("10.00", 25)], [(CARD, "10.00")], number=1),
        shop.receipt([shop.line("10.00", 25)], [(CARD, "10.00")], number=2, sold_at=other_day),
    ]
    with pytest.raises(ValueError, match="K1-2"):
        daily_summary(receipts, BAS, "F", "K1", DAY)
    with pytest.raises(ValueError, match="K1-1"):
        daily_summary(receipts[:1], BAS, "F", "K2", DAY)
