"""What every resource handler shares: the request context, replies, envelopes and list paging.

List semantics (REFERENCE §4.2-4.6): plural key + MetaInformation, `limit` default 100 max 500,
1-based `page`, `offset`, `@TotalPages` 0 for an empty result, `lastmodified` in Swedish time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import quote

from fortnox_sandbox import errors
from fortnox_sandbox.state import SandboxState
from fortnox_sandbox.tenant import Record, Tenant

T = TypeVar("T")


@dataclass
class Ctx:
    state: SandboxState
    tenant: Tenant
    query: dict[str, str]
    body: Any
    base_url: str
    now: datetime  # naive Europe/Stockholm, seconds
    created: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Reply:
    status: int
    body: Any


def url(ctx: Ctx, *segments: str | int, query: str = "") -> str:
    """`@url` pointing back at this sandbox (codes percent-encoded, REFERENCE §4.3)."""
    path = "/".join(quote(str(s), safe="") for s in segments)
    return f"{ctx.base_url}/3/{path}" + (f"?{query}" if query else "")


def wrapped(ctx: Ctx, wrapper: str) -> dict[str, Any]:
    """The request body's object inside its wrapper (`{"Article": {...}}`)."""
    body = ctx.body
    if not isinstance(body, dict) or not isinstance(body.get(wrapper), dict):
        raise errors.invalid(*errors.BAD_DATA)
    inner: dict[str, Any] = body[wrapper]
    return inner


def int_param(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise errors.invalid(errors.NOT_NUMERIC[0], errors.NOT_NUMERIC[1].format(value=value)) from None


def date_param(value: str) -> date:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise errors.invalid(*errors.INVALID_PARAMETER) from None


def since(ctx: Ctx) -> datetime | None:
    """`lastmodified`: `YYYY-MM-DD HH:MM`, with seconds, or a bare date (REFERENCE §4.6)."""
    value = ctx.query.get("lastmodified")
    if not value:
        return None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
    raise errors.invalid(*errors.INVALID_PARAMETER)


def changed(records: Iterable[Record], ctx: Ctx) -> list[Record]:
    threshold = since(ctx)
    if threshold is None:
        return list(records)
    return [r for r in records if r["_modified"] >= threshold]


def contains(value: Any, needle: str) -> bool:
    """Fortnox search parameters are substring matches (ILIKE '%value%', REFERENCE §4.5)."""
    return needle.lower() in str(value or "").lower()


def active_filter(ctx: Ctx, records: list[Record]) -> list[Record]:
    flag = ctx.query.get("filter")
    if flag is None:
        return records
    if flag not in ("active", "inactive"):
        raise errors.invalid(*errors.INVALID_FILTER)
    return [r for r in records if bool(r.get("Active")) == (flag == "active")]


def sort(ctx: Ctx, items: list[T], keys: dict[str, Callable[[T], Any]], default: str) -> list[T]:
    field_name = ctx.query.get("sortby", default).lower()
    order = ctx.query.get("sortorder", "ascending").lower()
    if field_name not in keys or order not in ("ascending", "descending"):
        raise errors.invalid(*errors.INVALID_PARAMETER)
    return sorted(items, key=keys[field_name], reverse=order == "descending")


CACHE_FROM = 5_000  # lists at least this long keep their filtered, sorted items between pages


def cached_list(ctx: Ctx, name: str, size: int, build: Callable[[], list[T]]) -> list[T]:
    """A long list's items, filtered and sorted once for all its pages.

    A client pages through 200 pages of a 100 000-article list; filtering and sorting it all again for
    each page made the sandbox, not the client, the slow side of a benchmark. The items stay valid
    while the tenant is unchanged: ``Tenant.revision`` moves with every write and admin request (the
    sandbox's own tests' tenants are below ``CACHE_FROM`` and never cached, so in-process seeding
    variations are always seen)."""
    if size < CACHE_FROM:
        return build()
    query = tuple(sorted((k, v) for k, v in ctx.query.items() if k not in ("page", "limit", "offset")))
    key = (ctx.tenant.revision, query)
    hit = ctx.tenant.list_cache.get(name)
    if hit is not None and hit[0] == key:
        items: list[T] = hit[1]
        return items
    items = build()
    ctx.tenant.list_cache[name] = (key, items)
    return items


def listing(ctx: Ctx, key: str, items: Sequence[T], render: Callable[[T], dict[str, Any]]) -> Reply:
    limit = int_param(ctx.query.get("limit", "100"), "limit")
    page = int_param(ctx.query.get("page", "1"), "page")
    offset = int_param(ctx.query.get("offset", "0"), "offset")
    if not 1 <= limit <= 500 or page < 1 or offset < 0:
        raise errors.invalid(*errors.INVALID_PARAMETER)
    rest = items[offset:]
    total = len(rest)
    pages = -(-total // limit)
    start = (page - 1) * limit
    rows = [render(item) for item in rest[start : start + limit]]
    meta = {"@TotalResources": total, "@TotalPages": pages, "@CurrentPage": page}
    return Reply(200, {"MetaInformation": meta, key: rows})


def number_key(value: str) -> tuple[int, int | str]:
    """Numbers sort numerically, other codes after them alphabetically (Fortnox lists by key)."""
    return (0, int(value)) if value.isdigit() else (1, value)
