"""The texts of what is posted: the key markers reconciliation searches for, and Fortnox's allowed characters.

A voucher's description carries its receipt's (or day's) key; Fortnox limits descriptions to 200 characters
of an allowed set (``docs/sources/REFERENCE.md`` §4.8, error 2000359), so the prose is cut and
cleaned and the marker survives whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from kassasync import clock
from kassasync.pos.models import PaymentMethod, Receipt

DESCRIPTION_MAX = 200  # Voucher.Description 1..200 (Fortnox OpenAPI, Voucher)
COMMENTS_MAX = 1000  # Voucher.Comments ≤ 1000

PAYMENT_TEXT: Mapping[PaymentMethod, str] = {
    PaymentMethod.CASH: "Kontant",
    PaymentMethod.CARD: "Kort",
    PaymentMethod.SWISH: "Swish",
    PaymentMethod.GIFT_CARD: "Presentkort inlöst",
}
ROUNDING_TEXT = "Öresavrundning"
WEIGHT_ROUNDING_TEXT = "Avrundning av kvantitet:"
GIFT_CARD_SOLD_TEXT = "Presentkort sålt"


def key_marker(key: str) -> str:
    """The exact text reconciliation searches a voucher's description for.

    Parentheses, not brackets: Fortnox's list of allowed characters (``docs/sources/REFERENCE.md``
    §4.8, error 2000359) has ``(`` ``)`` but not ``[`` ``]``. Register codes cannot hold spaces or
    parentheses, so one key's marker never occurs inside another's.
    """
    return f"({key})"


def summary_key(register_code: str, day: date) -> str:
    """A daily summary's key; the ``/`` keeps it apart from every receipt key (``K1-1001``)."""
    return f"{register_code}/{day.isoformat()}"


def business_date(receipt: Receipt) -> date:
    """The receipt's day in Sweden, whatever zone the register stamped it in."""
    return clock.business_date(receipt.sold_at)


_ALLOWED_PUNCTUATION = frozenset(" –:.`´’,;^¤#%§£$€¢¥©™°&/()=+-*_!?²³®½@\u00a0\\\u0308\u030a")


def fortnox_text(text: str, limit: int) -> str:
    """``text`` with characters Fortnox refuses (2000359, ``docs/sources/REFERENCE.md`` §4.8)
    replaced, cut to ``limit``."""
    cleaned = "".join(
        ch if ch.isalpha() or "0" <= ch <= "9" or ch in _ALLOWED_PUNCTUATION else " " for ch in text
    )
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"


def with_key(prose: str, key: str) -> str:
    """Prose cut so that the key marker, which must survive whole, still fits within Fortnox's limit."""
    marker = key_marker(key)
    return f"{fortnox_text(prose, DESCRIPTION_MAX - len(marker) - 1)} {marker}"


def number_ranges(numbers: Iterable[int]) -> str:
    """``1001–1003, 1007`` — how the receipts a summary covers are named in its text."""
    ordered = sorted(set(numbers))
    parts: list[str] = []
    start = previous = ordered[0] if ordered else 0
    for number in [*ordered[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(str(start) if start == previous else f"{start}–{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(parts) if ordered else ""


def sales_text(vat_rate: int) -> str:
    return f"Försäljning {vat_rate} % moms" if vat_rate else "Försäljning momsfri"


def vat_text(vat_rate: int) -> str:
    return f"Utgående moms {vat_rate} %"
