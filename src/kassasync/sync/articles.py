"""Fortnox articles as the register's articles: VAT from the detail, shelf prices from net prices.

Real Fortnox list rows carry ``VAT: null`` and ``SalesPrice: null`` (recorded ``articles/all``): only
``GET /3/articles/{n}`` tells an article's VAT, sales account and sales price. The detail is fetched
for new and changed articles only (``lastmodified``); an unchanged article keeps what the company file
already holds, so a daily full pass costs its list pages and nothing per article.

Fortnox price lists hold prices excluding VAT ("utpris exklusive moms", Fortnox support), whatever the
customer's ``ShowPriceVATIncluded`` says: a shelf price is that price × (1 + VAT), half-up to the öre
(``docs/sources/RULES.md`` rule 8).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from kassasync.fortnox import models as fx
from kassasync.pos import records

VAT_RATES = frozenset({25, 12, 6, 0})


def shelf_price_ore(price_excluding_vat: Decimal, vat_rate: int) -> int:
    """A price-list price (kronor, excluding VAT) as the register's shelf price (öre, VAT included)."""
    gross = price_excluding_vat * 100 * (100 + vat_rate) / 100
    return int(gross.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def usable_vat(value: Decimal | None) -> int | None:
    """The VAT rate when it is one Sweden has (25, 12, 6, 0), else None."""
    if value is None or value != value.to_integral_value() or int(value) not in VAT_RATES:
        return None
    return int(value)


def needs_detail(row: fx.ArticleRow, known: records.Article | None, changed: bool) -> bool:
    """The list row cannot tell the VAT, and the article is new or changed since the last pull."""
    return usable_vat(row.vat) is None and (known is None or changed)


def from_detail(row: fx.ArticleRow, detail: fx.Article) -> records.Article | None:
    """The register's article from the list row and its detail; None when even the detail has no
    usable VAT rate (the caller names it in a message)."""
    vat = usable_vat(detail.vat)
    if vat is None:
        return None
    price = detail.sales_price if detail.sales_price is not None else row.sales_price
    return records.Article(
        article_number=row.article_number,
        description=detail.description or row.description,
        vat_rate=vat,
        sales_price_ore=0 if price is None else shelf_price_ore(price, vat),
        ean=(detail.ean or row.ean) or None,
        unit=(detail.unit or row.unit) or None,
        sales_account=detail.sales_account or None,
        stock_goods=detail.stock_goods,
        quantity_in_stock=row.quantity_in_stock or detail.quantity_in_stock or Decimal(0),
    )


def from_row(row: fx.ArticleRow, known: records.Article | None) -> records.Article | None:
    """Without a detail: the row's own VAT if it has one, else what the company file knows."""
    vat = usable_vat(row.vat)
    if vat is None and known is None:
        return None
    if vat is None:
        assert known is not None
        return replace(
            known,
            description=row.description or known.description,
            ean=row.ean or None,
            unit=row.unit or None,
            quantity_in_stock=row.quantity_in_stock or Decimal(0),
            active=True,
            origin=records.Origin.FORTNOX,
        )
    price = 0 if row.sales_price is None else shelf_price_ore(row.sales_price, vat)
    return records.Article(
        article_number=row.article_number,
        description=row.description,
        vat_rate=vat,
        sales_price_ore=price,
        ean=row.ean or None,
        unit=row.unit or None,
        quantity_in_stock=row.quantity_in_stock or Decimal(0),
        sales_account=None if known is None else known.sales_account,
        stock_goods=False if known is None else known.stock_goods,
    )
