"""The outbox steps every poster shares, and the one place a receipt's failure is sorted.

``pending → sending → posted(ref)`` around one creating request; "Fortnox has it already" and the
reconcile of ``sending`` end in ``posted`` the same way. How a posting is marked is the poster's
(``Mark``): a daily summary marks its receipts and its ``summaries`` row in one transaction.

Errors decide the receipt's fate by what they prove (``OutboxSteps.sort``):
- the answer was lost (``OutcomeUnknown``): stays ``sending``, reconciled next run;
- Fortnox refused this document, or the receipt cannot be booked (``ItemFailed``): ``failed`` with the
  reason, the others go on;
- anything unexpected fails that receipt alone (or leaves it in ``sending`` if its request had left);
- the request was refused before any work (login, 429, unreachable, setup: ``RunAborted``): back to
  ``pending``, and the run stops, since every other receipt would meet the same.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from kassasync.clock import Clock, business_date
from kassasync.config import Settings
from kassasync.errors import ItemFailed, KassasyncError, RunAborted
from kassasync.fortnox.client import FortnoxClient
from kassasync.fortnox.errors import OutcomeUnknown
from kassasync.pos.records import OutboxState, Target
from kassasync.pos.store import PosStore
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.events import ReportedError
from kassasync.sync.facts import FactsCache
from kassasync.sync.fortnox_record import FortnoxRecord
from kassasync.sync.preflight import Problem
from kassasync.sync.push.result import MAX_UNKNOWN_OUTCOMES, PushResult, TooManyUnknownOutcomes

log = logging.getLogger(__name__)

Mark = Callable[[Sequence[str], str], bool]  # sending → posted(ref) for these keys


@dataclass
class PushContext:
    """What every poster of one push reads: the run's collaborators and its result."""

    client: FortnoxClient
    store: PosStore
    settings: Settings
    plan: AccountPlan
    facts: FactsCache
    clock: Clock
    cancel: threading.Event
    reconcile_after: timedelta
    dry_run: bool
    result: PushResult = field(default_factory=PushResult)

    def __post_init__(self) -> None:
        self.record = FortnoxRecord(self.client, self.store, self.facts)  # read before every create

    def today(self) -> date:
        return business_date(self.clock.now())


class OutboxSteps:
    def __init__(self, ctx: PushContext) -> None:
        self.ctx, self.store, self.result = ctx, ctx.store, ctx.result
        self._unknown_in_a_row = 0

    # -- failures --------------------------------------------------------------------------------------

    def guard(self, key: str, action: Callable[[], None]) -> None:
        """Run one receipt's posting (a request that was answered); its failure sorted."""
        if self.check(key, action):
            self._unknown_in_a_row = 0

    def check(self, key: str, action: Callable[[], None]) -> bool:
        """Run one receipt's step; False when it did not go through (its failure sorted)."""
        try:
            action()
        except RunAborted:
            raise
        except Exception as exc:
            self.sort(key, exc)
            return False
        return True

    def sort(self, key: str, exc: Exception) -> None:
        if isinstance(exc, OutcomeUnknown):
            log.warning("receipt %s: outcome unknown (%s); will reconcile", key, exc.detail)
            self.result.counts["unconfirmed"] += 1
            self._unknown_in_a_row += 1
            if self._unknown_in_a_row >= MAX_UNKNOWN_OUTCOMES:
                raise TooManyUnknownOutcomes(f"{self._unknown_in_a_row} lost answers in a row") from exc
        elif isinstance(exc, ItemFailed):
            self.fail(key, exc)
        else:  # one receipt's failure is that receipt's, never the run's
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
        self.fail(key, failure)

    def fail(self, key: str, exc: KassasyncError) -> None:
        log.warning("receipt %s failed: %s", key, exc.detail)
        entry = self.store.outbox_entry(key)
        if entry is not None and entry.state in (OutboxState.PENDING, OutboxState.SENDING):
            self.store.mark_failed(key, exc.user_message)
            self.result.counts["failed"] += 1
        self.result.errors.append(ReportedError(exc.user_message, exc.detail, item=key))

    def hold(self, keys: Sequence[str], problems: list[Problem]) -> bool:
        """Record pre-flight problems; True when the receipts must wait (they stay pending)."""
        for problem in problems:
            held = self.result.problems.setdefault(problem.code, (problem, []))[1]
            held.extend(keys)
        if problems:
            self.result.counts["waiting"] += len(keys)
        return bool(problems)

    # -- the outbox around a create --------------------------------------------------------------------

    def send(self, keys: Sequence[str], target: Target, create: Callable[[], str], mark: Mark) -> str:
        """pending → sending → posted(ref) around one creating request."""
        if not self.store.mark_sending(keys, target):  # only another sync could have: the lock forbids it
            raise KassasyncError(f"{keys} were not pending any more; another sync is running?")
        try:
            ref = create()
        except RunAborted:  # refused before any work (login, 429, unreachable, setup): may go again
            self.store.release_sending(keys)
            raise
        # OutcomeUnknown and anything unexpected leave it in sending: reconciled before any resend.
        # FortnoxRejected moves it on to failed in sort.
        mark(keys, ref)
        return ref

    def already_there(self, keys: Sequence[str], target: Target, ref: str, mark: Mark) -> None:
        """Fortnox holds the document already (the company file forgot it): posted, never created again."""
        log.warning("%s already in Fortnox as %s; not created again", ", ".join(keys), ref)
        if not self.store.mark_sending(keys, target):
            raise KassasyncError(f"{keys} were not pending any more; another sync is running?")
        mark(keys, ref)
        self.result.counts["already_in_fortnox"] += len(keys)
        self.posted(keys, ref)

    def settle(self, keys: Sequence[str], ref: str | None, mark: Mark) -> str | None:
        """A receipt in ``sending``: found in Fortnox, posted; not found, released to be sent again."""
        if ref is None:
            log.info("reconcile: %s not in Fortnox; sending again", ", ".join(keys))
            self.store.release_sending(keys)
            self.result.reconciled["released"] += len(keys)
            return None
        log.info("reconcile: %s found in Fortnox as %s", ", ".join(keys), ref)
        mark(keys, ref)
        self.result.reconciled["found"] += len(keys)
        self.posted(keys, ref)
        return ref

    # -- the result ------------------------------------------------------------------------------------

    def posted(self, keys: Sequence[str], ref: str) -> None:
        for key in keys:
            self.result.posted.append((key, ref))
        self.result.counts["posted"] += len(keys)

    def planned(self, keys: Sequence[str], what: str) -> None:
        """A dry run says what it would post and changes nothing."""
        for key in keys:
            self.result.planned.append((key, what))
