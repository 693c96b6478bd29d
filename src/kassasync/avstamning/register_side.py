"""What the register took, per register and day: pure functions over the receipts, integer öre.

The expectation per account is what the sync posted: the receipt's own postings from the bookkeeping
rules (``receipt_postings``), summed per account, so a day that was posted right compares equal to the
öre (docs/sources/RULES.md). The facts beside them (receipts, sales per VAT rate, returns,
gift cards, öresavrundning, payment methods) are the register's view, for the accountant to read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from kassasync.money import vat_of_gross
from kassasync.pos.models import LineKind, PaymentMethod, Receipt
from kassasync.pos.records import OutboxEntry, OutboxState, Target
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.bookkeeping import BookkeepingError, business_date, receipt_postings

PAYMENT_LABELS: Mapping[PaymentMethod, str] = {
    PaymentMethod.CASH: "Kontant",
    PaymentMethod.CARD: "Kort",
    PaymentMethod.SWISH: "Swish",
    PaymentMethod.GIFT_CARD: "Presentkort inlöst",
}


@dataclass(frozen=True)
class BookedReceipt:
    """A receipt with how far it came: its outbox row and what it should have put on each account."""

    receipt: Receipt
    entry: OutboxEntry | None
    expected: Mapping[int, int]  # debit − credit per account, as posted
    invoice_total_ore: int  # what an invoice for it totals (the goods; öresavrundning is a write-off)
    as_invoice: bool = False  # posted (or to be posted) as a paid customer invoice
    not_bookable: str | None = None  # the rules refuse it (e.g. a wrong rounding): Swedish reason

    @property
    def key(self) -> str:
        return self.receipt.key

    @property
    def state(self) -> OutboxState | None:
        return None if self.entry is None else self.entry.state


@dataclass(frozen=True)
class Fact:
    """One line of what the register took (count: how many receipts, where it counts them)."""

    label: str
    amount_ore: int
    count: int | None = None


@dataclass
class RegisterDay:
    register: str
    day: date
    receipts: list[BookedReceipt] = field(default_factory=list)
    z_total_ore: int | None = None  # the register's own daily total (Z-report), when it states one

    @property
    def total_ore(self) -> int:
        return sum(r.receipt.total_ore for r in self.receipts)


def book(receipt: Receipt, entry: OutboxEntry | None, plan: AccountPlan, *, invoices: bool) -> BookedReceipt:
    """The receipt's expected postings per account; a receipt the rules refuse expects none.

    ``invoices``: the settings post receipts as invoices; the receipt's own target, once it has been
    sent, decides over that (the setting may have changed since).
    """
    target = None if entry is None else entry.target
    as_invoice = target is Target.INVOICE if target is not None else invoices
    lines_ore = sum(line.amount_ore for line in receipt.lines)
    try:
        postings = receipt_postings(receipt, plan)
    except BookkeepingError as exc:
        return BookedReceipt(receipt, entry, {}, lines_ore, as_invoice, not_bookable=exc.user_message)
    net: dict[int, int] = {}
    for (account, _text), amount in postings.items():
        net[account] = net.get(account, 0) + amount
    return BookedReceipt(receipt, entry, {a: v for a, v in net.items() if v}, lines_ore, as_invoice)


def group_days(booked: Iterable[BookedReceipt]) -> dict[tuple[str, date], RegisterDay]:
    days: dict[tuple[str, date], RegisterDay] = {}
    for item in booked:
        key = (item.receipt.register_code, business_date(item.receipt))
        days.setdefault(key, RegisterDay(*key)).receipts.append(item)
    return dict(sorted(days.items()))


def expected_by_account(receipts: Sequence[BookedReceipt]) -> dict[int, int]:
    """The day's expected postings per account. A receipt posted as a paid invoice expects the same:
    its invoice's voucher and its payments' vouchers together net 1510 to zero and leave the voucher
    path's postings (docs/sources/RULES.md)."""
    net: dict[int, int] = {}
    for item in receipts:
        for account, amount in item.expected.items():
            net[account] = net.get(account, 0) + amount
    return net


def facts(day: RegisterDay) -> list[Fact]:
    """Receipts, sales per VAT rate (net and VAT), returns, gift cards, öresavrundning, payments."""
    receipts = [item.receipt for item in day.receipts]
    out = [Fact("Kvitton", sum(r.total_ore for r in receipts), len(receipts))]
    gross: dict[int, int] = {}
    for receipt in receipts:
        for rate, amount in _gross_per_rate(receipt).items():
            gross[rate] = gross.get(rate, 0) + amount
    vat = {rate: sum(vat_of_gross(g, rate) for g in _per_receipt(receipts, rate)) for rate in gross}
    for rate in sorted(gross, reverse=True):
        out.append(Fact(f"Försäljning {rate} % netto", gross[rate] - vat[rate]))
        if rate:
            out.append(Fact(f"Moms {rate} %", vat[rate]))
    returns = [r for r in receipts if r.is_return]
    if returns:
        out.append(Fact("Returer", sum(r.total_ore for r in returns), len(returns)))
    sold = sum(ln.amount_ore for r in receipts for ln in r.lines if ln.kind is LineKind.GIFT_CARD)
    if sold:
        out.append(Fact("Presentkort sålda", sold))
    rounding = sum(r.rounding_ore for r in receipts)
    if rounding:
        out.append(Fact("Öresavrundning", rounding))
    paid: dict[PaymentMethod, int] = {}
    for receipt in receipts:
        for payment in receipt.payments:
            paid[payment.method] = paid.get(payment.method, 0) + payment.amount_ore
        if receipt.change_ore:
            paid[PaymentMethod.CASH] = paid.get(PaymentMethod.CASH, 0) - receipt.change_ore
    out += [Fact(PAYMENT_LABELS[method], amount) for method, amount in paid.items() if amount]
    if day.z_total_ore is not None:
        out.append(Fact("Z-rapport (kassans egen summa)", day.z_total_ore))
    return out


def _gross_per_rate(receipt: Receipt) -> dict[int, int]:
    gross: dict[int, int] = {}
    for line in receipt.lines:
        if line.kind is LineKind.ARTICLE:
            gross[line.vat_rate] = gross.get(line.vat_rate, 0) + line.amount_ore
    return gross


def _per_receipt(receipts: Sequence[Receipt], rate: int) -> list[int]:
    """VAT is the sum of each receipt's VAT (what each customer's receipt shows), not the day's."""
    return [g for g in (_gross_per_rate(r).get(rate, 0) for r in receipts) if g]
