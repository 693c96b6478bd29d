"""The WSGI application: the request pipeline every call goes through.

Order: count (`METHOD route-template`) → injected fault, if any (so faults hit OAuth too) → for /3
and /api: route on the raw, percent-encoded path → bearer token (401 as Fortnox's gateway answers)
→ rate limit per client id and tenant (429) → scope and licence (403) → query parameters (2000588)
→ handler under the state lock → optional drop after commit.
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from werkzeug.wrappers import Request, Response

from fortnox_sandbox import admin, api, errors, oauth
from fortnox_sandbox.api.common import Ctx, Reply
from fortnox_sandbox.faults import FaultRule
from fortnox_sandbox.routing import Route, Router, raw_path, split_segments
from fortnox_sandbox.state import SandboxState

UNAUTHORIZED = {"message": "unauthorized"}
# The body of a real 429 was never captured (REFERENCE §3); the gateway's shape, as for 401, is assumed.
TOO_MANY = {"message": "Too Many Requests"}
SYSTEM_EXCEPTION = {"ErrorInformation": {"error": 1, "message": "System exception", "code": 1000003}}


def json_response(status: int, body: Any, content_type: str = "application/json") -> Response:
    """ensure_ascii: Fortnox sends å/ä/ö as \\u escapes (REFERENCE §4.8)."""
    if body is None:
        return Response(status=status)
    return Response(json.dumps(body, default=_json_default), status=status, content_type=content_type)


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class DroppedConnection:
    """A WSGI body that closes the client's socket instead of answering.

    Raising ConnectionAbortedError makes werkzeug treat it as a client disconnect (no log, no 500)."""

    def __init__(self, environ: dict[str, Any]) -> None:
        self.environ = environ

    def __iter__(self) -> Iterator[bytes]:
        sock = self.environ.get("werkzeug.socket")
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        raise ConnectionAbortedError("sandbox: connection dropped by fault injection")


class SandboxApp:
    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.router = Router(api.routes())

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        path = raw_path(environ)
        try:
            segments = split_segments(path)
        except UnicodeDecodeError:
            segments = ["?"]
        head = segments[0] if segments else ""
        if head == "_sandbox":
            if not self.state.options.test_mode:
                return json_response(404, {"message": "Not Found"})(environ, start_response)
            return admin.handle(self.state, request, segments)(environ, start_response)
        self.state.faults.count_request(self._count_key(request.method, segments))
        fault = self._take_fault(request.method, path)
        if fault is not None and fault.kind == "drop_before_commit":
            return DroppedConnection(environ)
        if fault is not None and fault.kind == "delay" and self.state.stopping.wait(fault.delay_s or 0):
            return DroppedConnection(environ)
        if fault is not None and fault.kind == "status":
            return self._fault_status(fault)(environ, start_response)
        if head == "oauth-v1":
            response = oauth.handle(self.state, request, segments)
        elif head in ("3", "api"):
            response = self.api(request, segments)
        else:
            response = json_response(404, {"message": "Not Found"})
        if fault is not None and fault.kind == "drop_after_commit":
            return DroppedConnection(environ)
        if fault is not None and fault.kind in ("html_after_commit", "truncated_after_commit"):
            return _unreadable_200(response, fault.kind)(environ, start_response)
        return response(environ, start_response)

    def _count_key(self, method: str, segments: list[str]) -> str:
        """`METHOD route-template`, e.g. `GET /3/articles/{ArticleNumber}`."""
        if segments and segments[0] in ("3", "api"):
            found = self.router.find(method, segments)
            return f"{method} {found[0].template}" if found else f"{method} (no route)"
        return f"{method} /" + "/".join(segments)

    def _take_fault(self, method: str, path: str) -> FaultRule | None:
        return self.state.faults.take(method, path) if self.state.options.test_mode else None

    def _fault_status(self, fault: FaultRule) -> Response:
        status = fault.status or 500
        if status == 429:
            self.state.faults.count_429()
            response = json_response(429, TOO_MANY)
            if fault.retry_after_s is not None:
                response.headers["Retry-After"] = str(fault.retry_after_s)
            return response
        if status == 503:
            return Response("Service Unavailable", status=503, content_type="text/html")
        return json_response(status, SYSTEM_EXCEPTION)

    def api(self, request: Request, segments: list[str]) -> Response:
        found = self.router.find(request.method, segments)
        if found is None:
            status = 405 if self.router.path_exists(segments) else 404
            code, message = errors.NO_SUCH_ROUTE
            return json_response(status, errors.not_found(code, message).body())
        route, params = found
        token = _bearer(request)
        grant = self.state.auth.access.get(token)
        now = self.state.clock.now()
        if grant is None or grant.expires_at <= now:
            return json_response(401, UNAUTHORIZED)
        self.state.faults.count_token_request(token)
        # One window per client id and company, whichever token (login, register) sends
        # (docs/sources/REFERENCE.md §3).
        if not self.state.limiter.allow((grant.client_id, grant.tenant)):
            self.state.faults.count_429(token)
            return json_response(429, TOO_MANY)
        tenant = self.state.tenants.get(grant.tenant)
        if tenant is None:
            return json_response(401, UNAUTHORIZED)
        if route.scope not in grant.scopes:
            return json_response(403, errors.ApiError(403, *errors.MISSING_SCOPE).body())
        if tenant.licensed_scopes is not None and route.scope not in tenant.licensed_scopes:
            return json_response(403, errors.ApiError(403, *errors.NO_LICENCE).body())
        if refuses_content_type(request, route):
            return json_response(400, errors.invalid(*errors.INVALID_CONTENT_TYPE).body())
        try:
            ctx = self._context(request, route, tenant)
            with self.state.lock:
                if request.method != "GET":
                    tenant.revision += 1  # before the handler: a failed write may have changed things
                reply = route.handler(ctx, params)
        except errors.ApiError as error:
            return json_response(error.status, error.body())
        assert isinstance(reply, Reply)
        return json_response(reply.status, reply.body)

    def _context(self, request: Request, route: Route, tenant: Any) -> Ctx:
        query = {k.lower(): v for k, v in request.args.items()}
        if any(k not in route.params for k in query):
            raise errors.invalid(*errors.INVALID_PARAMETER)
        body: Any = None
        if request.method in ("POST", "PUT") and request.content_length:
            try:
                body = json.loads(request.get_data(as_text=True), parse_float=Decimal)
            except ValueError:
                raise errors.invalid(*errors.BAD_JSON) from None
        base_url = request.host_url.rstrip("/")
        return Ctx(self.state, tenant, query, body, base_url, self.state.clock.local_naive())


ACTIONS = ("/bookkeep", "/cancel", "/credit")


def refuses_content_type(request: Request, route: Route) -> bool:
    """ "Fortnox may return error 1000031 if bookkeep or credit requests omit a JSON content type" (an
    app vendor's release notes, 2026-04): action PUTs carry no body, and still need the header."""
    json_body = request.mimetype == "application/json"
    return request.method == "PUT" and route.template.endswith(ACTIONS) and not json_body


def _bearer(request: Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _unreadable_200(committed: Response, kind: str) -> Response:
    """The work is done (``committed`` holds Fortnox's real answer) but the client gets 200 with a body
    it cannot read: an HTML page, or the JSON cut off halfway."""
    if kind == "html_after_commit":
        page = "<!DOCTYPE html><html><body><h1>Fortnox</h1><p>Tillfälligt otillgänglig</p></body></html>"
        return Response(page, status=200, content_type="text/html; charset=utf-8")
    body = committed.get_data()
    return Response(body[: max(1, len(body) // 2)], status=200, content_type="application/json")
