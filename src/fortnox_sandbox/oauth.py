"""OAuth2 authorization-code flow as Fortnox runs it (REFERENCE §2.2-2.6, §2.10).

Error bodies copy recorded traffic, content types included: a used refresh token gets 400 with a JSON
body labelled text/html, bad client credentials 401 labelled text/plain.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
from importlib.resources import files
from string import Template
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from fortnox_sandbox.auth_store import CODE_TTL, Grant, Integration
from fortnox_sandbox.state import SandboxState

LOOPBACK = re.compile(r"^http://(127\.0\.0\.1|localhost):\d{1,5}(/[^?#]*)?$")
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def handle(state: SandboxState, request: Request, segments: list[str]) -> Response:
    action = segments[1] if len(segments) == 2 else ""
    if action == "auth" and request.method in ("GET", "POST"):
        return authorize(state, request)
    if action == "token" and request.method == "POST":
        return token(state, request)
    if action == "revoke" and request.method == "POST":
        return revoke(state, request)
    return Response("Not Found", status=404, content_type="text/plain")


def _page(status: int, message: str) -> Response:
    body = f"<!doctype html><html lang='sv'><meta charset='utf-8'><h1>Fel</h1><p>{html.escape(message)}</p>"
    return Response(body, status=status, content_type="text/html; charset=utf-8")


def redirect_allowed(integration: Integration, uri: str) -> bool:
    """An integration with a registered redirect URI accepts exactly that URI, as Fortnox's developer
    portal does (another port or path is refused). Only the sandbox's own integrations without one
    accept any loopback URI, so parallel test runs can each listen on a free port."""
    if integration.redirect_uris:
        return uri in integration.redirect_uris
    return integration.allow_loopback and bool(LOOPBACK.match(uri))


def _redirect(uri: str, params: dict[str, str]) -> Response:
    separator = "&" if "?" in uri else "?"
    return Response(status=302, headers={"Location": uri + separator + urlencode(params)})


def authorize(state: SandboxState, request: Request) -> Response:
    source = request.args if request.method == "GET" else request.form
    integration = state.auth.integrations.get(source.get("client_id", ""))
    if integration is None:
        return _page(400, "Auth code or ClientID supplied is invalid")
    redirect_uri = source.get("redirect_uri") or (integration.redirect_uris[:1] or ("",))[0]
    if not redirect_uri or not redirect_allowed(integration, redirect_uri):
        return _page(400, "Redirect URI matchar inte den registrerade.")
    client_state = source.get("state", "")
    if source.get("response_type") != "code":
        return _redirect(redirect_uri, {"error": "unsupported_response_type", "state": client_state})
    scopes = frozenset(source.get("scope", "").split())
    if not scopes or not scopes <= integration.scopes:
        return _redirect(redirect_uri, {"error": "invalid_scope", "state": client_state})
    tenant = source.get("tenant") or integration.home_tenant
    if tenant not in state.tenants:
        return _page(400, "Okänt företag.")
    if request.method == "GET" and not state.options.auto_approve:
        return consent_page(state, integration, redirect_uri, scopes, client_state)
    if request.method == "POST" and source.get("decision") != "approve":
        return _redirect(redirect_uri, {"error": "access_denied", "state": client_state})
    with state.lock:
        grant = Grant(integration.client_id, tenant, scopes, state.clock.now() + CODE_TTL, redirect_uri)
        code = state.auth.new_code(grant)
    return _redirect(redirect_uri, {"code": code, "state": client_state})


def consent_page(
    state: SandboxState,
    integration: Integration,
    redirect_uri: str,
    scopes: frozenset[str],
    client_state: str,
) -> Response:
    template = Template(
        files("fortnox_sandbox").joinpath("templates/consent.html").read_text(encoding="utf-8")
    )
    options = "".join(
        f"<option value='{html.escape(name)}'{' selected' if name == integration.home_tenant else ''}>"
        f"{html.escape(t.company['CompanyName'])} ({html.escape(t.company['OrganizationNumber'])})</option>"
        for name, t in state.tenants.items()
    )
    page = template.substitute(
        client_id=html.escape(integration.client_id),
        redirect_uri=html.escape(redirect_uri),
        scope=html.escape(" ".join(sorted(scopes))),
        scopes="".join(f"<li>{html.escape(s)}</li>" for s in sorted(scopes)),
        state=html.escape(client_state),
        tenants=options,
    )
    return Response(page, content_type="text/html; charset=utf-8")


def _client(state: SandboxState, request: Request) -> Integration | None:
    """Client credentials by HTTP Basic only, as Fortnox documents."""
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = base64.b64decode(encoded.strip()).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    integration = state.auth.integrations.get(client_id)
    if integration is None or integration.client_secret != secret:
        return None
    return integration


def _json(status: int, body: dict[str, Any], content_type: str = "application/json") -> Response:
    return Response(json.dumps(body), status=status, content_type=content_type, headers=NO_STORE)


INVALID_CLIENT = {"error": "invalid_client", "error_description": "The client credentials are invalid"}
INVALID_REFRESH = {"error": "invalid_grant", "error_description": "Invalid refresh token"}
INVALID_CODE = {"error": "invalid_grant", "error_description": "Invalid authorization code"}


def token(state: SandboxState, request: Request) -> Response:
    integration = _client(state, request)
    if integration is None:
        return _json(401, INVALID_CLIENT, "text/plain;charset=UTF-8")
    grant_type = request.form.get("grant_type", "")
    with state.lock:
        if grant_type == "authorization_code":
            return _exchange_code(state, integration, request)
        if grant_type == "refresh_token":
            return _refresh(state, integration, request.form.get("refresh_token", ""))
    return _json(400, {"error": "unsupported_grant_type", "error_description": "Unsupported grant type"})


def _exchange_code(state: SandboxState, integration: Integration, request: Request) -> Response:
    code = request.form.get("code", "")
    grant = state.auth.codes.get(code)
    now = state.clock.now()
    if grant is None or grant.used or grant.expires_at <= now or grant.client_id != integration.client_id:
        return _json(400, INVALID_CODE)
    if request.form.get("redirect_uri", grant.redirect_uri) != grant.redirect_uri:
        return _json(400, INVALID_CODE)
    grant.used = True
    tenant = state.tenants[grant.tenant]
    body = state.auth.issue(integration.client_id, tenant.name, tenant.database_number, grant.scopes, now)
    return _json(200, body)


def _refresh(state: SandboxState, integration: Integration, refresh_token: str) -> Response:
    grant = state.auth.refresh.get(refresh_token)
    now = state.clock.now()
    if grant is None or grant.client_id != integration.client_id or grant.expires_at <= now:
        return _json(400, INVALID_REFRESH, "text/html; charset=UTF-8")
    if grant.used:
        state.auth.revoke_chain(refresh_token)  # reuse: whoever holds the successor is logged out too
        return _json(400, INVALID_REFRESH, "text/html; charset=UTF-8")
    grant.used = True
    tenant = state.tenants[grant.tenant]
    body = state.auth.issue(integration.client_id, tenant.name, tenant.database_number, grant.scopes, now)
    grant.successor = str(body["refresh_token"])
    return _json(200, body)


def revoke(state: SandboxState, request: Request) -> Response:
    """ "Revoke of access-token is not supported … the revoke is done on the refresh-token"."""
    integration = _client(state, request)
    if integration is None:
        return _json(401, INVALID_CLIENT, "text/plain;charset=UTF-8")
    with state.lock:
        refresh_token = request.form.get("token", "")
        grant = state.auth.refresh.get(refresh_token)
        if grant is not None and grant.client_id == integration.client_id:
            state.auth.revoke_chain(refresh_token)
    return _json(200, {"revoked": True})
