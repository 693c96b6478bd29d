"""Articles (scope article), price lists and prices (scope price). REFERENCE §5.7, §5.9.

Article list rows are thin and carry numbers as strings, as the spec's fortnox_ArticleListItem
declares (no Active, SalesAccount, StockGoods, Type), and, as recorded traffic shows, `VAT: null` and
`SalesPrice: null`: only the detail carries the VAT and the sales account. The detail's `SalesPrice` is
the price in the preselected price list at FromQuantity 0; prices are held excluding VAT.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fortnox_sandbox import errors
from fortnox_sandbox.api.code_keyed import code_keyed_routes
from fortnox_sandbox.api.common import (
    Ctx,
    Reply,
    active_filter,
    cached_list,
    changed,
    contains,
    listing,
    number_key,
    sort,
    url,
    wrapped,
)
from fortnox_sandbox.numbers import decimal_of, num, ore_of, sek, sek_text, text
from fortnox_sandbox.routing import LIST_PARAMS, Route
from fortnox_sandbox.seed import ZERO, article_record
from fortnox_sandbox.shapes import ARTICLE_UNSET
from fortnox_sandbox.tenant import Record

ARTICLE_SEARCH = ("articlenumber", "description", "ean", "suppliernumber", "manufacturer", "webshop")


def sales_price_ore(ctx: Ctx, number: str) -> int | None:
    price = ctx.tenant.prices.get((ctx.tenant.default_price_list(), number, ZERO))
    return None if price is None else int(price["PriceOre"])


def disposable(article: Record) -> Decimal:
    return Decimal(article["QuantityInStock"]) - Decimal(article["ReservedQuantity"])


def render_article_row(ctx: Ctx, a: Record) -> dict[str, Any]:
    return {
        "@url": url(ctx, "articles", a["ArticleNumber"]),
        "ArticleNumber": a["ArticleNumber"],
        "Description": a["Description"],
        "DisposableQuantity": text(disposable(a)),
        "EAN": a["EAN"],
        "Housework": False,
        "PurchasePrice": sek_text(a["PurchasePriceOre"]),
        "QuantityInStock": text(a["QuantityInStock"]),
        "ReservedQuantity": text(a["ReservedQuantity"]),
        "SalesPrice": None,  # recorded list rows carry null whatever the price (articles/all)
        "StockPlace": a.get("StockPlace"),
        "StockValue": sek_text(int(a["PurchasePriceOre"] * max(a["QuantityInStock"], ZERO))),
        "Unit": a["Unit"],
        "VAT": None,  # only the detail tells the VAT (recorded articles/all vs find_id_1)
        "WebshopArticle": False,
    }


def render_article(ctx: Ctx, a: Record) -> dict[str, Any]:
    price = sales_price_ore(ctx, a["ArticleNumber"])
    return {
        **ARTICLE_UNSET,
        "@url": url(ctx, "articles", a["ArticleNumber"]),
        "Active": a["Active"],
        "ArticleNumber": a["ArticleNumber"],
        "Bulky": False,
        "ConstructionAccount": 0,
        "Depth": 0,
        "Description": a["Description"],
        "DisposableQuantity": num(disposable(a)),
        "EAN": a["EAN"],
        "EUAccount": 3108,
        "EUVATAccount": 3106,
        "Expired": False,
        "ExportAccount": 3105,
        "Height": 0,
        "Housework": False,
        "ManufacturerArticleNumber": "",
        "Note": "",
        "PurchaseAccount": 4010,
        "PurchasePrice": sek(a["PurchasePriceOre"]),
        "QuantityInStock": num(a["QuantityInStock"]),
        "ReservedQuantity": num(a["ReservedQuantity"]),
        "SalesAccount": a["SalesAccount"],
        "SalesPrice": None if price is None else sek(price),
        "StockGoods": a["StockGoods"],
        "StockPlace": a.get("StockPlace"),
        "StockValue": sek(int(a["PurchasePriceOre"] * max(a["QuantityInStock"], ZERO))),
        "StockWarning": 0,
        "Type": a["Type"],
        "Unit": a["Unit"] or None,
        "VAT": a["VAT"],
        "WebshopArticle": False,
        "Weight": 0,
        "Width": 0,
    }


def find_article(ctx: Ctx, number: str) -> Record:
    article = ctx.tenant.articles.get(number)
    if article is None:
        raise errors.not_found(*errors.ARTICLE_NOT_FOUND)
    return article


def list_articles(ctx: Ctx, p: dict[str, str]) -> Reply:
    items = cached_list(ctx, "articles", len(ctx.tenant.articles), lambda: article_items(ctx))
    return listing(ctx, "Articles", items, lambda a: render_article_row(ctx, a))


def article_items(ctx: Ctx) -> list[Record]:
    items = active_filter(ctx, changed(ctx.tenant.articles.values(), ctx))
    for name, field in (("articlenumber", "ArticleNumber"), ("description", "Description"), ("ean", "EAN")):
        if name in ctx.query:
            items = [a for a in items if contains(a[field], ctx.query[name])]
    keys: dict[str, Any] = {
        "articlenumber": lambda a: number_key(a["ArticleNumber"]),
        "quantityinstock": lambda a: a["QuantityInStock"],
        "reservedquantity": lambda a: a["ReservedQuantity"],
        "stockvalue": lambda a: a["PurchasePriceOre"] * a["QuantityInStock"],
    }
    return sort(ctx, items, keys, "articlenumber")


def get_article(ctx: Ctx, p: dict[str, str]) -> Reply:
    return Reply(200, {"Article": render_article(ctx, find_article(ctx, p["ArticleNumber"]))})


def apply_article(ctx: Ctx, article: Record, data: dict[str, Any]) -> None:
    """Partial update: "Any property not provided will be left unchanged" (REFERENCE §5.7)."""
    for field in ("Description", "EAN", "Unit"):
        if field in data:
            article[field] = str(data[field] or "")
    if "Active" in data:
        article["Active"] = bool(data["Active"])
    if "StockGoods" in data:
        article["StockGoods"] = bool(data["StockGoods"])
    if "Type" in data and data["Type"] in ("STOCK", "SERVICE"):
        article["Type"] = data["Type"]
    if "VAT" in data:
        article["VAT"] = int(decimal_of(data["VAT"], "VAT"))
    if "SalesAccount" in data:
        article["SalesAccount"] = int(decimal_of(data["SalesAccount"], "SalesAccount"))
    if "PurchasePrice" in data:
        article["PurchasePriceOre"] = ore_of(data["PurchasePrice"], "PurchasePrice")
    if "QuantityInStock" in data and not ctx.tenant.warehouse:
        # Writable only without Fortnox Lager (REFERENCE §5.14); with it the value is ignored.
        article["QuantityInStock"] = decimal_of(data["QuantityInStock"], "QuantityInStock")
    if not article["Description"]:
        raise errors.invalid(*errors.BAD_DATA)
    article["_modified"] = ctx.now


def create_article(ctx: Ctx, p: dict[str, str]) -> Reply:
    data = wrapped(ctx, "Article")
    number = str(data.get("ArticleNumber") or "")
    if not number:  # auto-numbered when omitted
        numeric = [int(n) for n in ctx.tenant.articles if n.isdigit()]
        number = str(max(numeric, default=0) + 1)
    if number in ctx.tenant.articles:
        raise errors.invalid(errors.ARTICLE_EXISTS[0], errors.ARTICLE_EXISTS[1].format(n=number))
    record = article_record(number, "", "", 25, False, "", ctx.now)
    record["Description"] = str(data.get("Description") or "")
    apply_article(ctx, record, data)
    ctx.tenant.articles[number] = record
    return Reply(201, {"Article": render_article(ctx, record)})


def update_article(ctx: Ctx, p: dict[str, str]) -> Reply:
    article = find_article(ctx, p["ArticleNumber"])
    data = wrapped(ctx, "Article")
    if "ArticleNumber" in data and str(data["ArticleNumber"]) != article["ArticleNumber"]:
        raise errors.invalid(*errors.BAD_DATA)
    apply_article(ctx, article, data)
    return Reply(200, {"Article": render_article(ctx, article)})


def delete_article(ctx: Ctx, p: dict[str, str]) -> Reply:
    article = find_article(ctx, p["ArticleNumber"])
    del ctx.tenant.articles[article["ArticleNumber"]]
    for key in [k for k in ctx.tenant.prices if k[1] == article["ArticleNumber"]]:
        del ctx.tenant.prices[key]
    return Reply(204, None)


# Price lists and prices ---------------------------------------------------------------------


PriceKey = tuple[str, str, Decimal]


def price_url(ctx: Ctx, key: PriceKey) -> str:
    return url(ctx, "prices", key[0], key[1], text(key[2]))


def render_price_row(ctx: Ctx, key: PriceKey) -> dict[str, Any]:
    price = ctx.tenant.prices[key]
    return {
        "@url": price_url(ctx, key),
        "ArticleNumber": key[1],
        "FromQuantity": num(key[2]),
        "Price": sek(price["PriceOre"]),
        "PriceList": key[0],
    }


def render_price(ctx: Ctx, key: PriceKey) -> dict[str, Any]:
    body = render_price_row(ctx, key)
    body["Date"] = ctx.tenant.prices[key]["_modified"].strftime("%Y-%m-%d %H:%M:%S")
    body["Percent"] = 0
    return body


def price_keys(ctx: Ctx, price_list: str | None = None, article: str | None = None) -> list[PriceKey]:
    keys = [
        k
        for k, rec in ctx.tenant.prices.items()
        if (price_list is None or k[0] == price_list) and (article is None or k[1] == article)
    ]
    threshold_rows = changed(({"key": k, "_modified": ctx.tenant.prices[k]["_modified"]} for k in keys), ctx)
    keys = [r["key"] for r in threshold_rows]
    return sorted(keys, key=lambda k: (k[0], number_key(k[1]), k[2]))


def list_prices(ctx: Ctx, p: dict[str, str]) -> Reply:
    keys = cached_list(ctx, "prices", len(ctx.tenant.prices), lambda: price_keys(ctx))
    return listing(ctx, "Prices", keys, lambda k: render_price_row(ctx, k))


def sublist_prices(ctx: Ctx, p: dict[str, str]) -> Reply:
    """`/3/prices/sublist/{PriceList}` works though the spec omits it (REFERENCE §5.9)."""
    if p["PriceList"] not in ctx.tenant.price_lists:
        raise errors.not_found(*errors.PRICE_LIST_NOT_FOUND)
    name = f"prices:{p['PriceList']}:{p.get('ArticleNumber')}"
    build = lambda: price_keys(ctx, p["PriceList"], p.get("ArticleNumber"))  # noqa: E731
    keys = cached_list(ctx, name, len(ctx.tenant.prices), build)
    return listing(ctx, "Prices", keys, lambda k: render_price_row(ctx, k))


def find_price(ctx: Ctx, p: dict[str, str]) -> PriceKey:
    if "FromQuantity" in p:
        key = (p["PriceList"], p["ArticleNumber"], decimal_of(p["FromQuantity"], "FromQuantity"))
        if key not in ctx.tenant.prices:
            raise errors.not_found(*errors.PRICE_NOT_FOUND)
        return key
    keys = price_keys(ctx, p["PriceList"], p["ArticleNumber"])
    if not keys:
        raise errors.not_found(*errors.PRICE_NOT_FOUND)
    return keys[0]


def get_price(ctx: Ctx, p: dict[str, str]) -> Reply:
    return Reply(200, {"Price": render_price(ctx, find_price(ctx, p))})


def put_price(ctx: Ctx, p: dict[str, str]) -> Reply:
    key = find_price(ctx, p)
    data = wrapped(ctx, "Price")
    if "Price" in data:
        ctx.tenant.prices[key] = {"PriceOre": ore_of(data["Price"], "Price"), "_modified": ctx.now}
    return Reply(200, {"Price": render_price(ctx, key)})


def create_price(ctx: Ctx, p: dict[str, str]) -> Reply:
    data = wrapped(ctx, "Price")
    price_list, article = str(data.get("PriceList") or ""), str(data.get("ArticleNumber") or "")
    if price_list not in ctx.tenant.price_lists:
        raise errors.not_found(*errors.PRICE_LIST_NOT_FOUND)
    find_article(ctx, article)
    key = (price_list, article, decimal_of(data.get("FromQuantity", 0), "FromQuantity"))
    ctx.tenant.prices[key] = {"PriceOre": ore_of(data.get("Price", 0), "Price"), "_modified": ctx.now}
    return Reply(201, {"Price": render_price(ctx, key)})


ROUTES = [
    Route("GET", "/3/articles", list_articles, "article", LIST_PARAMS | {"filter", *ARTICLE_SEARCH}),
    Route("POST", "/3/articles", create_article, "article"),
    Route("GET", "/3/articles/{ArticleNumber}", get_article, "article"),
    Route("PUT", "/3/articles/{ArticleNumber}", update_article, "article"),
    Route("DELETE", "/3/articles/{ArticleNumber}", delete_article, "article"),
    *code_keyed_routes(
        "pricelists",
        plural="PriceLists",
        singular="PriceList",
        scope="price",
        records=lambda tenant: tenant.price_lists,
        not_found=errors.PRICE_LIST_NOT_FOUND,
    ),
    Route("GET", "/3/prices", list_prices, "price", LIST_PARAMS),
    Route("POST", "/3/prices", create_price, "price"),
    Route("GET", "/3/prices/sublist/{PriceList}", sublist_prices, "price", LIST_PARAMS),
    Route("GET", "/3/prices/sublist/{PriceList}/{ArticleNumber}", sublist_prices, "price", LIST_PARAMS),
    Route("GET", "/3/prices/{PriceList}/{ArticleNumber}", get_price, "price"),
    Route("PUT", "/3/prices/{PriceList}/{ArticleNumber}", put_price, "price"),
    Route("GET", "/3/prices/{PriceList}/{ArticleNumber}/{FromQuantity}", get_price, "price"),
    Route("PUT", "/3/prices/{PriceList}/{ArticleNumber}/{FromQuantity}", put_price, "price"),
]
