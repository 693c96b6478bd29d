"""For many random valid receipts (seeded, so a failure reproduces), the rules hold on every one.

Each property is checked against arithmetic written independently here (``Decimal`` with ROUND_HALF_UP),
not against the module's own helpers.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from kassasync.clock import STOCKHOLM
from kassasync.config import DEFAULT_PAYMENT_MAPPING
from kassasync.pos.models import LineKind, PaymentMethod, Receipt, ReceiptLine, ReceiptPayment
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.bookkeeping import PAYMENT_TEXT, daily_summary, paid_invoice, receipt_voucher

SEEDS = range(400)
DAY = date(2026, 11, 28)
PLANS = {
    "bas": AccountPlan.from_company({}, DEFAULT_PAYMENT_MAPPING),
    "company_accounts": AccountPlan.from_company(
        {"SALES_25_SE": 3011, "SALES_12_SE": 3012, "OUTVAT_MP1": 2610, "CASH": 1911, "ROUNDOFF": 3741},
        DEFAULT_PAYMENT_MAPPING,
    ),
}


def expected_vat(gross_ore: int, rate: int) -> int:
    exact = Decimal(gross_ore) * rate / (100 + rate)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cash_rounded(amount_ore: int) -> int:
    return int((Decimal(amount_ore) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 100


def random_line(rng: random.Random, sign: int) -> ReceiptLine:
    if rng.random() < 0.08:
        amount = sign * rng.randint(1, 100) * 5000
        return ReceiptLine(
            description="Presentkort", quantity=Decimal(sign), unit_price_ore=abs(amount), vat_rate=0,
            amount_ore=amount, kind=LineKind.GIFT_CARD,
        )  # fmt: skip
    quantity = Decimal(rng.randint(1, 4)) if rng.random() < 0.8 else Decimal(rng.randint(1, 2500)) / 1000
    quantity *= sign
    unit = rng.choice([14, 18 * 14, 3333, 9990, 1890, rng.randint(1, 99999)])
    gross = int((quantity * unit).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    discount = sign * rng.randint(0, abs(gross) // 2) if rng.random() < 0.25 else 0
    return ReceiptLine(
        article_number=rng.choice([None, "A1", "A2", "B7"]), description="Vara", quantity=quantity,
        unit_price_ore=unit, discount_ore=discount, vat_rate=rng.choice([25, 12, 6, 0]),
        amount_ore=gross - discount,
    )  # fmt: skip


def random_receipt(rng: random.Random, number: int, sold_at: datetime | None = None) -> Receipt:
    sign = -1 if rng.random() < 0.15 else 1
    lines = [random_line(rng, sign) for _ in range(rng.randint(1, 6))]
    goods = sum(line.amount_ore for line in lines)
    if goods * sign <= 0:
        return random_receipt(rng, number, sold_at)
    payments: list[ReceiptPayment] = []
    left = goods
    for method in (PaymentMethod.GIFT_CARD, PaymentMethod.CARD, PaymentMethod.SWISH):
        if rng.random() < 0.3 and left:
            part = sign * rng.randint(1, abs(left))
            payments.append(ReceiptPayment(method=method, amount_ore=part))
            left -= part
    rounding = change = 0
    if left or not payments:
        rounding = cash_rounded(left) - left if rng.random() < 0.9 else 0
        change = rng.choice([0, 0, 5000, 12300]) if sign > 0 else 0
        payments.append(ReceiptPayment(method=PaymentMethod.CASH, amount_ore=left + rounding + change))
    rng.shuffle(payments)
    return Receipt(
        register_code="K1", receipt_number=number,
        sold_at=sold_at or datetime(2026, 11, 28, 10, tzinfo=STOCKHOLM) + timedelta(minutes=number),
        total_ore=goods + rounding, rounding_ore=rounding, change_ore=change, is_return=goods + rounding < 0,
        lines=tuple(lines), payments=tuple(payments),
    )  # fmt: skip


def receipts() -> Iterator[Receipt]:
    for seed in SEEDS:
        yield random_receipt(random.Random(seed), seed + 1)


@pytest.mark.parametrize("plan_name", PLANS)
def test_every_voucher_balances_to_the_ore(plan_name: str) -> None:
    for receipt in receipts():
        voucher = receipt_voucher(receipt, PLANS[plan_name], "F")
        assert voucher.debit_ore == voucher.credit_ore, receipt
        assert all(row.debit_ore >= 0 and row.credit_ore >= 0 for row in voucher.rows)


@pytest.mark.parametrize("plan_name", PLANS)
def test_vat_per_rate_is_rule_1_on_the_receipts_sum_per_rate(plan_name: str) -> None:
    plan = PLANS[plan_name]
    for receipt in receipts():
        net = receipt_voucher(receipt, plan, "F").net_by_account()
        for rate in (25, 12, 6):
            gross = sum(
                line.amount_ore
                for line in receipt.lines
                if line.vat_rate == rate and line.kind is LineKind.ARTICLE
            )
            assert -net.get(plan.output_vat_account(rate), 0) == expected_vat(gross, rate), receipt


@pytest.mark.parametrize("plan_name", PLANS)
def test_the_debits_for_money_are_what_came_in_and_the_credits_are_the_goods(plan_name: str) -> None:
    plan = PLANS[plan_name]
    for receipt in receipts():
        voucher = receipt_voucher(receipt, plan, "F")
        came_in = sum(p.amount_ore for p in receipt.payments) - receipt.change_ore
        money_rows = [row for row in voucher.rows if row.description in PAYMENT_TEXT.values()]
        assert sum(row.debit_ore - row.credit_ore for row in money_rows) == came_in, receipt
        rounding = voucher.net_by_account().get(plan.rounding, 0)
        assert rounding == -receipt.rounding_ore
        assert abs(rounding) <= 50


def test_the_daily_summary_is_the_sum_of_the_receipts_per_account() -> None:
    plan = PLANS["company_accounts"]
    for day_seed in range(20):
        rng = random.Random(10_000 + day_seed)
        day = [random_receipt(rng, n) for n in range(1, rng.randint(2, 60))]
        expected: dict[int, int] = {}
        for receipt in day:
            for account, amount in receipt_voucher(receipt, plan, "F").net_by_account().items():
                expected[account] = expected.get(account, 0) + amount
        summary = daily_summary(day, plan, "F", "K1", DAY)
        assert summary.net_by_account() == {a: v for a, v in expected.items() if v}
        assert summary.debit_ore == summary.credit_ore


@pytest.mark.parametrize("plan_name", PLANS)
def test_the_invoice_path_books_the_same_as_the_voucher_path(plan_name: str) -> None:
    plan = PLANS[plan_name]
    for receipt in receipts():
        paid = paid_invoice(receipt, plan, "1")
        assert sum(p.settles_ore for p in paid.payments) == paid.invoice.total_ore
        assert paid.postings(plan) == receipt_voucher(receipt, plan, "F").net_by_account(), receipt
