"""Invoices (scope invoice). REFERENCE §5.12; payments are in payments.py.

Creating an invoice commits it immediately (the sandbox's fault injection can then drop the reply);
the counters record documents per ExternalInvoiceReference1 / YourOrderNumber so tests can prove
"created once". List search parameters are substring matches, as in Fortnox: compare exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from fortnox_sandbox import errors, invoicing
from fortnox_sandbox.api.common import (
    Ctx,
    Reply,
    changed,
    contains,
    date_param,
    listing,
    sort,
    url,
    wrapped,
)
from fortnox_sandbox.invoicing import Line
from fortnox_sandbox.numbers import num, sek, text
from fortnox_sandbox.routing import LIST_PARAMS, Route
from fortnox_sandbox.shapes import INVOICE_ROW_UNSET, INVOICE_UNSET
from fortnox_sandbox.tenant import Record

INVOICE_SEARCH = (
    "externalinvoicereference1",
    "externalinvoicereference2",
    "yourordernumber",
    "customernumber",
    "customername",
    "documentnumber",
    "ocr",
    "yourreference",
    "ourreference",
)
INVOICE_FILTERS = ("cancelled", "fullypaid", "unpaid", "unpaidoverdue", "unbooked")
TEXT_FIELDS = (
    "ExternalInvoiceReference1",
    "ExternalInvoiceReference2",
    "YourOrderNumber",
    "YourReference",
    "OurReference",
    "Comments",
    "Remarks",
)


def voucher_fields(record: Record) -> dict[str, Any]:
    series, number, year = record.get("Voucher") or (None, None, None)
    return {"VoucherSeries": series, "VoucherNumber": number, "VoucherYear": year}


def render_invoice_row(ctx: Ctx, inv: Record) -> dict[str, Any]:
    return {
        "@url": url(ctx, "invoices", inv["DocumentNumber"]),
        "Balance": sek(inv["BalanceOre"]),
        "Booked": inv["Booked"],
        "Cancelled": inv["Cancelled"],
        "CostCenter": "",
        "Currency": "SEK",
        "CurrencyRate": "1",  # a string in list rows, a number in the detail (recorded)
        "CurrencyUnit": 1,
        "CustomerName": inv["CustomerName"],
        "CustomerNumber": inv["CustomerNumber"],
        "DocumentNumber": str(inv["DocumentNumber"]),
        "DueDate": inv["DueDate"],
        "ExternalInvoiceReference1": inv["ExternalInvoiceReference1"],
        "ExternalInvoiceReference2": inv["ExternalInvoiceReference2"],
        "FinalPayDate": inv["FinalPayDate"],
        "InvoiceDate": inv["InvoiceDate"],
        "InvoiceType": inv["InvoiceType"],
        "NoxFinans": False,
        "OCR": inv["OCR"],
        "Project": "",
        "Sent": False,
        "TermsOfPayment": inv["TermsOfPayment"],
        "Total": sek(inv["TotalOre"]),
        **voucher_fields(inv),
        "WayOfDelivery": "",
    }


def render_line(line: Line) -> dict[str, Any]:
    return {
        **INVOICE_ROW_UNSET,
        "AccountNumber": line.account,
        "ArticleNumber": line.article,
        "ContributionPercent": "0",
        "ContributionValue": "0",
        "CostCenter": "",
        "DeliveredQuantity": text(line.quantity),
        "Description": line.description,
        "Discount": num(line.discount),
        "DiscountType": line.discount_type,
        "HouseWork": False,
        "Price": sek(line.price_ore),
        "PriceExcludingVAT": sek(line.net_ore if line.quantity == 0 else round(line.net_ore / line.quantity)),
        "Project": "",
        "RowId": line.row_id,
        "Total": sek(line.total_ore),
        "TotalExcludingVAT": sek(line.net_ore),
        "Unit": line.unit,
        "VAT": line.vat,
    }


def render_invoice(ctx: Ctx, inv: Record) -> dict[str, Any]:
    body = {**INVOICE_UNSET, **render_invoice_row(ctx, inv)}
    body.update(
        {
            "@urlTaxReductionList": f"{ctx.base_url}/3/taxreductions?filter=invoices&referencenumber="
            f"{inv['DocumentNumber']}",
            "AccountingMethod": ctx.tenant.accounting_method(date.fromisoformat(inv["InvoiceDate"])),
            "AdministrationFee": 0,
            "Comments": inv["Comments"],
            "Country": inv.get("Country", ""),
            "CurrencyRate": 1,
            "Credit": "true" if inv["Credit"] else "false",
            "CreditInvoiceReference": str(inv["CreditInvoiceReference"]),
            "Freight": 0,
            "Gross": sek(inv["NetOre"]),
            "InvoiceRows": [render_line(line) for line in inv["lines"]],
            "Language": "SV",
            "Net": sek(inv["NetOre"]),
            "OrganisationNumber": inv["OrganisationNumber"],
            "OurReference": inv["OurReference"],
            "OutboundDate": inv["InvoiceDate"],
            "PriceList": inv["PriceList"],
            "Remarks": inv["Remarks"],
            "RoundOff": sek(inv.get("RoundOffOre", 0)),
            "TotalToPay": sek(inv["TotalOre"]),
            "TotalVAT": sek(inv["VatOre"]),
            "VATIncluded": inv["VATIncluded"],
            "WarehouseReady": inv["WarehouseReady"],
            "YourOrderNumber": inv["YourOrderNumber"],
            "YourReference": inv["YourReference"],
        }
    )
    return body


def find_invoice(ctx: Ctx, number: str) -> Record:
    invoice = ctx.tenant.invoices.get(int(number)) if number.isdigit() else None
    if invoice is None:
        raise errors.not_found(*errors.INVOICE_NOT_FOUND)
    return invoice


def list_invoices(ctx: Ctx, p: dict[str, str]) -> Reply:
    items = changed(ctx.tenant.invoices.values(), ctx)
    fields = {
        "externalinvoicereference1": "ExternalInvoiceReference1",
        "externalinvoicereference2": "ExternalInvoiceReference2",
        "yourordernumber": "YourOrderNumber",
        "customernumber": "CustomerNumber",
        "customername": "CustomerName",
        "documentnumber": "DocumentNumber",
        "ocr": "OCR",
        "yourreference": "YourReference",
        "ourreference": "OurReference",
    }
    for name, field in fields.items():
        if name in ctx.query:
            items = [i for i in items if contains(i[field], ctx.query[name])]
    if "fromdate" in ctx.query:
        items = [i for i in items if i["InvoiceDate"] >= date_param(ctx.query["fromdate"]).isoformat()]
    if "todate" in ctx.query:
        items = [i for i in items if i["InvoiceDate"] <= date_param(ctx.query["todate"]).isoformat()]
    items = invoice_filter(ctx, items)
    keys: dict[str, Any] = {
        "documentnumber": lambda i: i["DocumentNumber"],
        "customernumber": lambda i: i["CustomerNumber"],
        "customername": lambda i: i["CustomerName"],
        "invoicedate": lambda i: i["InvoiceDate"],
        "ocr": lambda i: i["OCR"],
        "total": lambda i: i["TotalOre"],
    }
    items = sort(ctx, items, keys, "documentnumber")
    return listing(ctx, "Invoices", items, lambda i: render_invoice_row(ctx, i))


def invoice_filter(ctx: Ctx, items: list[Record]) -> list[Record]:
    flag = ctx.query.get("filter")
    if flag is None:
        return items
    if flag not in INVOICE_FILTERS:
        raise errors.invalid(*errors.INVALID_FILTER)
    today = ctx.now.date().isoformat()
    tests: dict[str, Callable[[Record], bool]] = {
        "cancelled": lambda i: i["Cancelled"],
        # Paid in full, not merely zero: the recorded company's 34 zero invoices had 2 hits.
        "fullypaid": lambda i: not i["Cancelled"] and i["BalanceOre"] == 0 and bool(i["FinalPayDate"]),
        "unpaid": lambda i: not i["Cancelled"] and i["BalanceOre"] != 0,
        "unpaidoverdue": lambda i: not i["Cancelled"] and i["BalanceOre"] != 0 and i["DueDate"] < today,
        "unbooked": lambda i: not i["Cancelled"] and not i["Booked"],
    }
    return [i for i in items if tests[flag](i)]


def get_invoice(ctx: Ctx, p: dict[str, str]) -> Reply:
    return Reply(200, {"Invoice": render_invoice(ctx, find_invoice(ctx, p["DocumentNumber"]))})


def new_invoice(ctx: Ctx, data: dict[str, Any]) -> Record:
    customer = ctx.tenant.customers.get(str(data.get("CustomerNumber") or ""))
    if customer is None:
        raise errors.invalid(*errors.CUSTOMER_NOT_FOUND)
    invoice_date = date_param(str(data.get("InvoiceDate") or ctx.now.date().isoformat()))
    terms = str(data.get("TermsOfPayment") or customer["TermsOfPayment"] or "30")
    if terms not in ctx.tenant.terms_of_payment:
        raise errors.invalid(*errors.TERMS_NOT_FOUND)
    days = int(terms) if terms.isdigit() else 0
    number = max(ctx.tenant.invoices, default=0) + 1
    record: Record = {
        "DocumentNumber": number,
        "CustomerNumber": customer["CustomerNumber"],
        "CustomerName": str(data.get("CustomerName") or customer["Name"]),
        "OrganisationNumber": customer["OrganisationNumber"],
        "InvoiceDate": invoice_date.isoformat(),
        "DueDate": str(data.get("DueDate") or (invoice_date + timedelta(days=days)).isoformat()),
        "TermsOfPayment": terms,
        "PriceList": str(data.get("PriceList") or customer["PriceList"]),
        "VATIncluded": bool(data.get("VATIncluded", customer["ShowPriceVATIncluded"])),
        "InvoiceType": "INVOICE",
        "OCR": f"{number}{len(str(number)) + 2}",
        "Booked": False,
        "Cancelled": False,
        "Credit": False,
        "CreditInvoiceReference": 0,
        "FinalPayDate": None,
        "Voucher": None,
        "WarehouseReady": not ctx.tenant.warehouse,
        "_delivered": False,
        "_customer_sales_account": customer.get("SalesAccount"),
        "_modified": ctx.now,
    }
    for field in (*TEXT_FIELDS, "Country"):
        record[field] = str(data.get(field) or "")
    return record


def create_invoice(ctx: Ctx, p: dict[str, str]) -> Reply:
    data = wrapped(ctx, "Invoice")
    if data.get("InvoiceType") not in (None, "", "INVOICE"):
        raise errors.invalid(*errors.BAD_DATA)  # CASHINVOICE etc. are not simulated
    invoice = new_invoice(ctx, data)
    raw_rows = data.get("InvoiceRows") or []
    if not isinstance(raw_rows, list) or not all(isinstance(r, dict) for r in raw_rows):
        raise errors.invalid(*errors.BAD_DATA)
    lines = [invoicing.compute_line(ctx.tenant, invoice, raw, i + 1) for i, raw in enumerate(raw_rows)]
    invoicing.apply_stock_rules(ctx.tenant, lines)
    invoice["lines"] = lines
    invoicing.totals(ctx.tenant, invoice)
    ctx.tenant.invoices[invoice["DocumentNumber"]] = invoice
    ctx.state.faults.count_invoice(invoice["ExternalInvoiceReference1"], invoice["YourOrderNumber"])
    return Reply(201, {"Invoice": render_invoice(ctx, invoice)})


def update_invoice(ctx: Ctx, p: dict[str, str]) -> Reply:
    """Text fields of an unbooked invoice (recorded invoices/save_old*); rows are not rewritten here."""
    invoice = find_invoice(ctx, p["DocumentNumber"])
    if invoice["Booked"]:
        raise errors.invalid(*errors.INVOICE_BOOKED)
    data = wrapped(ctx, "Invoice")
    for field in (*TEXT_FIELDS, "Country"):
        if field in data:
            invoice[field] = str(data[field] or "")
    invoice["_modified"] = ctx.now
    return Reply(200, {"Invoice": render_invoice(ctx, invoice)})


def bookkeep_invoice(ctx: Ctx, p: dict[str, str]) -> Reply:
    invoice = find_invoice(ctx, p["DocumentNumber"])
    invoicing.bookkeep_invoice(ctx.tenant, ctx.state.faults, invoice, ctx.now)
    return Reply(200, {"Invoice": render_invoice(ctx, invoice)})


def cancel_invoice(ctx: Ctx, p: dict[str, str]) -> Reply:
    """A bookkept invoice cannot be cancelled: credit it (REFERENCE §5.12)."""
    invoice = find_invoice(ctx, p["DocumentNumber"])
    if invoice["Booked"]:
        raise errors.invalid(*errors.INVOICE_BOOKED)
    if not invoice["Cancelled"]:
        invoicing.release(ctx.tenant, invoice)
        invoice.update(Cancelled=True, BalanceOre=0, _modified=ctx.now)
    return Reply(200, {"Invoice": render_invoice(ctx, invoice)})


def credit_invoice(ctx: Ctx, p: dict[str, str]) -> Reply:
    """A credit invoice with negated quantities, referenced both ways; booked separately."""
    invoice = find_invoice(ctx, p["DocumentNumber"])
    if not invoice["Booked"] or invoice["Credit"] or invoice["CreditInvoiceReference"]:
        raise errors.invalid(*errors.INVOICE_NOT_CREDITABLE)
    number = max(ctx.tenant.invoices) + 1
    credit = dict(invoice)
    credit.update(
        DocumentNumber=number,
        OCR=f"{number}{len(str(number)) + 2}",
        InvoiceDate=ctx.now.date().isoformat(),
        DueDate=ctx.now.date().isoformat(),
        Booked=False,
        Credit=True,
        CreditInvoiceReference=invoice["DocumentNumber"],
        FinalPayDate=None,
        Voucher=None,
        _delivered=False,
        _modified=ctx.now,
    )
    credit["lines"] = [negate(line) for line in invoice["lines"]]
    invoicing.totals(ctx.tenant, credit)
    ctx.tenant.invoices[number] = credit
    invoice.update(CreditInvoiceReference=number, _modified=ctx.now)
    return Reply(200, {"Invoice": render_invoice(ctx, invoice)})


def negate(line: Line) -> Line:
    return Line(
        **{
            **line.__dict__,
            "quantity": -line.quantity,
            "total_ore": -line.total_ore,
            "net_ore": -line.net_ore,
            "vat_ore": -line.vat_ore,
        }
    )


def warehouse_ready(ctx: Ctx, p: dict[str, str]) -> Reply:
    invoice = find_invoice(ctx, p["DocumentNumber"])
    if invoice["Cancelled"]:
        raise errors.invalid(*errors.INVOICE_CANCELLED)
    invoicing.deliver(ctx.tenant, invoice)
    invoice["_modified"] = ctx.now
    return Reply(200, {"Invoice": render_invoice(ctx, invoice)})


INVOICE_PARAMS = LIST_PARAMS | {"filter", "fromdate", "todate", *INVOICE_SEARCH}

ROUTES = [
    Route("GET", "/3/invoices", list_invoices, "invoice", INVOICE_PARAMS),
    Route("POST", "/3/invoices", create_invoice, "invoice"),
    Route("GET", "/3/invoices/{DocumentNumber}", get_invoice, "invoice"),
    Route("PUT", "/3/invoices/{DocumentNumber}", update_invoice, "invoice"),
    Route("PUT", "/3/invoices/{DocumentNumber}/bookkeep", bookkeep_invoice, "invoice"),
    Route("PUT", "/3/invoices/{DocumentNumber}/cancel", cancel_invoice, "invoice"),
    Route("PUT", "/3/invoices/{DocumentNumber}/credit", credit_invoice, "invoice"),
    Route("PUT", "/3/invoices/{DocumentNumber}/warehouseready", warehouse_ready, "invoice"),
]
