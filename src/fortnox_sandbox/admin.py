"""Admin routes under /_sandbox/ (test mode only): fault injection, token control, counters, tenant
switches, clock. They go over HTTP so a sandbox in another process is driven the same way as one
in-process; docs/fortnox-api.md documents them."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from werkzeug.wrappers import Request, Response

from fortnox_sandbox.auth_store import ALL_SCOPES
from fortnox_sandbox.faults import KINDS, FaultRule
from fortnox_sandbox.state import SandboxState


def _json(status: int, body: Any) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def _bad(message: str) -> Response:
    return _json(400, {"error": message})


def handle(state: SandboxState, request: Request, segments: list[str]) -> Response:
    path = "/".join(segments[1:])
    try:
        body = request.get_json(force=True) if request.content_length else {}
    except Exception:  # werkzeug raises BadRequest subclasses for malformed JSON
        return _bad("invalid JSON")
    if not isinstance(body, dict):
        return _bad("a JSON object is required")
    method = request.method
    if method != "GET":
        with state.lock:
            for tenant in state.tenants.values():
                tenant.revision += 1  # an admin change (stock, locks, clock) invalidates cached lists
    if path == "faults" and method == "POST":
        return add_fault(state, body)
    if path == "faults" and method == "DELETE":
        state.faults.clear()
        return Response(status=204)
    if path == "tokens" and method == "POST":
        return issue_tokens(state, body)
    if path == "tokens/expire" and method == "POST":
        with state.lock:
            count = state.auth.expire_access(body.get("tenant", "demo"), state.clock.now())
        return _json(200, {"expired": count})
    if path == "tokens/revoke" and method == "POST":
        with state.lock:
            count = state.auth.revoke_refresh(body.get("tenant", "demo"), body.get("refresh_token"))
        return _json(200, {"revoked": count})
    if path == "counters" and method == "GET":
        return _json(200, state.faults.snapshot())
    if path == "counters" and method == "DELETE":
        state.faults.reset_counters()
        state.limiter.reset()
        return Response(status=204)
    if path == "tenants" and method == "GET":
        return _json(200, {"tenants": [describe(state, name) for name in state.tenants]})
    if len(segments) == 3 and segments[1] == "tenants" and method in ("PUT", "PATCH"):
        return configure_tenant(state, segments[2], body)
    if path == "clock/advance" and method == "POST":
        state.clock.advance(float(body.get("seconds", 0)))
        return _json(200, {"now": state.clock.now().isoformat()})
    return _json(404, {"error": "no such admin route"})


def add_fault(state: SandboxState, body: dict[str, Any]) -> Response:
    kind = body.get("kind")
    if kind not in KINDS or not body.get("path"):
        return _bad(f"kind must be one of {', '.join(KINDS)} and path is required")
    rule = FaultRule(
        method=str(body.get("method", "*")).upper(),
        pattern=str(body["path"]),
        kind=str(kind),
        remaining=int(body.get("count", 1)),
        status=body.get("status"),
        delay_s=body.get("delay_s"),
        retry_after_s=body.get("retry_after_s"),
    )
    state.faults.add(rule)
    return _json(201, {"added": body})


def issue_tokens(state: SandboxState, body: dict[str, Any]) -> Response:
    tenant_name = body.get("tenant", "demo")
    tenant = state.tenants.get(tenant_name)
    if tenant is None:
        return _bad(f"unknown tenant {tenant_name!r}")
    client_id = body.get("client_id") or state.integration_of(tenant_name).client_id
    scopes = frozenset(body["scopes"]) if body.get("scopes") is not None else ALL_SCOPES
    with state.lock:
        tokens = state.auth.issue(client_id, tenant_name, tenant.database_number, scopes, state.clock.now())
    return _json(200, tokens)


def describe(state: SandboxState, name: str) -> dict[str, Any]:
    tenant = state.tenants[name]
    integration = state.integration_of(name)
    return {
        "name": name,
        "company_name": tenant.company["CompanyName"],
        "organization_number": tenant.company["OrganizationNumber"],
        "client_id": integration.client_id,
        "client_secret": integration.client_secret,
        "warehouse": tenant.warehouse,
        "allow_negative_stock": tenant.allow_negative_stock,
        "invoice_rounding": tenant.invoice_rounding,
        "vat_per_row": tenant.vat_per_row,
        "accounting_method": tenant.accounting_method(state.clock.today()),
        "locked_until": tenant.locked_until.isoformat() if tenant.locked_until else None,
    }


def configure_tenant(state: SandboxState, name: str, body: dict[str, Any]) -> Response:
    """The seed variations of tenant.py, for a sandbox running in another process."""
    tenant = state.tenants.get(name)
    if tenant is None:
        return _json(404, {"error": f"unknown tenant {name!r}"})
    with state.lock:
        if "warehouse" in body:
            tenant.set_warehouse(
                bool(body["warehouse"]), allow_negative_stock=bool(body.get("allow_negative_stock"))
            )
        elif "allow_negative_stock" in body:
            tenant.allow_negative_stock = bool(body["allow_negative_stock"])
        if "invoice_rounding" in body:
            tenant.invoice_rounding = bool(body["invoice_rounding"])
        if "vat_per_row" in body:
            tenant.vat_per_row = bool(body["vat_per_row"])
        if "accounting_method" in body:
            if body["accounting_method"] not in ("ACCRUAL", "CASH"):
                return _bad("accounting_method must be ACCRUAL or CASH")
            tenant.set_accounting_method(str(body["accounting_method"]))
        if "locked_until" in body:
            tenant.lock_period(date.fromisoformat(body["locked_until"]) if body["locked_until"] else None)
        if "remove_financial_year_for" in body:
            tenant.remove_financial_year(date.fromisoformat(body["remove_financial_year_for"]))
        for number, active in body.get("accounts_active", {}).items():
            tenant.set_account_active(int(number), bool(active))
        for code, manual in body.get("series_manual", {}).items():
            tenant.set_series_manual(code, bool(manual))
        if "redirect_uris" in body:  # what the integration registered in the developer portal
            state.integration_of(name).redirect_uris = tuple(body["redirect_uris"] or ())
        if "licensed_scopes" in body:
            scopes = body["licensed_scopes"]
            tenant.licensed_scopes = None if scopes is None else set(scopes)
    return _json(200, describe(state, name))
