"""Receipts as paid customer invoices: created here, then taken to the end by ``invoice_flow``.

``posted → booked → paid`` is this poster's: an invoice created in an earlier run but not yet bookkept
and paid (the run stopped midway) is finished when this poster reconciles, before anything new is sent.
An invoice that exists is never ``failed`` by a later step: it must not be created again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from functools import partial

from kassasync.errors import KassasyncError, RunAborted
from kassasync.fortnox.models import Invoice
from kassasync.pos.models import Receipt
from kassasync.pos.records import OutboxEntry, OutboxState, Target
from kassasync.sync.bookkeeping import PaidInvoiceDraft
from kassasync.sync.events import ReportedError
from kassasync.sync.invoice_rows import encoded_paid_invoice
from kassasync.sync.preflight import problems_for_invoice, problems_for_invoice_method
from kassasync.sync.push.invoice_flow import InvoiceFlow
from kassasync.sync.push.poster import InFlight
from kassasync.sync.push.result import articles_of, kr
from kassasync.sync.push.steps import OutboxSteps, PushContext

log = logging.getLogger(__name__)

CREATED = (OutboxState.POSTED, OutboxState.BOOKED, OutboxState.PAID)


class InvoicePoster:
    target = Target.INVOICE

    def __init__(self, ctx: PushContext, steps: OutboxSteps) -> None:
        self.ctx, self.steps, self.store = ctx, steps, ctx.store
        self.customer = ctx.settings.cash_customer_number
        self.flow = InvoiceFlow(ctx)

    def _draft(self, receipt: Receipt) -> PaidInvoiceDraft:
        return encoded_paid_invoice(receipt, self.ctx.plan, self.customer)

    def pending(self) -> tuple[int, Iterator[Sequence[Receipt]]]:
        return self.store.state_counts()[OutboxState.PENDING], ([r] for r in self.store.pending_receipts())

    def send(self, batch: Sequence[Receipt]) -> None:
        for receipt in batch:
            self.steps.guard(receipt.key, partial(self.send_one, receipt))

    def send_one(self, receipt: Receipt) -> None:
        draft, ctx, key = self._draft(receipt), self.ctx, receipt.key
        day = draft.invoice.invoice_date
        modes = {p.mode_of_payment for p in draft.payments}
        stock_module = ctx.settings.stock_module
        facts = ctx.facts.facts_for(
            {day}, with_series=False, invoices_to=self.customer, needs_warehouse=stock_module
        )
        accounts = set(draft.postings(ctx.plan)) | {row.account for row in draft.invoice.rows}
        problems = problems_for_invoice(facts, day, self.customer, modes, accounts)
        problems += problems_for_invoice_method(facts, day, stock_module=stock_module)
        if self.steps.hold([key], problems):
            return
        if ctx.dry_run:
            self.steps.planned([key], f"kundfaktura till kund {self.customer}, {kr(draft.invoice.total_ore)}")
            return
        found = ctx.record.invoice_for(key, day, self.customer)
        if found is not None:  # the invoice is there: finish it (bookkeep, payments), never create it
            ctx.result.sold_articles |= articles_of(receipt)
            self.steps.already_there([key], Target.INVOICE, found, self.store.mark_posted)
            self.flow.complete(key, found, draft)
            return
        ctx.record.remember_customer(self.customer)
        body = draft.invoice.to_fortnox()["Invoice"]
        answer: list[Invoice] = []

        def create() -> str:
            answer.append(ctx.client.create_invoice(body))
            return str(answer[0].document_number)

        number = self.steps.send([key], Target.INVOICE, create, self.store.mark_posted)
        ctx.record.invoice_created(key, day, self.customer, number)
        ctx.result.sold_articles |= articles_of(receipt)
        try:
            self.flow.complete(key, number, draft, answer[0])
        finally:  # not when Fortnox's invoice failed the check (it was cancelled)
            entry = self.store.outbox_entry(key)
            if entry is not None and entry.state in CREATED:
                self.steps.posted([key], number)

    # -- reconcile: lost answers, then the invoices left half done ------------------------------------

    def reconcile(self, in_flight: Sequence[InFlight]) -> None:
        for _entry, receipt in in_flight:
            invoices = [i for i in self.ctx.client.find_invoices(receipt.key) if not i.cancelled]
            found = invoices[0].document_number if invoices else None
            if self.steps.settle([receipt.key], found, self.store.mark_posted) is not None:
                self.ctx.result.sold_articles |= articles_of(receipt)
                entry = self.store.outbox_entry(receipt.key)
                assert entry is not None
                self._finish(entry, self._draft(receipt))
        for state in (OutboxState.POSTED, OutboxState.BOOKED):
            for entry in self.store.outbox_entries(state, Target.INVOICE):
                if entry.fortnox_ref is None:
                    continue
                unfinished = self.store.get_receipt(entry.receipt)
                if unfinished is None:
                    continue
                self.ctx.result.sold_articles |= articles_of(unfinished)
                self._finish(entry, self._draft(unfinished))

    def _finish(self, entry: OutboxEntry, draft: PaidInvoiceDraft) -> None:
        number = entry.fortnox_ref
        assert number is not None
        try:
            self.flow.complete(entry.receipt, number, draft)
        except RunAborted:
            raise
        except KassasyncError as exc:  # the invoice exists: never "failed", it must not be created again
            log.warning("invoice %s of %s not finished: %s", number, entry.receipt, exc.detail)
            self.ctx.result.errors.append(ReportedError(exc.user_message, exc.detail, item=entry.receipt))
