"""One sync run: check the company, pull from Fortnox, push the receipts, read back stock.

``SyncEngine.run`` is the only entry point the tray, the scheduler and the CLI use. It never raises for
anything a user can meet: every outcome becomes a ``SyncReport`` (with Swedish messages and English
details), written to the log as a section of its own. One run at a time per company file: the sync lock
is a file lock beside the company file (``sync/run_lock.py``), so the tray's schedule, a ``kassasync
sync`` in a terminal and another user's agent on the same file cannot interleave.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from filelock import FileLock, Timeout

from kassasync.clock import Clock, SystemClock
from kassasync.config import IntegrationMode, Settings
from kassasync.errors import KassasyncError, RunAborted
from kassasync.fortnox.client import FortnoxClient
from kassasync.fortnox.errors import LoginRequired
from kassasync.paths import AppPaths
from kassasync.pos.records import OutboxState
from kassasync.pos.store import PosStore
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.events import (
    EventSink,
    Outcome,
    ReportedError,
    StepCounts,
    StepProgress,
    SyncFinished,
    SyncReport,
    SyncRequest,
    SyncStarted,
)
from kassasync.sync.facts import FactsCache
from kassasync.sync.interleave import Every, push_every_s
from kassasync.sync.pull import Cancelled, Puller, check_same_company
from kassasync.sync.push import Pusher, PushResult
from kassasync.sync.run_lock import sync_lock_path

log = logging.getLogger(__name__)

RECONCILE_AFTER_S = 120.0  # > the client's read timeout: a request still in flight is never looked up early
FIRST_SYNC_CURSOR = "first_full_sync"

STEP_LABELS = {
    "company": "Kontrollerar företaget",
    "predefined": "Hämtar förvalda konton",
    "accounts": "Hämtar kontoplan",
    "customers": "Hämtar kunder",
    "articles": "Hämtar artiklar",
    "prices": "Hämtar priser",
    "receipts": "Skickar kvitton",
    "stock": "Hämtar lagersaldon",
}


class NotConfigured(RunAborted):
    default_user_message = "Välj kassans företagsfil i Kassasyncs inställningar (Bläddra) och försök igen."


class AlreadyRunning(RunAborted):
    default_user_message = "En synkronisering pågår redan. Den här körs inte; försök igen om en stund."


def _ignore(event: object) -> None:
    return None


@dataclass
class _Run:
    """What one run gathers for its report."""

    request: SyncRequest
    steps: dict[str, StepCounts] = field(default_factory=dict)
    errors: list[ReportedError] = field(default_factory=list)
    posted: list[tuple[str, str]] = field(default_factory=list)
    planned: list[tuple[str, str]] = field(default_factory=list)
    outcome: Outcome = Outcome.OK
    pushes: list[PushResult] = field(default_factory=list)  # one per push; a long pull pushes again
    awaiting_summary: int = 0  # today's receipts that wait for the day to close (Dagssammandrag)

    def fold_pushes(self) -> None:
        """The receipts step of all pushes: posted and failed add up; what waits, and why, is the last
        push's view (an earlier push's held-back receipt may since have been posted); an error a later
        push met again is said once."""
        if not self.pushes:
            return
        last = self.pushes[-1]
        counts = StepCounts(
            posted=sum(p.counts["posted"] for p in self.pushes),
            failed=sum(p.counts["failed"] for p in self.pushes),
            unconfirmed=last.counts["unconfirmed"],
            already_in_fortnox=sum(p.counts["already_in_fortnox"] for p in self.pushes),
        )
        self.steps["receipts"] = counts
        self.awaiting_summary = last.counts["awaiting_summary"]
        said: set[tuple[str | None, str]] = set()
        for push in self.pushes:
            self.posted += push.posted
            self.planned += push.planned
            for error in push.errors:
                if (error.item, error.user_message) not in said:
                    said.add((error.item, error.user_message))
                    self.errors.append(error)
        self.errors += last.problem_errors()
        self.pushes.clear()


OpenCompany = Callable[[Settings], PosStore]
MakeClient = Callable[[Settings, threading.Event | None], FortnoxClient]  # the event: the run's cancel


class SyncEngine:
    """One run at a time; its collaborators come from factories (``sync/collaborators.py`` makes the
    usual ones): the settings are read when a run starts, so a run follows the latest saved choices."""

    def __init__(
        self,
        settings: Callable[[], Settings],
        paths: AppPaths,
        *,
        open_company: OpenCompany,
        make_client: MakeClient,
        clock: Clock | None = None,
        reconcile_after_s: float = RECONCILE_AFTER_S,
        push_during_pull_s: float | None = None,
    ) -> None:
        self.current_settings, self.paths = settings, paths
        self.open_company, self.make_client = open_company, make_client
        self.clock = clock or SystemClock()
        self.reconcile_after_s = reconcile_after_s
        self.push_during_pull_s_given = push_during_pull_s
        self.settings = settings()
        self.push_during_pull_s = self._push_every()

    def _push_every(self) -> float:
        given = self.push_during_pull_s_given
        return push_every_s(self.settings.schedule) if given is None else given

    def run(
        self, request: SyncRequest, emit: EventSink = _ignore, cancel: threading.Event | None = None
    ) -> SyncReport:
        started = time.monotonic()
        self.settings = self.current_settings()  # this run's settings, whoever saved them last
        self.push_during_pull_s = self._push_every()
        run = _Run(request)
        emit(SyncStarted(request))
        log.info("=== sync start: %s ===", _describe(request))
        requests_used = 0
        try:
            self.paths.ensure()
            with FileLock(sync_lock_path(self.settings, self.paths), timeout=0):  # beside the company file
                requests_used = self._locked_run(run, emit, cancel or threading.Event())
        except Timeout:
            self._abort(run, AlreadyRunning("another sync holds the sync lock"))
        report = SyncReport(
            request=request,
            outcome=run.outcome,
            steps=dict(run.steps),
            errors=tuple(run.errors),
            requests_used=requests_used,
            duration_s=time.monotonic() - started,
            posted=tuple(run.posted),
            planned=tuple(run.planned),
            log_file=str(self.paths.log_dir),
            awaiting_summary=run.awaiting_summary,
        )
        _log_report(report)
        emit(SyncFinished(report))
        return report

    def _locked_run(self, run: _Run, emit: EventSink, cancel: threading.Event) -> int:
        client: FortnoxClient | None = None
        try:
            store = self.open_company(self.settings)
            with store:
                # a quit cuts a wait for the rate budget short, not only an item
                client = self.make_client(self.settings, cancel)
                try:
                    self._sync(run, store, client, self._progress(emit), cancel)
                finally:  # a run stopped midway still reports what it posted
                    run.fold_pushes()
        except LoginRequired as exc:
            self._abort(run, exc, Outcome.LOGIN_REQUIRED)
        except RunAborted as exc:
            self._abort(run, exc)
        except KassasyncError as exc:
            self._abort(run, exc)
        except Exception as exc:  # a bug: the report says so, the log has the traceback, the app lives
            log.exception("sync failed unexpectedly")
            self._abort(run, KassasyncError(f"{type(exc).__name__}: {exc}"))
        finally:
            if client is not None:
                client.close()
        if run.outcome is Outcome.OK and run.errors:
            run.outcome = Outcome.ATTENTION
        return 0 if client is None else client.requests_made

    def _sync(
        self,
        run: _Run,
        store: PosStore,
        client: FortnoxClient,
        progress: Callable[[str, int, int | None], None],
        cancel: threading.Event,
    ) -> None:
        request, settings = run.request, self.settings
        progress("company", 0, 1)
        check_same_company(client, store)
        facts = FactsCache(client)
        full = settings.integration_mode is IntegrationMode.FULL
        if request.pull and not request.dry_run:
            if full and store.cursor(FIRST_SYNC_CURSOR) is None:
                backup = store.backup(self.paths.backup_dir)
                log.info("backup before the first full-integration sync: %s", backup)
                store.set_cursor(FIRST_SYNC_CURSOR, self.clock.now().isoformat())
            puller = Puller(
                client,
                store,
                settings,
                facts,
                backup_dir=self.paths.backup_dir,
                clock=self.clock,
                progress=progress,
                cancel=cancel,
            )
            # Push first: the short lists the push needs, the details of the articles being sold, the
            # receipts, and only then the catalogue (a first pull of a big one takes hours). What the
            # register sells meanwhile is posted once per schedule interval, between catalogue requests.
            puller.setup(everything=request.kind == "everything")
            sold: set[str] = set()

            def push_sold_since() -> None:
                puller.sold_first(sold_articles(store))
                sold.update(self._push(run, store, client, facts, progress, cancel))

            if request.push:
                push_sold_since()
                if cancel.is_set():
                    raise Cancelled("sync cancelled during the push")
                puller.between = Every(self.push_during_pull_s, push_sold_since)
            pulled = puller.catalogue()
            run.steps.update(pulled.steps)
            run.errors += pulled.errors
        else:
            puller, pulled = None, None
            sold = self._push(run, store, client, facts, progress, cancel) if request.push else set()
        if cancel.is_set():
            raise Cancelled("sync cancelled during the push")
        if (
            puller is not None
            and pulled is not None
            and full
            and settings.stock_module
            and facts.warehouse_active()
        ):
            numbers = pulled.article_numbers if pulled.full_pass else pulled.article_numbers | sold
            puller.stock(numbers)
            run.steps.update(puller.result.steps)

    def _push(
        self,
        run: _Run,
        store: PosStore,
        client: FortnoxClient,
        facts: FactsCache,
        progress: Callable[[str, int, int | None], None],
        cancel: threading.Event,
    ) -> set[str]:
        """Post the receipts; returns the articles sold through invoices (their stock moved)."""
        if run.request.resend and not run.request.dry_run:
            wanted = set(run.request.resend)
            failed = [e.receipt for e in store.outbox_entries(OutboxState.FAILED) if e.receipt in wanted]
            if failed:
                store.retry_failed(failed)
        plan = self._account_plan(store)
        pusher = Pusher(
            client,
            store,
            self.settings,
            plan,
            facts,
            clock=self.clock,
            progress=progress,
            cancel=cancel,
            reconcile_after_s=self.reconcile_after_s,
            dry_run=run.request.dry_run,
        )
        run.pushes.append(pusher.result)  # folded into the report when the run ends, however it ends
        try:
            pusher.run()
        finally:
            if pusher.result.reconciled["found"] or pusher.result.reconciled["released"]:
                log.info("reconciled: %s", pusher.result.reconciled)
        return pusher.result.sold_articles

    def _account_plan(self, store: PosStore) -> AccountPlan:
        return AccountPlan.from_company(store.predefined_accounts(), self.settings.payment_methods)

    def _progress(self, emit: EventSink) -> Callable[[str, int, int | None], None]:
        """Progress events with the time left, from each step's pace since its first event."""
        started: dict[str, float] = {}

        def progress(step: str, done: int, total: int | None) -> None:
            now = time.monotonic()
            first = started.setdefault(step, now)
            left = None
            if total is not None and 0 < done <= total and now > first:
                left = (now - first) / done * (total - done)
            emit(StepProgress(step, STEP_LABELS.get(step, step), done, total, left))

        return progress

    @staticmethod
    def _abort(run: _Run, exc: KassasyncError, outcome: Outcome = Outcome.ERROR) -> None:
        log.warning("sync stopped: %s", exc.detail)
        run.outcome = outcome
        run.errors.append(ReportedError(exc.user_message, exc.detail))


def _describe(request: SyncRequest) -> str:
    parts = [request.kind, f"trigger={request.trigger}"]
    if request.dry_run:
        parts.append("dry-run")
    if request.resend:
        parts.append(f"resend={','.join(request.resend)}")
    return " ".join(parts)


def _log_report(report: SyncReport) -> None:
    for step, counts in report.steps.items():
        log.info("  %s: %s", step, counts)
    for key, ref in report.posted:
        log.info("  posted %s as %s", key, ref)
    if report.awaiting_summary:
        log.info("  %d receipts of today await the day's summary", report.awaiting_summary)
    for error in report.errors:
        log.warning("  error%s: %s", f" ({error.item})" if error.item else "", error.detail)
    log.info(
        "=== sync end: %s, %d posted, %d failed, %d requests, %.1f s ===",
        report.outcome.value,
        report.posted_count,
        report.failed_count,
        report.requests_used,
        report.duration_s,
    )


def sold_articles(store: PosStore) -> set[str]:
    """The article numbers on the receipts waiting to be posted."""
    return {
        line.article_number
        for receipt in store.pending_receipts()
        for line in receipt.lines
        if line.article_number is not None
    }
