"""How Fortnox's catalogue rows become the register's: shelf prices with VAT, and rows that cannot be used."""

from __future__ import annotations

from decimal import Decimal

from kassasync.fortnox.models import ArticleRow
from kassasync.sync.pull import _digits, article_from_row, gross_ore


def test_a_price_list_with_vat_included_is_taken_as_it_is() -> None:
    assert gross_ore(Decimal("49.90"), 12, includes_vat=True) == 4990


def test_a_price_list_without_vat_is_grossed_up_half_up_to_the_ore() -> None:
    assert gross_ore(Decimal("39.92"), 25, includes_vat=False) == 4990
    assert gross_ore(Decimal("10.05"), 6, includes_vat=False) == 1065  # 1065.3 öre
    assert gross_ore(Decimal("0.10"), 25, includes_vat=False) == 13  # 12.5 öre rounds up


def test_organisation_numbers_compare_by_their_last_ten_digits() -> None:
    assert _digits("556123-4567") == _digits("5561234567") == _digits("16556123-4567")
    assert _digits("556123-4567") != _digits("559012-3450")


def _row(**fields: object) -> ArticleRow:
    return ArticleRow.model_validate({"ArticleNumber": "FG-B/S", "Description": "Frigolit", **fields})


def test_an_article_row_with_a_valid_rate_becomes_a_register_article() -> None:
    article = article_from_row(_row(VAT="25", SalesPrice="19.90", QuantityInStock="-8"), True)
    assert article is not None
    assert (article.article_number, article.vat_rate, article.sales_price_ore) == ("FG-B/S", 25, 1990)
    assert article.quantity_in_stock == Decimal(-8)  # negative stock is real (FIELD.md 10)


def test_an_article_row_without_a_usable_vat_rate_is_skipped() -> None:
    assert article_from_row(_row(VAT=None, SalesPrice="19.90"), True) is None
    assert article_from_row(_row(VAT="7", SalesPrice="19.90"), True) is None
    assert article_from_row(_row(VAT="12.5", SalesPrice="19.90"), True) is None
