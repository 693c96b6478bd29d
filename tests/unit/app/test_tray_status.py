"""What the tray learns from a run reaches the shop owner: problems that hold receipts back, with their
remedy, in the state and the notification; the last result survives a restart; nothing runs before set-up.
"""

from __future__ import annotations

import threading
from pathlib import Path

from kassasync.app.controller import AppController, SyncAnswer
from kassasync.app.first_run import NO_COMPANY_FILE, NO_LOGIN, setup_missing
from kassasync.app.last_sync import LastSync, load_last, save_last
from kassasync.clock import FakeClock
from kassasync.config import FortnoxSettings, Settings
from kassasync.sync.events import EventSink, Outcome, ReportedError, StepCounts, SyncReport, SyncRequest
from kassasync.ui.notify import notice_for
from kassasync.ui.state import Health
from kassasync.ui.tray_model import render

from .scripted import WAIT_S, RecordingNotifier

YEAR_MISSING = ReportedError(
    "Räkenskapsår 2026 saknas i Fortnox. Skapa räkenskapsår 2026 i Fortnox (Inställningar → Bokföring → "
    "Räkenskapsår) och synkronisera igen.",
    "no financial year for 2026-01-02",
)
MANUAL = SyncRequest(trigger="manual")


def held(request: SyncRequest, _emit: EventSink, _cancel: threading.Event) -> SyncReport:
    """The pre-flight held every receipt back: the engine's report for a missing financial year."""
    return SyncReport(request, Outcome.ATTENTION, steps={"receipts": StepCounts()}, errors=(YEAR_MISSING,))


def test_a_problem_holding_every_receipt_back_reaches_state_menu_and_notification_with_its_remedy(
    tmp_path: Path,
) -> None:
    notifier = RecordingNotifier()
    stored: list[LastSync] = []
    app = AppController(held, notifier=notifier, clock=FakeClock(), remember=stored.append)

    assert app.request_sync(MANUAL) is SyncAnswer.STARTED
    assert app.wait_idle(WAIT_S)

    state = app.state
    assert state.health is Health.HELD
    assert state.message == YEAR_MISSING.user_message
    assert [p.error for p in state.problems] == [YEAR_MISSING]
    (message,) = notifier.messages
    assert message == f"Kvitton hålls kvar: {YEAR_MISSING.user_message}"
    assert "0 kvitton" not in message
    view = render(state, FakeClock().now())
    assert "0 kvitton" not in view.tooltip
    assert any(entry.label.startswith("Räkenskapsår 2026 saknas") for entry in view.menu)
    assert stored and stored[0].report.errors == (YEAR_MISSING,)


def test_the_last_result_and_its_problems_are_shown_again_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state" / "last-sync.json"
    first = AppController(
        held, notifier=RecordingNotifier(), clock=FakeClock(), remember=lambda last: save_last(path, last)
    )
    first.request_sync(MANUAL)
    assert first.wait_idle(WAIT_S)

    restarted = AppController(held, notifier=RecordingNotifier(), clock=FakeClock(), restored=load_last(path))

    state = restarted.state
    assert state.last_finished_at == first.state.last_finished_at
    assert state.health is Health.HELD and state.message == YEAR_MISSING.user_message
    assert state.problems == first.state.problems
    assert "Ingen synkronisering ännu" not in render(state, FakeClock().now()).tooltip


def test_an_unreadable_last_result_is_no_history_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "last-sync.json"
    path.write_text("{not json", encoding="utf-8")
    assert load_last(path) is None
    assert load_last(tmp_path / "missing.json") is None


def test_before_set_up_no_sync_runs_and_the_state_says_what_is_missing(tmp_path: Path) -> None:
    runs: list[SyncRequest] = []

    def runner(request: SyncRequest, _emit: EventSink, _cancel: threading.Event) -> SyncReport:
        runs.append(request)
        return SyncReport(request, Outcome.OK)

    app = AppController(
        runner,
        notifier=RecordingNotifier(),
        clock=FakeClock(),
        initial_health=Health.SETUP,
        initial_message=NO_COMPANY_FILE,
    )
    assert app.request_sync(SyncRequest(trigger="schedule")) is SyncAnswer.SKIPPED
    assert app.request_sync(MANUAL) is SyncAnswer.SKIPPED
    assert runs == [] and app.state.health is Health.SETUP

    app.set_up(None)  # OK in the settings with everything chosen

    assert app.state.health is Health.OK
    assert app.request_sync(MANUAL) is SyncAnswer.STARTED
    assert app.wait_idle(WAIT_S) and len(runs) == 1


def test_what_is_missing_is_the_company_file_first_then_the_login(tmp_path: Path) -> None:
    assert setup_missing(Settings()) == NO_COMPANY_FILE
    company = tmp_path / "kassa.db"
    company.write_bytes(b"")
    assert setup_missing(Settings(company_path=company)) == NO_LOGIN
    logged_in = Settings(company_path=company, fortnox=FortnoxSettings(tenant_name="Hörnbutiken AB"))
    assert setup_missing(logged_in) is None


def test_notifications_count_in_swedish_and_tell_about_the_daily_summary() -> None:
    one = SyncReport(MANUAL, Outcome.ATTENTION, steps={"r": StepCounts(posted=3, failed=1)})
    assert notice_for(one).message == "1 kvitto kunde inte skickas. Se Kvitton med fel i menyn."
    waiting = SyncReport(MANUAL, Outcome.OK, steps={"r": StepCounts(posted=1)}, awaiting_summary=12)
    assert notice_for(waiting).message == (
        "Synkroniseringen är klar: 1 kvitto skickat, 12 kvitton väntar på dagens dagssammandrag."
    )
    two_problems = SyncReport(MANUAL, Outcome.ERROR, errors=(YEAR_MISSING, YEAR_MISSING))
    assert notice_for(two_problems).message.endswith("(och 1 problem till, se menyn)")


def test_a_company_folder_counts_as_set_up_as_the_engine_reads_it(tmp_path: Path) -> None:
    (tmp_path / "kassa.db").write_bytes(b"")
    logged_in = Settings(company_path=tmp_path, fortnox=FortnoxSettings(tenant_name="Hörnbutiken AB"))
    assert setup_missing(logged_in) is None
