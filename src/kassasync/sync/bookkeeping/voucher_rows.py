"""Receipts turned into what is posted to Fortnox: pure functions, integer öre, no I/O.

This module: a receipt's signed postings and the voucher made of them; ``summary`` sums them per day,
``invoice`` makes the paid customer invoice.

Three shapes, chosen by the settings: a voucher per receipt, a daily summary voucher per register and
day, or a paid customer invoice (invoice + one payment per payment method; the last section).

The rules (``docs/sources/RULES.md``; sources numbered as in DETAIL.md §9):

- Register prices include VAT. VAT per rate = gross × rate / (100 + rate) on the receipt's **sum per
  rate**, half-up to the öre, also on exact halves; net = gross − VAT. Skatteverket computes VAT on the
  sum and rounds "third decimal 5–9 up" [S10, S10b]; the taxable amount excludes VAT [S12].
- Only cash is rounded to whole kronor (lag 1970:1029 2 §) [S11]; the difference goes to 3740 outside VAT,
  debit or credit [S13, S11b]. Change handed back is not booked: only the cash kept is [S13, S28].
- A discount given at the sale lowers the VAT base [S12, S17]: the line's amount is after it, and it is
  booked on the line's sales account. A return is the sale reversed on its own date [S20b, S15, S33].
- A multi-purpose gift card is a liability on 2421 without VAT when sold; redeemed, it is a payment (debit
  2421) and the goods are booked as any sale [S16, S16b, S17, S18].
- A daily summary (gemensam verifikation) for one register and day is allowed for anonymous cash sales,
  backed by the Z-report and journal memory; its VAT per rate is the sum of the receipts' VAT (what each
  customer's receipt shows) [S19, S20, S21, S28]. BFL 5 kap. 2 §: cash booked by the next working day.
- Swish is booked like card [S27, S27b]. Card tips kept by staff would be a debt on 2829 [S29]: the
  receipt contract has no tips, so they are not modelled here.
- Every voucher is checked balanced to the öre before it leaves this module; Fortnox vouchers are
  immutable, so an error there could only be corrected by a new voucher [S33].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kassasync.errors import ItemFailed
from kassasync.money import format_kronor, round_cash, to_decimal, vat_of_gross
from kassasync.pos.models import LineKind, PaymentMethod, Receipt
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.bookkeeping.texts import (
    GIFT_CARD_SOLD_TEXT,
    PAYMENT_TEXT,
    ROUNDING_TEXT,
    business_date,
    sales_text,
    vat_text,
    with_key,
)

# Signed amounts per (account, row text): debit positive, credit negative (as in SIE's #TRANS).
Postings = dict[tuple[int, str], int]


class BookkeepingError(ItemFailed):
    """A receipt that cannot be booked as it stands; the others are still processed."""

    default_user_message = "Kvittot kunde inte bokföras. Se loggfilen för detaljer."


class UnbalancedVoucher(BookkeepingError):
    """Debit ≠ credit: never sent, since Fortnox would refuse it or, worse, book it wrong."""

    default_user_message = (
        "Verifikationen för kvittot går inte jämnt ut (debet och kredit skiljer sig) och skickades inte. "
        "Kontakta supporten med loggfilen."
    )


class ReceiptNotBookable(BookkeepingError):
    """The receipt breaks a bookkeeping rule (e.g. a rounding the law does not allow)."""


# --- drafts --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoucherRow:
    account: int
    debit_ore: int
    credit_ore: int
    description: str = ""


@dataclass(frozen=True)
class VoucherDraft:
    series: str
    transaction_date: date
    description: str
    rows: tuple[VoucherRow, ...]
    comments: str = ""

    @property
    def debit_ore(self) -> int:
        return sum(row.debit_ore for row in self.rows)

    @property
    def credit_ore(self) -> int:
        return sum(row.credit_ore for row in self.rows)

    def accounts(self) -> frozenset[int]:
        """The accounts pre-flight must find active in the receipt's financial year."""
        return frozenset(row.account for row in self.rows)

    def net_by_account(self) -> dict[int, int]:
        """Debit − credit per account."""
        net: dict[int, int] = {}
        for row in self.rows:
            net[row.account] = net.get(row.account, 0) + row.debit_ore - row.credit_ore
        return net

    def to_fortnox(self) -> dict[str, Any]:
        """Body of ``POST /3/vouchers`` (amounts as ``Decimal`` kronor; encode them as JSON numbers)."""
        voucher: dict[str, Any] = {
            "VoucherSeries": self.series,
            "TransactionDate": self.transaction_date.isoformat(),
            "Description": self.description,
            "VoucherRows": [
                {
                    "Account": row.account,
                    "Debit": to_decimal(row.debit_ore),
                    "Credit": to_decimal(row.credit_ore),
                    "Description": row.description,
                }
                for row in self.rows
            ],
        }
        if self.comments:
            voucher["Comments"] = self.comments
        return {"Voucher": voucher}


def check_balanced(voucher: VoucherDraft, what: str) -> VoucherDraft:
    """The voucher itself when debit equals credit to the öre; ``UnbalancedVoucher`` otherwise."""
    if voucher.debit_ore != voucher.credit_ore or any(
        row.debit_ore < 0 or row.credit_ore < 0 for row in voucher.rows
    ):
        raise UnbalancedVoucher(
            f"{what}: debit {voucher.debit_ore} öre != credit {voucher.credit_ore} öre "
            f"(or a negative side) in {voucher.rows!r}",
            user_message=(
                f"Verifikationen för {what} går inte jämnt ut (debet {format_kronor(voucher.debit_ore)}, "
                f"kredit {format_kronor(voucher.credit_ore)}) och skickades inte. "
                "Kontakta supporten med loggfilen."
            ),
        )
    return voucher


# --- the arithmetic ------------------------------------------------------------------------------------


def rate_postings(vat_rate: int, buckets: Mapping[tuple[int, str], int], plan: AccountPlan) -> Postings:
    """Net per bucket and one VAT posting for one rate; ``buckets`` hold VAT-inclusive gross amounts.

    VAT is computed once on the rate's sum (rule 1). When the rate's sales fall in several buckets
    (accounts or texts), each bucket gets the VAT of its own gross and the one-or-two öre left over
    goes to the largest bucket, so nets plus VAT equal the gross.
    """
    vat = vat_of_gross(sum(buckets.values()), vat_rate)
    shares = {key: vat_of_gross(gross, vat_rate) for key, gross in buckets.items()}
    if shares:
        largest = max(buckets, key=lambda key: abs(buckets[key]))
        shares[largest] += vat - sum(shares.values())
    postings: Postings = {key: -(gross - shares[key]) for key, gross in buckets.items()}
    if vat:
        postings[(plan.output_vat_account(vat_rate), vat_text(vat_rate))] = -vat
    return postings


def add(into: Postings, key: tuple[int, str], amount: int) -> None:
    into[key] = into.get(key, 0) + amount


def cash_kept_ore(receipt: Receipt) -> int:
    return sum(p.amount_ore for p in receipt.payments if p.method is PaymentMethod.CASH) - receipt.change_ore


def check_rounding(receipt: Receipt) -> None:
    """A rounding is only what the law gives on the cash part (1–49 öre down, 50–99 up) [S11, S13]."""
    if not receipt.rounding_ore:
        return
    lines = sum(line.amount_ore for line in receipt.lines)
    cash_exact = cash_kept_ore(receipt) - receipt.rounding_ore
    allowed = round_cash(cash_exact) - cash_exact
    if receipt.rounding_ore != allowed:
        raise ReceiptNotBookable(
            f"receipt {receipt.key}: rounding {receipt.rounding_ore} öre, but the cash part "
            f"{cash_exact} öre (lines {lines}) rounds by {allowed} öre",
            user_message=(
                f"Kvitto {receipt.key} har en öresavrundning på {format_kronor(receipt.rounding_ore)}, "
                f"men kontantdelen {format_kronor(cash_exact)} ska avrundas med {format_kronor(allowed)}. "
                "Kontrollera kvittot i kassan."
            ),
        )


def sales_buckets(receipt: Receipt, plan: AccountPlan) -> dict[int, dict[tuple[int, str], int]]:
    """Gross per rate and (account, text): the articles sold, a line's discount already off its amount."""
    by_rate: dict[int, dict[tuple[int, str], int]] = {}
    for line in receipt.lines:
        if line.kind is LineKind.GIFT_CARD:
            continue
        buckets = by_rate.setdefault(line.vat_rate, {})
        add(buckets, (plan.sales_account(line.vat_rate), sales_text(line.vat_rate)), line.amount_ore)
    return by_rate


def receipt_vat(receipt: Receipt) -> dict[int, int]:
    """VAT per rate as the customer's receipt shows it (rule 1), rates without VAT left out."""
    gross: dict[int, int] = {}
    for line in receipt.lines:
        if line.kind is LineKind.ARTICLE and line.vat_rate:
            gross[line.vat_rate] = gross.get(line.vat_rate, 0) + line.amount_ore
    return {rate: vat_of_gross(amount, rate) for rate, amount in gross.items()}


def receipt_postings(receipt: Receipt, plan: AccountPlan) -> Postings:
    """Signed postings of one receipt: payments, sales and VAT per rate, gift cards sold, rounding."""
    check_rounding(receipt)
    postings: Postings = {}
    for payment in receipt.payments:
        method = payment.method
        add(postings, (plan.payment_account(method), PAYMENT_TEXT[method]), payment.amount_ore)
    if receipt.change_ore:
        add(
            postings,
            (plan.payment_account(PaymentMethod.CASH), PAYMENT_TEXT[PaymentMethod.CASH]),
            -receipt.change_ore,
        )
    for rate, buckets in sorted(sales_buckets(receipt, plan).items(), key=lambda item: -item[0]):
        for key, amount in rate_postings(rate, buckets, plan).items():
            add(postings, key, amount)
    for line in receipt.lines:
        if line.kind is LineKind.GIFT_CARD:
            add(postings, (plan.gift_card_liability, GIFT_CARD_SOLD_TEXT), -line.amount_ore)
    if receipt.rounding_ore:
        add(postings, (plan.rounding, ROUNDING_TEXT), -receipt.rounding_ore)
    return postings


def rows_of(postings: Postings) -> tuple[VoucherRow, ...]:
    """Rows with non-negative sides: a net debit is a debit, a net credit a credit; zeros dropped."""
    return tuple(
        VoucherRow(account, max(amount, 0), max(-amount, 0), text)
        for (account, text), amount in postings.items()
        if amount
    )


# --- the three shapes ----------------------------------------------------------------------------------


def receipt_voucher(receipt: Receipt, plan: AccountPlan, series: str) -> VoucherDraft:
    """One voucher for one receipt; its description carries ``key_marker(receipt.key)``.

    A receipt of 0 kr gives a voucher without rows: nothing to book, and Fortnox would refuse it, so
    the caller marks it done without posting (``not voucher.rows``).
    """
    kind = "retur" if receipt.is_return else "kvitto"
    prose = f"Kassa {receipt.register_code} {kind} {receipt.receipt_number}"
    if receipt.original_receipt:
        prose += f", avser {receipt.original_receipt}"
    voucher = VoucherDraft(
        series=series,
        transaction_date=business_date(receipt),
        description=with_key(prose, receipt.key),
        rows=rows_of(receipt_postings(receipt, plan)),
    )
    return check_balanced(voucher, f"kvitto {receipt.key}")
