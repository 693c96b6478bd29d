"""Vouchers: Fortnox's checks, numbering per series and year, immutability, `?financialyear=`."""

from __future__ import annotations

from datetime import date
from typing import Any

from fortnox_sandbox.testing import ApiSession


def voucher(
    day: str, rows: list[tuple[int, float, float]], series: str = "F", text: str = "Kassa 1 Z"
) -> Any:
    body: dict[str, Any] = {"VoucherSeries": series, "TransactionDate": day, "Description": text}
    body["VoucherRows"] = [{"Account": a, "Debit": d, "Credit": c} for a, d, c in rows]
    return {"Voucher": body}


SALE = [(1910, 100.00, 0), (3001, 0, 79.92), (2611, 0, 19.98), (3740, 0, 0.10)]


def error_of(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()["ErrorInformation"]
    return body


def test_a_balanced_voucher_is_created_and_numbered_per_series(api: ApiSession, today: str) -> None:
    first = api.post("/3/vouchers", voucher(today, SALE, text="Kvitto 1"))
    assert first.status_code == 201
    created = first.json()["Voucher"]
    assert (created["VoucherSeries"], created["VoucherNumber"], created["Year"]) == ("F", 1, 2)
    assert created["ReferenceType"] == "MANUAL"
    assert [(r["Account"], r["Debit"], r["Credit"]) for r in created["VoucherRows"]] == [
        (1910, 100, 0),
        (3001, 0, 79.92),
        (2611, 0, 19.98),
        (3740, 0, 0.1),
    ]
    assert (
        api.post("/3/vouchers", voucher(today, SALE, text="Kvitto 2")).json()["Voucher"]["VoucherNumber"] == 2
    )
    assert api.post("/3/vouchers", voucher(today, SALE, series="A")).json()["Voucher"]["VoucherNumber"] == 1
    fetched = api.get(created["@url"]).json()["Voucher"]
    assert fetched["Description"] == "Kvitto 1" and len(fetched["VoucherRows"]) == 4
    assert api.get("/3/voucherseries/F").json()["VoucherSeries"]["NextVoucherNumber"] == 3


def test_an_unbalanced_voucher_gets_400_with_its_code(api: ApiSession, today: str) -> None:
    response = api.post("/3/vouchers", voucher(today, [(1910, 100.00, 0), (3001, 0, 80.00)]))
    assert response.status_code == 400
    assert error_of(response) == {"error": 1, "message": "Verifikationen är inte i balans.", "code": 2999001}
    assert api.get("/3/vouchers/sublist/F").json()["Vouchers"] == []


def test_an_inactive_account_is_refused(api: ApiSession, today: str) -> None:
    api.sandbox.state.tenant().set_account_active(3740, False)
    response = api.post("/3/vouchers", voucher(today, SALE))
    assert response.status_code == 400
    assert error_of(response)["code"] == 2000550
    assert error_of(response)["message"] == "Kontot är inte aktivt"


def test_a_missing_account_is_refused(api: ApiSession, today: str) -> None:
    response = api.post("/3/vouchers", voucher(today, [(1910, 10, 0), (3999, 0, 10)]))
    assert error_of(response) == {"error": 1, "message": "Kunde inte hitta konto", "code": 2001304}


def test_a_series_that_is_not_manual_is_refused(api: ApiSession, today: str) -> None:
    response = api.post("/3/vouchers", voucher(today, SALE, series="B"))
    assert response.status_code == 400
    assert error_of(response)["message"] == "Verifikationsserien är inte manuell (B)"
    missing = api.post("/3/vouchers", voucher(today, SALE, series="KS"))
    assert error_of(missing)["message"] == "Verifikationsserien 'KS' finns inte"


def test_a_date_without_financial_year_is_refused(api: ApiSession) -> None:
    next_year = api.sandbox.state.clock.today().year + 1
    response = api.post("/3/vouchers", voucher(f"{next_year}-01-02", SALE))
    assert response.status_code == 400
    assert error_of(response)["message"] == "Räkenskapsår saknas för valt datum"


def test_a_date_in_a_locked_period_is_refused(api: ApiSession, today: str) -> None:
    api.sandbox.configure_tenant("demo", locked_until=today)
    response = api.post("/3/vouchers", voucher(today, SALE))
    assert response.status_code == 400
    assert error_of(response)["message"] == "Valt datum är i en låst period"


def test_without_financialyear_the_preselected_year_is_used(api: ApiSession) -> None:
    """A 31 December receipt synced on 2 January must pass ?financialyear= (README corrections)."""
    last_year = api.sandbox.state.clock.today().year - 1
    day = f"{last_year}-12-31"
    assert (
        error_of(api.post("/3/vouchers", voucher(day, SALE)))["message"]
        == "Räkenskapsår saknas för valt datum"
    )
    created = api.post("/3/vouchers?financialyear=1", voucher(day, SALE)).json()["Voucher"]
    assert (created["Year"], created["VoucherNumber"]) == (1, 1)
    assert api.get("/3/vouchers/sublist/F").json()["Vouchers"] == []
    assert len(api.get("/3/vouchers/sublist/F", financialyear=1).json()["Vouchers"]) == 1
    assert api.get("/3/vouchers/F/1", financialyear=1).status_code == 200
    assert api.get("/3/vouchers/F/1").status_code == 404


def test_a_tenant_without_this_years_financial_year(api: ApiSession, today: str) -> None:
    api.sandbox.state.tenant().remove_financial_year(date.fromisoformat(today))
    assert api.get("/3/financialyears", date=today).json()["FinancialYears"] == []
    response = api.post("/3/vouchers?financialyeardate=" + today, voucher(today, SALE))
    assert response.status_code == 400
    assert error_of(response)["message"] == "Räkenskapsår saknas för valt datum"


def test_vouchers_are_immutable(api: ApiSession, today: str) -> None:
    api.post("/3/vouchers", voucher(today, SALE))
    assert api.put("/3/vouchers/F/1", voucher(today, SALE)).status_code == 405
    assert api.delete("/3/vouchers/F/1").status_code == 405


def test_voucher_list_rows_have_no_rows_and_filter_by_date(api: ApiSession, today: str) -> None:
    api.post("/3/vouchers", voucher(today, SALE, text="kassasync:reg1:z:1"))
    rows = api.get("/3/vouchers/sublist/F", fromdate=today, todate=today).json()["Vouchers"]
    assert [r["Description"] for r in rows] == ["kassasync:reg1:z:1"]
    assert "VoucherRows" not in rows[0]
    assert rows[0]["@url"].endswith("/3/vouchers/F/1?financialyear=2")
    assert api.get("/3/vouchers", voucherseries="F").json()["MetaInformation"]["@TotalResources"] == 1


def test_the_voucher_list_spans_every_series_in_a_date_range_in_pages_of_500(api: ApiSession) -> None:
    """What the reconciliation reads (docs/sources/REFERENCE.md §5.6: ``GET /3/vouchers`` with
    ``fromdate`` and ``todate``, no series): every series, only the range's days, by series then number,
    500 rows a page."""
    for n in range(501):
        assert api.post("/3/vouchers", voucher("2026-03-02", SALE, text=f"Kvitto {n}")).status_code == 201
    for series, day in (("A", "2026-03-01"), ("A", "2026-03-03"), ("A", "2026-03-02")):
        assert (
            api.post("/3/vouchers", voucher(day, SALE, series=series, text=f"{series} {day}")).status_code
            == 201
        )
    query = {"financialyear": 2, "fromdate": "2026-03-02", "todate": "2026-03-03", "limit": 500}
    first = api.get("/3/vouchers", **query).json()
    assert first["MetaInformation"] == {"@TotalResources": 503, "@TotalPages": 2, "@CurrentPage": 1}
    second = api.get("/3/vouchers", **query, page=2).json()["Vouchers"]
    rows = first["Vouchers"] + second
    assert [(r["VoucherSeries"], r["TransactionDate"]) for r in rows[:2]] == [
        ("A", "2026-03-03"),
        ("A", "2026-03-02"),
    ]
    assert {r["VoucherSeries"] for r in rows} == {"A", "F"} and len(rows) == 503
    assert all("VoucherRows" not in r for r in rows)
