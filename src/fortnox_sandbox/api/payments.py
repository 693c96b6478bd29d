"""Invoice payments (scope payment). REFERENCE §5.13: no external reference of their own; find a
payment again with `?invoicenumber=` and compare amount, date and mode of payment."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fortnox_sandbox import errors, invoicing
from fortnox_sandbox.api.common import (
    Ctx,
    Reply,
    changed,
    contains,
    date_param,
    int_param,
    listing,
    sort,
    url,
    wrapped,
)
from fortnox_sandbox.api.invoices import voucher_fields
from fortnox_sandbox.numbers import ore_of, sek
from fortnox_sandbox.routing import LIST_PARAMS, Route
from fortnox_sandbox.tenant import Record


def render_payment_row(ctx: Ctx, pay: Record) -> dict[str, Any]:
    return {
        "@url": url(ctx, "invoicepayments", pay["Number"]),
        "Amount": sek(pay["AmountOre"]),
        "Booked": pay["Booked"],
        "Currency": "SEK",
        "CurrencyRate": 1,
        "CurrencyUnit": 1,
        "InvoiceNumber": pay["InvoiceNumber"],
        "Number": str(pay["Number"]),
        "PaymentDate": pay["PaymentDate"],
        "Source": "manual",
        "WriteOffExist": bool(pay["WriteOffs"]),
    }


def render_payment(ctx: Ctx, pay: Record) -> dict[str, Any]:
    invoice = ctx.tenant.invoices[pay["InvoiceNumber"]]
    body = render_payment_row(ctx, pay)
    del body["WriteOffExist"]
    body.update(
        {
            "AmountCurrency": sek(pay["AmountOre"]),
            "ExternalInvoiceReference1": invoice["ExternalInvoiceReference1"],
            "ExternalInvoiceReference2": invoice["ExternalInvoiceReference2"],
            "InvoiceCustomerName": invoice["CustomerName"],
            "InvoiceCustomerNumber": invoice["CustomerNumber"],
            "InvoiceDueDate": invoice["DueDate"],
            "InvoiceOCR": invoice["OCR"],
            "InvoiceTotal": str(Decimal(invoice["TotalOre"]) / 100),
            "ModeOfPayment": pay["ModeOfPayment"],
            "ModeOfPaymentAccount": pay["ModeOfPaymentAccount"],
            **voucher_fields(pay),
            "WriteOffs": [
                {
                    "AccountNumber": account,
                    "Amount": sek(amount),
                    "CostCenter": "",
                    "Currency": "SEK",
                    "Description": "",
                    "Project": "",
                    "TransactionInformation": "",
                }
                for account, amount in pay["WriteOffs"]
            ],
        }
    )
    return body


def find_payment(ctx: Ctx, number: str) -> Record:
    payment = ctx.tenant.payments.get(int(number)) if number.isdigit() else None
    if payment is None:
        raise errors.not_found(*errors.PAYMENT_NOT_FOUND)
    return payment


def list_payments(ctx: Ctx, p: dict[str, str]) -> Reply:
    items = changed(ctx.tenant.payments.values(), ctx)
    if "invoicenumber" in ctx.query:
        items = [i for i in items if contains(i["InvoiceNumber"], ctx.query["invoicenumber"])]
    keys: dict[str, Any] = {"paymentdate": lambda i: i["PaymentDate"], "number": lambda i: i["Number"]}
    items = sort(ctx, items, keys, "number")
    return listing(ctx, "InvoicePayments", items, lambda i: render_payment_row(ctx, i))


def get_payment(ctx: Ctx, p: dict[str, str]) -> Reply:
    return Reply(200, {"InvoicePayment": render_payment(ctx, find_payment(ctx, p["Number"]))})


def create_payment(ctx: Ctx, p: dict[str, str]) -> Reply:
    data = wrapped(ctx, "InvoicePayment")
    invoice_number = str(data.get("InvoiceNumber") or "")
    invoice = ctx.tenant.invoices.get(int(invoice_number)) if invoice_number.isdigit() else None
    if invoice is None:
        raise errors.invalid(*errors.INVOICE_NOT_FOUND)
    mode_code = str(data.get("ModeOfPayment") or "")
    mode = ctx.tenant.modes_of_payment.get(mode_code)
    if mode_code and mode is None:
        raise errors.invalid(*errors.MODE_NOT_FOUND)
    if data.get("ModeOfPaymentAccount") not in (None, "", 0):
        account = int_param(str(data["ModeOfPaymentAccount"]), "ModeOfPaymentAccount")
    elif mode is not None:
        account = int(mode["AccountNumber"])
    else:
        account = invoicing.predefined(ctx.tenant, "CASH")
    write_offs = [
        (int_param(str(w.get("AccountNumber")), "AccountNumber"), ore_of(w.get("Amount", 0), "Amount"))
        for w in data.get("WriteOffs") or []
        if isinstance(w, dict)
    ]
    number = max(ctx.tenant.payments, default=0) + 1
    payment: Record = {
        "Number": number,
        "InvoiceNumber": invoice["DocumentNumber"],
        "AmountOre": ore_of(data.get("Amount", 0), "Amount"),
        "PaymentDate": date_param(str(data.get("PaymentDate") or ctx.now.date().isoformat())).isoformat(),
        "ModeOfPayment": mode_code,
        "ModeOfPaymentAccount": account,
        "WriteOffs": write_offs,
        "Booked": False,
        "Voucher": None,
        "_modified": ctx.now,
    }
    ctx.tenant.payments[number] = payment
    return Reply(201, {"InvoicePayment": render_payment(ctx, payment)})


def bookkeep_payment(ctx: Ctx, p: dict[str, str]) -> Reply:
    payment = find_payment(ctx, p["Number"])
    invoice = ctx.tenant.invoices[payment["InvoiceNumber"]]
    invoicing.bookkeep_payment(ctx.tenant, ctx.state.faults, payment, invoice, ctx.now)
    return Reply(200, {"InvoicePayment": render_payment(ctx, payment)})


def delete_payment(ctx: Ctx, p: dict[str, str]) -> Reply:
    payment = find_payment(ctx, p["Number"])
    if payment["Booked"]:
        raise errors.invalid(*errors.PAYMENT_BOOKED)
    del ctx.tenant.payments[payment["Number"]]
    return Reply(204, None)


ROUTES = [
    Route("GET", "/3/invoicepayments", list_payments, "payment", LIST_PARAMS | {"invoicenumber"}),
    Route("POST", "/3/invoicepayments", create_payment, "payment"),
    Route("GET", "/3/invoicepayments/{Number}", get_payment, "payment"),
    Route("DELETE", "/3/invoicepayments/{Number}", delete_payment, "payment"),
    Route("PUT", "/3/invoicepayments/{Number}/bookkeep", bookkeep_payment, "payment"),
]
