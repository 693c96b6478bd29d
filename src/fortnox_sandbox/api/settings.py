"""Company settings the agent reads (scope settings): predefined accounts, modes and terms of payment,
locked period, predefined voucher series. REFERENCE §5.1, §5.4, §5.5, §5.11."""

from __future__ import annotations

from typing import Any

from fortnox_sandbox import errors
from fortnox_sandbox.api.code_keyed import code_keyed_routes
from fortnox_sandbox.api.common import Ctx, Reply, listing, number_key, url, wrapped
from fortnox_sandbox.routing import LIST_PARAMS, Route


def render_predefined(ctx: Ctx, name: str) -> dict[str, Any]:
    return {
        "@url": url(ctx, "predefinedaccounts", name),
        "Account": ctx.tenant.predefined_accounts[name],
        "Name": name,
    }


def list_predefined(ctx: Ctx, p: dict[str, str]) -> Reply:
    names = sorted(ctx.tenant.predefined_accounts)
    return listing(ctx, "PreDefinedAccounts", names, lambda n: render_predefined(ctx, n))


def get_predefined(ctx: Ctx, p: dict[str, str]) -> Reply:
    if p["name"] not in ctx.tenant.predefined_accounts:
        raise errors.not_found(*errors.PREDEFINED_NOT_FOUND)
    return Reply(200, {"PreDefinedAccount": render_predefined(ctx, p["name"])})


def put_predefined(ctx: Ctx, p: dict[str, str]) -> Reply:
    """Errors per the spec's text: 2001265 account invalid/inactive, 2002462 not 4 digits."""
    name = p["name"]
    if name not in ctx.tenant.predefined_accounts:
        raise errors.not_found(*errors.PREDEFINED_NOT_FOUND)
    account = str(wrapped(ctx, "PreDefinedAccount").get("Account", ""))
    if not (account.isdigit() and len(account) == 4):
        raise errors.invalid(2002462, "Kontot måste bestå av fyra siffror.")
    chart = ctx.tenant.accounts.get(ctx.tenant.preselected_year, {})
    if int(account) not in chart or not chart[int(account)]["Active"]:
        raise errors.invalid(2001265, "Kontot saknas eller är inaktivt.")
    ctx.tenant.predefined_accounts[name] = int(account)
    return Reply(200, {"PreDefinedAccount": render_predefined(ctx, name)})


def locked_period(ctx: Ctx, p: dict[str, str]) -> Reply:
    """ "If no date is returned, no period is locked" (REFERENCE §5.1)."""
    end = ctx.tenant.locked_until
    return Reply(200, {"LockedPeriod": {"EndDate": end.isoformat() if end else ""}})


def render_predefined_series(ctx: Ctx, name: str) -> dict[str, Any]:
    series = ctx.tenant.predefined_voucher_series[name]
    return {"@url": url(ctx, "predefinedvoucherseries", name), "Name": name, "VoucherSeries": series}


def list_predefined_series(ctx: Ctx, p: dict[str, str]) -> Reply:
    names = sorted(ctx.tenant.predefined_voucher_series)
    return listing(
        ctx, "PreDefinedVoucherSeriesCollection", names, lambda n: render_predefined_series(ctx, n)
    )


ROUTES = [
    Route("GET", "/3/predefinedaccounts", list_predefined, "settings", LIST_PARAMS),
    Route("GET", "/3/predefinedaccounts/{name}", get_predefined, "settings"),
    Route("PUT", "/3/predefinedaccounts/{name}", put_predefined, "settings"),
    *code_keyed_routes(
        "modesofpayments",
        plural="ModesOfPayments",
        singular="ModeOfPayment",
        scope="settings",
        records=lambda tenant: tenant.modes_of_payment,
        not_found=errors.MODE_NOT_FOUND,
    ),
    *code_keyed_routes(
        "termsofpayments",
        plural="TermsOfPayments",
        singular="TermsOfPayment",
        scope="settings",
        records=lambda tenant: tenant.terms_of_payment,
        not_found=errors.TERMS_NOT_FOUND,
        sort_key=number_key,
        writable=("Description",),
    ),
    *code_keyed_routes(
        "units",
        plural="Units",
        singular="Unit",
        scope="article",
        records=lambda tenant: tenant.units,
        not_found=errors.UNIT_NOT_FOUND,
        writable=("CodeEnglish", "Description"),
    ),
    Route("GET", "/3/settings/lockedperiod", locked_period, "settings"),
    Route("GET", "/3/predefinedvoucherseries", list_predefined_series, "bookkeeping", LIST_PARAMS),
]
