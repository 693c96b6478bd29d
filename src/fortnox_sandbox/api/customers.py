"""Customers (scope customer). REFERENCE §5.10: list rows are thin (no PriceList, no Active; `Phone`
not `Phone1`); deleted customer numbers stay reserved (2000637)."""

from __future__ import annotations

from typing import Any

from fortnox_sandbox import errors
from fortnox_sandbox.api.common import (
    Ctx,
    Reply,
    active_filter,
    cached_list,
    changed,
    contains,
    listing,
    number_key,
    sort,
    url,
    wrapped,
)
from fortnox_sandbox.numbers import decimal_of
from fortnox_sandbox.routing import LIST_PARAMS, Route
from fortnox_sandbox.seed import customer_record
from fortnox_sandbox.shapes import CUSTOMER_UNSET
from fortnox_sandbox.tenant import Record

CUSTOMER_SEARCH = ("customernumber", "name", "zipcode", "city", "email", "phone", "organisationnumber")
COUNTRIES = {"SE": "Sverige", "NO": "Norge", "DK": "Danmark", "FI": "Finland"}
TEXT_FIELDS = (
    "Name",
    "OrganisationNumber",
    "Address1",
    "Address2",
    "ZipCode",
    "City",
    "Email",
    "Phone1",
    "TermsOfPayment",
    "PriceList",
)


def render_customer_row(ctx: Ctx, c: Record) -> dict[str, Any]:
    return {
        "@url": url(ctx, "customers", c["CustomerNumber"]),
        "Address1": c["Address1"],
        "Address2": c["Address2"],
        "City": c["City"],
        "CustomerNumber": c["CustomerNumber"],
        "Email": c["Email"],
        "Name": c["Name"],
        "OrganisationNumber": c["OrganisationNumber"],
        "Phone": c["Phone1"],
        "ZipCode": c["ZipCode"],
    }


def render_customer(ctx: Ctx, c: Record, *, written: bool = False) -> dict[str, Any]:
    """Unset text Fortnox sends as null where the recordings show null (the list rows say "").

    `SalesAccount` is a string in a GET and a number in the answer to a write, as recorded
    (customers/find_with_sales_account vs save_new_with_sales_account)."""
    body: dict[str, Any] = dict(CUSTOMER_UNSET)
    for key, value in c.items():
        if not key.startswith("_"):
            body[key] = None if value == "" and CUSTOMER_UNSET.get(key, "") is None else value
    body["@url"] = url(ctx, "customers", c["CustomerNumber"])
    account = c.get("SalesAccount")
    body["SalesAccount"] = account if account is None or written else str(account)
    body.update(
        {
            "Currency": "SEK",
            "VATNumber": "",
            "EmailInvoice": "",
            "DefaultDeliveryTypes": {"Invoice": "PRINT", "Order": "PRINT", "Offer": "PRINT"},
            "DefaultTemplates": {
                "Order": "DEFAULTTEMPLATE",
                "Offer": "DEFAULTTEMPLATE",
                "Invoice": "DEFAULTTEMPLATE",
                "CashInvoice": "DEFAULTTEMPLATE",
            },
        }
    )
    return body


def find_customer(ctx: Ctx, number: str) -> Record:
    customer = ctx.tenant.customers.get(number)
    if customer is None:
        raise errors.not_found(*errors.CUSTOMER_NOT_FOUND)
    return customer


def list_customers(ctx: Ctx, p: dict[str, str]) -> Reply:
    items = cached_list(ctx, "customers", len(ctx.tenant.customers), lambda: customer_items(ctx))
    return listing(ctx, "Customers", items, lambda c: render_customer_row(ctx, c))


def customer_items(ctx: Ctx) -> list[Record]:
    items = active_filter(ctx, changed(ctx.tenant.customers.values(), ctx))
    fields = {
        "customernumber": "CustomerNumber",
        "name": "Name",
        "zipcode": "ZipCode",
        "city": "City",
        "email": "Email",
        "phone": "Phone1",
        "organisationnumber": "OrganisationNumber",
    }
    for name, field in fields.items():
        if name in ctx.query:
            items = [c for c in items if contains(c[field], ctx.query[name])]
    keys: dict[str, Any] = {
        "customernumber": lambda c: number_key(c["CustomerNumber"]),
        "name": lambda c: c["Name"],
    }
    return sort(ctx, items, keys, "customernumber")


def get_customer(ctx: Ctx, p: dict[str, str]) -> Reply:
    return Reply(200, {"Customer": render_customer(ctx, find_customer(ctx, p["CustomerNumber"]))})


def apply_customer(ctx: Ctx, customer: Record, data: dict[str, Any]) -> None:
    for field in TEXT_FIELDS:
        if field in data:
            customer[field] = str(data[field] or "")
    if "Active" in data:
        customer["Active"] = bool(data["Active"])
    if "Type" in data and data["Type"] in ("PRIVATE", "COMPANY"):
        customer["Type"] = data["Type"]
    if data.get("CountryCode"):
        customer["CountryCode"] = str(data["CountryCode"]).upper()
        customer["Country"] = COUNTRIES.get(customer["CountryCode"], customer["CountryCode"])
    if data.get("SalesAccount") not in (None, ""):
        customer["SalesAccount"] = int(decimal_of(data["SalesAccount"], "SalesAccount"))
    if customer["PriceList"] not in ctx.tenant.price_lists:
        raise errors.not_found(*errors.PRICE_LIST_NOT_FOUND)
    if not customer["Name"]:
        raise errors.invalid(*errors.BAD_DATA)
    customer["_modified"] = ctx.now


def create_customer(ctx: Ctx, p: dict[str, str]) -> Reply:
    data = wrapped(ctx, "Customer")
    number = str(data.get("CustomerNumber") or "")
    if not number:
        used = [int(n) for n in (*ctx.tenant.customers, *ctx.tenant.deleted_customers) if n.isdigit()]
        number = str(max(used, default=0) + 1)
    if number in ctx.tenant.customers or number in ctx.tenant.deleted_customers:
        code, message = errors.CUSTOMER_NUMBER_USED
        raise errors.invalid(code, message.format(n=number))
    record = customer_record(number, "", ctx.now)
    apply_customer(ctx, record, data)
    ctx.tenant.customers[number] = record
    return Reply(201, {"Customer": render_customer(ctx, record, written=True)})


def update_customer(ctx: Ctx, p: dict[str, str]) -> Reply:
    customer = find_customer(ctx, p["CustomerNumber"])
    apply_customer(ctx, customer, wrapped(ctx, "Customer"))
    return Reply(200, {"Customer": render_customer(ctx, customer, written=True)})


def delete_customer(ctx: Ctx, p: dict[str, str]) -> Reply:
    customer = find_customer(ctx, p["CustomerNumber"])
    del ctx.tenant.customers[customer["CustomerNumber"]]
    ctx.tenant.deleted_customers.add(customer["CustomerNumber"])
    return Reply(204, None)


ROUTES = [
    Route("GET", "/3/customers", list_customers, "customer", LIST_PARAMS | {"filter", *CUSTOMER_SEARCH}),
    Route("POST", "/3/customers", create_customer, "customer"),
    Route("GET", "/3/customers/{CustomerNumber}", get_customer, "customer"),
    Route("PUT", "/3/customers/{CustomerNumber}", update_customer, "customer"),
    Route("DELETE", "/3/customers/{CustomerNumber}", delete_customer, "customer"),
]
