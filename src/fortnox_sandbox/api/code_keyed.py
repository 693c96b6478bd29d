"""Resources keyed by a `Code` (price lists, modes and terms of payment, units): a list and a get, and
for the writable ones (terms of payment and units, as recorded) a create and a partial update.

Fortnox serves these alike — list rows and the single resource are the same record plus `@url`, and an
unknown code is a 404 with the resource's own code and message — so one pair of handlers serves them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fortnox_sandbox import errors
from fortnox_sandbox.api.common import Ctx, Reply, listing, url, wrapped
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
    writable: tuple[str, ...] = (),
) -> list[Route]:
    """The `GET /3/{resource}` and `GET /3/{resource}/{Code}` routes of one code-keyed resource, and
    `POST`/`PUT` when it has `writable` fields (besides `Code`)."""

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

    def create(ctx: Ctx, p: dict[str, str]) -> Reply:
        data = wrapped(ctx, singular)
        code = str(data.get("Code") or "")
        if not code or code in records(ctx.tenant):
            raise errors.invalid(*errors.BAD_DATA)
        record: Record = {"Code": code, **{f: str(data.get(f) or "") for f in writable}}
        records(ctx.tenant)[code] = record
        return Reply(201, {singular: render(ctx, record)})

    def update(ctx: Ctx, p: dict[str, str]) -> Reply:
        record = records(ctx.tenant).get(p["Code"])
        if record is None:
            raise errors.not_found(*not_found)
        data = wrapped(ctx, singular)
        record.update({f: str(data[f] or "") for f in writable if f in data})
        return Reply(200, {singular: render(ctx, record)})

    routes = [
        Route("GET", f"/3/{resource}", list_all, scope, LIST_PARAMS),
        Route("GET", f"/3/{resource}/{{Code}}", get_one, scope),
    ]
    if writable:
        routes += [
            Route("POST", f"/3/{resource}", create, scope),
            Route("PUT", f"/3/{resource}/{{Code}}", update, scope),
        ]
    return routes
