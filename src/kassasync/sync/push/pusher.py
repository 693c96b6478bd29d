"""Register → Fortnox: every receipt posted exactly once, as a voucher, a daily summary or a paid invoice.

The outbox (``pos/outbox.py``) is the state machine of ARCHITECTURE.md::

    pending → sending → posted(ref) [→ booked → paid]        failed(reason) → pending (resend)

A receipt is marked ``sending`` (committed to the company file) *before* its creating request leaves, and
``posted`` with Fortnox's number after the answer. A receipt found in ``sending`` at the start of a run
therefore had a request whose answer never came (timeout, dropped connection, killed process): its
poster looks it up in Fortnox by its key (voucher text, invoice ExternalInvoiceReference1) and either
marks it posted or releases it to ``pending``. Creating requests are never repeated without that lookup.

The pusher only chooses: the poster of the target the settings ask for sends what is pending
(``push/vouchers.py``, ``push/summaries.py``, ``push/invoices.py``), and every poster reconciles the
receipts it sent. The outbox steps and the sorting of failures are shared (``push/steps.py``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from kassasync.clock import Clock
from kassasync.config import ReceiptsAs, Settings
from kassasync.errors import ItemFailed
from kassasync.fortnox.client import FortnoxClient
from kassasync.pos.records import OutboxState, Target
from kassasync.pos.store import PosStore
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.events import ReportedError
from kassasync.sync.facts import FactsCache
from kassasync.sync.push.invoices import InvoicePoster
from kassasync.sync.push.poster import InFlight, Poster
from kassasync.sync.push.result import PushResult
from kassasync.sync.push.steps import OutboxSteps, PushContext
from kassasync.sync.push.summaries import SummaryPoster, posts_daily_summaries
from kassasync.sync.push.vouchers import VoucherPoster

log = logging.getLogger(__name__)

Progress = Callable[[str, int, "int | None"], None]


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
        self.ctx = PushContext(
            client,
            store,
            settings,
            plan,
            facts,
            clock,
            cancel,
            reconcile_after=timedelta(seconds=reconcile_after_s),
            dry_run=dry_run,
        )
        self.store, self.progress, self.result = store, progress, self.ctx.result
        self.steps = OutboxSteps(self.ctx)
        vouchers = VoucherPoster(self.ctx, self.steps)
        self.posters: dict[Target, Poster] = {
            Target.VOUCHER: vouchers,
            Target.SUMMARY: SummaryPoster(self.ctx, self.steps, vouchers),
            Target.INVOICE: InvoicePoster(self.ctx, self.steps),
        }

    def poster(self) -> Poster:
        """The poster of what the settings ask receipts to become."""
        if self.ctx.settings.effective_receipts_as is ReceiptsAs.INVOICE:
            return self.posters[Target.INVOICE]
        if posts_daily_summaries(self.ctx.settings):
            return self.posters[Target.SUMMARY]
        return self.posters[Target.VOUCHER]

    def run(self) -> PushResult:
        try:
            if not self.ctx.dry_run:
                self.reconcile()
            self.push(self.poster())
        finally:  # a run stopped midway still counts the receipts it refused
            self.report_refused()
        return self.result

    def push(self, poster: Poster) -> None:
        total, batches = poster.pending()
        done = 0
        for batch in batches:
            if self.ctx.cancel.is_set():
                return
            poster.send(batch)
            done += len(batch)
            self.progress("receipts", done, max(total, done))

    def report_refused(self) -> None:
        """Receipts the store refused as it read them (a register wrote them wrong): failed, and said so."""
        for problem in self.store.take_refused():
            self.result.counts["failed"] += 1
            self.result.errors.append(ReportedError(problem.message, problem.detail, item=problem.receipt))

    # -- reconcile -------------------------------------------------------------------------------------

    def reconcile(self) -> None:
        """Receipts left in ``sending``, each settled by the poster of the target it was sent as."""
        now = self.ctx.clock.now()
        in_flight: dict[Target, list[InFlight]] = {target: [] for target in self.posters}
        for entry in self.store.outbox_entries(OutboxState.SENDING):
            try:
                if now - datetime.fromisoformat(entry.updated_at) < self.ctx.reconcile_after:
                    self.result.reconciled["waiting"] += 1  # its request may still be on its way
                    continue
                receipt = self.store.get_receipt(entry.receipt)
            except (ItemFailed, ValueError, TypeError) as exc:  # it stays in sending: never sent on a guess
                self._unreadable_in_flight(entry.receipt, exc)
                continue
            if receipt is not None:
                in_flight[entry.target or Target.VOUCHER].append((entry, receipt))
        for target, poster in self.posters.items():
            poster.reconcile(in_flight[target])

    def _unreadable_in_flight(self, key: str, exc: Exception) -> None:
        log.warning("receipt %s in sending cannot be read for reconciliation: %r", key, exc)
        message = (
            f"Kvitto {key} väntar på kontroll i Fortnox men kan inte läsas ur kassafilen. Det skickas inte "
            "igen förrän det är rättat; skicka ett supportpaket."
        )
        self.result.errors.append(
            ReportedError(message, f"receipt {key} in sending unreadable: {exc!r}", item=key)
        )
