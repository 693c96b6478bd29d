"""Master data and sync state as the store takes and gives them: plain frozen records, öre and Decimal.

Dataclasses rather than pydantic models: a full pull streams 100 000 articles through here, and the
values were already checked where they came from (the Fortnox client's models).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path


class OutboxState(StrEnum):
    """Where a receipt is on its way to Fortnox. ``sending`` that outlives a run means "outcome unknown"."""

    PENDING = "pending"
    SENDING = "sending"
    POSTED = "posted"
    BOOKED = "booked"
    PAID = "paid"
    FAILED = "failed"


class Target(StrEnum):
    """What a receipt became in Fortnox; several receipts share one ref under ``summary``."""

    VOUCHER = "voucher"
    INVOICE = "invoice"
    SUMMARY = "summary"


class Origin(StrEnum):
    FORTNOX = "fortnox"
    REGISTER = "register"


@dataclass(frozen=True, slots=True)
class Company:
    name: str
    organisation_number: str


@dataclass(frozen=True, slots=True)
class Article:
    article_number: str
    description: str
    vat_rate: int
    sales_price_ore: int
    ean: str | None = None
    unit: str | None = None
    sales_account: int | None = None
    stock_goods: bool = False
    quantity_in_stock: Decimal = Decimal(0)
    active: bool = True
    origin: Origin = Origin.FORTNOX


@dataclass(frozen=True, slots=True)
class Price:
    price_list: str
    article_number: str
    price_ore: int
    from_quantity: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class Account:
    number: int
    description: str
    active: bool = True
    vat_code: str | None = None


@dataclass(frozen=True, slots=True)
class PredefinedAccount:
    name: str
    account: int


@dataclass(frozen=True, slots=True)
class Customer:
    customer_number: str
    name: str
    organisation_number: str | None = None
    price_list: str | None = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class Register:
    code: str
    name: str
    store: str | None = None


@dataclass(frozen=True, slots=True)
class PaymentMethodRow:
    code: str
    name: str
    account: int
    fortnox_mode_of_payment: str


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    receipt: str  # the receipt's key, 'K1-17'
    state: OutboxState
    target: Target | None
    fortnox_ref: str | None
    attempts: int
    last_error: str | None
    updated_at: str


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class Removal:
    removed: int
    kept_inactive: int  # still referenced by receipts not yet posted
    backup: Path | None


def split_key(key: str) -> tuple[str, int]:
    """``'K1-17'`` → ``('K1', 17)``. Register codes may hold ``-``; the number is after the last one."""
    code, sep, number = key.rpartition("-")
    if not sep or not code or not number.isdigit():
        raise ValueError(f"not a receipt key: {key!r}")
    return code, int(number)
