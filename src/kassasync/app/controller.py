"""``AppController``: the one way the desktop agent runs a sync, and the state everyone renders.

Menu clicks, the scheduler and dialogs only call commands here; the controller runs at most one sync at a
time on its own named worker thread, answers a "Synkronisera" that arrives during a run (queues exactly one
re-run instead of dropping it, which is what APScheduler alone would do), decides the app's health from
each report, and applies the notification policy. The engine is injected as ``run_sync`` so the app layer
is tested with a scripted runner and the real engine is wired in ``commands/app.py``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from kassasync.app.last_sync import LastSync, with_new_problems
from kassasync.clock import Clock, SystemClock
from kassasync.config import Notifications
from kassasync.errors import KassasyncError
from kassasync.sync.events import (
    EventSink,
    Outcome,
    ReportedError,
    StepProgress,
    SyncEvent,
    SyncReport,
    SyncRequest,
)
from kassasync.ui.notify import BUSY_MESSAGE, TITLE, Notice, Notifier, notice_for, should_notify
from kassasync.ui.state import AppState, Health, health_of

log = logging.getLogger(__name__)

SyncRunner = Callable[[SyncRequest, EventSink, threading.Event], SyncReport]
StateListener = Callable[[AppState], None]
PROGRESS_INTERVAL_S = 0.25  # tooltip refreshes at most this often within one step


class SyncAnswer(StrEnum):
    STARTED = "started"
    QUEUED = "queued"  # a run is going on; exactly one re-run follows it
    SKIPPED = "skipped"  # a scheduled tick while paused or while a run already covers it
    REFUSED = "refused"  # the agent is quitting


def merge(first: SyncRequest, second: SyncRequest) -> SyncRequest:
    """One queued re-run that does what both requests asked for."""
    return SyncRequest(
        kind="everything" if "everything" in (first.kind, second.kind) else "changes",
        pull=first.pull or second.pull,
        push=first.push or second.push,
        dry_run=first.dry_run and second.dry_run,
        resend=tuple(dict.fromkeys(first.resend + second.resend)),
        trigger="manual" if "manual" in (first.trigger, second.trigger) else second.trigger,
    )


class AppController:
    def __init__(
        self,
        run_sync: SyncRunner,
        *,
        notifier: Notifier,
        clock: Clock | None = None,
        notifications: Notifications = Notifications.FAILURES,
        initial_health: Health = Health.OK,
        initial_message: str | None = None,
        count_failed: Callable[[], int] | None = None,
        restored: LastSync | None = None,
        remember: Callable[[LastSync], None] | None = None,
        version: str = "",
    ) -> None:
        self._run_sync = run_sync
        self._notifier = notifier
        self._clock: Clock = clock or SystemClock()
        self._notifications = notifications
        self._count_failed = count_failed
        self._lock = threading.Lock()
        self._publishing = threading.RLock()
        self._remember = remember
        self._state = AppState(health=initial_health, message=initial_message, version=version)
        if restored is not None:  # after a restart the tray shows the last result, not "no sync yet"
            self._state = replace(
                self._state,
                last_report=restored.report,
                last_finished_at=restored.finished_at,
                problems=restored.problems,
            )
            if initial_health is Health.OK:
                health = health_of(restored.report)
                message = restored.report.errors[0].user_message if restored.report.errors else None
                self._state = replace(
                    self._state, health=health, message=message if health is not Health.OK else None
                )
        self._listeners: list[StateListener] = []
        self._queued: SyncRequest | None = None
        self._worker: threading.Thread | None = None
        self._cancel = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._last_progress_at = 0.0

    # -- state ------------------------------------------------------------------------------------------

    @property
    def state(self) -> AppState:
        with self._lock:
            return self._state

    def subscribe(self, listener: StateListener) -> None:
        with self._publishing:
            with self._lock:
                self._listeners.append(listener)
                current = self._state
            self._call(listener, current)

    def _update(self, **changes: object) -> None:
        with self._lock:
            self._state = replace(self._state, **changes)  # type: ignore[arg-type]
        self._publish()

    def _publish(self) -> None:
        """Listeners always receive the newest state, in order, even when two threads change it at once."""
        with self._publishing:
            with self._lock:
                current, listeners = self._state, list(self._listeners)
            for listener in listeners:
                self._call(listener, current)

    @staticmethod
    def _call(listener: StateListener, state: AppState) -> None:
        try:
            listener(state)
        except Exception:  # a listener is a UI boundary: log it, keep the others going
            log.exception("state listener %r failed", listener)

    # -- commands ---------------------------------------------------------------------------------------

    def request_sync(self, request: SyncRequest) -> SyncAnswer:
        with self._lock:
            answer = self._admit(request)
        if answer in (SyncAnswer.QUEUED, SyncAnswer.STARTED):
            self._publish()
        if answer is SyncAnswer.QUEUED:
            log.info("sync requested (%s) during a run: queued one re-run", request.trigger)
            if request.trigger == "manual":
                self._notify(Notice(TITLE, BUSY_MESSAGE))
        elif answer is not SyncAnswer.STARTED:
            log.info("sync request (%s) %s", request.trigger, answer)
        return answer

    def _admit(self, request: SyncRequest) -> SyncAnswer:
        """Decide under the lock, so two clicks at once cannot start two runs."""
        if self._state.quitting:
            return SyncAnswer.REFUSED
        if request.trigger == "schedule" and self._state.paused:
            return SyncAnswer.SKIPPED
        if self._state.health is Health.SETUP:  # nothing to sync with yet; the settings are open
            return SyncAnswer.SKIPPED
        if self._worker is not None:
            if request.trigger == "schedule":
                return SyncAnswer.SKIPPED
            self._queued = request if self._queued is None else merge(self._queued, request)
            self._state = replace(self._state, rerun_queued=True)
            return SyncAnswer.QUEUED
        self._idle.clear()
        self._state = replace(self._state, syncing=True, progress=None, rerun_queued=False)
        worker = threading.Thread(target=self._work, args=(request,), name="kassasync-sync", daemon=True)
        self._worker = worker
        worker.start()
        return SyncAnswer.STARTED

    def set_paused(self, paused: bool, until: datetime | None = None) -> None:
        log.info(
            "schedule %s", f"paused until {until}" if paused and until else "paused" if paused else "resumed"
        )
        self._update(paused=paused, paused_until=until if paused else None)

    def set_next_sync(self, at: datetime | None) -> None:
        if at != self.state.next_sync_at:
            self._update(next_sync_at=at)

    def set_up(self, missing: str | None) -> None:
        """The settings changed: ``missing`` says what is still to set up (Swedish), None when all is.
        Leaving the set-up state clears it; a run then shows the real health."""
        if missing is not None:
            self._update(health=Health.SETUP, message=missing)
        elif self.state.health is Health.SETUP:
            self._update(health=Health.OK, message=None)

    def set_notifications(self, setting: Notifications) -> None:
        self._notifications = setting

    def logged_in(self) -> None:
        """After a successful "Logga in": the login problem is gone; the next run shows the rest."""
        if self.state.health is Health.NEEDS_LOGIN:
            self._update(health=Health.OK, message=None)

    def refresh_failed_count(self) -> None:
        if self._count_failed is not None:
            self._update(failed_receipts=self._safe_count())

    def wait_idle(self, timeout: float) -> bool:
        return self._idle.wait(timeout)

    def quit(self, timeout: float) -> bool:
        """Stop at the running sync's next cancel point; True when no sync is left running."""
        with self._lock:
            self._queued = None
            worker = self._worker
        self._update(quitting=True, rerun_queued=False)
        self._cancel.set()
        if worker is not None:
            worker.join(timeout)
            if worker.is_alive():
                log.warning("the running sync did not reach a cancel point within %.1f s", timeout)
                return False
        return True

    # -- the worker -------------------------------------------------------------------------------------

    def _work(self, first: SyncRequest) -> None:
        request: SyncRequest | None = first
        while request is not None:
            self._finish(request, self._run(request))
            with self._lock:
                request, self._queued = self._queued, None
                if request is None:
                    self._worker = None
                    self._idle.set()
                else:
                    self._state = replace(self._state, syncing=True, progress=None, rerun_queued=False)
            self._publish()

    def _run(self, request: SyncRequest) -> SyncReport:
        started = self._clock.monotonic()
        log.info("sync started: %s", request)
        try:
            return self._run_sync(request, self._on_event, self._cancel)
        except KassasyncError as exc:
            log.error("sync aborted: %s", exc.detail)
            error = ReportedError(user_message=exc.user_message, detail=exc.detail)
        except Exception as exc:  # the worker thread's boundary: never let a run kill the agent
            log.exception("sync crashed")
            error = ReportedError(
                user_message="Ett oväntat fel inträffade. Se loggfilen för detaljer.", detail=repr(exc)
            )
        duration = self._clock.monotonic() - started
        return SyncReport(request=request, outcome=Outcome.ERROR, errors=(error,), duration_s=duration)

    def _on_event(self, event: SyncEvent) -> None:
        if not isinstance(event, StepProgress):
            return
        now, previous = self._clock.monotonic(), self.state.progress
        new_step = previous is None or previous.step != event.step
        finished_step = event.total is not None and event.done >= event.total
        if new_step or finished_step or now - self._last_progress_at >= PROGRESS_INTERVAL_S:
            self._last_progress_at = now
            self._update(progress=event)

    def _finish(self, request: SyncRequest, report: SyncReport) -> None:
        previous = self.state.last_report
        health = health_of(report)
        message = report.errors[0].user_message if report.errors and health is not Health.OK else None
        failed = self._safe_count() if self._count_failed is not None else report.failed_count
        log.info("sync finished: %s, posted %d, failed %d", report.outcome, report.posted_count, failed)
        with self._lock:
            more = self._queued is not None
        finished_at = self._clock.now()
        problems = with_new_problems(self.state.problems, report, finished_at)
        self._update(
            syncing=more,
            progress=None,
            health=health,
            message=message,
            last_report=report,
            last_finished_at=finished_at,
            problems=problems,
            failed_receipts=failed,
        )
        if self._remember is not None and not report.request.dry_run:
            try:
                self._remember(LastSync(report, finished_at, problems))
            except OSError:
                log.exception("could not store the last sync's result")
        if should_notify(report, previous, self._notifications) and not self.state.quitting:
            self._notify(notice_for(report))

    def _safe_count(self) -> int:
        assert self._count_failed is not None
        try:
            return self._count_failed()
        except Exception:  # reading the company file must not break the run's bookkeeping
            log.exception("could not count failed receipts")
            return self.state.failed_receipts

    def _notify(self, notice: Notice) -> None:
        try:
            self._notifier.notify(notice)
        except Exception:  # notifications are best effort; the icon still shows the state
            log.exception("notification failed")
