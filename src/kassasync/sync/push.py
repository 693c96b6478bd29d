"""Register → Fortnox: every receipt posted exactly once, as a voucher, a paid invoice or a daily summary.

The outbox (``pos/outbox.py``) is the state machine of ARCHITECTURE.md::

    pending → sending → posted(ref) [→ booked → paid]        failed(reason) → pending (resend)

A receipt is marked ``sending`` (committed to the company file) *before* its creating request leaves, and
``posted`` with Fortnox's number after the answer. A receipt found in ``sending`` at the start of a run
therefore had a request whose answer never came (timeout, dropped connection, killed process): it is
looked up in Fortnox by its key (voucher text, invoice ExternalInvoiceReference1) and either marked
posted or released to ``pending``. Creating requests are never repeated without that lookup.

Errors decide the receipt's fate by what they prove:
- the answer was lost (``OutcomeUnknown``): stays ``sending``, reconciled next run;
- Fortnox refused this document (``FortnoxRejected``): ``failed`` with the reason, the others go on;
- the request was refused before any work (login, 429, unreachable, setup): back to ``pending``, and
  the run stops, since every other receipt would meet the same.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial

from kassasync.clock import STOCKHOLM, Clock
from kassasync.config import Posting, ReceiptsAs, Settings
from kassasync.errors import ItemFailed, KassasyncError, RunAborted
from kassasync.fortnox.client import FortnoxClient
from kassasync.fortnox.errors import FortnoxRejected, OutcomeUnknown
from kassasync.fortnox.models import Invoice, Voucher
from kassasync.pos.models import LineKind, Receipt
from kassasync.pos.records import OutboxEntry, OutboxState, Target
from kassasync.pos.store import PosStore
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.bookkeeping import (
    PaidInvoiceDraft,
    VoucherDraft,
    business_date,
    daily_summary,
    key_marker,
    receipt_voucher,
    summary_key,
)
from kassasync.sync.events import ReportedError, StepCounts
from kassasync.sync.facts import FactsCache
from kassasync.sync.fortnox_record import FortnoxRecord
from kassasync.sync.invoice_flow import InvoiceFlow
from kassasync.sync.invoice_rows import encoded_paid_invoice
from kassasync.sync.preflight import (
    Problem,
    problems_for_invoice,
    problems_for_invoice_method,
    problems_for_voucher,
)
from kassasync.words import kvitton

log = logging.getLogger(__name__)

MAX_UNKNOWN_OUTCOMES = 3  # lost answers in a row: Fortnox is struggling, stop and reconcile next run
NOTHING_POSTED = "0 kr: inget att bokföra"
SUMMARY_CURSOR = "summary:{register}:{day}"

Progress = Callable[[str, int, "int | None"], None]


class TooManyUnknownOutcomes(RunAborted):
    default_user_message = (
        "Fortnox svarade inte på flera kvitton i rad. Kassasync kontrollerar dem i Fortnox vid nästa "
        "synkronisering innan något skickas igen; inget dubbelbokas."
    )


@dataclass
class PushResult:
    # posted, failed, waiting, unconfirmed, already_in_fortnox, awaiting_summary (today's open day)
    counts: Counter[str] = field(default_factory=Counter)
    posted: list[tuple[str, str]] = field(default_factory=list)
    planned: list[tuple[str, str]] = field(default_factory=list)
    errors: list[ReportedError] = field(default_factory=list)
    problems: dict[str, tuple[Problem, list[str]]] = field(default_factory=dict)
    sold_articles: set[str] = field(default_factory=set)
    reconciled: dict[str, int] = field(default_factory=lambda: {"found": 0, "released": 0, "waiting": 0})

    def step_counts(self) -> StepCounts:
        return StepCounts(
            posted=self.counts["posted"],
            failed=self.counts["failed"],
            unconfirmed=self.counts["unconfirmed"],
            already_in_fortnox=self.counts["already_in_fortnox"],
        )

    def problem_errors(self) -> list[ReportedError]:
        """One line per pre-flight problem, however many receipts it holds back."""
        return [
            ReportedError(
                user_message=f"{problem.user_message} ({kvitton(len(keys))} väntar.)",
                detail=f"{problem.detail}; held back: {', '.join(keys[:20])}",
            )
            for problem, keys in self.problems.values()
        ]


def posts_daily_summaries(settings: Settings) -> bool:
    """Receipts go as one voucher per register and closed day (Dagssammandrag)."""
    return settings.effective_receipts_as is ReceiptsAs.VOUCHER and settings.posting is Posting.DAILY_SUMMARY


def awaits_summary(receipt: Receipt, today: date) -> bool:
    """A receipt of a day not yet closed waits for that day's summary (the Z-report comes at close)."""
    return business_date(receipt) >= today


def voucher_ref(voucher: Voucher) -> str:
    return f"{voucher.voucher_series}{voucher.voucher_number}"


class Pusher:
    def __init__(
        self,
        client: FortnoxClient,
        store: PosStore,
        settings: Settings,
        plan: AccountPlan,
        facts: FactsCache,
        *,
        clock: Clock,
        progress: Progress,
        cancel: threading.Event,
        reconcile_after_s: float,
        dry_run: bool = False,
    ) -> None:
        self.client, self.store, self.settings, self.plan, self.facts = client, store, settings, plan, facts
        self.clock, self.progress, self.cancel = clock, progress, cancel
        self.reconcile_after = timedelta(seconds=reconcile_after_s)
        self.dry_run = dry_run
        self.result = PushResult()
        self.series = settings.voucher_series
        self.customer = settings.cash_customer_number
        self._unknown_in_a_row = 0
        self.record = FortnoxRecord(client, store, facts)  # read before every create (fortnox_record.py)

    # -- the run ---------------------------------------------------------------------------------------

    def run(self) -> PushResult:
        try:
            if not self.dry_run:
                self.reconcile()
                self.finish_invoices()
            target = self.settings.effective_receipts_as
            if target is ReceiptsAs.INVOICE:
                self.push_each(self.send_invoice)
            elif posts_daily_summaries(self.settings):
                self.push_summaries()
            else:
                self.push_each(self.send_voucher)
        finally:  # a run stopped midway still counts the receipts it refused
            self.report_refused()
        return self.result

    def report_refused(self) -> None:
        """Receipts the store refused as it read them (a register wrote them wrong): failed, and said so."""
        for problem in self.store.take_refused():
            self.result.counts["failed"] += 1
            self.result.errors.append(ReportedError(problem.message, problem.detail, item=problem.receipt))

    def today(self) -> date:
        return self.clock.now().astimezone(STOCKHOLM).date()

    def pending_count(self) -> int:
        """How many receipts wait at the start (one SQL count), so progress says "8 av 72"."""
        return self.store.state_counts()[OutboxState.PENDING]

    def push_each(self, send: Callable[[Receipt], None]) -> None:
        total = self.pending_count()
        for done, receipt in enumerate(self.store.pending_receipts(), start=1):
            if self.cancel.is_set():
                return
            self._guard(receipt.key, partial(send, receipt))
            self.progress("receipts", done, max(total, done))

    def _guard(self, key: str, action: Callable[[], None]) -> None:
        """Run one receipt's posting; sort its failure into failed / unknown / stop-the-run."""
        try:
            action()
            self._unknown_in_a_row = 0
        except OutcomeUnknown as exc:
            log.warning("receipt %s: outcome unknown (%s); will reconcile", key, exc.detail)
            self.result.counts["unconfirmed"] += 1
            self._unknown_in_a_row += 1
            if self._unknown_in_a_row >= MAX_UNKNOWN_OUTCOMES:
                raise TooManyUnknownOutcomes(f"{self._unknown_in_a_row} lost answers in a row") from exc
        except RunAborted:
            raise
        except ItemFailed as exc:
            self._fail(key, exc)
        except Exception as exc:  # one receipt's failure is that receipt's, never the run's
            self._unexpected(key, exc)

    def _unexpected(self, key: str, exc: Exception) -> None:
        """A bug or a register's oddity met while booking or sending one receipt: it fails alone."""
        log.error("receipt %s: unexpected %s", key, type(exc).__name__, exc_info=exc)
        entry = self.store.outbox_entry(key)
        if entry is not None and entry.state is OutboxState.SENDING:  # its request may have reached Fortnox
            self.result.counts["unconfirmed"] += 1
            return
        failure = ItemFailed(
            f"receipt {key}: unexpected {type(exc).__name__}: {exc}",
            user_message=(
                f"Kvitto {key} kunde inte bokföras på grund av ett oväntat fel ({type(exc).__name__}). "
                "Övriga kvitton skickas; se loggfilen och skicka ett supportpaket."
            ),
        )
        self._fail(key, failure)

    def _fail(self, key: str, exc: KassasyncError) -> None:
        log.warning("receipt %s failed: %s", key, exc.detail)
        entry = self.store.outbox_entry(key)
        if entry is not None and entry.state in (OutboxState.PENDING, OutboxState.SENDING):
            self.store.mark_failed(key, exc.user_message)
            self.result.counts["failed"] += 1
        self.result.errors.append(ReportedError(exc.user_message, exc.detail, item=key))

    def _hold(self, keys: Sequence[str], problems: list[Problem]) -> bool:
        """Record pre-flight problems; True when the receipts must wait (they stay pending)."""
        for problem in problems:
            held = self.result.problems.setdefault(problem.code, (problem, []))[1]
            held.extend(keys)
        if problems:
            self.result.counts["waiting"] += len(keys)
        return bool(problems)

    def _send(self, keys: str | Sequence[str], target: Target, create: Callable[[], str]) -> str:
        """pending → sending → posted(ref) around one creating request."""
        if not self.store.mark_sending(keys, target):  # only another sync could have: the lock forbids it
            raise KassasyncError(f"{keys} were not pending any more; another sync is running?")
        try:
            ref = create()
        except RunAborted:  # refused before any work (login, 429, unreachable, setup): may go again
            self.store.release_sending(keys)
            raise
        # OutcomeUnknown and anything unexpected leave it in sending: reconciled before any resend.
        # FortnoxRejected moves it on to failed in _guard.
        self.store.mark_posted(keys, ref)
        return ref

    # -- vouchers --------------------------------------------------------------------------------------

    def send_voucher(self, receipt: Receipt) -> None:
        draft = receipt_voucher(receipt, self.plan, self.series)
        self._post_voucher([receipt.key], draft, Target.VOUCHER, key_marker(receipt.key))

    def _post_voucher(self, keys: list[str], draft: VoucherDraft, target: Target, marker: str) -> None:
        if not draft.rows:  # a 0 kr receipt: nothing to book, and Fortnox refuses an empty voucher
            if not self.dry_run:
                self.store.mark_sending(keys, target)
                self.store.mark_posted(keys, NOTHING_POSTED)
            return
        day = draft.transaction_date
        facts = self.facts.facts_for({day})
        if self._hold(keys, problems_for_voucher(facts, day, self.series, draft.accounts())):
            return
        year = self.facts.year_of(day)
        assert year is not None  # pre-flight found it
        if self.dry_run:
            self._plan(keys, f"verifikation i serie {self.series}, {_kr(draft.debit_ore)}")
            return
        found = self.record.voucher_for(marker, day, self.series)
        if found is not None:
            self._already_there(keys, target, found)
            return
        self.record.remember_series(self.series)
        body = draft.to_fortnox()["Voucher"]
        ref = self._send(keys, target, lambda: voucher_ref(self.client.create_voucher(body, year.id)))
        self.record.voucher_created(marker, day, self.series, ref)
        self._posted(keys, ref)

    def _already_there(self, keys: list[str], target: Target, ref: str) -> None:
        """Fortnox holds the document already (the company file forgot it): posted, never created again."""
        log.warning("%s already in Fortnox as %s; not created again", ", ".join(keys), ref)
        if not self.store.mark_sending(keys, target):
            raise KassasyncError(f"{keys} were not pending any more; another sync is running?")
        self.store.mark_posted(keys, ref)
        self.result.counts["already_in_fortnox"] += len(keys)
        self._posted(keys, ref)

    def push_summaries(self) -> None:
        """One voucher per register and closed day; a receipt that arrives after its day's summary was
        posted goes as a voucher of its own (the summary in Fortnox is never changed)."""
        groups: dict[tuple[str, date], list[Receipt]] = {}
        for receipt in self.store.pending_receipts():
            if awaits_summary(receipt, self.today()):  # wait for the day to close, and say so
                self.result.counts["awaiting_summary"] += 1
                continue
            groups.setdefault((receipt.register_code, business_date(receipt)), []).append(receipt)
        total, done = sum(len(receipts) for receipts in groups.values()), 0
        for (register, day), receipts in sorted(groups.items()):
            if self.cancel.is_set():
                return
            if self.store.cursor(SUMMARY_CURSOR.format(register=register, day=day)) is not None:
                for receipt in receipts:
                    self._guard(receipt.key, partial(self.send_voucher, receipt))
            else:
                self._summarise(register, day, receipts)
            done += len(receipts)
            self.progress("receipts", done, total)

    def _summarise(self, register: str, day: date, receipts: list[Receipt]) -> None:
        bookable: list[Receipt] = []
        for receipt in receipts:  # one bad receipt must not hold back its day
            try:
                receipt_voucher(receipt, self.plan, self.series)
                if not self.dry_run and self._posted_alone_already(receipt, day):
                    continue
                bookable.append(receipt)
            except ItemFailed as exc:
                self._fail(receipt.key, exc)
            except Exception as exc:  # it fails alone, its day goes on
                self._unexpected(receipt.key, exc)
        if not bookable:
            return
        keys = [r.key for r in bookable]
        draft = daily_summary(bookable, self.plan, self.series, register, day)
        marker = key_marker(summary_key(register, day))
        self._guard(keys[0], lambda: self._post_voucher(keys, draft, Target.SUMMARY, marker))
        entry = self.store.outbox_entry(keys[0])
        if entry is not None and entry.state is OutboxState.POSTED and not self.dry_run:
            cursor = SUMMARY_CURSOR.format(register=register, day=day)
            self.store.set_cursor(cursor, entry.fortnox_ref or "")

    def _posted_alone_already(self, receipt: Receipt, day: date) -> bool:
        """A receipt that went as a voucher of its own (it came after its day's summary) is in Fortnox."""
        found = self.record.voucher_for(key_marker(receipt.key), day, self.series)
        if found is not None:
            self._already_there([receipt.key], Target.VOUCHER, found)
        return found is not None

    # -- paid invoices ---------------------------------------------------------------------------------

    def send_invoice(self, receipt: Receipt) -> None:
        draft = encoded_paid_invoice(receipt, self.plan, self.customer)
        day = draft.invoice.invoice_date
        modes = {p.mode_of_payment for p in draft.payments}
        facts = self.facts.facts_for(
            {day}, with_series=False, invoices_to=self.customer, needs_warehouse=self.settings.stock_module
        )
        accounts = set(draft.postings(self.plan)) | {row.account for row in draft.invoice.rows}
        problems = problems_for_invoice(facts, day, self.customer, modes, accounts)
        problems += problems_for_invoice_method(facts, day, stock_module=self.settings.stock_module)
        if self._hold([receipt.key], problems):
            return
        if self.dry_run:
            self._plan(
                [receipt.key], f"kundfaktura till kund {self.customer}, {_kr(draft.invoice.total_ore)}"
            )
            return
        found = self.record.invoice_for(receipt.key, day, self.customer)
        if found is not None:  # the invoice is there: finish it (bookkeep, payments), never create it
            self.result.sold_articles |= _articles(receipt)
            self._already_there([receipt.key], Target.INVOICE, found)
            InvoiceFlow(self).complete(receipt.key, found, draft)
            return
        self.record.remember_customer(self.customer)
        body = draft.invoice.to_fortnox()["Invoice"]
        answer: list[Invoice] = []

        def create() -> str:
            answer.append(self.client.create_invoice(body))
            return str(answer[0].document_number)

        number = self._send(receipt.key, Target.INVOICE, create)
        self.record.invoice_created(receipt.key, day, self.customer, number)
        self.result.sold_articles |= _articles(receipt)
        try:
            InvoiceFlow(self).complete(receipt.key, number, draft, answer[0])
        finally:  # not when Fortnox's invoice failed the check (it was cancelled)
            if self._created(receipt.key):
                self._posted([receipt.key], number)

    def _created(self, key: str) -> bool:
        entry = self.store.outbox_entry(key)
        return entry is not None and entry.state in (OutboxState.POSTED, OutboxState.BOOKED, OutboxState.PAID)

    def finish_invoices(self) -> None:
        """Invoices created in an earlier run but not yet bookkept and paid (the run stopped midway)."""
        for state in (OutboxState.POSTED, OutboxState.BOOKED):
            for entry in self.store.outbox_entries(state, Target.INVOICE):
                if entry.fortnox_ref is None:
                    continue
                receipt = self.store.get_receipt(entry.receipt)
                if receipt is None:
                    continue
                draft = encoded_paid_invoice(receipt, self.plan, self.customer)
                self.result.sold_articles |= _articles(receipt)
                self._guard_unfinished(entry, draft)

    def _guard_unfinished(self, entry: OutboxEntry, draft: PaidInvoiceDraft) -> None:
        number = entry.fortnox_ref
        assert number is not None
        try:
            InvoiceFlow(self).complete(entry.receipt, number, draft)
        except RunAborted:
            raise
        except KassasyncError as exc:  # the invoice exists: never "failed", it must not be created again
            log.warning("invoice %s of %s not finished: %s", number, entry.receipt, exc.detail)
            self.result.errors.append(ReportedError(exc.user_message, exc.detail, item=entry.receipt))

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

    # -- reconcile -------------------------------------------------------------------------------------

    def reconcile(self) -> None:
        """Receipts left in ``sending``: find them in Fortnox (posted) or release them (pending)."""
        now = self.clock.now()
        summaries: dict[tuple[str, date], list[str]] = {}
        for entry in self.store.outbox_entries(OutboxState.SENDING):
            try:
                if now - datetime.fromisoformat(entry.updated_at) < self.reconcile_after:
                    self.result.reconciled["waiting"] += 1  # its request may still be on its way
                    continue
                receipt = self.store.get_receipt(entry.receipt)
            except (ItemFailed, ValueError, TypeError) as exc:  # it stays in sending: never sent on a guess
                self._unreadable_in_flight(entry.receipt, exc)
                continue
            if receipt is None:
                continue
            if entry.target is Target.SUMMARY:
                summaries.setdefault((receipt.register_code, business_date(receipt)), []).append(
                    entry.receipt
                )
            elif entry.target is Target.INVOICE:
                self._reconcile_invoice(receipt)
            else:
                self._reconcile_voucher([receipt.key], business_date(receipt), key_marker(receipt.key))
        for (register, day), keys in summaries.items():
            found = self._reconcile_voucher(keys, day, key_marker(summary_key(register, day)))
            if found is not None:
                self.store.set_cursor(SUMMARY_CURSOR.format(register=register, day=day), found)

    def _unreadable_in_flight(self, key: str, exc: Exception) -> None:
        log.warning("receipt %s in sending cannot be read for reconciliation: %r", key, exc)
        message = (
            f"Kvitto {key} väntar på kontroll i Fortnox men kan inte läsas ur kassafilen. Det skickas inte "
            "igen förrän det är rättat; skicka ett supportpaket."
        )
        self.result.errors.append(
            ReportedError(message, f"receipt {key} in sending unreadable: {exc!r}", item=key)
        )

    def _reconcile_voucher(self, keys: list[str], day: date, marker: str) -> str | None:
        """Searched in every series the receipt may have gone in (the settings may have changed since)."""
        return self._settle(keys, self.record.voucher_for(marker, day, self.series))

    def _reconcile_invoice(self, receipt: Receipt) -> None:
        invoices = [i for i in self.client.find_invoices(receipt.key) if not i.cancelled]
        ref = self._settle([receipt.key], invoices[0].document_number if invoices else None)
        if ref is not None:
            self.result.sold_articles |= _articles(receipt)
            draft = encoded_paid_invoice(receipt, self.plan, self.customer)
            entry = self.store.outbox_entry(receipt.key)
            assert entry is not None
            self._guard_unfinished(entry, draft)

    def _settle(self, keys: list[str], ref: str | None) -> str | None:
        if ref is None:
            log.info("reconcile: %s not in Fortnox; sending again", ", ".join(keys))
            self.store.release_sending(keys)
            self.result.reconciled["released"] += len(keys)
            return None
        log.info("reconcile: %s found in Fortnox as %s", ", ".join(keys), ref)
        self.store.mark_posted(keys, ref)
        self.result.reconciled["found"] += len(keys)
        self._posted(keys, ref)
        return ref

    # -- bookkeeping of the result ---------------------------------------------------------------------

    def _posted(self, keys: Sequence[str], ref: str) -> None:
        for key in keys:
            self.result.posted.append((key, ref))
        self.result.counts["posted"] += len(keys)

    def _plan(self, keys: Sequence[str], what: str) -> None:
        for key in keys:
            self.result.planned.append((key, what))


def _kr(ore: int) -> str:
    return f"{Decimal(ore) / 100:.2f} kr".replace(".", ",")


def _articles(receipt: Receipt) -> set[str]:
    return {
        line.article_number
        for line in receipt.lines
        if line.kind is LineKind.ARTICLE and line.article_number is not None
    }
