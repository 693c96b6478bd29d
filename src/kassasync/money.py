"""Money as integer öre; ``Decimal`` only at the Fortnox boundary. Never ``float``.

Rounding is half-up on exact halves, as Swedish VAT and cash rounding require (Skatteverket; see
``docs/sources/RULES.md`` rule 8): Python's ``round()`` and ``Decimal``'s default (half-even)
are one öre wrong on, e.g., 12 % of an odd multiple of 0.14 kr.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Ore = int
VAT_RATES: tuple[int, ...] = (25, 12, 6, 0)


def div_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounded half away from zero (the bookkeeping meaning of half-up)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    sign = -1 if numerator < 0 else 1
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder * 2 >= denominator:
        quotient += 1
    return sign * quotient


def vat_of_gross(gross_ore: Ore, rate_percent: int) -> Ore:
    """VAT contained in a VAT-inclusive amount: gross × rate / (100 + rate), half-up to the öre."""
    if rate_percent not in VAT_RATES:
        raise ValueError(f"unknown VAT rate {rate_percent} %")
    return div_half_up(gross_ore * rate_percent, 100 + rate_percent)


def round_cash(amount_ore: Ore) -> Ore:
    """Cash rounded to whole kronor, 50 öre up (öresavrundning)."""
    return div_half_up(amount_ore, 100) * 100


def to_decimal(amount_ore: Ore) -> Decimal:
    """Öre to kronor with two decimals, for a Fortnox request."""
    return (Decimal(amount_ore) / 100).quantize(Decimal("0.01"))


def from_decimal(kronor: Decimal | str | int) -> Ore:
    """Kronor (as Fortnox sends them: number or string) to öre, half-up past the second decimal."""
    try:
        value = Decimal(str(kronor))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {kronor!r}") from exc
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_kronor(amount_ore: Ore) -> str:
    """Swedish display: ``1 234,50 kr``."""
    sign = "-" if amount_ore < 0 else ""
    kronor, ore = divmod(abs(amount_ore), 100)
    grouped = f"{kronor:,}".replace(",", "\u00a0")
    return f"{sign}{grouped},{ore:02d} kr"
