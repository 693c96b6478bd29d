"""The warehouse module's API (scope warehouse): camelCase, no envelope (REFERENCE §4.2, §5.14).

Implemented: tenant activation status, stock balance per article and stock point (one stock point,
`HUV`), the stock point list. Custom/manual outbound documents are not simulated.
"""

from __future__ import annotations

import uuid
from typing import Any

from fortnox_sandbox.api.common import Ctx, Reply
from fortnox_sandbox.numbers import num
from fortnox_sandbox.routing import Route


def tenant_info(ctx: Ctx, p: dict[str, str]) -> Reply:
    return Reply(200, {"tenantId": ctx.tenant.database_number, "activated": ctx.tenant.warehouse})


def not_activated() -> Reply:
    """Error shape warehouse_WebException; the exact answer of a tenant without Lager is UNVERIFIED."""
    body = {"error": "not_activated", "id": str(uuid.uuid4()), "message": "Hittades inte i lagermodulen"}
    return Reply(400, body)


def stock_balance(ctx: Ctx, p: dict[str, str]) -> Reply:
    """`itemIds` and `stockPointCodes` are comma-separated (form style, explode)."""
    if not ctx.tenant.warehouse:
        return not_activated()
    wanted = [i for i in ctx.query.get("itemids", "").split(",") if i]
    points = [c for c in ctx.query.get("stockpointcodes", "").split(",") if c]
    if points and ctx.tenant.stock_point not in points:
        return Reply(200, [])
    numbers = wanted or [n for n, a in ctx.tenant.articles.items() if a["StockGoods"]]
    rows: list[dict[str, Any]] = []
    for number in numbers:
        article = ctx.tenant.articles.get(number)
        if article is None or not article["StockGoods"]:
            continue
        in_stock = article["QuantityInStock"]
        rows.append(
            {
                "itemId": number,
                "stockPointCode": ctx.tenant.stock_point,
                "availableStock": num(in_stock - article["ReservedQuantity"]),
                "inStock": num(in_stock),
            }
        )
    return Reply(200, rows)


def stock_points(ctx: Ctx, p: dict[str, str]) -> Reply:
    if not ctx.tenant.warehouse:
        return not_activated()
    point = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"sandbox/{ctx.tenant.name}/{ctx.tenant.stock_point}")),
        "code": ctx.tenant.stock_point,
        "name": "Huvudlager",
        "active": True,
        "usingCompanyAddress": True,
        "stockLocations": [],
    }
    return Reply(200, [point])


ROUTES = [
    Route("GET", "/api/warehouse/tenants-v4", tenant_info, "warehouse"),
    Route(
        "GET",
        "/api/warehouse/status-v1/stockbalance",
        stock_balance,
        "warehouse",
        frozenset({"itemids", "stockpointcodes"}),
    ),
    Route("GET", "/api/warehouse/stockpoints-v1", stock_points, "warehouse", frozenset({"q", "state"})),
]
