"""A receipt as the register hands it over: the one shape used by the store, the importer and bookkeeping.

Amounts are integer öre and include VAT (Swedish register prices do). Quantities are exact ``Decimal``.
A return is a receipt with negative quantities and amounts (and negative payments: money paid back).

Each rule that fails raises a ``PydanticCustomError`` whose *type* names the rule (``receipt_total``,
``line_amount``...) and whose context carries the figures, so ``pos.messages`` can tell the user in
Swedish which field is wrong and by how much, while the English message goes to the log.

The sums a receipt must satisfy (checked here, so nothing unbalanced ever reaches the store)::

    Σ line.amount_ore + rounding_ore == total_ore == Σ payment.amount_ore − change_ore
    line.amount_ore == quantity × unit_price_ore − discount_ore   (half-up to the öre)
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from kassasync.money import VAT_RATES


def _check_vat_rate(rate: int) -> int:
    if rate not in VAT_RATES:
        raise PydanticCustomError(
            "vat_rate", "VAT rate must be one of 25, 12, 6, 0, not {rate}", {"rate": rate}
        )
    return rate


VatRate = Annotated[int, AfterValidator(_check_vat_rate)]

# What Fortnox can hold, and what a register can sensibly mean. A register writing .NET's
# DateTime.MinValue (year 1) or MaxValue (9999), or an amount in the quadrillions, has a bug; the
# receipt is refused (named, in Swedish) and the others go on.
MAX_ORE = 99_999_999_999  # 999 999 999,99 kr
MAX_QUANTITY = Decimal(1_000_000)
FIRST_YEAR, LAST_YEAR = 2000, 2099
MAX_RECEIPT_NUMBER = 9_999_999_999_999_999  # fits SQLite INTEGER (2^63 does not)


def _check_amount(amount: int) -> int:
    if abs(amount) > MAX_ORE:
        raise PydanticCustomError(
            "amount_range", "amount {amount} öre is beyond what Fortnox holds", {"amount": amount}
        )
    return amount


def _check_quantity(quantity: Decimal) -> Decimal:
    exponent = quantity.as_tuple().exponent
    if (
        not quantity.is_finite()
        or abs(quantity) > MAX_QUANTITY
        or not isinstance(exponent, int)
        or exponent < -3
    ):
        raise PydanticCustomError(
            "quantity_range", "quantity {quantity} out of range", {"quantity": str(quantity)}
        )
    return quantity


def _check_sold_at(moment: datetime) -> datetime:
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise PydanticCustomError("sold_at_range", "sold_at year {year} out of range", {"year": moment.year})
    return moment


Ore = Annotated[int, AfterValidator(_check_amount)]
Quantity = Annotated[Decimal, AfterValidator(_check_quantity)]
SoldAt = Annotated[datetime, AfterValidator(_check_sold_at)]


class LineKind(StrEnum):
    """What a line sells. A gift card sold is a debt to its holder, not a sale (no VAT, account 2421)."""

    ARTICLE = "article"
    GIFT_CARD = "gift_card"


class PaymentMethod(StrEnum):
    """The register's payment methods; each maps to an account (and a Fortnox mode of payment)."""

    CASH = "cash"
    CARD = "card"
    SWISH = "swish"
    GIFT_CARD = "gift_card"


class ReceiptLine(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    article_number: str | None = Field(default=None, max_length=50)
    description: str = Field(min_length=1, max_length=255)
    quantity: Quantity
    unit_price_ore: Ore = Field(description="price per unit incl. VAT, before discount")
    discount_ore: Ore = Field(default=0, description="discount on the line incl. VAT (positive on a sale)")
    vat_rate: VatRate
    amount_ore: Ore = Field(description="what the line costs incl. VAT after discount")
    kind: LineKind = LineKind.ARTICLE

    @model_validator(mode="after")
    def _amount_adds_up(self) -> Self:
        gross = (self.quantity * self.unit_price_ore).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        if int(gross) - self.discount_ore != self.amount_ore:
            raise PydanticCustomError(
                "line_amount",
                "amount_ore {amount} != quantity × unit_price_ore − discount_ore ({gross} − {discount})",
                {"amount": self.amount_ore, "gross": int(gross), "discount": self.discount_ore},
            )
        if self.kind is LineKind.GIFT_CARD and self.vat_rate != 0:
            raise PydanticCustomError("gift_card_vat", "a gift card sold carries no VAT (vat_rate must be 0)")
        return self


class ReceiptPayment(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    method: PaymentMethod
    amount_ore: Ore = Field(description="amount received (cash: tendered); negative when paid back")


class Receipt(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    register_code: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_-]+$")
    receipt_number: int = Field(ge=1, le=MAX_RECEIPT_NUMBER)
    sold_at: SoldAt
    total_ore: Ore
    rounding_ore: Ore = 0
    change_ore: Ore = Field(default=0, ge=0, description="cash handed back to the customer")
    customer_number: str | None = None
    is_return: bool = False
    original_receipt: str | None = Field(default=None, description="key of the sale a return refers to")
    lines: tuple[ReceiptLine, ...] = Field(min_length=1)
    payments: tuple[ReceiptPayment, ...] = Field(min_length=1)

    @property
    def key(self) -> str:
        """Unique across the company: register code + receipt number. The idempotency key in Fortnox."""
        return f"{self.register_code}-{self.receipt_number}"

    @model_validator(mode="after")
    def _receipt_adds_up(self) -> Self:
        if self.sold_at.tzinfo is None:
            raise PydanticCustomError("sold_at_offset", "sold_at must carry a UTC offset")
        lines = sum(line.amount_ore for line in self.lines)
        if lines + self.rounding_ore != self.total_ore:
            raise PydanticCustomError(
                "receipt_total",
                "total_ore {total} != lines {lines} + rounding_ore {rounding}",
                {"total": self.total_ore, "lines": lines, "rounding": self.rounding_ore},
            )
        paid = sum(p.amount_ore for p in self.payments) - self.change_ore
        if paid != self.total_ore:
            raise PydanticCustomError(
                "receipt_payments",
                "payments − change ({paid}) != total_ore {total}",
                {"paid": paid, "total": self.total_ore, "change": self.change_ore},
            )
        has_cash = any(p.method is PaymentMethod.CASH for p in self.payments)
        if self.change_ore and not has_cash:
            raise PydanticCustomError("change_without_cash", "change_ore without a cash payment")
        if self.rounding_ore and not has_cash:
            raise PydanticCustomError(
                "rounding_without_cash", "rounding_ore without a cash payment (only cash is rounded)"
            )
        if self.is_return != (self.total_ore < 0):
            raise PydanticCustomError(
                "return_sign", "is_return must be true exactly when total_ore is negative"
            )
        return self
