"""The worked examples of RULES.md (#1–#4) and DETAIL.md, each reproduced to the öre.

DETAIL.md names its examples (E1, E3, …) without their figures beyond E1/E3 (the SIE sample); the others
are written here from its rules, with the arithmetic shown so an accountant can check them by hand.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kassasync.pos.models import PaymentMethod
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.bookkeeping import ReceiptNotBookable, allocate_discount, receipt_voucher

CASH, CARD, SWISH, GIFT = PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.SWISH, PaymentMethod.GIFT_CARD
BAS = AccountPlan.bas_defaults()


def test_rules_1_one_item_at_25_percent_paid_cash_is_rounded_up_to_whole_kronor_on_3740(shop) -> None:
    receipt = shop.receipt([shop.line("99.90", 25)], [(CASH, "100.00")])
    assert shop.rows(receipt_voucher(receipt, BAS, "F")) == [
        (1910, "100.00", "0.00"),
        (2611, "0.00", "19.98"),
        (3001, "0.00", "79.92"),
        (3740, "0.00", "0.10"),
    ]


def test_rules_2_two_rates_paid_by_card_book_sales_and_vat_per_rate(shop) -> None:
    receipt = shop.receipt([shop.line("250.00", 25), shop.line("56.00", 12)], [(CARD, "306.00")])
    assert shop.rows(receipt_voucher(receipt, BAS, "F")) == [
        (1580, "306.00", "0.00"),
        (2611, "0.00", "50.00"),
        (2621, "0.00", "6.00"),
        (3001, "0.00", "200.00"),
        (3002, "0.00", "50.00"),
    ]


def test_rules_3_a_return_to_card_reverses_the_sale(shop) -> None:
    receipt = shop.receipt([shop.line("250.00", 25, "-1")], [(CARD, "-250.00")], original="K1-1000")
    voucher = receipt_voucher(receipt, BAS, "F")
    assert shop.rows(voucher) == [(1580, "0.00", "250.00"), (2611, "50.00", "0.00"), (3001, "200.00", "0.00")]
    assert voucher.description == "Kassa K1 retur 1001, avser K1-1000 (K1-1001)"


def test_rules_4_a_gift_card_sold_for_cash_is_a_debt_on_2421_without_vat(shop) -> None:
    receipt = shop.receipt([shop.line("500.00", 0, gift_card=True)], [(CASH, "500.00")])
    assert shop.rows(receipt_voucher(receipt, BAS, "F")) == [
        (1910, "500.00", "0.00"),
        (2421, "0.00", "500.00"),
    ]


# The SIE 4I sample of DETAIL.md §4: its two vouchers, as #TRANS lines (debit positive, credit negative).
SIE_E1 = """
#TRANS 1910 {} 100.00
#TRANS 3001 {} -79.92
#TRANS 2611 {} -19.98
#TRANS 3740 {} -0.10
"""
SIE_E3 = """
#TRANS 1580 {} 200.00
#TRANS 1910 {} 57.00
#TRANS 3740 {} 0.35
#TRANS 3001 {} -125.88
#TRANS 2611 {} -31.47
#TRANS 3002 {} -89.29
#TRANS 2621 {} -10.71
"""


def _sie(trans: str) -> dict[int, int]:
    parsed = [line.split() for line in trans.strip().splitlines()]
    return {int(account): int(Decimal(amount) * 100) for _tag, account, _objects, amount in parsed}


def test_detail_e1_matches_the_sie_sample_voucher(shop) -> None:
    receipt = shop.receipt([shop.line("99.90", 25)], [(CASH, "100.00")])
    assert receipt_voucher(receipt, BAS, "F").net_by_account() == _sie(SIE_E1)


def test_detail_e3_split_card_and_cash_rounds_only_the_cash_part_and_matches_the_sie_sample(shop) -> None:
    # 157.35 @25 % + 100.00 @12 % = 257.35; card pays 200.00 exactly, the cash part 57.35 rounds to 57.00.
    receipt = shop.receipt(
        [shop.line("157.35", 25), shop.line("100.00", 12)], [(CARD, "200.00"), (CASH, "57.00")], number=1002
    )
    voucher = receipt_voucher(receipt, BAS, "F")
    assert voucher.net_by_account() == _sie(SIE_E3)
    assert voucher.debit_ore == voucher.credit_ore == 25735


def test_detail_e3_as_a_fortnox_body_has_the_rows_of_the_detail_example(shop) -> None:
    receipt = shop.receipt(
        [shop.line("157.35", 25), shop.line("100.00", 12)], [(CARD, "200.00"), (CASH, "57.00")], number=1002
    )
    body = receipt_voucher(receipt, BAS, "F").to_fortnox()["Voucher"]
    assert body["VoucherSeries"] == "F"
    assert body["TransactionDate"] == "2026-11-28"
    assert body["Description"] == "Kassa K1 kvitto 1002 (K1-1002)"
    got = sorted((r["Account"], r["Debit"], r["Credit"]) for r in body["VoucherRows"])
    expected = [
        (1580, "200.00", "0"), (1910, "57.00", "0"), (2611, "0", "31.47"), (2621, "0", "10.71"),
        (3001, "0", "125.88"), (3002, "0", "89.29"), (3740, "0.35", "0"),
    ]  # fmt: skip
    assert got == [(a, Decimal(d), Decimal(c)) for a, d, c in expected]


def test_detail_e5_a_cash_refund_rounds_on_the_absolute_amount_and_the_shop_pays_the_difference(shop) -> None:
    # −99.90 refunded in cash rounds to −100.00: the shop pays 0.10 more, debit 3740.
    receipt = shop.receipt([shop.line("99.90", 25, "-1")], [(CASH, "-100.00")])
    assert shop.rows(receipt_voucher(receipt, BAS, "F")) == [
        (1910, "0.00", "100.00"),
        (2611, "19.98", "0.00"),
        (3001, "79.92", "0.00"),
        (3740, "0.10", "0.00"),
    ]


def test_detail_e6_a_partial_return_reverses_only_the_returned_line(shop) -> None:
    receipt = shop.receipt([shop.line("56.00", 12, "-1")], [(CARD, "-56.00")], original="K1-1000")
    assert shop.rows(receipt_voucher(receipt, BAS, "F")) == [
        (1580, "0.00", "56.00"),
        (2621, "6.00", "0.00"),
        (3002, "50.00", "0.00"),
    ]


def test_detail_e7a_a_discount_lowers_the_vat_base_and_the_discounted_amount_is_the_sale(shop) -> None:
    # 200.00 less 20.00 discount = 180.00: VAT 36.00, net 144.00.
    receipt = shop.receipt([shop.line("200.00", 25, discount="20.00")], [(CARD, "180.00")])
    assert shop.rows(receipt_voucher(receipt, BAS, "F")) == [
        (1580, "180.00", "0.00"),
        (2611, "0.00", "36.00"),
        (3001, "0.00", "144.00"),
    ]


def test_detail_e7b_a_whole_receipt_discount_is_split_over_rates_in_proportion_to_gross() -> None:
    assert allocate_discount(5000, {25: 30000, 12: 10000}) == {25: 3750, 12: 1250}


def test_detail_e7b_the_rounding_remainder_of_a_split_discount_goes_to_the_last_rate() -> None:
    assert allocate_discount(1000, {25: 10000, 12: 10000, 6: 10000}) == {25: 333, 12: 333, 6: 334}


def test_detail_e8_a_gift_card_redeemed_is_a_payment_and_the_goods_carry_vat(shop) -> None:
    receipt = shop.receipt([shop.line("300.00", 25)], [(GIFT, "300.00")])
    assert shop.rows(receipt_voucher(receipt, BAS, "F")) == [
        (2421, "300.00", "0.00"),
        (2611, "0.00", "60.00"),
        (3001, "0.00", "240.00"),
    ]


def test_detail_e9_a_gift_card_covering_part_and_cash_the_rest_rounds_only_the_cash(shop) -> None:
    # 149.90 @12 %: VAT 16.06 (16.0607), net 133.84; gift card 100.00; cash part 49.90 rounds to 50.00.
    receipt = shop.receipt([shop.line("149.90", 12)], [(GIFT, "100.00"), (CASH, "50.00")])
    assert shop.rows(receipt_voucher(receipt, BAS, "F")) == [
        (1910, "50.00", "0.00"),
        (2421, "100.00", "0.00"),
        (2621, "0.00", "16.06"),
        (3002, "0.00", "133.84"),
        (3740, "0.00", "0.10"),
    ]


def test_a_gift_card_sold_with_goods_credits_2421_and_only_the_goods_carry_vat(shop) -> None:
    receipt = shop.receipt(
        [shop.line("200.00", 0, gift_card=True), shop.line("100.00", 25)], [(CARD, "300.00")]
    )
    assert shop.rows(receipt_voucher(receipt, BAS, "F")) == [
        (1580, "300.00", "0.00"),
        (2421, "0.00", "200.00"),
        (2611, "0.00", "20.00"),
        (3001, "0.00", "80.00"),
    ]


def test_detail_e13a_vat_is_computed_on_the_sum_per_rate_not_per_line(shop) -> None:
    # 3 × 33.33 = 99.99 @25 %: on the sum 20.00 (19.998); per line it would be 3 × 6.67 = 20.01.
    three_lines = [shop.line("33.33", 25) for _ in range(3)]
    one_line = [shop.line("33.33", 25, "3")]
    for lines in (three_lines, one_line):
        voucher = receipt_voucher(shop.receipt(lines, [(CARD, "99.99")]), BAS, "F")
        assert voucher.net_by_account()[2611] == -2000
        assert voucher.net_by_account()[3001] == -7999


def test_detail_e13b_an_exact_half_at_12_percent_rounds_up(shop) -> None:
    # 18.90 @12 % holds exactly 2.025 VAT: half-up gives 2.03 (round() and half-even would give 2.02).
    voucher = receipt_voucher(shop.receipt([shop.line("18.90", 12)], [(CARD, "18.90")]), BAS, "F")
    assert voucher.net_by_account() == {1580: 1890, 2621: -203, 3002: -1687}


@pytest.mark.parametrize("odd_multiple", [1, 3, 5, 135, 1001])
def test_rule_8_every_odd_multiple_of_14_ore_at_12_percent_rounds_its_half_up(
    shop, odd_multiple: int
) -> None:
    gross = 14 * odd_multiple
    price = f"{Decimal(gross) / 100:.2f}"
    voucher = receipt_voucher(shop.receipt([shop.line(price, 12)], [(CARD, price)]), BAS, "F")
    assert voucher.net_by_account()[2621] == -(gross * 12 // 112 + 1)  # exactly x.5 öre, rounded up
    assert gross * 12 % 112 == 56


def test_detail_e14_change_handed_back_is_not_booked_only_the_cash_kept(shop) -> None:
    receipt = shop.receipt([shop.line("99.90", 25)], [(CASH, "200.00")], change="100.00")
    assert shop.rows(receipt_voucher(receipt, BAS, "F")) == [
        (1910, "100.00", "0.00"),
        (2611, "0.00", "19.98"),
        (3001, "0.00", "79.92"),
        (3740, "0.00", "0.10"),
    ]


def test_several_payment_methods_are_each_a_debit_row(shop) -> None:
    # 300.00 @25 % (VAT 60.00) + 100.00 @6 % (VAT 5.66 of 5.660…); card 150, Swish 100, cash 150.
    receipt = shop.receipt(
        [shop.line("300.00", 25), shop.line("100.00", 6)],
        [(CARD, "150.00"), (SWISH, "100.00"), (CASH, "150.00")],
    )
    assert shop.rows(receipt_voucher(receipt, BAS, "F")) == [
        (1580, "150.00", "0.00"),
        (1910, "150.00", "0.00"),
        (1930, "100.00", "0.00"),
        (2611, "0.00", "60.00"),
        (2631, "0.00", "5.66"),
        (3001, "0.00", "240.00"),
        (3003, "0.00", "94.34"),
    ]


def test_vat_exempt_sales_go_to_3004_without_a_vat_row(shop) -> None:
    receipt = shop.receipt([shop.line("50.00", 0)], [(CARD, "50.00")])
    assert shop.rows(receipt_voucher(receipt, BAS, "F")) == [(1580, "50.00", "0.00"), (3004, "0.00", "50.00")]


def test_a_rounding_of_exactly_50_ore_is_allowed_only_upward(shop) -> None:
    up = shop.receipt([shop.line("10.50", 25)], [(CASH, "11.00")])
    assert receipt_voucher(up, BAS, "F").net_by_account()[3740] == -50
    refund = shop.receipt([shop.line("10.50", 25, "-1")], [(CASH, "-11.00")])
    assert receipt_voucher(refund, BAS, "F").net_by_account()[3740] == 50
    down = shop.receipt([shop.line("10.50", 25)], [(CASH, "10.00")])
    with pytest.raises(ReceiptNotBookable) as caught:
        receipt_voucher(down, BAS, "F")
    assert "ska avrundas med 0,50 kr" in caught.value.user_message


def test_a_register_that_rounds_the_whole_total_on_a_split_payment_is_refused(shop) -> None:
    # 257.35 paid 200.10 by card: only the cash part 57.25 may be rounded (to 57.00), not the total.
    wrong = shop.receipt([shop.line("257.35", 25)], [(CARD, "200.10"), (CASH, "56.90")])
    with pytest.raises(ReceiptNotBookable):
        receipt_voucher(wrong, BAS, "F")
    right = shop.receipt([shop.line("257.35", 25)], [(CARD, "200.10"), (CASH, "57.00")])
    assert receipt_voucher(right, BAS, "F").net_by_account()[3740] == 25
