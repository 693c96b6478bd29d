"""Receipt validation errors in Swedish for the shop owner, with the field, and in English for the log.

The rules live in ``models.py``; each raises an error whose type names the rule and whose context holds
the figures. Here those become sentences such as "Kvitto K1-17: summan av raderna (123,00 kr) plus
avrundning (0,00 kr) stämmer inte med totalen (124,00 kr)".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from kassasync.money import format_kronor


@dataclass(frozen=True)
class ReceiptProblem:
    """One reason a receipt was refused: ``field`` is the JSON path, e.g. ``lines[1].vat_rate``."""

    receipt: str
    field: str
    message: str  # Swedish, for the user
    detail: str  # English, for the log


FIELD_NAMES: dict[str, str] = {
    "register_code": "kassa",
    "receipt_number": "kvittonummer",
    "sold_at": "tidpunkt",
    "total_ore": "total",
    "rounding_ore": "avrundning",
    "change_ore": "växel",
    "customer_number": "kundnummer",
    "is_return": "retur",
    "original_receipt": "ursprungligt kvitto",
    "lines": "rader",
    "payments": "betalningar",
    "article_number": "artikelnummer",
    "description": "benämning",
    "quantity": "antal",
    "unit_price_ore": "styckpris",
    "discount_ore": "rabatt",
    "vat_rate": "momssats",
    "amount_ore": "belopp",
    "kind": "radtyp",
    "method": "betalningssätt",
}

# Receipt-level rules: the field each one is about.
RULE_FIELDS: dict[str, str] = {
    "receipt_total": "total_ore",
    "receipt_payments": "payments",
    "change_without_cash": "change_ore",
    "rounding_without_cash": "rounding_ore",
    "return_sign": "is_return",
    "sold_at_offset": "sold_at",
    "line_amount": "amount_ore",
    "gift_card_vat": "vat_rate",
}

_KR = {"total", "lines", "rounding", "paid", "change", "amount", "gross", "discount"}

TEMPLATES: dict[str, str] = {
    "receipt_total": (
        "summan av raderna ({lines}) plus avrundning ({rounding}) stämmer inte med totalen ({total})"
    ),
    "receipt_payments": "betalningarna minus växel ({paid}) stämmer inte med totalen ({total})",
    "line_amount": "radbeloppet ({amount}) ska vara antal × styckpris minus rabatt ({gross} − {discount})",
    "gift_card_vat": "ett sålt presentkort har ingen moms: momssatsen ska vara 0",
    "vat_rate": "måste vara 25, 12, 6 eller 0, inte {rate}",
    "sold_at_offset": "tidpunkten saknar tidszon (skriv t.ex. 2026-11-28T14:03:00+01:00)",
    "change_without_cash": "växel kan bara ges när kunden betalat kontant",
    "rounding_without_cash": "öresavrundning finns bara vid kontant betalning",
    "return_sign": "en retur ska ha negativ total och is_return satt, och bara en retur",
    "missing": "saknas",
    "extra_forbidden": "är inget fält i kvittoformatet",
    "int_type": "ska vara ett heltal (belopp anges i öre)",
    "int_parsing": "ska vara ett heltal (belopp anges i öre)",
    "int_from_float": "ska vara ett heltal (belopp anges i öre)",
    "decimal_type": "ska vara ett tal",
    "decimal_parsing": "ska vara ett tal",
    "finite_number": "ska vara ett ändligt tal",
    "string_type": "ska vara text",
    "string_too_short": "får inte vara tomt",
    "string_too_long": "är för långt (högst {max_length} tecken)",
    "string_pattern_mismatch": "får bara innehålla bokstäver A–Z, siffror, bindestreck och understreck",
    "greater_than_equal": "måste vara minst {ge}",
    "less_than_equal": "får vara högst {le}",
    "amount_range": "är för stort för Fortnox ({amount} öre; högst 999 999 999,99 kr)",
    "quantity_range": (
        "ska vara ett tal mellan −1 000 000 och 1 000 000 med högst tre decimaler, inte {quantity}"
    ),
    "sold_at_range": "har ett orimligt år ({year}); kassan måste skriva ett datum mellan år 2000 och 2099",
    "too_short": "måste innehålla minst en post",
    "enum": "måste vara ett av {expected}",
    "bool_type": "ska vara true eller false",
    "bool_parsing": "ska vara true eller false",
    "datetime_type": "ska vara en tidpunkt, t.ex. 2026-11-28T14:03:00+01:00",
    "datetime_parsing": "ska vara en tidpunkt, t.ex. 2026-11-28T14:03:00+01:00",
    "datetime_from_date_parsing": "ska vara en tidpunkt, t.ex. 2026-11-28T14:03:00+01:00",
    "model_type": "ska vara ett JSON-objekt",
    "dict_type": "ska vara ett JSON-objekt",
    "model_attributes_type": "ska vara ett JSON-objekt",
    "tuple_type": "ska vara en lista",
    "list_type": "ska vara en lista",
}


def _format_ctx(ctx: Mapping[str, Any]) -> dict[str, str]:
    return {k: format_kronor(v) if k in _KR and isinstance(v, int) else str(v) for k, v in ctx.items()}


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _where(loc: tuple[int | str, ...]) -> str:
    """Swedish position: ``rad 2`` / ``betalning 1`` for the 0-based JSON index."""
    if len(loc) >= 2 and isinstance(loc[1], int):
        noun = {"lines": "rad", "payments": "betalning"}.get(str(loc[0]))
        if noun:
            return f"{noun} {loc[1] + 1}, "
    return ""


def problem_from_error(receipt: str, error: ErrorDetails) -> ReceiptProblem:
    loc = tuple(error["loc"])
    rule_field = RULE_FIELDS.get(error["type"])
    field_loc = (*loc, rule_field) if rule_field and (not loc or isinstance(loc[-1], int)) else loc
    field = _path(field_loc) or "kvitto"
    template = TEMPLATES.get(error["type"])
    ctx = _format_ctx(error.get("ctx", {}))
    text = template.format(**ctx) if template else "är ogiltigt"
    name = str(field_loc[-1]) if field_loc else ""
    if rule_field or not name:
        message = f"Kvitto {receipt}: {_where(loc)}{text}"
    else:
        label = FIELD_NAMES.get(name, name)
        message = f"Kvitto {receipt}: {_where(loc)}{label} ({name}) {text}"
    return ReceiptProblem(receipt, field, message, f"receipt {receipt}: {field}: {error['msg']}")


def problems_from_validation(receipt: str, exc: ValidationError) -> list[ReceiptProblem]:
    errors = exc.errors()
    # A list whose only item failed also reports "too short"; the item's own error is the real one.
    inner = {tuple(e["loc"][:i]) for e in errors for i, part in enumerate(e["loc"]) if isinstance(part, int)}
    kept = [e for e in errors if not (e["type"] == "too_short" and tuple(e["loc"]) in inner)]
    return [problem_from_error(receipt, error) for error in kept]
