"""Invoice rows whose VAT Fortnox computes to the receipt's, whether it works per row or per rate, and
payments planned to settle Fortnox's own total (its RoundOff) with the register's rounding written off once.

The issue's cases: 2 × 10,03 kr at 25 % is 4,01 kr VAT on the receipt but 4,02 kr row by row; 0,105 kg ×
99,00 at 12 % is 1,11 kr on the receipt but 1,12 kr with a quantity-correction row.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kassasync.config import DEFAULT_PAYMENT_MAPPING
from kassasync.money import vat_of_gross
from kassasync.pos.models import PaymentMethod
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.bookkeeping import paid_invoice, receipt_vat, receipt_voucher
from kassasync.sync.invoice_check import InvoiceFacts, InvoiceTotalDiffers, settle
from kassasync.sync.invoice_rows import (
    EVENING_TEXT,
    encoded_paid_invoice,
    gross_per_rate,
    vat_per_row,
)

CASH, CARD = PaymentMethod.CASH, PaymentMethod.CARD
PLAN = AccountPlan.from_company({}, DEFAULT_PAYMENT_MAPPING)


def _vat_per_rate(rows) -> dict[int, int]:  # type: ignore[no-untyped-def]
    return {rate: vat_of_gross(gross, rate) for rate, gross in gross_per_rate(rows).items() if rate}


def test_two_lines_of_10_03_at_25_percent_are_merged_so_fortnox_rows_give_the_receipts_4_01(shop) -> None:
    receipt = shop.receipt(
        [shop.line("10.03", 25, article="1001"), shop.line("10.03", 25, article="1001")], [(CARD, "20.06")]
    )
    assert vat_per_row(paid_invoice(receipt, PLAN, "1").invoice.rows) == {25: 402}  # the bug, row by row

    rows = encoded_paid_invoice(receipt, PLAN, "1").invoice.rows

    assert [(r.article_number, r.quantity, r.price_ore) for r in rows] == [("1001", Decimal(2), 1003)]
    assert vat_per_row(rows) == _vat_per_rate(rows) == receipt_vat(receipt) == {25: 401}


def test_a_weighed_line_is_priced_to_its_amount_so_fortnox_rows_give_the_receipts_1_11(shop) -> None:
    receipt = shop.receipt([shop.line("99.00", 12, "0.105", article="ost")], [(CARD, "10.40")])
    assert vat_per_row(paid_invoice(receipt, PLAN, "1").invoice.rows) == {12: 112}

    (row,) = encoded_paid_invoice(receipt, PLAN, "1").invoice.rows

    assert (row.article_number, row.quantity, row.total_ore) == ("ost", Decimal("0.11"), 1040)
    assert vat_per_row([row]) == receipt_vat(receipt) == {12: 111}


def test_three_different_articles_of_33_33_get_zero_sum_evening_rows_for_the_receipts_20_00(shop) -> None:
    lines = [shop.line("33.33", 25, article=str(n)) for n in (1, 2, 3)]
    receipt = shop.receipt(lines, [(CARD, "99.99")])

    rows = encoded_paid_invoice(receipt, PLAN, "1").invoice.rows

    articles = [r for r in rows if r.article_number is not None]
    assert [(r.article_number, r.total_ore) for r in articles] == [("1", 3333), ("2", 3333), ("3", 3333)]
    evening = [r for r in rows if r.description == EVENING_TEXT]
    assert sum(r.total_ore for r in evening) == 0  # they change no amount
    assert vat_per_row(rows) == _vat_per_rate(rows) == receipt_vat(receipt) == {25: 2000}


@pytest.mark.parametrize("sign", ["1", "-1"], ids=["sale", "return"])
@pytest.mark.parametrize("rate", [25, 12, 6])
@pytest.mark.parametrize("count", [2, 3, 5, 7])
def test_any_set_of_lines_gets_rows_whose_vat_is_the_receipts_both_ways(
    shop, rate: int, count: int, sign: str
) -> None:
    prices = ["10.03", "33.33", "0.99", "18.90", "7.77", "1.01", "249.49"][:count]
    receipt = shop.receipt(
        [shop.line(price, rate, sign, article=str(n)) for n, price in enumerate(prices)],
        [(CARD, str(Decimal(sign) * sum(Decimal(p) for p in prices)))],
    )

    draft = encoded_paid_invoice(receipt, PLAN, "1")

    assert vat_per_row(draft.invoice.rows) == _vat_per_rate(draft.invoice.rows) == receipt_vat(receipt)
    assert draft.postings(PLAN) == receipt_voucher(receipt, PLAN, "F").net_by_account()


def test_with_fortnox_rounding_the_cash_payment_pays_the_rounded_total_without_a_second_write_off(
    shop,
) -> None:
    # 99.90 paid with 100.00 cash: Fortnox rounds the invoice to 100.00 (RoundOff +0.10, credit 3740).
    receipt = shop.receipt([shop.line("99.90", 25, article="1001")], [(CASH, "100.00")])
    draft = paid_invoice(receipt, PLAN, "1")

    (cash,) = settle(draft, InvoiceFacts(total_ore=10000, vat_ore=1998, round_off_ore=10), PLAN, receipt.key)

    assert (cash.amount_ore, cash.write_offs, cash.settles_ore) == (10000, (), 10000)


def test_with_fortnox_rounding_a_card_part_that_the_register_did_not_round_is_written_back(shop) -> None:
    # Card 200.45 + cash 106.00 for 306.45: the register rounded nothing. Fortnox rounds the invoice to
    # 306.00 (RoundOff −0.45, debit 3740); the payments bring 306.45, so 0.45 is credited back on 3740.
    receipt = shop.receipt([shop.line("306.45", 25)], [(CARD, "200.45"), (CASH, "106.00")])
    draft = paid_invoice(receipt, PLAN, "1")

    card, cash = settle(draft, InvoiceFacts(total_ore=30600, vat_ore=6129, round_off_ore=-45), PLAN, "K1-1")

    assert card.write_offs == ()
    assert [(w.account, w.amount_ore) for w in cash.write_offs] == [(3740, -45)]
    assert card.settles_ore + cash.settles_ore == 30600
    round_off = -45  # Fortnox's invoice voucher debits 3740 0.45
    rounding_account = -round_off + sum(w.amount_ore for w in cash.write_offs)  # plus the write-off
    assert rounding_account == 0 == receipt.rounding_ore


def test_without_fortnox_rounding_the_register_rounding_is_the_write_off_as_before(shop) -> None:
    receipt = shop.receipt([shop.line("99.90", 25, article="1001")], [(CASH, "100.00")])
    draft = paid_invoice(receipt, PLAN, "1")

    (cash,) = settle(draft, InvoiceFacts(total_ore=9990, vat_ore=1998, round_off_ore=0), PLAN, receipt.key)

    assert [(w.account, w.amount_ore) for w in cash.write_offs] == [(3740, -10)]
    assert cash.settles_ore == 9990


def test_a_fortnox_total_more_than_a_rounding_away_is_never_paid(shop) -> None:
    receipt = shop.receipt([shop.line("99.90", 25, article="1001")], [(CASH, "100.00")])
    draft = paid_invoice(receipt, PLAN, "1")

    with pytest.raises(InvoiceTotalDiffers) as raised:
        settle(draft, InvoiceFacts(total_ore=0, vat_ore=0, round_off_ore=0), PLAN, receipt.key)

    assert "makulerades och inget betalades" in raised.value.user_message


@pytest.mark.parametrize("quantity", ["0.105", "0.455", "1.333", "2.005", "0.004"])
def test_weighed_lines_keep_their_amount_and_the_receipts_vat(shop, quantity: str) -> None:
    lines = [
        shop.line("99.00", 12, quantity, article="ost"),
        shop.line("89.00", 12, quantity, article="skinka"),
    ]
    total = Decimal(sum(x.amount_ore for x in lines)) / 100
    receipt = shop.receipt(lines, [(CARD, str(total))])

    rows = encoded_paid_invoice(receipt, PLAN, "1").invoice.rows

    assert gross_per_rate(rows) == {12: receipt.total_ore}
    assert vat_per_row(rows) == _vat_per_rate(rows) == receipt_vat(receipt)
