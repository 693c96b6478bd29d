"""Real company files in a temporary folder, and receipts that add up."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kassasync.clock import FakeClock
from kassasync.pos.models import Receipt
from kassasync.pos.store import PosStore

ReceiptFactory = Callable[..., Receipt]


def receipt_data(
    number: int, register: str = "K1", amount: int = 12300, article: str | None = "1001"
) -> dict[str, Any]:
    return {
        "register_code": register,
        "receipt_number": number,
        "sold_at": "2026-11-28T10:00:00+01:00",
        "total_ore": amount,
        "is_return": amount < 0,
        "lines": [
            {
                "article_number": article,
                "description": "Kaffe",
                "quantity": "1" if amount >= 0 else "-1",
                "unit_price_ore": abs(amount),
                "vat_rate": 12,
                "amount_ore": amount,
            }
        ],
        "payments": [{"method": "card", "amount_ore": amount}],
    }


@pytest.fixture
def make_receipt() -> ReceiptFactory:
    def make(number: int, register: str = "K1", amount: int = 12300, article: str | None = "1001") -> Receipt:
        return Receipt.model_validate(receipt_data(number, register, amount, article))

    return make


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> Iterator[PosStore]:
    with PosStore.create(
        tmp_path / "shop" / "kassa.db", "Hörnbutiken i Sundsvall AB", "5561234567", clock=clock
    ) as s:
        yield s
