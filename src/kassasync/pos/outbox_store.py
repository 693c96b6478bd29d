"""The store's sync state: the outbox, the daily summaries posted, the paid-invoice path's payments.

Every transition is one conditional update in its own ``BEGIN IMMEDIATE`` transaction (``pos/outbox.py``),
so two runs can never both send a receipt. A daily summary's receipts and its ``summaries`` row are
written in one transaction: the day is summarised exactly when its receipts are posted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from kassasync.pos import invoice_payments, outbox
from kassasync.pos.connection import CompanyFileConnections
from kassasync.pos.invoice_payments import InvoiceCheck, PaymentState, SentPayment
from kassasync.pos.records import OutboxEntry, OutboxState, Target, split_key


class OutboxStore(CompanyFileConnections):
    # -- outbox ----------------------------------------------------------------------------------------

    def outbox_entry(self, key: str) -> OutboxEntry | None:
        return outbox.entry(self._conn(), split_key(key))

    def outbox_entries(
        self, state: OutboxState | None = None, target: Target | None = None
    ) -> list[OutboxEntry]:
        return outbox.entries(self._conn(), state, target)

    def state_counts(self) -> dict[OutboxState, int]:
        return outbox.state_counts(self._conn())

    def _transition(
        self, keys: str | Sequence[str], from_states: Sequence[OutboxState], **changes: Any
    ) -> bool:
        key_list = [keys] if isinstance(keys, str) else list(keys)
        with self._write() as tx:
            return outbox.transition(
                tx, [split_key(k) for k in key_list], from_states, self._now(), **changes
            )

    def mark_sending(self, keys: str | Sequence[str], target: Target) -> bool:
        """pending|failed → sending, attempts + 1. All keys or none; False if any was not sendable."""
        from_states = (OutboxState.PENDING, OutboxState.FAILED)
        return self._transition(keys, from_states, state=OutboxState.SENDING, target=target, attempt=True)

    def mark_posted(self, keys: str | Sequence[str], fortnox_ref: str) -> bool:
        """sending → posted(ref)."""
        return self._transition(
            keys, (OutboxState.SENDING,), state=OutboxState.POSTED, fortnox_ref=fortnox_ref, last_error=None
        )

    def mark_booked(self, keys: str | Sequence[str]) -> bool:
        return self._transition(keys, (OutboxState.POSTED,), state=OutboxState.BOOKED)

    def mark_paid(self, keys: str | Sequence[str]) -> bool:
        return self._transition(keys, (OutboxState.BOOKED,), state=OutboxState.PAID)

    def mark_failed(
        self,
        keys: str | Sequence[str],
        reason: str,
        from_states: Sequence[OutboxState] = (OutboxState.PENDING, OutboxState.SENDING),
    ) -> bool:
        return self._transition(keys, from_states, state=OutboxState.FAILED, last_error=reason)

    def release_sending(self, keys: str | Sequence[str]) -> bool:
        """sending → pending: reconciliation found the receipt absent from Fortnox, so it may go again."""
        return self._transition(keys, (OutboxState.SENDING,), state=OutboxState.PENDING)

    def retry_failed(self, keys: str | Sequence[str]) -> bool:
        """failed → pending (``resend`` after the user fixed the cause)."""
        return self._transition(keys, (OutboxState.FAILED,), state=OutboxState.PENDING)

    # -- daily summaries -------------------------------------------------------------------------------

    def summary_ref(self, register_code: str, day: date) -> str | None:
        """The voucher of the register's summary of ``day``; None while that day is not summarised."""
        return outbox.summary_ref(self._conn(), register_code, day.isoformat())

    def mark_summary_posted(
        self, register_code: str, day: date, keys: Sequence[str], fortnox_ref: str
    ) -> bool:
        """sending → posted(ref) for all the day's receipts and the day summarised, in one transaction."""
        now = self._now()
        with self._write() as tx:
            moved = outbox.transition(
                tx,
                [split_key(k) for k in keys],
                (OutboxState.SENDING,),
                now,
                state=OutboxState.POSTED,
                fortnox_ref=fortnox_ref,
                last_error=None,
            )
            if moved:
                outbox.record_summary(tx, register_code, day.isoformat(), fortnox_ref, now)
            return moved

    # -- the paid-invoice path: Fortnox's check and each payment as sent (pos/invoice_payments.py) ----

    def save_invoice_plan(self, key: str, check: InvoiceCheck, payments: Sequence[SentPayment]) -> None:
        with self._write() as tx:
            invoice_payments.save_plan(tx, split_key(key), check, payments, self._now())

    def invoice_check(self, key: str) -> InvoiceCheck | None:
        return invoice_payments.check_of(self._conn(), split_key(key))

    def invoice_vat_differences(self) -> dict[str, InvoiceCheck]:
        return invoice_payments.vat_differences(self._conn())

    def payment_plan(self, key: str, invoice_number: str) -> list[SentPayment] | None:
        return invoice_payments.plan_of(self._conn(), split_key(key), invoice_number)

    def move_payment(
        self,
        key: str,
        invoice_number: str,
        seq: int,
        from_states: Sequence[PaymentState],
        state: PaymentState,
        number: str | None = None,
    ) -> bool:
        with self._write() as tx:
            return invoice_payments.move(
                tx, split_key(key), invoice_number, seq, from_states, state, self._now(), number
            )
