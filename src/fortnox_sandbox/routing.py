"""Routing on the percent-encoded path.

werkzeug decodes `%2F` in PATH_INFO, so `/3/articles/FG-B%2FS` would become four segments and miss
the route ("No such route" for FG-B/S, FIELD.md §9). We split the raw request URI on `/` first and
decode each segment after, which is what Fortnox does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

Handler = Callable[[Any, dict[str, str]], Any]

LIST_PARAMS = frozenset({"limit", "page", "offset", "sortby", "sortorder", "lastmodified"})
YEAR_PARAMS = frozenset({"financialyear", "financialyeardate"})


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    handler: Handler
    scope: str
    params: frozenset[str] = frozenset()

    @property
    def segments(self) -> list[str]:
        return self.template.strip("/").split("/")

    def match(self, method: str, segments: list[str]) -> dict[str, str] | None:
        mine = self.segments
        if method != self.method or len(mine) != len(segments):
            return None
        found: dict[str, str] = {}
        for want, got in zip(mine, segments, strict=True):
            if want.startswith("{"):
                found[want[1:-1]] = got
            elif want.lower() != got.lower():
                return None
        return found

    @property
    def literal_count(self) -> int:
        return sum(1 for s in self.segments if not s.startswith("{"))


def raw_path(environ: dict[str, Any]) -> str:
    """The path as the client sent it (still percent-encoded), without the query."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if not raw:
        raw = quote(environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace"))
    if "://" in raw:  # absolute-form request target
        raw = "/" + raw.split("://", 1)[1].split("/", 1)[-1]
    return str(raw).split("?", 1)[0]


def split_segments(path: str) -> list[str]:
    """Decoded segments; a trailing slash is tolerated (real traffic uses `/3/customers/`)."""
    parts = path.strip("/").split("/")
    return [unquote(p, encoding="utf-8", errors="strict") for p in parts]


class Router:
    def __init__(self, routes: list[Route]) -> None:
        # Literal segments win over parameters: /3/vouchers/sublist/A before /3/vouchers/{S}/{N}.
        self.routes = sorted(routes, key=lambda r: -r.literal_count)

    def find(self, method: str, segments: list[str]) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            params = route.match(method, segments)
            if params is not None:
                return route, params
        return None

    def path_exists(self, segments: list[str]) -> bool:
        return any(r.match(r.method, segments) is not None for r in self.routes)
