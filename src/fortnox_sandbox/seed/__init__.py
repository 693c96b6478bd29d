"""Seed data: the demo shop (`demo`), a second company (`other`) and the large generator (`large`).

The demo shop's company, cash customer and core articles come from demo_core.json (shared with the
register demo, checked identical by a test); everything else is generated deterministically.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from importlib.resources import files
from typing import Any

from fortnox_sandbox.seed.chart import (
    ACCOUNTS,
    PREDEFINED_ACCOUNTS,
    PREDEFINED_VOUCHER_SERIES,
    SALES_ACCOUNT_BY_VAT,
    VOUCHER_SERIES,
)
from fortnox_sandbox.tenant import Record, Tenant

ZERO = Decimal(0)

MODES_OF_PAYMENT = (
    ("KONT", "Kontant", "1910"),
    ("KORT", "Kortbetalning", "1580"),
    ("SWISH", "Swish", "1930"),
    ("PRESENT", "Presentkort", "2421"),
    ("BG", "Bankgiro", "1930"),
)
TERMS_OF_PAYMENT = (
    ("0", "0 dagar"),
    ("10", "10 dagar"),
    ("15", "15 dagar"),
    ("20", "20 dagar"),
    ("30", "30 dagar"),
    ("AG", "Autogiro"),
    ("K", "Kontant"),
    ("PF", "Postförskott"),
)

UNITS = (
    ("st", "pcs", "styck"),
    ("kg", "kg", "kilogram"),
    ("h", "h", "timmar"),
    ("förp", "pack", "förpackning"),
)

_NOUNS_12 = ("Havregryn", "Pasta", "Ris", "Yoghurt", "Fil", "Kaffebröd", "Juice", "Sylt", "Müsli", "Te")
_NOUNS_6 = ("Tidning", "Magasin", "Serietidning", "Pocketbok", "Kartbok")
_NOUNS_25 = ("Tvål", "Schampo", "Ljus", "Servetter", "Penna", "Anteckningsbok", "Kabel", "Hörlurar", "Vante")
_ADJ = ("ekologisk", "klassisk", "liten", "stor", "röd", "grön", "blå", "svensk", "extra", "lätt")


def load_core() -> dict[str, Any]:
    text = files("fortnox_sandbox").joinpath("seed/demo_core.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def ean13(body12: str) -> str:
    """A valid EAN-13 (check digit per GS1) for generated articles."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def new_tenant(name: str, database_number: int, company_name: str, org_number: str, today: date) -> Tenant:
    """A company with the current and previous calendar year, BAS chart, series, payments, price lists."""
    tenant = Tenant(
        name=name,
        database_number=database_number,
        company={
            "Address": "Storgatan 12",
            "City": "Sundsvall",
            "CountryCode": "SE",
            "CompanyName": company_name,
            "DatabaseNumber": database_number,
            "OrganizationNumber": org_number,
            "VisitAddress": "Storgatan 12",
            "VisitCity": "Sundsvall",
            "VisitCountryCode": "SE",
            "VisitZipCode": "85230",
            "ZipCode": "85230",
        },
    )
    for year_id, year in ((1, today.year - 1), (2, today.year)):
        tenant.financial_years.append(
            {
                "Id": year_id,
                "FromDate": f"{year}-01-01",
                "ToDate": f"{year}-12-31",
                "AccountChartType": "BAS 2024",
                "AccountingMethod": "ACCRUAL",
            }
        )
        tenant.accounts[year_id] = {
            number: {"Number": number, "Description": text, "VATCode": vat, "SRU": sru, "Active": active}
            for number, text, vat, sru, active in ACCOUNTS
        }
    tenant.preselected_year = 2
    tenant.predefined_accounts = dict(PREDEFINED_ACCOUNTS)
    tenant.voucher_series = {c: {"Code": c, "Description": d, "Manual": m} for c, d, m in VOUCHER_SERIES}
    tenant.predefined_voucher_series = dict(PREDEFINED_VOUCHER_SERIES)
    tenant.modes_of_payment = {
        c: {"Code": c, "Description": d, "AccountNumber": a} for c, d, a in MODES_OF_PAYMENT
    }
    tenant.terms_of_payment = {c: {"Code": c, "Description": d} for c, d in TERMS_OF_PAYMENT}
    tenant.units = {c: {"Code": c, "CodeEnglish": e, "Description": d} for c, e, d in UNITS}
    tenant.price_lists = {
        "A": {"Code": "A", "Description": "Prislista A", "Comments": "", "PreSelected": True},
        "B": {"Code": "B", "Description": "Personalpris", "Comments": "Personal 10 %", "PreSelected": False},
    }
    return tenant


def article_record(
    number: str, description: str, ean: str, vat: int, stock_goods: bool, unit: str, modified: datetime
) -> Record:
    return {
        "ArticleNumber": number,
        "Description": description,
        "EAN": ean,
        "VAT": vat,
        "StockGoods": stock_goods,
        "Type": "STOCK" if stock_goods else "SERVICE",
        "Unit": unit,
        "Active": True,
        "SalesAccount": SALES_ACCOUNT_BY_VAT.get(vat, 3001),
        "PurchasePriceOre": 0,
        "QuantityInStock": ZERO,
        "ReservedQuantity": ZERO,
        "_modified": modified,
    }


def excluding_vat(shelf_ore: int, vat: int) -> int:
    """The price-list price (excluding VAT, whole öre, half-up) of a shelf price including VAT.

    Fortnox price lists hold prices excluding VAT (Fortnox support, "Prislistor"), so the demo's shelf
    prices are stored that way; × (1 + VAT) rounded half-up gives every core shelf price back exactly."""
    return (2 * shelf_ore * 100 + 100 + vat) // (2 * (100 + vat))


def add_article(tenant: Tenant, record: Record, price_ore: int) -> None:
    """`price_ore`: the article's price in list A, excluding VAT."""
    tenant.articles[record["ArticleNumber"]] = record
    modified = record["_modified"]
    tenant.prices[("A", record["ArticleNumber"], ZERO)] = {"PriceOre": price_ore, "_modified": modified}


def customer_record(number: str, name: str, modified: datetime, **extra: Any) -> Record:
    record: Record = {
        "CustomerNumber": number,
        "Name": name,
        "Active": True,
        "PriceList": "A",
        "OrganisationNumber": "",
        "Address1": "",
        "Address2": "",
        "ZipCode": "",
        "City": "",
        "Email": "",
        "Phone1": "",
        "Type": "PRIVATE",
        "VATType": "SEVAT",
        "TermsOfPayment": "",
        "ShowPriceVATIncluded": False,
        "SalesAccount": None,
        "_modified": modified,
    }
    record.update(extra)
    return record


def seed_demo(today: date, now: datetime, generated_articles: int = 300) -> Tenant:
    """The demo shop: core catalogue exactly as demo_core.json gives it, plus generated articles."""
    core = load_core()
    company = core["Company"]
    tenant = new_tenant("demo", 100001, company["CompanyName"], company["OrganizationNumber"], today)
    old = now - timedelta(days=1)  # seeded data is older than anything a test changes
    rng = random.Random(4567)
    for item in core["Articles"]:
        record = article_record(
            item["ArticleNumber"],
            item["Description"],
            item["EAN"],
            item["VAT"],
            item["StockGoods"],
            item["Unit"],
            old,
        )
        if item["ArticleNumber"] == "PK":
            record["SalesAccount"] = 2421  # a multi-purpose gift card is a liability (RULES.md 6)
        if item["StockGoods"]:
            record["QuantityInStock"] = Decimal(rng.randint(5, 60))
            record["PurchasePriceOre"] = item["SalesPriceOre"] * 6 // 10
        add_article(tenant, record, excluding_vat(item["SalesPriceOre"], item["VAT"]))
    for i in range(generated_articles):
        vat, nouns = ((12, _NOUNS_12), (6, _NOUNS_6), (25, _NOUNS_25))[i % 3]
        number = str(5000 + i)
        description = f"{nouns[i % len(nouns)]} {_ADJ[(i // 3) % len(_ADJ)]} {i + 1}"
        record = article_record(number, description, ean13(f"735{i:09d}"), vat, True, "st", old)
        record["QuantityInStock"] = Decimal(rng.randint(0, 40))
        price = rng.randint(10, 400) * 100 - rng.choice((0, 10, 50, 5))
        record["PurchasePriceOre"] = price // 2
        add_article(tenant, record, excluding_vat(price, vat))
    for number in tenant.articles:
        base = tenant.prices[("A", number, ZERO)]["PriceOre"]
        tenant.prices[("B", number, ZERO)] = {"PriceOre": base * 9 // 10, "_modified": old}
    cash = core["CashCustomer"]
    tenant.customers[cash["CustomerNumber"]] = customer_record(
        cash["CustomerNumber"],
        cash["Name"],
        old,
        PriceList=cash["PriceList"],
        TermsOfPayment="K",
        # Invoices to the cash customer show VAT-included prices; its price list still holds prices
        # excluding VAT, as every Fortnox price list does.
        ShowPriceVATIncluded=True,
    )
    extras = (
        ("Sundsvalls Bygg AB", "556234-5678", "COMPANY"),
        ("Anna Lindqvist", "", "PRIVATE"),
        ("Föreningen Norrvåg", "802456-7890", "COMPANY"),
        ("Personalen", "", "PRIVATE"),
    )
    for n, (name, org, kind) in enumerate(extras, start=2):
        tenant.customers[str(n)] = customer_record(
            str(n), name, old, OrganisationNumber=org, Type=kind, City="Sundsvall", TermsOfPayment="30"
        )
    tenant.customers["5"]["PriceList"] = "B"
    tenant.customers["4"]["Active"] = False
    return tenant


def seed_other(today: date, now: datetime) -> Tenant:
    """A second company, to test that the agent notices it is connected to the wrong one."""
    tenant = new_tenant("other", 100002, "Annat Bolag i Umeå AB", "559012-3450", today)
    old = now - timedelta(days=1)
    add_article(tenant, article_record("1001", "Annan artikel", "", 25, False, "st", old), 8000)
    tenant.customers["1"] = customer_record("1", "Kassakund", old)
    return tenant


def seed_large(today: date, now: datetime, articles: int = 100_000, customers: int = 10_000) -> Tenant:
    """A big shop for scale benchmarks: plain dicts, shared immutable values, prices for list A only."""
    tenant = new_tenant("large", 100003, "Stormarknaden i Sverige AB", "556987-6543", today)
    tenant.price_lists.pop("B")
    old = now - timedelta(days=1)
    vats = (25, 12, 6)
    for i in range(articles):
        vat = vats[i % 3]
        number = str(100000 + i)
        record = article_record(number, f"Artikel {number}", ean13(f"73{i:010d}"), vat, True, "st", old)
        tenant.articles[number] = record
        tenant.prices[("A", number, ZERO)] = {"PriceOre": 1000 + (i % 997) * 100, "_modified": old}
    tenant.customers["1"] = customer_record("1", "Kassakund", old)
    for i in range(2, customers + 1):
        tenant.customers[str(i)] = customer_record(str(i), f"Kund {i}", old)
    return tenant
