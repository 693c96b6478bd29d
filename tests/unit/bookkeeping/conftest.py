"""Receipts written as a shop owner reads them: kronor as strings, the register's arithmetic done here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from kassasync.clock import STOCKHOLM
from kassasync.pos.models import LineKind, PaymentMethod, Receipt, ReceiptLine, ReceiptPayment
from kassasync.sync.bookkeeping import VoucherDraft

SOLD_AT = datetime(2026, 11, 28, 14, 30, tzinfo=STOCKHOLM)


def ore(kronor: str) -> int:
    return int(Decimal(kronor) * 100)


class Shop:
    """Builds valid receipts: totals, rounding and the return flag follow from lines and payments."""

    def line(
        self,
        unit_price: str,
        vat_rate: int,
        quantity: str = "1",
        *,
        discount: str = "0",
        article: str | None = None,
        gift_card: bool = False,
        description: str = "Vara",
    ) -> ReceiptLine:
        gross = (Decimal(quantity) * ore(unit_price)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return ReceiptLine(
            article_number=article,
            description="Presentkort" if gift_card else description,
            quantity=Decimal(quantity),
            unit_price_ore=ore(unit_price),
            discount_ore=ore(discount),
            vat_rate=0 if gift_card else vat_rate,
            amount_ore=int(gross) - ore(discount),
            kind=LineKind.GIFT_CARD if gift_card else LineKind.ARTICLE,
        )

    def receipt(
        self,
        lines: Sequence[ReceiptLine],
        payments: Sequence[tuple[PaymentMethod, str]],
        *,
        number: int = 1001,
        register: str = "K1",
        change: str = "0",
        sold_at: datetime = SOLD_AT,
        original: str | None = None,
    ) -> Receipt:
        total = sum(ore(amount) for _method, amount in payments) - ore(change)
        return Receipt(
            register_code=register,
            receipt_number=number,
            sold_at=sold_at,
            total_ore=total,
            rounding_ore=total - sum(line.amount_ore for line in lines),
            change_ore=ore(change),
            is_return=total < 0,
            original_receipt=original,
            lines=tuple(lines),
            payments=tuple(ReceiptPayment(method=m, amount_ore=ore(a)) for m, a in payments),
        )

    @staticmethod
    def rows(voucher: VoucherDraft) -> list[tuple[int, str, str]]:
        """The voucher as an accountant reads it: (account, debit, credit) in kronor, sorted by account."""
        return sorted((row.account, _kr(row.debit_ore), _kr(row.credit_ore)) for row in voucher.rows)


def _kr(value: int) -> str:
    return f"{Decimal(value) / 100:.2f}"


@pytest.fixture
def shop() -> Shop:
    return Shop()
