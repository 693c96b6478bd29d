"""How Fortnox's catalogue rows become the register's: shelf prices with VAT, and rows that cannot be used."""

from __future__ import annotations

from decimal import Decimal

from kassasync.fortnox.models import Article, ArticleRow, PredefinedAccount
from kassasync.pos import records
from kassasync.pos.orgnr import same_organisation
from kassasync.sync.articles import from_detail, from_row, needs_detail, shelf_price_ore


def test_a_price_list_price_excluding_vat_is_grossed_up_half_up_to_the_ore() -> None:
    assert shelf_price_ore(Decimal("39.92"), 25) == 4990
    assert shelf_price_ore(Decimal("53.48"), 12) == 5990  # 5989.76 öre
    assert shelf_price_ore(Decimal("10.05"), 6) == 1065  # 1065.3 öre
    assert shelf_price_ore(Decimal("0.10"), 25) == 13  # 12.5 öre rounds up
    assert shelf_price_ore(Decimal("0.125"), 12) == 14  # 14.0 öre, decimals past the öre kept until the end


def test_organisation_numbers_compare_by_their_last_ten_digits() -> None:
    assert same_organisation("556123-4567", "5561234567")
    assert same_organisation("5561234567", "16556123-4567")
    assert not same_organisation("556123-4567", "559012-3450")


def _row(**fields: object) -> ArticleRow:
    """A list row as Fortnox sends it: VAT and SalesPrice null, numbers as strings."""
    base = {"ArticleNumber": "FG-B/S", "Description": "Frigolit", "VAT": None, "SalesPrice": None}
    return ArticleRow.model_validate({**base, "QuantityInStock": "0", **fields})


def _detail(**fields: object) -> Article:
    base = {"ArticleNumber": "FG-B/S", "Description": "Frigolit", "VAT": 25, "SalesPrice": 15.92}
    return Article.model_validate({**base, "SalesAccount": 3001, "StockGoods": True, **fields})


KNOWN = records.Article("FG-B/S", "Frigolit", 12, 2240, sales_account=3002, stock_goods=True)


def test_a_real_list_row_needs_the_detail_only_when_the_article_is_new_or_changed() -> None:
    assert needs_detail(_row(), None, changed=False)
    assert needs_detail(_row(), KNOWN, changed=True)
    assert not needs_detail(_row(), KNOWN, changed=False)
    assert not needs_detail(_row(VAT="25"), None, changed=True)  # a row that does say it


def test_the_detail_gives_vat_account_and_the_shelf_price_from_the_price_excluding_vat() -> None:
    article = from_detail(_row(QuantityInStock="-8"), _detail())
    assert article is not None
    assert (article.vat_rate, article.sales_price_ore, article.sales_account) == (25, 1990, 3001)
    assert article.quantity_in_stock == Decimal(-8)  # negative stock is real (FIELD.md 10)


def test_an_unchanged_article_keeps_what_the_company_file_knows() -> None:
    article = from_row(_row(Description="Frigolit ny"), KNOWN)
    assert article is not None
    assert (article.vat_rate, article.sales_price_ore, article.description) == (12, 2240, "Frigolit ny")


def test_an_article_without_a_usable_vat_rate_even_in_its_detail_gives_none() -> None:
    assert from_detail(_row(), _detail(VAT=None)) is None
    assert from_detail(_row(), _detail(VAT="7")) is None
    assert from_detail(_row(), _detail(VAT="12.5")) is None
    assert from_row(_row(), None) is None


def test_a_predefined_account_that_is_blank_null_or_zero_is_not_set() -> None:
    for unset in ("", None, 0, "0", " "):
        assert PredefinedAccount.model_validate({"Name": "CASH", "Account": unset}).account == 0
    assert PredefinedAccount.model_validate({"Name": "CASH", "Account": "1910"}).account == 1910


def test_the_time_left_reads_in_swedish() -> None:
    from kassasync.sync.events import time_left_text

    assert time_left_text(None) == ""
    assert time_left_text(42.0) == "under en minut kvar"
    assert time_left_text(12 * 60 + 5) == "ca 12 min kvar"
    assert time_left_text(5 * 3600 + 40 * 60) == "ca 5 h 40 min kvar"
