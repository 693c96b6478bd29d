"""A receipt as a paid customer invoice: the invoice to the cash customer and one payment per method.

Fortnox books a bookkept invoice as D 1510 / C sales per row account / C VAT per rate, and each booked
payment as D its mode of payment's account / C 1510 [S13, S22, S23, S23b]; the net equals the voucher
path. Cash rounding, decided here (``docs/sources/RULES.md``, DETAIL.md §3 variant B;
Fortnox's own invoice rounding is a company setting and UNVERIFIED): the invoice carries the exact öre
of the goods, and the cash payment carries the rounding as a write-off to 3740. Variant A (Fortnox
rounds the invoice total) would round the whole receipt, which is wrong on a split payment where only
the cash part is rounded (rule 10). When the company has Fortnox round its invoices anyway,
``invoice_check.settle`` makes the payments add up to Fortnox's ``Total`` (its ``RoundOff`` booked by
Fortnox, the rest of the register's rounding written off), and ``invoice_rows`` encodes the rows so
that Fortnox's VAT is the receipt's either way.

``WriteOffs[].Amount`` is taken as a debit on the write-off account that settles the invoice together
with ``Amount`` (UNVERIFIED; the sandbox should copy whatever Fortnox does): cash 100.00 kept for goods
of 99.90 is Amount 100.00, write-off −0.10 on 3740, i.e. D 1910 100.00 / C 3740 0.10 / C 1510 99.90.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kassasync.money import format_kronor, to_decimal
from kassasync.pos.models import LineKind, PaymentMethod, Receipt
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.bookkeeping.texts import ROUNDING_TEXT, WEIGHT_ROUNDING_TEXT, business_date, fortnox_text
from kassasync.sync.bookkeeping.voucher_rows import (
    BookkeepingError,
    add,
    check_rounding,
    rate_postings,
    receipt_vat,
)


class UnbalancedInvoice(BookkeepingError):
    """The payments would not settle the invoice exactly: it would stay open or be overpaid."""

    default_user_message = (
        "Betalningarna täcker inte fakturan för kvittot exakt, så den skickades inte. "
        "Kontakta supporten med loggfilen."
    )


@dataclass(frozen=True)
class InvoiceRowDraft:
    article_number: str | None
    description: str
    quantity: Decimal
    price_ore: int  # per unit, VAT included (the invoice is sent with VATIncluded)
    vat_rate: int
    account: int

    @property
    def total_ore(self) -> int:
        """Quantity × price rounded half-up to the öre, as Fortnox computes a row (REFERENCE
        §4.7)."""
        return int((self.quantity * self.price_ore).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def to_fortnox(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "Description": self.description,
            "DeliveredQuantity": self.quantity,
            "Price": to_decimal(self.price_ore),
            "VAT": self.vat_rate,
            "AccountNumber": self.account,
        }
        if self.article_number is not None:
            row["ArticleNumber"] = self.article_number
        return row


@dataclass(frozen=True)
class InvoiceDraft:
    customer_number: str
    invoice_date: date
    receipt_key: str
    rows: tuple[InvoiceRowDraft, ...]
    comments: str
    vat_ore_by_rate: Mapping[int, int]  # what Fortnox's VAT must come to: the receipt's VAT (rule 1)

    @property
    def total_ore(self) -> int:
        """What Fortnox's ``Total`` must be (no ``RoundOff``): the goods, exact to the öre."""
        return sum(row.total_ore for row in self.rows)

    def to_fortnox(self) -> dict[str, Any]:
        """Body of ``POST /3/invoices``; the key goes in ExternalInvoiceReference1 and YourOrderNumber."""
        return {
            "Invoice": {
                "CustomerNumber": self.customer_number,
                "InvoiceDate": self.invoice_date.isoformat(),
                "DueDate": self.invoice_date.isoformat(),
                "VATIncluded": True,
                "ExternalInvoiceReference1": self.receipt_key,
                "YourOrderNumber": self.receipt_key,
                "Comments": self.comments,
                "InvoiceRows": [row.to_fortnox() for row in self.rows],
            }
        }


@dataclass(frozen=True)
class WriteOffDraft:
    account: int
    amount_ore: int  # debit on ``account``; negative = credit
    description: str


@dataclass(frozen=True)
class PaymentDraft:
    method: PaymentMethod
    mode_of_payment: str
    account: int
    amount_ore: int  # what came in on ``account`` (negative: paid back)
    write_offs: tuple[WriteOffDraft, ...] = ()

    @property
    def settles_ore(self) -> int:
        """How much of the invoice this payment settles."""
        return self.amount_ore + sum(w.amount_ore for w in self.write_offs)

    def to_fortnox(self, invoice_number: int, payment_date: date) -> dict[str, Any]:
        """Body of ``POST /3/invoicepayments`` once the invoice has its number."""
        payment: dict[str, Any] = {
            "InvoiceNumber": invoice_number,
            "Amount": to_decimal(self.amount_ore),
            "PaymentDate": payment_date.isoformat(),
            "ModeOfPayment": self.mode_of_payment,
            "ModeOfPaymentAccount": self.account,
        }
        if self.write_offs:
            payment["WriteOffs"] = [
                {"AccountNumber": w.account, "Amount": to_decimal(w.amount_ore), "Description": w.description}
                for w in self.write_offs
            ]
        return {"InvoicePayment": payment}


@dataclass(frozen=True)
class PaidInvoiceDraft:
    invoice: InvoiceDraft
    payments: tuple[PaymentDraft, ...]
    payment_date: date

    def postings(self, plan: AccountPlan) -> dict[int, int]:
        """Debit − credit per account of the invoice's and payments' vouchers together, assuming
        Fortnox computes VAT per rate on the invoice's sum (DETAIL.md §8 question 2):
        1510 nets to 0 and the rest must equal the voucher path (the tests hold both paths to that)."""
        by_rate: dict[int, dict[tuple[int, str], int]] = {}
        for row in self.invoice.rows:
            add(by_rate.setdefault(row.vat_rate, {}), (row.account, ""), row.total_ore)
        net: dict[int, int] = {plan.receivables: self.invoice.total_ore}
        entries = [item for rate, b in by_rate.items() for item in rate_postings(rate, b, plan).items()]
        for payment in self.payments:
            entries.append(((payment.account, ""), payment.amount_ore))
            entries += [((w.account, ""), w.amount_ore) for w in payment.write_offs]
            entries.append(((plan.receivables, ""), -payment.settles_ore))
        for (account, _text), amount in entries:
            net[account] = net.get(account, 0) + amount
        return {account: amount for account, amount in net.items() if amount}


def invoice_rows(receipt: Receipt, plan: AccountPlan) -> tuple[InvoiceRowDraft, ...]:
    """One row per line at the receipt's quantity and price, so stock moves by the real quantity.

    Fortnox keeps two decimals of quantity and price (REFERENCE §4.7): a line it cannot reproduce
    exactly (e.g. 0.455 kg) is sent as one unit at the line's amount, its quantity in the text. A
    discount is a row of its own on the sales account, so no Fortnox discount arithmetic is
    relied on. A gift card sold is a row on 2421 without VAT (DETAIL.md §8 question 5:
    UNVERIFIED).
    """
    rows: list[InvoiceRowDraft] = []
    for line in receipt.lines:
        text = fortnox_text(line.description, 255)
        if line.kind is LineKind.GIFT_CARD:
            rows.append(InvoiceRowDraft(None, text, Decimal(1), line.amount_ore, 0, plan.gift_card_liability))
            continue
        account = plan.sales_account(line.vat_rate)
        gross = line.amount_ore + line.discount_ore
        quantity = line.quantity.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        row = InvoiceRowDraft(
            line.article_number, text, quantity, line.unit_price_ore, line.vat_rate, account
        )
        rows.append(row)
        if row.total_ore != gross:  # e.g. 0.455 kg: Fortnox holds 0.46; the difference gets a row
            quantity_text = str(line.quantity).replace(".", ",")
            unit_price = format_kronor(line.unit_price_ore)
            adjustment = fortnox_text(
                f"{WEIGHT_ROUNDING_TEXT} {line.description} {quantity_text} à {unit_price}", 255
            )
            rows.append(
                InvoiceRowDraft(None, adjustment, Decimal(1), gross - row.total_ore, line.vat_rate, account)
            )
        if line.discount_ore:
            rabatt = fortnox_text(f"Rabatt {line.description}", 255)
            rows.append(InvoiceRowDraft(None, rabatt, Decimal(1), -line.discount_ore, line.vat_rate, account))
    return tuple(rows)


def invoice_payments(receipt: Receipt, plan: AccountPlan) -> tuple[PaymentDraft, ...]:
    """One payment per payment method: the amount that came in; the cash one carries the rounding."""
    amounts: dict[PaymentMethod, int] = {}
    for payment in receipt.payments:
        amounts[payment.method] = amounts.get(payment.method, 0) + payment.amount_ore
    if receipt.change_ore:
        amounts[PaymentMethod.CASH] -= receipt.change_ore
    drafts: list[PaymentDraft] = []
    for method, amount in amounts.items():
        write_offs: tuple[WriteOffDraft, ...] = ()
        if method is PaymentMethod.CASH and receipt.rounding_ore:
            write_offs = (WriteOffDraft(plan.rounding, -receipt.rounding_ore, ROUNDING_TEXT),)
        if amount or write_offs:
            account = plan.payment_account(method)
            drafts.append(PaymentDraft(method, plan.mode_of_payment(method), account, amount, write_offs))
    return tuple(drafts)


def paid_invoice(receipt: Receipt, plan: AccountPlan, customer_number: str) -> PaidInvoiceDraft:
    """The invoice to the cash customer and its payments, checked to settle it exactly.

    A return is an invoice with negative quantities paid back with negative payments (a credit invoice;
    DETAIL.md §3, UNVERIFIED against Fortnox). ``plan.modes_of_payment`` must map every
    method used.
    """
    check_rounding(receipt)
    day = business_date(receipt)
    kind = "Retur" if receipt.is_return else "Kvitto"
    invoice = InvoiceDraft(
        customer_number=customer_number,
        invoice_date=day,
        receipt_key=receipt.key,
        rows=invoice_rows(receipt, plan),
        comments=f"{kind} {receipt.receipt_number}, kassa {receipt.register_code}",
        vat_ore_by_rate=receipt_vat(receipt),
    )
    payments = invoice_payments(receipt, plan)
    settled = sum(p.settles_ore for p in payments)
    if settled != invoice.total_ore:
        raise UnbalancedInvoice(
            f"receipt {receipt.key}: payments settle {settled} öre of an invoice of {invoice.total_ore} öre"
        )
    return PaidInvoiceDraft(invoice, payments, day)
