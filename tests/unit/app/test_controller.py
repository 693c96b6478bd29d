"""The controller: one sync at a time, a click during a run is answered, the state follows the outcome."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest

from kassasync.app.controller import AppController, SyncAnswer, merge
from kassasync.clock import FakeClock
from kassasync.config import Notifications
from kassasync.errors import RunAborted
from kassasync.sync.events import EventSink, Outcome, SyncReport, SyncRequest
from kassasync.ui.notify import BUSY_MESSAGE
from kassasync.ui.state import AppState, Health

from .scripted import WAIT_S, RecordingNotifier, ScriptedRunner

MANUAL = SyncRequest(trigger="manual")
SCHEDULED = SyncRequest(trigger="schedule")


def controller(runner: ScriptedRunner, **kwargs: object) -> tuple[AppController, RecordingNotifier]:
    notifier = RecordingNotifier()
    return AppController(runner, notifier=notifier, clock=FakeClock(), **kwargs), notifier  # type: ignore[arg-type]


def test_a_second_synkronisera_during_a_run_queues_exactly_one_rerun_and_says_so() -> None:
    runner = ScriptedRunner(hold=True)
    app, notifier = controller(runner)
    assert app.request_sync(MANUAL) is SyncAnswer.STARTED
    runner.wait_started()

    answers = [app.request_sync(MANUAL) for _ in range(3)]

    assert answers == [SyncAnswer.QUEUED] * 3
    assert notifier.messages.count(BUSY_MESSAGE) == 3
    assert BUSY_MESSAGE == "Synkronisering pågår redan; den körs igen när den är klar."
    assert app.state.rerun_queued
    runner.release.set()
    assert app.wait_idle(WAIT_S)
    assert len(runner.requests) == 2  # the first run and exactly one re-run
    assert runner.max_concurrent == 1
    assert not app.state.syncing and not app.state.rerun_queued


def test_clicks_from_many_threads_at_once_start_one_run() -> None:
    runner = ScriptedRunner(hold=True)
    app, _ = controller(runner)
    barrier = threading.Barrier(8)
    answers: list[SyncAnswer] = []

    def click() -> None:
        barrier.wait()
        answers.append(app.request_sync(MANUAL))

    threads = [threading.Thread(target=click) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers).count(SyncAnswer.STARTED) == 1
    runner.release.set()
    assert app.wait_idle(WAIT_S)
    assert len(runner.requests) == 2
    assert runner.max_concurrent == 1


def test_a_queued_synkronisera_allt_makes_the_rerun_a_full_one() -> None:
    runner = ScriptedRunner(hold=True)
    app, _ = controller(runner)
    app.request_sync(MANUAL)
    runner.wait_started()
    app.request_sync(SyncRequest(kind="everything", trigger="manual"))
    app.request_sync(SyncRequest(resend=("K1-7",), trigger="manual"))
    runner.release.set()
    assert app.wait_idle(WAIT_S)
    assert runner.requests[1].kind == "everything"
    assert runner.requests[1].resend == ("K1-7",)


def test_merge_keeps_what_both_asked_for() -> None:
    merged = merge(
        SyncRequest(trigger="schedule", resend=("A-1",)),
        SyncRequest(kind="everything", resend=("A-1", "B-2")),
    )
    assert merged == SyncRequest(kind="everything", resend=("A-1", "B-2"), trigger="manual")


def test_a_scheduled_tick_during_a_run_is_skipped_not_queued() -> None:
    runner = ScriptedRunner(hold=True)
    app, notifier = controller(runner)
    app.request_sync(MANUAL)
    runner.wait_started()
    assert app.request_sync(SCHEDULED) is SyncAnswer.SKIPPED
    runner.release.set()
    assert app.wait_idle(WAIT_S)
    assert len(runner.requests) == 1
    assert BUSY_MESSAGE not in notifier.messages


def test_pause_skips_scheduled_syncs_but_not_manual_ones_and_resume_restores_them() -> None:
    runner = ScriptedRunner()
    app, _ = controller(runner)
    app.set_paused(True)
    assert app.state.paused
    assert app.request_sync(SCHEDULED) is SyncAnswer.SKIPPED
    assert app.request_sync(MANUAL) is SyncAnswer.STARTED
    assert app.wait_idle(WAIT_S)
    app.set_paused(False)
    assert app.request_sync(SCHEDULED) is SyncAnswer.STARTED
    assert app.wait_idle(WAIT_S)
    assert [r.trigger for r in runner.requests] == ["manual", "schedule"]


@pytest.mark.parametrize(
    ("outcome", "health"),
    [
        (Outcome.OK, Health.OK),
        (Outcome.ATTENTION, Health.ATTENTION),
        (Outcome.ERROR, Health.ERROR),
        (Outcome.LOGIN_REQUIRED, Health.NEEDS_LOGIN),
    ],
)
def test_the_outcome_decides_the_health(outcome: Outcome, health: Health) -> None:
    runner = ScriptedRunner(outcome)
    app, _ = controller(runner)
    app.request_sync(MANUAL)
    assert app.wait_idle(WAIT_S)
    state = app.state
    assert state.health is health
    assert not state.syncing and state.progress is None
    assert state.last_report is not None and state.last_report.outcome is outcome
    assert state.last_finished_at == datetime.fromisoformat("2026-11-28T12:00:00+01:00")


def test_a_runner_that_raises_becomes_an_error_with_its_swedish_message() -> None:
    def failing(request: SyncRequest, emit: EventSink, cancel: threading.Event) -> SyncReport:
        raise RunAborted("wrong tenant 556677-8899", user_message="Fel företag i Fortnox.")

    app = AppController(failing, notifier=RecordingNotifier(), clock=FakeClock())
    app.request_sync(MANUAL)
    assert app.wait_idle(WAIT_S)
    assert app.state.health is Health.ERROR
    assert app.state.message == "Fel företag i Fortnox."
    assert app.request_sync(MANUAL) is SyncAnswer.STARTED  # the agent is still alive
    assert app.wait_idle(WAIT_S)


def test_an_unexpected_crash_in_the_runner_does_not_kill_the_worker() -> None:
    calls: list[int] = []

    def crashing(request: SyncRequest, emit: EventSink, cancel: threading.Event) -> SyncReport:
        calls.append(1)
        raise ZeroDivisionError("bug")

    app = AppController(crashing, notifier=RecordingNotifier(), clock=FakeClock())
    for _ in range(2):
        app.request_sync(MANUAL)
        assert app.wait_idle(WAIT_S)
    assert len(calls) == 2
    assert app.state.message == "Ett oväntat fel inträffade. Se loggfilen för detaljer."


def test_a_manual_sync_always_reports_and_a_scheduled_success_stays_quiet() -> None:
    runner = ScriptedRunner(Outcome.OK, Outcome.OK)
    app, notifier = controller(runner)
    app.request_sync(SCHEDULED)
    assert app.wait_idle(WAIT_S)
    assert notifier.notices == []
    app.request_sync(MANUAL)
    assert app.wait_idle(WAIT_S)
    assert notifier.messages == ["Synkroniseringen är klar: 5 kvitton skickade."]


def test_a_scheduled_failure_is_never_quiet() -> None:
    runner = ScriptedRunner(Outcome.ATTENTION)
    app, notifier = controller(runner, notifications=Notifications.OFF)
    app.request_sync(SCHEDULED)
    assert app.wait_idle(WAIT_S)
    assert notifier.messages == ["2 kvitton kunde inte skickas. Se Kvitton med fel i menyn."]
    assert notifier.notices[0].failure


def test_progress_reaches_the_state_while_syncing() -> None:
    runner = ScriptedRunner(hold=True)
    app, _ = controller(runner)
    seen: list[AppState] = []
    app.subscribe(seen.append)
    app.request_sync(MANUAL)
    runner.wait_started()
    runner.release.set()
    assert app.wait_idle(WAIT_S)
    progress = [s.progress for s in seen if s.progress is not None]
    assert progress and progress[0].done == 1500 and progress[0].total == 20000
    assert seen[-1].syncing is False


def test_quit_cancels_the_running_sync_at_its_cancel_point_and_waits_for_it() -> None:
    runner = ScriptedRunner(hold=True)
    app, notifier = controller(runner)
    app.request_sync(MANUAL)
    runner.wait_started()
    app.request_sync(MANUAL)  # queued; must not run after quit

    assert app.quit(timeout=2.0)

    assert runner.cancelled == [True]
    assert len(runner.requests) == 1
    assert app.request_sync(MANUAL) is SyncAnswer.REFUSED
    assert app.state.quitting
    assert "Synkroniseringen är klar" not in " ".join(notifier.messages)


def test_quit_reports_a_sync_that_does_not_reach_a_cancel_point() -> None:
    stuck = threading.Event()

    def ignores_cancel(request: SyncRequest, emit: EventSink, cancel: threading.Event) -> SyncReport:
        stuck.wait(WAIT_S)
        return SyncReport(request=request, outcome=Outcome.OK)

    app = AppController(ignores_cancel, notifier=RecordingNotifier(), clock=FakeClock())
    app.request_sync(MANUAL)
    assert app.quit(timeout=0.05) is False
    stuck.set()
    assert app.wait_idle(WAIT_S)


def test_failed_receipt_count_comes_from_the_company_file_when_given() -> None:
    counts = iter([7, 0])
    runner = ScriptedRunner(Outcome.ATTENTION, Outcome.OK)
    app, _ = controller(runner, count_failed=lambda: next(counts))
    app.request_sync(MANUAL)
    assert app.wait_idle(WAIT_S)
    assert app.state.failed_receipts == 7
    app.request_sync(MANUAL)
    assert app.wait_idle(WAIT_S)
    assert app.state.failed_receipts == 0


def test_logging_in_clears_the_login_state() -> None:
    app, _ = controller(ScriptedRunner(), initial_health=Health.NEEDS_LOGIN)
    assert app.state.health is Health.NEEDS_LOGIN
    app.logged_in()
    after = app.state
    assert after.health is Health.OK
