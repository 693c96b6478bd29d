"""Company information, financial years, accounts, voucher series and vouchers (scope bookkeeping,
companyinformation). REFERENCE §5.1-5.3, §5.5-5.6."""

from __future__ import annotations

from typing import Any

from fortnox_sandbox import errors, ledger
from fortnox_sandbox.api.common import (
    Ctx,
    Reply,
    changed,
    date_param,
    int_param,
    listing,
    sort,
    url,
    wrapped,
)
from fortnox_sandbox.numbers import ore_of, sek
from fortnox_sandbox.routing import LIST_PARAMS, YEAR_PARAMS, Route
from fortnox_sandbox.tenant import Record


def company_information(ctx: Ctx, p: dict[str, str]) -> Reply:
    return Reply(200, {"CompanyInformation": dict(ctx.tenant.company)})


def render_year(ctx: Ctx, year: Record) -> dict[str, Any]:
    return {"@url": url(ctx, "financialyears", year["Id"]), **year}


def list_years(ctx: Ctx, p: dict[str, str]) -> Reply:
    years = ctx.tenant.financial_years
    if "date" in ctx.query:
        day = date_param(ctx.query["date"])
        years = [y for y in years if y["FromDate"] <= day.isoformat() <= y["ToDate"]]
    return listing(ctx, "FinancialYears", sorted(years, key=lambda y: y["Id"]), lambda y: render_year(ctx, y))


def get_year(ctx: Ctx, p: dict[str, str]) -> Reply:
    year = ctx.tenant.year_by_id(int_param(p["Id"], "Id"))
    if year is None:
        raise errors.not_found(*errors.FINANCIAL_YEAR_NOT_FOUND)
    return Reply(200, {"FinancialYear": render_year(ctx, year)})


def selected_year(ctx: Ctx) -> Record:
    """`financialyear` (Id) or `financialyeardate`; without either, the preselected year
    ("If no query param is used the voucher will be created in the preselected financial year")."""
    tenant = ctx.tenant
    if "financialyear" in ctx.query:
        year = tenant.year_by_id(int_param(ctx.query["financialyear"], "financialyear"))
    elif "financialyeardate" in ctx.query:
        year = tenant.year_of(date_param(ctx.query["financialyeardate"]))
    else:
        year = tenant.year_by_id(tenant.preselected_year)
    if year is None:
        raise errors.not_found(*errors.FINANCIAL_YEAR_NOT_FOUND)
    return year


def render_account(ctx: Ctx, account: Record, year_id: int) -> dict[str, Any]:
    return {
        "@url": url(ctx, "accounts", account["Number"], query=f"financialyear={year_id}"),
        "Active": account["Active"],
        "BalanceBroughtForward": 0,
        "CostCenter": "",
        "CostCenterSettings": "ALLOWED",
        "Description": account["Description"],
        "Number": account["Number"],
        "Project": "",
        "ProjectSettings": "ALLOWED",
        "SRU": account["SRU"],
        "VATCode": account["VATCode"],
        "Year": year_id,
    }


def list_accounts(ctx: Ctx, p: dict[str, str]) -> Reply:
    year = selected_year(ctx)
    chart = list(ctx.tenant.accounts.get(year["Id"], {}).values())
    if "sru" in ctx.query:
        chart = [a for a in chart if str(a["SRU"]) == ctx.query["sru"]]
    chart = sort(ctx, chart, {"number": lambda a: a["Number"]}, "number")
    return listing(ctx, "Accounts", chart, lambda a: render_account(ctx, a, year["Id"]))


def get_account(ctx: Ctx, p: dict[str, str]) -> Reply:
    year = selected_year(ctx)
    account = ctx.tenant.accounts.get(year["Id"], {}).get(int_param(p["Number"], "Number"))
    if account is None:
        raise errors.not_found(*errors.ACCOUNT_NOT_FOUND)
    body = render_account(ctx, account, year["Id"])
    body.update(
        {
            "BalanceCarriedForward": 0,
            "TransactionInformation": "",
            "TransactionInformationSettings": "ALLOWED",
        }
    )
    return Reply(200, {"Account": body})


def render_series(ctx: Ctx, series: Record, year_id: int, single: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "@url": url(ctx, "voucherseries", series["Code"], query=f"financialyear={year_id}"),
        "Approver": {"Id": 0, "Name": ""},
        "Code": series["Code"],
        "Description": series["Description"],
        "Manual": series["Manual"],
        "Year": year_id,
    }
    if single:
        body["NextVoucherNumber"] = ctx.tenant.next_voucher_number(year_id, series["Code"])
    return body


def list_series(ctx: Ctx, p: dict[str, str]) -> Reply:
    year = selected_year(ctx)
    items = list(ctx.tenant.voucher_series.values())
    return listing(ctx, "VoucherSeriesCollection", items, lambda s: render_series(ctx, s, year["Id"]))


def get_series(ctx: Ctx, p: dict[str, str]) -> Reply:
    year = selected_year(ctx)
    series = ctx.tenant.voucher_series.get(p["Code"])
    if series is None:
        raise errors.not_found(*errors.SERIES_NOT_FOUND)
    return Reply(200, {"VoucherSeries": render_series(ctx, series, year["Id"], single=True)})


def voucher_url(ctx: Ctx, v: Record) -> str:
    return url(ctx, "vouchers", v["VoucherSeries"], v["VoucherNumber"], query=f"financialyear={v['Year']}")


def render_voucher_row(v: Record, ctx: Ctx) -> dict[str, Any]:
    return {
        "@url": voucher_url(ctx, v),
        "ApprovalState": 0,
        "Comments": v["Comments"],
        "Description": v["Description"],
        "ReferenceNumber": v["ReferenceNumber"],
        "ReferenceType": v["ReferenceType"],
        "TransactionDate": v["TransactionDate"],
        "VoucherNumber": v["VoucherNumber"],
        "VoucherSeries": v["VoucherSeries"],
        "Year": v["Year"],
    }


def render_voucher(v: Record, ctx: Ctx) -> dict[str, Any]:
    body = render_voucher_row(v, ctx)
    body.update({"CostCenter": "", "Project": ""})
    body["VoucherRows"] = [
        {
            "Account": r.account,
            "CostCenter": "",
            "Credit": sek(r.credit_ore),
            "Debit": sek(r.debit_ore),
            "Description": r.description,
            "Project": "",
            "Quantity": 0,
            "Removed": False,
            "TransactionInformation": r.transaction_information,
        }
        for r in v["rows"]
    ]
    return body


def voucher_list(ctx: Ctx, series: str | None) -> Reply:
    year = selected_year(ctx)
    found: list[Record] = []
    for (year_id, code), vouchers in ctx.tenant.vouchers.items():
        if year_id == year["Id"] and (series is None or code == series):
            found.extend(vouchers)
    if "fromdate" in ctx.query:
        found = [v for v in found if v["TransactionDate"] >= date_param(ctx.query["fromdate"]).isoformat()]
    if "todate" in ctx.query:
        found = [v for v in found if v["TransactionDate"] <= date_param(ctx.query["todate"]).isoformat()]
    if "voucherseries" in ctx.query:
        found = [v for v in found if v["VoucherSeries"] == ctx.query["voucherseries"]]
    found = changed(found, ctx)
    keys: dict[str, Any] = {
        "vouchernumber": lambda v: (v["VoucherSeries"], v["VoucherNumber"]),
        "voucherseries": lambda v: (v["VoucherSeries"], v["VoucherNumber"]),
        "referencenumber": lambda v: v["ReferenceNumber"],
        "referencetype": lambda v: v["ReferenceType"],
    }
    found = sort(ctx, found, keys, "voucherseries")
    return listing(ctx, "Vouchers", found, lambda v: render_voucher_row(v, ctx))


def list_vouchers(ctx: Ctx, p: dict[str, str]) -> Reply:
    return voucher_list(ctx, None)


def sublist_vouchers(ctx: Ctx, p: dict[str, str]) -> Reply:
    return voucher_list(ctx, p.get("VoucherSeries"))


def get_voucher(ctx: Ctx, p: dict[str, str]) -> Reply:
    year = selected_year(ctx)
    number = int_param(p["VoucherNumber"], "VoucherNumber")
    vouchers = ctx.tenant.vouchers.get((year["Id"], p["VoucherSeries"]), [])
    if not 1 <= number <= len(vouchers):
        raise errors.not_found(*errors.VOUCHER_NOT_FOUND)
    return Reply(200, {"Voucher": render_voucher(vouchers[number - 1], ctx)})


def parse_rows(raw: Any) -> list[ledger.Row]:
    if not isinstance(raw, list):
        raise errors.invalid(*errors.BAD_DATA)
    rows = []
    for item in raw:
        if not isinstance(item, dict) or "Account" not in item:
            raise errors.invalid(*errors.BAD_DATA)
        account = item["Account"]
        if not str(account).isdigit():
            raise errors.invalid(errors.NOT_NUMERIC[0], errors.NOT_NUMERIC[1].format(value=account))
        rows.append(
            ledger.Row(
                account=int(account),
                debit_ore=ore_of(item.get("Debit", 0), "Debit"),
                credit_ore=ore_of(item.get("Credit", 0), "Credit"),
                description=str(item.get("Description") or ""),
                transaction_information=str(item.get("TransactionInformation") or ""),
            )
        )
    return rows


def create_voucher(ctx: Ctx, p: dict[str, str]) -> Reply:
    data = wrapped(ctx, "Voucher")
    series = str(data.get("VoucherSeries") or "")
    description = str(data.get("Description") or "")
    if not series or not description or not data.get("TransactionDate"):
        raise errors.invalid(*errors.BAD_DATA)
    day = date_param(str(data["TransactionDate"]))
    try:
        year: Record | None = selected_year(ctx)
    except errors.ApiError:
        year = None
    voucher = ledger.post(
        ctx.tenant,
        ctx.state.faults,
        year=year,
        series=series,
        day=day,
        description=description,
        rows=parse_rows(data.get("VoucherRows")),
        now=ctx.now,
        manual_only=True,
        comments=str(data.get("Comments") or ""),
    )
    ctx.created.append(("voucher", description))
    return Reply(201, {"Voucher": render_voucher(voucher, ctx)})


VOUCHER_PARAMS = LIST_PARAMS | YEAR_PARAMS | {"fromdate", "todate", "voucherseries", "costcenter"}

ROUTES = [
    Route("GET", "/3/companyinformation", company_information, "companyinformation"),
    Route("GET", "/3/financialyears", list_years, "bookkeeping", LIST_PARAMS | {"date"}),
    Route("GET", "/3/financialyears/{Id}", get_year, "bookkeeping"),
    Route("GET", "/3/accounts", list_accounts, "bookkeeping", LIST_PARAMS | YEAR_PARAMS | {"sru"}),
    Route("GET", "/3/accounts/{Number}", get_account, "bookkeeping", YEAR_PARAMS),
    Route("GET", "/3/voucherseries", list_series, "bookkeeping", LIST_PARAMS | YEAR_PARAMS),
    Route("GET", "/3/voucherseries/{Code}", get_series, "bookkeeping", YEAR_PARAMS),
    Route("GET", "/3/vouchers", list_vouchers, "bookkeeping", VOUCHER_PARAMS),
    Route("GET", "/3/vouchers/sublist", sublist_vouchers, "bookkeeping", VOUCHER_PARAMS),
    Route("GET", "/3/vouchers/sublist/{VoucherSeries}", sublist_vouchers, "bookkeeping", VOUCHER_PARAMS),
    Route("GET", "/3/vouchers/{VoucherSeries}/{VoucherNumber}", get_voucher, "bookkeeping", YEAR_PARAMS),
    Route("POST", "/3/vouchers", create_voucher, "bookkeeping", YEAR_PARAMS),
]
