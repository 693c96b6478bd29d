"""Customer invoices and payments: row arithmetic, bookkeeping vouchers and stock moves.

VAT per row, half-up to the öre; with `VATIncluded` the row price is gross and the VAT is taken out of
it (rate / (100 + rate)), else added on top (REFERENCE §5.12). Whether Fortnox computes VAT per row or
per rate on the sum is UNVERIFIED (bookkeeping DETAIL.md §8 q2): per row is the default, and the
tenant switch ``vat_per_row=False`` computes it per rate (each row then gets its share, the öre left
over on the largest row) so the agent is tested against both.
Öresavrundning (the company's invoice setting, ``tenant.invoice_rounding``): the total is rounded to
whole kronor, half-up on the absolute amount, and the difference is ``RoundOff`` (positive when the
customer pays more), booked on the predefined ROUNDOFF account. A connector vendor documents the
setting ("öresutjämning ... närmaste krona", docs.wetail.io "Fel vid öresavrundning"); the voucher row
and sign are UNVERIFIED (REFERENCE §5.12).
Bookkeeping an invoice: D CUSTCLAIM total, C sales per account (net), C OUTVAT per rate, ∓ ROUNDOFF, in
the series predefined for invoices (B). A payment: D its account (± write-offs), C CUSTCLAIM, series C.
Stock (REFERENCE §5.14): with Lagermodul on, rows of stock articles are reserved when the invoice is
saved and delivered when it is bookkept (or marked warehouse-ready); a row whose article has too
little disposable stock silently gets DeliveredQuantity 0 unless negative stock is allowed. Without
the module, bookkeeping moves QuantityInStock directly ([L]).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from fortnox_sandbox import errors, ledger
from fortnox_sandbox.faults import Faults
from fortnox_sandbox.numbers import decimal_of, ore_of, round2, round_ore
from fortnox_sandbox.seed import ZERO
from fortnox_sandbox.tenant import Record, Tenant

VAT_RATES = (0, 6, 12, 25)
SALES_BY_VAT = {25: "SALES", 12: "SALES_MP2", 6: "SALES_MP3", 0: "SALES_NOVAT"}
OUTVAT_BY_VAT = {25: "OUTVAT_MP1", 12: "OUTVAT_MP2", 6: "OUTVAT_MP3"}


@dataclass
class Line:
    """One computed invoice row; amounts in öre."""

    row_id: int
    article: str
    description: str
    unit: str
    account: int
    quantity: Decimal
    price_ore: int
    discount: Decimal
    discount_type: str
    vat: int
    total_ore: int  # in the invoice's price mode (gross when VATIncluded)
    net_ore: int
    vat_ore: int
    stock: bool


def predefined(tenant: Tenant, name: str) -> int:
    account = tenant.predefined_accounts.get(name, 0)
    if not account:
        raise errors.invalid(*errors.ACCOUNT_MISSING)
    return account


def list_price_ore(tenant: Tenant, price_list: str, article: str, quantity: Decimal) -> int:
    steps = [
        (k[2], p["PriceOre"]) for k, p in tenant.prices.items() if k[0] == price_list and k[1] == article
    ]
    fitting = [s for s in steps if s[0] <= abs(quantity)] or steps
    return int(max(fitting)[1]) if fitting else 0


def compute_line(tenant: Tenant, invoice: Record, raw: dict[str, Any], row_id: int) -> Line:
    number = str(raw.get("ArticleNumber") or "")
    article = tenant.articles.get(number) if number else None
    if number and article is None:
        raise errors.invalid(*errors.ARTICLE_NOT_FOUND)
    quantity = round2(decimal_of(raw.get("DeliveredQuantity", 0), "DeliveredQuantity"))
    vat = (
        int(decimal_of(raw["VAT"], "VAT"))
        if raw.get("VAT") not in (None, "")
        else (article or {}).get("VAT", 25)
    )
    if vat not in VAT_RATES:
        raise errors.invalid(*errors.BAD_DATA)
    if raw.get("Price") not in (None, ""):
        price_ore = ore_of(raw["Price"], "Price")
    else:
        # Price lists hold prices excluding VAT; an invoice with VAT-included prices shows them with VAT.
        price_ore = list_price_ore(tenant, invoice["PriceList"], number, quantity) if number else 0
        if invoice["VATIncluded"]:
            price_ore = round_ore(Decimal(price_ore) * (100 + vat) / 100)
    account = _account(tenant, invoice, raw, article, vat)
    discount = decimal_of(raw.get("Discount", 0), "Discount")
    discount_type = str(raw.get("DiscountType") or "PERCENT")
    gross = Decimal(price_ore) * quantity
    gross = gross * (100 - discount) / 100 if discount_type == "PERCENT" else gross - discount * 100
    total = round_ore(gross)
    if invoice["VATIncluded"]:
        vat_ore = round_ore(Decimal(total) * vat / (100 + vat))
        net = total - vat_ore
    else:
        net, vat_ore = total, round_ore(Decimal(total) * vat / 100)
    return Line(
        row_id=row_id,
        article=number,
        description=str(raw.get("Description") or (article or {}).get("Description", "")),
        unit=str(raw.get("Unit") or (article or {}).get("Unit", "")),
        account=account,
        quantity=quantity,
        price_ore=price_ore,
        discount=discount,
        discount_type=discount_type,
        vat=vat,
        total_ore=total,
        net_ore=net,
        vat_ore=vat_ore,
        stock=bool(article and article["StockGoods"]),
    )


def _account(tenant: Tenant, invoice: Record, raw: dict[str, Any], article: Record | None, vat: int) -> int:
    """Row account, else the customer's sales account, else the article's, else predefined per VAT."""
    if raw.get("AccountNumber") not in (None, "", 0):
        account = int(decimal_of(raw["AccountNumber"], "AccountNumber"))
    elif invoice.get("_customer_sales_account"):
        account = int(invoice["_customer_sales_account"])
    elif article is not None and article.get("SalesAccount"):
        account = int(article["SalesAccount"])
    else:
        account = predefined(tenant, SALES_BY_VAT[vat])
    year = tenant.year_of(date.fromisoformat(invoice["InvoiceDate"]))
    if year is not None:
        ledger.check_account(tenant, year["Id"], account)
    return account


def zero_out(line: Line) -> Line:
    """Lagermodul: out of stock and no negative stock allowed -> delivered 0, silently."""
    line.quantity = ZERO
    line.total_ore = line.net_ore = line.vat_ore = 0
    return line


def apply_stock_rules(tenant: Tenant, lines: list[Line]) -> None:
    if not tenant.warehouse:
        return
    wanted: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        if not (line.stock and line.quantity > 0):
            continue
        article = tenant.articles[line.article]
        disposable = article["QuantityInStock"] - article["ReservedQuantity"] - wanted[line.article]
        if line.quantity > disposable and not tenant.allow_negative_stock:
            zero_out(line)
        else:
            wanted[line.article] += line.quantity
    for number, quantity in wanted.items():
        tenant.articles[number]["ReservedQuantity"] += quantity


def vat_per_rate(invoice: Record) -> None:
    """VAT computed once per rate on the rows' sum; each row keeps its share (largest row takes the rest)."""
    by_rate: dict[int, list[Line]] = defaultdict(list)
    for line in invoice["lines"]:
        by_rate[line.vat].append(line)
    for rate, lines in by_rate.items():
        total = sum(line.total_ore for line in lines)
        if invoice["VATIncluded"]:
            vat = round_ore(Decimal(total) * rate / (100 + rate))
        else:
            vat = round_ore(Decimal(total) * rate / 100)
        largest = max(lines, key=lambda line: abs(line.total_ore))
        largest.vat_ore += vat - sum(line.vat_ore for line in lines)
        for line in lines:
            line.net_ore = line.total_ore - line.vat_ore if invoice["VATIncluded"] else line.total_ore


def totals(tenant: Tenant, invoice: Record) -> None:
    lines: list[Line] = invoice["lines"]
    if not tenant.vat_per_row:
        vat_per_rate(invoice)
    invoice["NetOre"] = sum(line.net_ore for line in lines)
    invoice["VatOre"] = sum(line.vat_ore for line in lines)
    exact = invoice["NetOre"] + invoice["VatOre"]
    rounded = exact
    if tenant.invoice_rounding:
        rounded = (1 if exact >= 0 else -1) * round_ore(Decimal(abs(exact)) / 100) * 100
    invoice["RoundOffOre"] = rounded - exact
    invoice["TotalOre"] = rounded
    invoice["BalanceOre"] = invoice["TotalOre"]


def deliver(tenant: Tenant, invoice: Record) -> None:
    """Move stock once per invoice: reserved -> delivered (Lager), or straight off the shelf."""
    if invoice["_delivered"]:
        return
    for line in invoice["lines"]:
        if not line.stock or line.article not in tenant.articles:
            continue
        article = tenant.articles[line.article]
        article["QuantityInStock"] -= line.quantity
        if tenant.warehouse and line.quantity > 0:
            article["ReservedQuantity"] = max(ZERO, article["ReservedQuantity"] - line.quantity)
    invoice["_delivered"] = True
    invoice["WarehouseReady"] = True


def release(tenant: Tenant, invoice: Record) -> None:
    if not tenant.warehouse or invoice["_delivered"]:
        return
    for line in invoice["lines"]:
        if line.stock and line.quantity > 0 and line.article in tenant.articles:
            article = tenant.articles[line.article]
            article["ReservedQuantity"] = max(ZERO, article["ReservedQuantity"] - line.quantity)


def signed_row(account: int, amount_ore: int, debit_side: bool) -> ledger.Row:
    """A positive amount on its natural side; a negative one (credit invoice) on the other."""
    if (amount_ore >= 0) == debit_side:
        return ledger.Row(account, abs(amount_ore), 0)
    return ledger.Row(account, 0, abs(amount_ore))


def invoice_voucher_rows(tenant: Tenant, invoice: Record) -> list[ledger.Row]:
    sales: dict[int, int] = defaultdict(int)
    vat: dict[int, int] = defaultdict(int)
    for line in invoice["lines"]:
        sales[line.account] += line.net_ore
        if line.vat_ore:
            vat[predefined(tenant, OUTVAT_BY_VAT[line.vat])] += line.vat_ore
    rows = [signed_row(predefined(tenant, "CUSTCLAIM"), invoice["TotalOre"], True)]
    rows += [signed_row(acc, amount, False) for acc, amount in sales.items() if amount]
    rows += [signed_row(acc, amount, False) for acc, amount in vat.items() if amount]
    if invoice.get("RoundOffOre"):
        rows.append(signed_row(predefined(tenant, "ROUNDOFF"), invoice["RoundOffOre"], False))
    return [r for r in rows if r.debit_ore or r.credit_ore]


def bookkeep_invoice(tenant: Tenant, faults: Faults, invoice: Record, now: Any) -> None:
    if invoice["Cancelled"]:
        raise errors.invalid(*errors.INVOICE_CANCELLED)
    if invoice["Booked"]:
        raise errors.invalid(*errors.INVOICE_BOOKED)
    day = date.fromisoformat(invoice["InvoiceDate"])
    rows = invoice_voucher_rows(tenant, invoice)
    if rows:
        voucher = ledger.post(
            tenant,
            faults,
            year=tenant.year_of(day),
            series=tenant.predefined_voucher_series.get("INVOICE", "B"),
            day=day,
            description=f"Kundfaktura {invoice['CustomerName']} ({invoice['DocumentNumber']})",
            rows=rows,
            now=now,
            manual_only=False,
            reference_type="INVOICE",
            reference_number=str(invoice["DocumentNumber"]),
        )
        invoice["Voucher"] = (voucher["VoucherSeries"], voucher["VoucherNumber"], voucher["Year"])
    else:
        ledger.check_date(tenant, tenant.year_of(day), day)
    invoice["Booked"] = True
    deliver(tenant, invoice)
    invoice["_modified"] = now


def bookkeep_payment(tenant: Tenant, faults: Faults, payment: Record, invoice: Record, now: Any) -> None:
    if payment["Booked"]:
        raise errors.invalid(*errors.PAYMENT_BOOKED)
    if not invoice["Booked"]:
        raise errors.invalid(*errors.INVOICE_NOT_BOOKED)
    day = date.fromisoformat(payment["PaymentDate"])
    write_offs: list[tuple[int, int]] = payment["WriteOffs"]
    settled = payment["AmountOre"] + sum(amount for _, amount in write_offs)
    rows = [signed_row(payment["ModeOfPaymentAccount"], payment["AmountOre"], True)]
    rows += [signed_row(account, amount, True) for account, amount in write_offs]
    rows.append(signed_row(predefined(tenant, "CUSTCLAIM"), settled, False))
    voucher = ledger.post(
        tenant,
        faults,
        year=tenant.year_of(day),
        series=tenant.predefined_voucher_series.get("PAYMENT", "C"),
        day=day,
        description=f"Kundinbetalning {invoice['CustomerName']} ({invoice['DocumentNumber']})",
        rows=[r for r in rows if r.debit_ore or r.credit_ore],
        now=now,
        manual_only=False,
        reference_type="INVOICEPAYMENT",
        reference_number=str(payment["Number"]),
    )
    payment["Booked"] = True
    payment["Voucher"] = (voucher["VoucherSeries"], voucher["VoucherNumber"], voucher["Year"])
    payment["_modified"] = now
    invoice["BalanceOre"] -= settled
    if invoice["BalanceOre"] == 0 and invoice["FinalPayDate"] is None:
        invoice["FinalPayDate"] = payment["PaymentDate"]
    invoice["_modified"] = now
