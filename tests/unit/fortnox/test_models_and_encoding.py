"""Fortnox's loose JSON read into exact models; our Decimals sent as exact JSON numbers; paths escaped."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from kassasync.fortnox.models import ArticleRow, Customer, InvoicePayment, LockedPeriod, ModeOfPayment
from kassasync.fortnox.transport import encode_json, path


def test_a_thin_article_list_row_with_numbers_as_strings_and_unknown_fields_is_read() -> None:
    row = ArticleRow.model_validate(
        {
            "ArticleNumber": "1",
            "Description": "Kaffe",
            "SalesPrice": "49.90",
            "VAT": None,
            "QuantityInStock": "-100000000000000",
            "DisposableQuantity": "",
            "CommodityCode": "",
        }
    )
    assert row.sales_price == Decimal("49.90")
    assert row.vat is None and row.disposable_quantity is None
    assert row.quantity_in_stock == Decimal("-100000000000000")


def test_money_is_never_a_float() -> None:
    body = json.loads('{"InvoiceNumber": 18, "Amount": 210.10}', parse_float=Decimal)
    payment = InvoicePayment.model_validate(body)
    assert payment.amount == Decimal("210.10") and isinstance(payment.amount, Decimal)


def test_empty_dates_and_string_account_numbers_are_tolerated() -> None:
    assert LockedPeriod.model_validate({"EndDate": ""}).end_date is None
    assert ModeOfPayment.model_validate({"Code": "KORT", "AccountNumber": "1580"}).account_number == 1580
    assert Customer.model_validate({"CustomerNumber": "1", "SalesAccount": None}).sales_account is None


def test_decimals_go_out_as_exact_json_numbers() -> None:
    text = encode_json({"Amount": Decimal("1250.10"), "Rows": [Decimal("0.01"), Decimal("-99999999.99")]})
    assert json.loads(text, parse_float=Decimal) == {
        "Amount": Decimal("1250.10"),
        "Rows": [Decimal("0.01"), Decimal("-99999999.99")],
    }


def test_an_amount_that_a_json_number_cannot_hold_exactly_is_refused() -> None:
    with pytest.raises(ValueError):
        encode_json({"Amount": Decimal("12345678901234567.89")})


def test_path_segments_are_escaped_whole() -> None:
    assert path("articles", "FG-B/S") == "articles/FG-B%2FS"
    assert path("articles", "GRÖN 12") == "articles/GR%C3%96N%2012"
