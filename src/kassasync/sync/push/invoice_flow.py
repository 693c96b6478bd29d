"""A created invoice taken to the end: checked against the receipt, bookkept, paid to Fortnox's ``Total``.

``posted → (checked: plan saved) → booked → paid``, or ``posted → failed`` with the invoice cancelled.

1. **Check** (``invoice_check``): Fortnox's answer, not the register's amounts, is what the payments
   settle. A row Fortnox did not deliver means nothing is paid: the invoice is cancelled (so nothing
   stays open in Fortnox) and the receipt fails with the remedy; ``resend`` then makes a fresh invoice.
   Otherwise the payments are planned to add up to Fortnox's ``Total`` and saved in the company file,
   with the check, in one transaction, before any payment is sent.
2. **Bookkeep** the invoice (only after the check: a bookkept invoice cannot be cancelled).
3. **Pay**: each planned payment ``planned → sending → created → booked``. A payment left in
   ``sending`` (its answer was lost) waits the reconcile grace period, as a receipt in ``sending`` does,
   then is looked up among the invoice's payments by exactly what was sent (mode, account, amount,
   write-offs, date) and only sent again when Fortnox does not have it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from kassasync.errors import KassasyncError, RunAborted
from kassasync.fortnox.errors import FortnoxRejected
from kassasync.fortnox.models import Invoice, InvoicePayment
from kassasync.money import format_kronor, from_decimal, to_decimal
from kassasync.pos.invoice_payments import InvoiceCheck, PaymentState, SentPayment
from kassasync.pos.records import OutboxState
from kassasync.sync.bookkeeping import PaidInvoiceDraft
from kassasync.sync.events import ReportedError
from kassasync.sync.invoice_check import (
    InvoiceFacts,
    InvoiceTotalDiffers,
    NotDelivered,
    not_delivered_error,
    settle,
    undelivered,
)
from kassasync.sync.push.steps import PushContext

log = logging.getLogger(__name__)


class InvoiceCancelled(NotDelivered):
    """The invoice was cancelled in Fortnox before it was paid."""

    default_user_message = (
        "Fakturan för kvittot är makulerad i Fortnox och betalades inte. Skicka kvittot igen "
        "(kassasync resend) så skapas en ny faktura."
    )


class InvoiceFlow:
    def __init__(self, ctx: PushContext) -> None:
        self.ctx = ctx
        self.store, self.client = ctx.store, ctx.client

    def complete(self, key: str, number: str, draft: PaidInvoiceDraft, answer: Invoice | None = None) -> bool:
        """Check, bookkeep and pay; True when the receipt ended paid, False when it failed or waits."""
        entry = self.store.outbox_entry(key)
        if entry is None:
            return False
        plan = self.store.payment_plan(key, number)
        if plan is None:
            plan = self._check(key, number, draft, answer, booked=entry.state is OutboxState.BOOKED)
            if plan is None:
                return False
        if entry.state is OutboxState.POSTED:
            self._bookkeep_invoice(number)
            self.store.mark_booked(key)
        if not self._pay(key, number, plan):
            return False
        self.store.mark_paid(key)
        return True

    def _bookkeep_invoice(self, number: str) -> None:
        try:
            self.client.bookkeep_invoice(number)
        except FortnoxRejected:
            if not self.client.get_invoice(number).booked:  # already booked (answer lost last time)?
                raise

    def _bookkeep_payment(self, invoice_number: str, number: str) -> None:
        try:
            self.client.bookkeep_invoice_payment(number)
        except FortnoxRejected:
            payments = self.client.invoice_payments(int(invoice_number))
            if not any(p.number == number and p.booked for p in payments):  # booked last time?
                raise

    # -- 1. the check --------------------------------------------------------------------------------

    def _check(
        self, key: str, number: str, draft: PaidInvoiceDraft, answer: Invoice | None, *, booked: bool
    ) -> list[SentPayment] | None:
        invoice = answer if answer is not None and answer.invoice_rows else self.client.get_invoice(number)
        booked = booked or bool(invoice.booked)  # Fortnox's record decides, not the company file
        missing = undelivered(draft, invoice)
        if invoice.cancelled:
            cancelled = InvoiceCancelled(f"receipt {key}: invoice {number} is cancelled in Fortnox")
            return self._cancel(
                key, number, invoice, not_delivered_error(key, number, missing) if missing else cancelled
            )
        if missing and not booked:
            return self._cancel(key, number, invoice, not_delivered_error(key, number, missing))
        if missing:  # bookkept before this version checked: it cannot be cancelled, so it is not paid
            raise not_delivered_error(key, number, missing)
        facts = InvoiceFacts.of(invoice)
        try:
            payments = settle(draft, facts, self.ctx.plan, key)
        except InvoiceTotalDiffers as exc:
            if booked:
                raise
            return self._cancel(key, number, invoice, exc)
        receipt_vat = sum(draft.invoice.vat_ore_by_rate.values())
        check = InvoiceCheck(number, facts.total_ore, facts.round_off_ore, facts.vat_ore, receipt_vat)
        # Only an invoice this run has just created is known to have no payments. Any other (bookkept
        # before the plan was kept, found already in Fortnox after a restored backup or a new company
        # file, or created by a run that died before planning) may have some: look them up first.
        state = PaymentState.PLANNED if answer is not None and not booked else PaymentState.SENDING
        plan = [
            SentPayment(
                seq=seq,
                mode=p.mode_of_payment,
                account=p.account,
                amount_ore=p.amount_ore,
                write_offs=tuple((w.account, w.amount_ore, w.description) for w in p.write_offs),
                payment_date=draft.payment_date,
                state=state,
            )
            for seq, p in enumerate(payments, start=1)
        ]
        self.store.save_invoice_plan(key, check, plan)
        if check.vat_difference_ore:
            self._report_vat(key, check)
        return self.store.payment_plan(key, number)

    def _cancel(
        self, key: str, number: str, invoice: Invoice, error: KassasyncError
    ) -> list[SentPayment] | None:
        """Nothing is paid on an invoice that is not the receipt's: cancelled, so nothing stays open."""
        if not invoice.cancelled:
            self.client.cancel_invoice(number)
        log.warning("receipt %s failed: %s", key, error.detail)
        if self.store.mark_failed(key, error.user_message, from_states=(OutboxState.POSTED,)):
            self.ctx.result.counts["failed"] += 1
        self.ctx.result.errors.append(ReportedError(error.user_message, error.detail, item=key))
        return None

    def _report_vat(self, key: str, check: InvoiceCheck) -> None:
        fortnox, receipt, diff = check.vat_ore, check.receipt_vat_ore, check.vat_difference_ore
        log.warning("receipt %s: Fortnox VAT %d öre, receipt VAT %d öre", key, fortnox, receipt)
        self.ctx.result.errors.append(
            ReportedError(
                user_message=(
                    f"Kvitto {key}: momsen på fakturan i Fortnox skiljer sig {diff:+d} öre från kvittots "
                    f"(Fortnox {format_kronor(fortnox)}, kvittot {format_kronor(receipt)}). Fakturan är "
                    "bokförd och betald; rätta momsen med en manuell verifikation i Fortnox om den ska "
                    "vara som på kvittot."
                ),
                detail=f"invoice {check.invoice_number}: TotalVAT {fortnox} öre, receipt VAT {receipt} öre",
                item=key,
            )
        )

    # -- 3. the payments -----------------------------------------------------------------------------

    def _pay(self, key: str, number: str, plan: list[SentPayment]) -> bool:
        claimed = {p.number for p in plan if p.number is not None}
        in_fortnox: list[InvoicePayment] | None = None
        for payment in plan:
            current = payment
            if current.state is PaymentState.SENDING:
                if self._too_soon(current):
                    self.ctx.result.reconciled["waiting"] += 1  # its request may still be on its way
                    return False
                if in_fortnox is None:
                    in_fortnox = self._payments_in_fortnox(number)
                found = next(
                    (f for f in in_fortnox if f.number not in claimed and _identity(f) == current.identity()),
                    None,
                )
                current = self._found(key, number, current, found)
                if found is not None and found.number is not None:
                    claimed.add(found.number)
            if current.state is PaymentState.PLANNED:
                current = self._send(key, number, current)
            if current.state is PaymentState.CREATED:
                assert current.number is not None
                self._bookkeep_payment(number, current.number)
                self.store.move_payment(
                    key, number, current.seq, (PaymentState.CREATED,), PaymentState.BOOKED
                )
        return True

    def _too_soon(self, payment: SentPayment) -> bool:
        if not payment.updated_at:
            return False
        sent_at = datetime.fromisoformat(payment.updated_at)
        return self.ctx.clock.now() - sent_at < self.ctx.reconcile_after

    def _found(
        self, key: str, number: str, payment: SentPayment, found: InvoicePayment | None
    ) -> SentPayment:
        if found is None:
            log.info("payment %d of %s not in Fortnox; sending it", payment.seq, key)
            self.store.move_payment(key, number, payment.seq, (PaymentState.SENDING,), PaymentState.PLANNED)
            return _with(payment, PaymentState.PLANNED)
        log.info("payment %d of %s found in Fortnox as %s", payment.seq, key, found.number)
        state = PaymentState.BOOKED if found.booked else PaymentState.CREATED
        self.store.move_payment(key, number, payment.seq, (PaymentState.SENDING,), state, found.number)
        return _with(payment, state, found.number)

    def _send(self, key: str, number: str, payment: SentPayment) -> SentPayment:
        seq = payment.seq
        if not self.store.move_payment(key, number, seq, (PaymentState.PLANNED,), PaymentState.SENDING):
            raise KassasyncError(f"payment {seq} of {key} was not planned any more; another sync running?")
        try:
            created = self.client.create_invoice_payment(payment_body(number, payment))
        except RunAborted:  # refused before any work: it may go again
            self.store.move_payment(key, number, seq, (PaymentState.SENDING,), PaymentState.PLANNED)
            raise
        # OutcomeUnknown and anything unexpected leave it in sending: looked up before it is sent again.
        assert created.number is not None
        created_state = PaymentState.CREATED
        self.store.move_payment(key, number, seq, (PaymentState.SENDING,), created_state, created.number)
        return _with(payment, PaymentState.CREATED, created.number)

    def _payments_in_fortnox(self, number: str) -> list[InvoicePayment]:
        """The invoice's payments read in full: list rows lack mode and write-offs
        (``docs/sources/REFERENCE.md`` §5.13), and ``invoicenumber`` is a substring search
        (payments of invoice 10 when asking for 1)."""
        return [
            self.client.get_invoice_payment(row.number)
            for row in self.client.invoice_payments(int(number))
            if row.number is not None and str(row.invoice_number) == number
        ]


def payment_body(invoice_number: str, payment: SentPayment) -> dict[str, Any]:
    """Body of ``POST /3/invoicepayments``: exactly what the plan says, whatever the settings say now."""
    body: dict[str, Any] = {
        "InvoiceNumber": int(invoice_number),
        "Amount": to_decimal(payment.amount_ore),
        "PaymentDate": payment.payment_date.isoformat(),
        "ModeOfPayment": payment.mode,
        "ModeOfPaymentAccount": payment.account,
    }
    if payment.write_offs:
        body["WriteOffs"] = [
            {"AccountNumber": account, "Amount": to_decimal(amount), "Description": text}
            for account, amount, text in payment.write_offs
        ]
    return body


def _identity(found: InvoicePayment) -> tuple[str, int, int, tuple[tuple[int, int], ...], Any]:
    offs = tuple(
        sorted(
            (w.account_number or 0, 0 if w.amount is None else from_decimal(w.amount))
            for w in found.write_offs
        )
    )
    amount = 0 if found.amount is None else from_decimal(found.amount)
    return (found.mode_of_payment or "", found.mode_of_payment_account or 0, amount, offs, found.payment_date)


def _with(payment: SentPayment, state: PaymentState, number: str | None = None) -> SentPayment:
    return SentPayment(
        seq=payment.seq,
        mode=payment.mode,
        account=payment.account,
        amount_ore=payment.amount_ore,
        write_offs=payment.write_offs,
        payment_date=payment.payment_date,
        state=state,
        number=number if number is not None else payment.number,
        updated_at=payment.updated_at,
    )
