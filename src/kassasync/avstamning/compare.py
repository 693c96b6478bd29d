"""The register's day against Fortnox's documents: lines per account, differences in öre, and causes.

Pure: the reader (``reader.py``) has fetched the documents, the register side (``register_side.py``)
has computed what each receipt should have put on each account. A day with no difference on any line
is OK; one with a difference names the receipts that cause it (failed, waiting, missing, booked twice,
booked with a difference, invoiced or paid differently) and says what to do about each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from kassasync.avstamning.register_side import BookedReceipt, Fact, RegisterDay, expected_by_account, facts
from kassasync.money import format_kronor
from kassasync.pos.records import OutboxState
from kassasync.sync.bookkeeping import business_date, summary_key

RECEIPT_MARKER = re.compile(r"\(([A-Za-z0-9_-]+-\d+)\)")
SUMMARY_MARKER = re.compile(r"\(([A-Za-z0-9_-]+)/(\d{4}-\d{2}-\d{2})\)")


@dataclass(frozen=True)
class FortnoxVoucher:
    ref: str  # series and number, "F12"
    day: date
    description: str
    net: Mapping[int, int]  # debit − credit per account, from the voucher's rows
    made_for: str | None = None  # the receipt whose invoice or payment Fortnox made this voucher for

    def receipt_keys(self) -> list[str]:
        """The receipts whose key the text carries (Kassasync's vouchers, or one posted by hand)."""
        return RECEIPT_MARKER.findall(self.description)

    def summary(self) -> tuple[str, date] | None:
        found = SUMMARY_MARKER.search(self.description)
        return None if found is None else (found.group(1), date.fromisoformat(found.group(2)))


@dataclass(frozen=True)
class FortnoxInvoice:
    number: str
    receipt_key: str  # ExternalInvoiceReference1
    total_ore: int
    balance_ore: int  # what is still unpaid


@dataclass(frozen=True)
class Line:
    label: str
    account: int | None
    register_ore: int
    fortnox_ore: int

    @property
    def difference_ore(self) -> int:
        return self.fortnox_ore - self.register_ore


@dataclass(frozen=True)
class Cause:
    receipt: str
    what: str  # Swedish: "misslyckades", "väntar", "saknas i Fortnox", "bokförd 2 gånger", ...
    detail: str
    remedy: str


@dataclass
class DayResult:
    register: str
    day: date
    facts: list[Fact]
    lines: list[Line]
    causes: list[Cause] = field(default_factory=list)
    z_total_ore: int | None = None
    receipts_total_ore: int = 0

    @property
    def ok(self) -> bool:
        z_ok = self.z_total_ore is None or self.z_total_ore == self.receipts_total_ore
        return z_ok and not self.causes and all(line.difference_ore == 0 for line in self.lines)

    def differences(self) -> list[Line]:
        return [line for line in self.lines if line.difference_ore]


@dataclass
class Documents:
    """Fortnox's documents for the range, indexed by the receipt or summary they carry."""

    by_receipt: dict[str, list[FortnoxVoucher]] = field(default_factory=dict)
    by_summary: dict[tuple[str, date], list[FortnoxVoucher]] = field(default_factory=dict)
    made_for: dict[str, list[FortnoxVoucher]] = field(default_factory=dict)  # invoices' and payments'
    invoices: dict[str, list[FortnoxInvoice]] = field(default_factory=dict)
    locked_until: date | None = None  # Fortnox's locked period, read only when a receipt waits

    @classmethod
    def of(
        cls,
        vouchers: Sequence[FortnoxVoucher],
        invoices: Sequence[FortnoxInvoice],
        locked_until: date | None = None,
    ) -> Documents:
        docs = cls(locked_until=locked_until)
        for voucher in vouchers:
            if voucher.made_for is not None:
                docs.made_for.setdefault(voucher.made_for, []).append(voucher)
                continue
            summary = voucher.summary()
            if summary is not None:
                docs.by_summary.setdefault(summary, []).append(voucher)
            for key in dict.fromkeys(voucher.receipt_keys()):
                docs.by_receipt.setdefault(key, []).append(voucher)
        for invoice in invoices:
            docs.invoices.setdefault(invoice.receipt_key, []).append(invoice)
        return docs


@dataclass(frozen=True)
class Stray:
    """A voucher carrying a key the day's receipts do not hold: ``elsewhere`` is the receipt's own day
    when the company file has the receipt on another day, None when it does not have it at all."""

    key: str
    voucher: FortnoxVoucher
    elsewhere: date | None = None

    def cause(self) -> Cause:
        ref = self.voucher.ref
        if self.elsewhere is not None:
            detail = f"{ref} är daterad {self.voucher.day.isoformat()}, kvittot {self.elsewhere.isoformat()}"
            return Cause(self.key, "bokförd på annan dag", detail, f"Kontrollera datumet på {ref} i Fortnox.")
        detail = f"{ref} bär kvittots nyckel, men kassafilen har inget sådant kvitto"
        remedy = (
            f"Kontrollera att kassafilen är den rätta (inte en äldre kopia); annars vänd {ref} i Fortnox."
        )
        return Cause(self.key, "finns bara i Fortnox", detail, remedy)


def strays(
    docs: Documents, known: set[str], registers: frozenset[str]
) -> dict[tuple[str, date], list[Stray]]:
    """The vouchers of the registers reconciled whose receipt or daily summary is not among ``known``,
    by the register and day they are dated."""
    found: dict[tuple[str, date], list[Stray]] = {}
    for key, vouchers in docs.by_receipt.items():
        code = key.rsplit("-", 1)[0]
        if key not in known and code in registers:
            for voucher in vouchers:
                found.setdefault((code, voucher.day), []).append(Stray(key, voucher))
    return found


def reconcile(
    day: RegisterDay, docs: Documents, labels: Mapping[int, str], others: Sequence[Stray] = ()
) -> DayResult:
    """One register's day: per account, the receipts' postings against the vouchers that carry them
    (and ``others``: vouchers dated this day for receipts the day does not hold)."""
    summaries = docs.by_summary.get((day.register, day.day), [])
    vouchers: dict[str, FortnoxVoucher] = {v.ref: v for v in summaries}
    vouchers.update((stray.voucher.ref, stray.voucher) for stray in others)
    causes: list[Cause] = [stray.cause() for stray in others]
    for item in day.receipts:
        found = docs.by_receipt.get(item.key, [])
        made = docs.made_for.get(item.key, [])
        vouchers.update((v.ref, v) for v in [*found, *made])
        invoices = docs.invoices.get(item.key, [])
        if item.as_invoice:
            causes += _invoice_causes(item.key, item.invoice_total_ore, invoices)
            if invoices and not invoices[0].balance_ore and _net(made) != dict(item.expected):
                causes.append(_booked_differently(item.key, _net(made), item.expected, made))
        in_fortnox = bool(found or summaries or (item.as_invoice and docs.invoices.get(item.key)))
        causes += _receipt_causes(item, found, in_fortnox, docs.locked_until)
        if item.not_bookable:
            causes.append(Cause(item.key, "kan inte bokföras", item.not_bookable, "Rätta kvittot i kassan."))
        elif (
            not item.as_invoice and len(found) == 1 and not summaries and dict(found[0].net) != item.expected
        ):
            causes.append(_booked_differently(item.key, dict(found[0].net), item.expected, found))
    if len(summaries) > 1:
        refs = ", ".join(v.ref for v in summaries)
        causes.append(
            Cause(
                summary_key(day.register, day.day),
                f"dagssammandraget finns {len(summaries)} gånger",
                refs,
                f"Vänd de extra verifikationerna i Fortnox ({refs}), behåll en.",
            )
        )
    fortnox = _net(vouchers.values())
    expected = expected_by_account(day.receipts)
    lines = [
        Line(
            labels.get(account, f"Konto {account}"),
            account,
            expected.get(account, 0),
            fortnox.get(account, 0),
        )
        for account in sorted(set(expected) | set(fortnox))
    ]
    return DayResult(
        day.register, day.day, facts(day), lines, causes, day.z_total_ore, receipts_total_ore=day.total_ore
    )


def _receipt_causes(
    item: BookedReceipt, found: Sequence[FortnoxVoucher], in_fortnox: bool, locked_until: date | None
) -> list[Cause]:
    key, state = item.key, item.state
    last_error = item.entry.last_error if item.entry is not None else None
    if state is OutboxState.FAILED:
        remedy = f"Rätta orsaken och skicka igen: kassasync resend {key}"
        return [Cause(key, "misslyckades", last_error or "", remedy)]
    if len(found) > 1:
        refs = ", ".join(v.ref for v in found)
        kept = item.entry.fortnox_ref if item.entry is not None else None
        kept = kept if kept in {v.ref for v in found} else found[0].ref
        extra = ", ".join(v.ref for v in found if v.ref != kept)
        remedy = f"Vänd den extra verifikationen i Fortnox ({extra})."
        return [Cause(key, f"bokförd {len(found)} gånger", refs, remedy)]
    if in_fortnox:
        return []
    if state in (OutboxState.PENDING, OutboxState.SENDING, None):
        if locked_until is not None and business_date(item.receipt) <= locked_until:
            reason = f"perioden är låst i Fortnox till och med {locked_until.isoformat()}"
            remedy = "Be redovisningen öppna perioden i Fortnox; kvittot skickas vid nästa synkronisering."
            return [Cause(key, "väntar", reason, remedy)]
        reason = last_error or "inte skickat till Fortnox ännu"
        return [Cause(key, "väntar", reason, "Åtgärda det som håller kvittot kvar och synkronisera.")]
    ref = item.entry.fortnox_ref if item.entry is not None else None
    detail = f"kassafilen säger {ref or 'bokförd'}, men Fortnox har inget med kvittots nyckel"
    return [
        Cause(key, "saknas i Fortnox", detail, "Kontrollera i Fortnox; skicka igen: kassasync resend " + key)
    ]


def _net(vouchers: Iterable[FortnoxVoucher]) -> dict[int, int]:
    net: dict[int, int] = {}
    for voucher in vouchers:
        for account, amount in voucher.net.items():
            net[account] = net.get(account, 0) + amount
    return {account: amount for account, amount in net.items() if amount}


def _booked_differently(
    key: str, net: Mapping[int, int], expected: Mapping[int, int], vouchers: Sequence[FortnoxVoucher]
) -> Cause:
    refs = ", ".join(v.ref for v in vouchers) or "inga verifikationer"
    parts = [
        f"{account}: {format_kronor(net.get(account, 0) - expected.get(account, 0))}"
        for account in sorted(set(net) | set(expected))
        if net.get(account, 0) != expected.get(account, 0)
    ]
    remedy = f"Jämför {refs} med kvittot i Fortnox och rätta med en ny verifikation."
    return Cause(key, "bokförd med skillnad", f"{refs}: " + ", ".join(parts), remedy)


def _invoice_causes(key: str, expected_total: int, found: Sequence[FortnoxInvoice]) -> list[Cause]:
    if not found:
        return []  # the outbox state says why (failed, waiting); a posted one missing is named below
    causes: list[Cause] = []
    if len(found) > 1:
        numbers = ", ".join(i.number for i in found)
        causes.append(
            Cause(
                key,
                f"fakturerad {len(found)} gånger",
                numbers,
                f"Kreditera de extra fakturorna i Fortnox ({', '.join(i.number for i in found[1:])}).",
            )
        )
    invoice = found[0]
    if invoice.total_ore != expected_total:
        causes.append(
            Cause(
                key,
                "fakturerad med skillnad",
                f"faktura {invoice.number}: {format_kronor(invoice.total_ore)}, kvittot "
                f"{format_kronor(expected_total)}",
                "Jämför fakturan med kvittot i Fortnox.",
            )
        )
    if invoice.balance_ore:
        causes.append(
            Cause(
                key,
                "inte fullt betald",
                f"faktura {invoice.number}: obetalt {format_kronor(invoice.balance_ore)}",
                f"Registrera resten av betalningen på faktura {invoice.number} i Fortnox.",
            )
        )
    return causes
