"""Fortnox's created invoice compared with the receipt: the invoice in Fortnox is what the payments settle.

Three things Fortnox decides on its own and says only in its answer (docs/sources/FORTNOX-NOTES.md,
"Corrections learnt from real traffic"):

- **DeliveredQuantity 0**: with Lagermodul and negative stock not allowed, a row of an article out of
  stock is silently delivered as 0 and its amount is 0. Paying the receipt would overpay the invoice,
  so nothing is paid, the invoice is cancelled and the receipt fails with what the shop must change.
- **RoundOff**: with öresavrundning on invoices, Fortnox rounds ``Total`` to whole kronor and books the
  difference on ROUNDOFF itself. The payments then settle Fortnox's ``Total``: the money that came in
  stays as the register says, and one write-off on the rounding account makes up the rest, so the
  rounding account ends with exactly the register's cash rounding (rule 3), once.
- **TotalVAT**: when Fortnox's VAT is not the receipt's (an arithmetic ``invoice_rows`` did not foresee),
  the invoice is still booked and paid (it is Fortnox's bookkeeping, and amounts are right), and the
  receipt is marked with the difference in öre so the shop sees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from kassasync.errors import ItemFailed
from kassasync.fortnox.models import Invoice
from kassasync.money import format_kronor, from_decimal
from kassasync.pos.models import PaymentMethod
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.bookkeeping import (
    ROUNDING_TEXT,
    InvoiceRowDraft,
    PaidInvoiceDraft,
    PaymentDraft,
    WriteOffDraft,
)

MAX_ROUND_OFF_ORE = 100  # Fortnox rounds to whole kronor: more than that is not a rounding


class NotDelivered(ItemFailed):
    """Fortnox delivered 0 of a row (Lagermodul, out of stock, negative stock not allowed)."""

    default_user_message = (
        "En artikel på kvittot finns inte i lager i Fortnox; lägg in lager eller tillåt negativt lager, "
        "och skicka kvittot igen."
    )


class InvoiceTotalDiffers(ItemFailed):
    """Fortnox's total differs from the receipt by more than a rounding: nothing is paid."""

    default_user_message = (
        "Fakturan i Fortnox fick ett annat belopp än kvittot, så den makulerades och inget betalades. "
        "Kontakta supporten med loggfilen."
    )


@dataclass(frozen=True)
class InvoiceFacts:
    """What Fortnox's answer says, in öre."""

    total_ore: int
    vat_ore: int
    round_off_ore: int

    @classmethod
    def of(cls, invoice: Invoice) -> InvoiceFacts:
        return cls(_ore(invoice.total), _ore(invoice.total_vat), _ore(invoice.round_off))


def _ore(amount: Decimal | None) -> int:
    return 0 if amount is None else from_decimal(amount)


def undelivered(draft: PaidInvoiceDraft, invoice: Invoice) -> list[InvoiceRowDraft]:
    """The articles Fortnox's answer delivers less of than was sent (0 when out of stock), one row each.

    Compared per article, not per row position, so a resumed check still holds if the rows were merged
    or priced another way than when the invoice was created."""
    sent: dict[str, Decimal] = {}
    first: dict[str, InvoiceRowDraft] = {}
    for row in draft.invoice.rows:
        if row.article_number is not None:
            sent[row.article_number] = sent.get(row.article_number, Decimal(0)) + row.quantity
            first.setdefault(row.article_number, row)
    delivered: dict[str, Decimal] = {}
    for answered in invoice.invoice_rows:
        if answered.article_number:
            quantity = Decimal(answered.delivered_quantity or 0)
            delivered[answered.article_number] = delivered.get(answered.article_number, Decimal(0)) + quantity
    return [first[a] for a, quantity in sent.items() if delivered.get(a, Decimal(0)) != quantity]


def not_delivered_error(key: str, number: str, rows: Sequence[InvoiceRowDraft]) -> NotDelivered:
    names = ", ".join(f"{row.article_number} {row.description}".strip() for row in rows)
    subject = f"Artikeln {names} finns" if len(rows) == 1 else f"Artiklarna {names} finns"
    return NotDelivered(
        f"receipt {key}: invoice {number} delivered 0 of {', '.join(str(r.article_number) for r in rows)}; "
        "cancelled, nothing paid",
        user_message=(
            f"Kvitto {key}: {subject} inte i lager i Fortnox; lägg in lager eller tillåt negativt lager, "
            "och skicka kvittot igen (kassasync resend). Fakturan makulerades och inget betalades."
        ),
    )


def settle(
    draft: PaidInvoiceDraft, facts: InvoiceFacts, plan: AccountPlan, key: str
) -> tuple[PaymentDraft, ...]:
    """The receipt's payments made to add up to Fortnox's ``Total`` exactly.

    The amounts that came in are the register's; the rounding write-off is whatever Fortnox's total
    still needs (``Total − Σ amounts`` = Fortnox's ``RoundOff`` − the register's cash rounding), on the
    cash payment if there is one, else on the largest. So the rounding account nets to the register's
    rounding: Fortnox's own RoundOff on the invoice voucher plus this write-off.
    """
    payments = [
        replace(p, write_offs=tuple(w for w in p.write_offs if w.account != plan.rounding))
        for p in draft.payments
    ]
    others = sum(w.amount_ore for p in payments for w in p.write_offs)
    needed = facts.total_ore - sum(p.amount_ore for p in payments) - others
    if abs(needed) >= MAX_ROUND_OFF_ORE or (needed and not payments):
        raise InvoiceTotalDiffers(
            f"receipt {key}: Fortnox total {facts.total_ore} öre (RoundOff {facts.round_off_ore}) but the "
            f"payments bring {facts.total_ore - needed} öre",
            user_message=(
                f"Kvitto {key}: fakturan i Fortnox blev {format_kronor(facts.total_ore)}, men kvittot "
                f"betalades med {format_kronor(facts.total_ore - needed)}. Fakturan makulerades och inget "
                "betalades. Kontrollera kvittot och Fortnox inställningar för kundfakturor, och skicka "
                "kvittot igen (kassasync resend)."
            ),
        )
    if needed:
        carrier = next(
            (i for i, p in enumerate(payments) if p.method is PaymentMethod.CASH),
            max(range(len(payments)), key=lambda i: abs(payments[i].amount_ore)),
        )
        chosen = payments[carrier]
        write_off = WriteOffDraft(plan.rounding, needed, ROUNDING_TEXT)
        payments[carrier] = replace(chosen, write_offs=(*chosen.write_offs, write_off))
    return tuple(payments)
