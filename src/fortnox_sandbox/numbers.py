"""Money and quantities at the JSON boundary: öre integers inside, SEK numbers outside.

Bodies are parsed with `parse_float=Decimal`, so no amount ever passes through a float on the way in.
Fortnox rounds row prices and quantities to 2 decimals half-up (REFERENCE §4.7).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from fortnox_sandbox import errors

CENT = Decimal("0.01")


def decimal_of(value: Any, field: str) -> Decimal:
    """Lenient like Fortnox: numbers or numeric strings."""
    if isinstance(value, bool):
        raise errors.invalid(errors.NOT_NUMERIC[0], errors.NOT_NUMERIC[1].format(value=f"{field}: {value}"))
    try:
        return Decimal(str(value).strip().replace(",", ".")) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        raise errors.invalid(errors.NOT_NUMERIC[0], errors.NOT_NUMERIC[1].format(value=value)) from None


def ore_of(value: Any, field: str) -> int:
    """SEK (2 decimals, half-up) to öre."""
    return int((decimal_of(value, field) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_ore(value: Decimal) -> int:
    """A Decimal amount in öre (possibly fractional) to whole öre, half-up."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def sek(ore: int) -> int | float:
    """öre to a JSON number; ore/100 always prints as the exact 2-decimal value."""
    return ore // 100 if ore % 100 == 0 else ore / 100


def num(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def text(value: Decimal | int) -> str:
    """Numbers that list rows carry as strings (REFERENCE §4.7, spec list items)."""
    if isinstance(value, int):
        return str(value)
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def sek_text(ore: int) -> str:
    return text(Decimal(ore) / 100)
