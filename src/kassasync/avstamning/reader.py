"""What Fortnox holds for a range of days, read back with a bounded number of requests.

- Vouchers: one listing of the range per financial year, all series at once (``GET /3/vouchers`` with
  ``fromdate``/``todate``, pages of 500), so a voucher posted for a receipt by hand into another series
  is found too. List rows have no voucher rows (docs/sources/REFERENCE.md §5.6): the detail is
  read only for vouchers whose text carries the key of a receipt or daily summary of the registers
  reconciled; every other voucher of the company (supplier invoices, payroll) costs nothing but its
  share of a list page.
- Invoices (the invoice path): one listing per cash customer and range (``customernumber``,
  ``fromdate``/``todate``, pages of 500). The list row carries ``Total`` and ``Balance``, which answer
  "invoiced what the receipt says" and "paid in full"; no invoice detail is read. Their payments: the
  payment list newest first (``sortby=paymentdate``, ``sortorder=descending``; it has no date filter),
  read until a page ends before the range. What each invoice and payment put on the accounts is in the
  voucher Fortnox made for it, found in the same voucher listing by ``ReferenceType`` and
  ``ReferenceNumber`` (the invoice's or payment's number), and read in detail.

Search parameters are substring matches in Fortnox: every row is compared exactly before it is used.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from kassasync.avstamning.compare import RECEIPT_MARKER, SUMMARY_MARKER, FortnoxInvoice, FortnoxVoucher
from kassasync.fortnox.client import FortnoxClient
from kassasync.fortnox.models import FinancialYear, InvoiceRowSummary, Voucher
from kassasync.money import from_decimal
from kassasync.sync.events import StepProgress

STEP, STEP_LABEL = "avstamning", "Läser verifikationer i Fortnox"
PROGRESS_EVERY = 25  # details between progress events: about every 5 s at Fortnox's rate


@dataclass
class ReadCounts:
    list_pages: int = 0
    details: int = 0
    listed_vouchers: int = 0
    listed_invoices: int = 0
    listed_payments: int = 0


@dataclass
class FortnoxReader:
    client: FortnoxClient
    registers: frozenset[str]  # only vouchers of these registers' receipts and summaries are read whole
    progress: Callable[[StepProgress], None] = field(default=lambda event: None)
    counts: ReadCounts = field(default_factory=ReadCounts)

    def years(self, start: date, end: date) -> list[FinancialYear]:
        return [y for y in self.client.financial_years() if y.from_date <= end and y.to_date >= start]

    def vouchers(
        self, start: date, end: date, made_for: Mapping[tuple[str, str], str] | None = None
    ) -> list[FortnoxVoucher]:
        """``made_for``: (ReferenceType, ReferenceNumber) of an invoice's or payment's voucher → the
        receipt's key; those vouchers are read too, and carry the key."""
        made_for = made_for or {}
        wanted: list[tuple[Voucher, int, str | None]] = []  # listed first, so progress knows the total
        for year in self.years(start, end):
            params = {
                "financialyear": year.id,
                "fromdate": max(start, year.from_date).isoformat(),
                "todate": min(end, year.to_date).isoformat(),
            }
            for page in self.client.pages("vouchers", "Vouchers", params):
                self.counts.list_pages += 1
                for row in page:
                    self.counts.listed_vouchers += 1
                    listed = Voucher.model_validate(row)
                    key = made_for.get((listed.reference_type or "", listed.reference_number or ""))
                    if listed.voucher_number is not None and (key or self.concerns_us(listed.description)):
                        wanted.append((listed, year.id, key))
        found: list[FortnoxVoucher] = []
        started = time.monotonic()
        for done, (listed, year_id, key) in enumerate(wanted, start=1):
            assert listed.voucher_number is not None
            voucher = self._detail(listed.voucher_series, listed.voucher_number, year_id)
            found.append(replace(voucher, made_for=key) if key else voucher)
            if done % PROGRESS_EVERY == 0 or done == len(wanted):
                pace = (time.monotonic() - started) / done
                self.progress(StepProgress(STEP, STEP_LABEL, done, len(wanted), pace * (len(wanted) - done)))
        return found

    def concerns_us(self, description: str) -> bool:
        """The text carries a receipt's or a daily summary's key of a register being reconciled."""
        codes = {key.rsplit("-", 1)[0] for key in RECEIPT_MARKER.findall(description)}
        codes |= {code for code, _day in SUMMARY_MARKER.findall(description)}
        return bool(codes & self.registers)

    def _detail(self, series: str, number: int, year_id: int) -> FortnoxVoucher:
        self.counts.details += 1
        voucher = self.client.get_voucher(series, number, year_id)
        net: dict[int, int] = {}
        for row in voucher.voucher_rows:
            amount = from_decimal(row.debit or Decimal(0)) - from_decimal(row.credit or Decimal(0))
            net[row.account] = net.get(row.account, 0) + amount
        return FortnoxVoucher(
            f"{series}{number}",
            voucher.transaction_date,
            voucher.description,
            {account: amount for account, amount in net.items() if amount},
        )

    def invoices(self, customers: Iterable[str], start: date, end: date) -> list[FortnoxInvoice]:
        found: list[FortnoxInvoice] = []
        for customer in dict.fromkeys(customers):
            params = {"customernumber": customer, "fromdate": start.isoformat(), "todate": end.isoformat()}
            for page in self.client.pages("invoices", "Invoices", params):
                self.counts.list_pages += 1
                for row in page:
                    self.counts.listed_invoices += 1
                    invoice = _invoice(row, customer)
                    if invoice is not None:
                        found.append(invoice)
        return found

    def payments(self, invoice_numbers: Iterable[str], start: date) -> dict[str, str]:
        """Payment number → invoice number for the payments of ``invoice_numbers`` made from ``start``."""
        wanted = set(invoice_numbers)
        found: dict[str, str] = {}
        if not wanted:
            return found
        params = {"sortby": "paymentdate", "sortorder": "descending"}
        for page in self.client.pages("invoicepayments", "InvoicePayments", params):
            self.counts.list_pages += 1
            for row in page:
                self.counts.listed_payments += 1
                invoice = str(row.get("InvoiceNumber") or "")
                if invoice in wanted:
                    found[str(row.get("Number") or "")] = invoice
            if page and str(page[-1].get("PaymentDate") or "") < start.isoformat():
                break  # newest first: every later page is older still
        return found


def _invoice(row: Mapping[str, Any], customer: str) -> FortnoxInvoice | None:
    summary = InvoiceRowSummary.model_validate(row)
    reference = summary.external_invoice_reference1
    if summary.cancelled or not reference or summary.customer_number != customer:
        return None
    total = from_decimal(Decimal(str(row.get("Total") or 0)))
    balance = from_decimal(Decimal(str(row.get("Balance") or 0)))
    return FortnoxInvoice(summary.document_number, reference, total, balance)
