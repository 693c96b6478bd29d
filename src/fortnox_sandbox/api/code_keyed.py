"""Read-only resources keyed by a `Code` (price lists, modes and terms of payment): a list and a get.

Fortnox serves these alike — list rows and the single resource are the same record plus `@url`, and an
unknown code is a 404 with the resource's own code and message — so one pair of handlers serves them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fortnox_sandbox import errors
from fortnox_sandbox.api.common import Ctx, Reply, listing, url
from fortnox_sandbox.routing import LIST_PARAMS, Route
from fortnox_sandbox.tenant import Record, Tenant


def code_keyed_routes(
    resource: str,
    *,
    plural: str,
    singular: str,
    scope: str,
    records: Callable[[Tenant], dict[str, Record]],
    not_found: tuple[int, str],
    sort_key: Callable[[str], Any] = str,
) -> list[Route]:
    """The `GET /3/{resource}` and `GET /3/{resource}/{Code}` routes of one code-keyed resource."""

    def render(ctx: Ctx, record: Record) -> dict[str, Any]:
        return {"@url": url(ctx, resource, record["Code"]), **record}

    def list_all(ctx: Ctx, p: dict[str, str]) -> Reply:
        rows = sorted(records(ctx.tenant).values(), key=lambda r: sort_key(r["Code"]))
        return listing(ctx, plural, rows, lambda r: render(ctx, r))

    def get_one(ctx: Ctx, p: dict[str, str]) -> Reply:
        record = records(ctx.tenant).get(p["Code"])
        if record is None:
            raise errors.not_found(*not_found)
        return Reply(200, {singular: render(ctx, record)})

    return [
        Route("GET", f"/3/{resource}", list_all, scope, LIST_PARAMS),
        Route("GET", f"/3/{resource}/{{Code}}", get_one, scope),
    ]
