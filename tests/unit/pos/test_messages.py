"""A receipt that does not add up is refused with the field and a Swedish reason."""

from typing import Any

import pytest
from pydantic import ValidationError

from kassasync.pos.messages import ReceiptProblem, problems_from_validation
from kassasync.pos.models import Receipt


def receipt(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "register_code": "K1",
        "receipt_number": 17,
        "sold_at": "2026-11-28T10:00:00+01:00",
        "total_ore": 12300,
        "lines": [
            {
                "description": "Kaffe",
                "quantity": "1",
                "unit_price_ore": 12300,
                "vat_rate": 12,
                "amount_ore": 12300,
            }
        ],
        "payments": [{"method": "card", "amount_ore": 12300}],
    }
    data.update(changes)
    return data


def problems(data: dict[str, Any]) -> list[ReceiptProblem]:
    with pytest.raises(ValidationError) as caught:
        Receipt.model_validate(data)
    return problems_from_validation("K1-17", caught.value)


def test_a_correct_receipt_is_accepted() -> None:
    assert Receipt.model_validate(receipt()).key == "K1-17"


def test_lines_that_do_not_add_up_to_the_total_name_the_total_and_both_sums_in_kronor() -> None:
    [problem] = problems(receipt(total_ore=12400, payments=[{"method": "card", "amount_ore": 12400}]))
    assert problem.field == "total_ore"
    assert problem.message == (
        "Kvitto K1-17: summan av raderna (123,00 kr) plus avrundning (0,00 kr) "
        "stämmer inte med totalen (124,00 kr)"
    )
    assert "total_ore 12400 != lines 12300" in problem.detail


def test_payments_that_do_not_cover_the_total_are_named() -> None:
    [problem] = problems(receipt(payments=[{"method": "card", "amount_ore": 12000}]))
    assert problem.field == "payments"
    assert "betalningarna minus växel (120,00 kr)" in problem.message


def test_a_vat_rate_not_in_sweden_names_the_line_and_field() -> None:
    line = {
        "description": "Kaffe",
        "quantity": "1",
        "unit_price_ore": 12300,
        "vat_rate": 24,
        "amount_ore": 12300,
    }
    [problem] = problems(receipt(lines=[line]))
    assert problem.field == "lines[0].vat_rate"
    assert problem.message == "Kvitto K1-17: rad 1, momssats (vat_rate) måste vara 25, 12, 6 eller 0, inte 24"


def test_a_line_amount_that_is_not_quantity_times_price_names_the_line() -> None:
    line = {
        "description": "Kaffe",
        "quantity": "2",
        "unit_price_ore": 12300,
        "vat_rate": 12,
        "amount_ore": 12300,
    }
    [problem] = problems(receipt(lines=[line]))
    assert problem.field == "lines[0].amount_ore"
    assert problem.message.startswith("Kvitto K1-17: rad 1, radbeloppet (123,00 kr)")


def test_missing_and_unknown_fields_are_each_reported() -> None:
    data = receipt(colour="blue")
    del data["sold_at"]
    found = {p.field: p.message for p in problems(data)}
    assert found == {
        "sold_at": "Kvitto K1-17: tidpunkt (sold_at) saknas",
        "colour": "Kvitto K1-17: colour (colour) är inget fält i kvittoformatet",
    }


def test_money_given_as_a_fraction_is_refused_as_not_whole_ore() -> None:
    [problem] = problems(receipt(total_ore=123.5))
    assert problem.field == "total_ore"
    assert "heltal" in problem.message


def test_a_return_must_carry_is_return() -> None:
    line = {
        "description": "Kaffe",
        "quantity": "-1",
        "unit_price_ore": 12300,
        "vat_rate": 12,
        "amount_ore": -12300,
    }
    [problem] = problems(
        receipt(total_ore=-12300, lines=[line], payments=[{"method": "card", "amount_ore": -12300}])
    )
    assert problem.field == "is_return"
