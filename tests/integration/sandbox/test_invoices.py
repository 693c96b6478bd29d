"""Invoices, payments and stock: create → bookkeep → pay → bookkeep, with the vouchers Fortnox makes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import requests

from fortnox_sandbox.testing import ApiSession, RunningSandbox


def receipt_invoice(today: str, key: str, rows: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    invoice = {
        "CustomerNumber": "1",
        "InvoiceDate": today,
        "DueDate": today,
        "TermsOfPayment": "K",
        "VATIncluded": True,
        "ExternalInvoiceReference1": key,
        "YourOrderNumber": key.split("|")[-1],
        "InvoiceRows": rows,
        **extra,
    }
    return {"Invoice": invoice}


ROWS = [
    {"ArticleNumber": "1001", "DeliveredQuantity": 2, "Price": 59.90, "VAT": 12},
    {"ArticleNumber": "3001", "DeliveredQuantity": 1, "Price": 49.90, "VAT": 25},
]


def voucher_rows(api: ApiSession, series: str, number: int) -> list[tuple[int, float, float]]:
    body = api.get(f"/3/vouchers/{series}/{number}").json()["Voucher"]
    return [(r["Account"], r["Debit"], r["Credit"]) for r in body["VoucherRows"]]


def test_invoice_create_bookkeep_payment_bookkeep_creates_vouchers(api: ApiSession, today: str) -> None:
    created = api.post("/3/invoices", receipt_invoice(today, "KS|REG1|R000104217", ROWS))
    assert created.status_code == 201
    invoice = created.json()["Invoice"]
    assert invoice["Total"] == 169.7 and invoice["TotalVAT"] == 22.82 and invoice["Net"] == 146.88
    assert invoice["Booked"] is False and invoice["VoucherNumber"] is None
    number = invoice["DocumentNumber"]

    booked = api.put(f"/3/invoices/{number}/bookkeep").json()["Invoice"]
    assert booked["Booked"] is True and booked["VoucherSeries"] == "B"
    assert voucher_rows(api, "B", booked["VoucherNumber"]) == [
        (1510, 169.7, 0),
        (3002, 0, 106.96),
        (3001, 0, 39.92),
        (2621, 0, 12.84),
        (2611, 0, 9.98),
    ]
    b_voucher = api.get(f"/3/vouchers/B/{booked['VoucherNumber']}").json()["Voucher"]
    assert (b_voucher["ReferenceType"], b_voucher["ReferenceNumber"]) == ("INVOICE", number)

    payment = {
        "InvoiceNumber": int(number),
        "Amount": 169.70,
        "AmountCurrency": 169.70,
        "PaymentDate": today,
        "ModeOfPayment": "KORT",
        "ModeOfPaymentAccount": 1580,
    }
    paid = api.post("/3/invoicepayments", {"InvoicePayment": payment})
    assert paid.status_code == 201
    payment_number = paid.json()["InvoicePayment"]["Number"]
    booked_payment = api.put(f"/3/invoicepayments/{payment_number}/bookkeep").json()["InvoicePayment"]
    assert booked_payment["Booked"] is True and booked_payment["VoucherSeries"] == "C"
    assert voucher_rows(api, "C", booked_payment["VoucherNumber"]) == [(1580, 169.7, 0), (1510, 0, 169.7)]

    final = api.get(f"/3/invoices/{number}").json()["Invoice"]
    assert final["Balance"] == 0 and final["FinalPayDate"] == today
    assert api.get("/3/invoices", filter="fullypaid").json()["MetaInformation"]["@TotalResources"] == 1


def test_vat_excluded_prices_get_vat_on_top_per_row(api: ApiSession, today: str) -> None:
    rows = [{"ArticleNumber": "3003", "DeliveredQuantity": 3, "Price": 33.33, "VAT": 25}]
    invoice = api.post("/3/invoices", receipt_invoice(today, "K1", rows, VATIncluded=False)).json()["Invoice"]
    assert (invoice["Net"], invoice["TotalVAT"], invoice["Total"]) == (99.99, 25, 124.99)


def test_rows_without_price_take_the_customers_price_list(api: ApiSession, today: str) -> None:
    body = receipt_invoice(
        today, "K2", [{"ArticleNumber": "1001", "DeliveredQuantity": 1}], CustomerNumber="5"
    )
    row = api.post("/3/invoices", body).json()["Invoice"]["InvoiceRows"][0]
    assert row["Price"] == 53.91 and row["VAT"] == 12 and row["AccountNumber"] == 3002


def test_invoices_are_found_by_external_reference_as_a_substring(api: ApiSession, today: str) -> None:
    api.post("/3/invoices", receipt_invoice(today, "KS|REG1|R0001", ROWS))
    api.post("/3/invoices", receipt_invoice(today, "KS|REG1|R00012", ROWS))
    found = api.get("/3/invoices", externalinvoicereference1="KS|REG1|R0001").json()["Invoices"]
    assert [i["ExternalInvoiceReference1"] for i in found] == ["KS|REG1|R0001", "KS|REG1|R00012"]
    by_order = api.get("/3/invoices", yourordernumber="R00012", fromdate=today, todate=today).json()
    assert by_order["MetaInformation"]["@TotalResources"] == 1
    assert api.get("/3/invoices", customernumber="1").json()["MetaInformation"]["@TotalResources"] == 2
    assert api.sandbox.counters()["invoices_by_reference"] == {
        "KS|REG1|R0001": 1,
        "R0001": 1,
        "KS|REG1|R00012": 1,
        "R00012": 1,
    }
    # Two search parameters narrow together, as recorded (invoices/multi_param_find_by_hash).
    two_filters = api.get("/3/invoices", externalinvoicereference1="R0001", yourordernumber="R00012")
    assert [i["ExternalInvoiceReference1"] for i in two_filters.json()["Invoices"]] == ["KS|REG1|R00012"]


def test_a_dropped_bookkeep_reply_leaves_the_invoice_booked(api: ApiSession, today: str) -> None:
    number = api.post("/3/invoices", receipt_invoice(today, "K3", ROWS)).json()["Invoice"]["DocumentNumber"]
    api.sandbox.inject("PUT", "/3/invoices/*/bookkeep", "drop_after_commit")
    with pytest.raises(requests.ConnectionError):
        api.put(f"/3/invoices/{number}/bookkeep")
    assert api.get(f"/3/invoices/{number}").json()["Invoice"]["Booked"] is True
    again = api.put(f"/3/invoices/{number}/bookkeep")
    assert again.status_code == 400  # bookkeeping twice is refused: read first, then act


def test_a_booked_invoice_cannot_be_cancelled_but_can_be_credited(api: ApiSession, today: str) -> None:
    number = api.post("/3/invoices", receipt_invoice(today, "K4", ROWS)).json()["Invoice"]["DocumentNumber"]
    api.put(f"/3/invoices/{number}/bookkeep")
    assert api.put(f"/3/invoices/{number}/cancel").status_code == 400
    original = api.put(f"/3/invoices/{number}/credit").json()["Invoice"]
    credit = api.get(f"/3/invoices/{original['CreditInvoiceReference']}").json()["Invoice"]
    assert credit["Credit"] == "true" and credit["Total"] == -169.7
    booked = api.put(f"/3/invoices/{credit['DocumentNumber']}/bookkeep").json()["Invoice"]
    assert voucher_rows(api, "B", booked["VoucherNumber"])[0] == (1510, 0, 169.7)


def test_an_unbooked_invoice_can_be_cancelled(api: ApiSession, today: str) -> None:
    number = api.post("/3/invoices", receipt_invoice(today, "K5", ROWS)).json()["Invoice"]["DocumentNumber"]
    assert api.put(f"/3/invoices/{number}/cancel").json()["Invoice"]["Cancelled"] is True
    assert api.get("/3/invoices", filter="cancelled").json()["MetaInformation"]["@TotalResources"] == 1


def test_a_payment_on_an_unbooked_invoice_cannot_be_bookkept(api: ApiSession, today: str) -> None:
    number = api.post("/3/invoices", receipt_invoice(today, "K6", ROWS)).json()["Invoice"]["DocumentNumber"]
    payment = {"InvoiceNumber": int(number), "Amount": 169.70, "PaymentDate": today, "ModeOfPayment": "KONT"}
    created = api.post("/3/invoicepayments", {"InvoicePayment": payment}).json()["InvoicePayment"]
    assert created["ModeOfPaymentAccount"] == 1910
    assert api.put(f"/3/invoicepayments/{created['Number']}/bookkeep").status_code == 400
    listed = api.get("/3/invoicepayments", invoicenumber=number).json()["InvoicePayments"]
    assert [p["Amount"] for p in listed] == [169.7]


def test_invoice_errors_for_unknown_customer_and_article(api: ApiSession, today: str) -> None:
    no_customer = api.post("/3/invoices", receipt_invoice(today, "K7", ROWS, CustomerNumber="404"))
    assert no_customer.json()["ErrorInformation"]["code"] == 2000433
    no_article = api.post("/3/invoices", receipt_invoice(today, "K8", [{"ArticleNumber": "NOPE"}]))
    assert no_article.json()["ErrorInformation"]["code"] == 2000428


def stock(api: ApiSession, number: str) -> tuple[Decimal, Decimal]:
    article = api.get(f"/3/articles/{number}").json()["Article"]
    return Decimal(str(article["QuantityInStock"])), Decimal(str(article["DisposableQuantity"]))


def test_without_the_warehouse_module_bookkeeping_moves_stock(api: ApiSession, today: str) -> None:
    in_stock, _ = stock(api, "1001")
    number = api.post("/3/invoices", receipt_invoice(today, "S1", ROWS)).json()["Invoice"]["DocumentNumber"]
    assert stock(api, "1001")[0] == in_stock
    api.put(f"/3/invoices/{number}/bookkeep")
    assert stock(api, "1001")[0] == in_stock - 2


def test_with_the_warehouse_module_stock_is_reserved_then_delivered(api: ApiSession, today: str) -> None:
    api.sandbox.configure_tenant("demo", warehouse=True)
    api.sandbox.state.tenant().set_stock("1001", 5, api.sandbox.state.clock.local_naive())
    number = api.post("/3/invoices", receipt_invoice(today, "S2", ROWS)).json()["Invoice"]["DocumentNumber"]
    assert stock(api, "1001") == (Decimal(5), Decimal(3))
    balance = api.get("/api/warehouse/status-v1/stockbalance", itemIds="1001").json()
    assert balance == [{"itemId": "1001", "stockPointCode": "HUV", "availableStock": 3, "inStock": 5}]
    assert api.get(f"/3/invoices/{number}").json()["Invoice"]["WarehouseReady"] is False
    api.put(f"/3/invoices/{number}/bookkeep")
    assert stock(api, "1001") == (Decimal(3), Decimal(3))
    assert api.get("/api/warehouse/tenants-v4").json() == {"tenantId": 100001, "activated": True}


def test_with_the_warehouse_module_out_of_stock_rows_are_silently_zeroed(api: ApiSession, today: str) -> None:
    api.sandbox.configure_tenant("demo", warehouse=True)
    api.sandbox.state.tenant().set_stock("1001", 1, api.sandbox.state.clock.local_naive())
    invoice = api.post("/3/invoices", receipt_invoice(today, "S3", ROWS)).json()["Invoice"]
    rows = {r["ArticleNumber"]: r for r in invoice["InvoiceRows"]}
    assert rows["1001"]["DeliveredQuantity"] == "0" and rows["1001"]["Total"] == 0
    assert rows["3001"]["DeliveredQuantity"] == "1"
    assert invoice["Total"] == 49.9


def test_negative_stock_allowed_delivers_anyway(api: ApiSession, today: str) -> None:
    api.sandbox.configure_tenant("demo", warehouse=True, allow_negative_stock=True)
    api.sandbox.state.tenant().set_stock("1001", 1, api.sandbox.state.clock.local_naive())
    number = api.post("/3/invoices", receipt_invoice(today, "S4", ROWS)).json()["Invoice"]["DocumentNumber"]
    api.put(f"/3/invoices/{number}/bookkeep")
    assert stock(api, "1001")[0] == -1


def test_the_warehouse_api_needs_the_module(api: ApiSession) -> None:
    assert api.get("/api/warehouse/tenants-v4").json()["activated"] is False
    assert api.get("/api/warehouse/status-v1/stockbalance").status_code == 400


# -- company settings the agent must survive (issue 14) ----------------------------------------------------


def test_invoice_rounding_rounds_the_total_to_kronor_with_roundoff_booked_on_3740(
    sandbox: RunningSandbox, api: ApiSession, today: str
) -> None:
    sandbox.configure_tenant(invoice_rounding=True)
    rows = [{"ArticleNumber": "3001", "DeliveredQuantity": 1, "Price": 99.90, "VAT": 25}]
    invoice = api.post("/3/invoices", receipt_invoice(today, "K1-1", rows)).json()["Invoice"]
    assert (invoice["Total"], invoice["RoundOff"], invoice["TotalVAT"]) == (100, 0.1, 19.98)

    booked = api.put(f"/3/invoices/{invoice['DocumentNumber']}/bookkeep").json()["Invoice"]

    assert voucher_rows(api, "B", booked["VoucherNumber"]) == [
        (1510, 100, 0), (3001, 0, 79.92), (2611, 0, 19.98), (3740, 0, 0.1),
    ]  # fmt: skip
    down = [{"ArticleNumber": "3001", "DeliveredQuantity": 1, "Price": 99.40, "VAT": 25}]
    rounded_down = api.post("/3/invoices", receipt_invoice(today, "K1-2", down)).json()["Invoice"]
    assert (rounded_down["Total"], rounded_down["RoundOff"]) == (99, -0.4)


@pytest.mark.parametrize(("per_row", "vat"), [(True, 4.02), (False, 4.01)])
def test_vat_per_row_or_per_rate_is_a_tenant_switch(
    sandbox: RunningSandbox, api: ApiSession, today: str, per_row: bool, vat: float
) -> None:
    sandbox.configure_tenant(vat_per_row=per_row)
    row = {"ArticleNumber": "3003", "DeliveredQuantity": 1, "Price": 10.03, "VAT": 25}
    invoice = api.post("/3/invoices", receipt_invoice(today, "K1-1", [row, row])).json()["Invoice"]

    assert (invoice["Total"], invoice["TotalVAT"]) == (20.06, vat)
    booked = api.put(f"/3/invoices/{invoice['DocumentNumber']}/bookkeep").json()["Invoice"]
    assert (2611, 0, vat) in voucher_rows(api, "B", booked["VoucherNumber"])


def test_the_accounting_method_is_the_financial_years_and_shows_on_invoices(
    sandbox: RunningSandbox, api: ApiSession, today: str
) -> None:
    assert sandbox.configure_tenant(accounting_method="CASH")["accounting_method"] == "CASH"
    years = api.get("/3/financialyears").json()["FinancialYears"]
    assert {y["AccountingMethod"] for y in years} == {"CASH"}
    invoice = api.post("/3/invoices", receipt_invoice(today, "K1-1", ROWS)).json()["Invoice"]
    assert invoice["AccountingMethod"] == "CASH"


def test_negative_stock_can_be_allowed_or_not_on_its_own(sandbox: RunningSandbox, api: ApiSession) -> None:
    sandbox.configure_tenant(warehouse=True)
    assert sandbox.configure_tenant(allow_negative_stock=True)["allow_negative_stock"] is True
    assert sandbox.configure_tenant(allow_negative_stock=False)["allow_negative_stock"] is False
    assert sandbox.configure_tenant()["warehouse"] is True


def test_an_action_put_without_a_json_content_type_is_refused_with_1000031(
    api: ApiSession, today: str
) -> None:
    number = api.post("/3/invoices", receipt_invoice(today, "KS|REG1|R0100", ROWS)).json()["Invoice"]
    bare = requests.put(
        f"{api.sandbox.base_url}/3/invoices/{number['DocumentNumber']}/bookkeep",
        headers={"Authorization": api.session.headers["Authorization"], "Accept": "application/json"},
        timeout=10,
    )
    assert bare.status_code == 400
    assert bare.json()["ErrorInformation"]["code"] == 1000031
    assert api.sandbox.state.tenant("demo").invoices[int(number["DocumentNumber"])]["Booked"] is False
    assert api.put(f"/3/invoices/{number['DocumentNumber']}/bookkeep").status_code == 200
