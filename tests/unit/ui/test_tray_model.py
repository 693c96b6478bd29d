"""The tray model: every state has its own icon, a tooltip that says what is going on, and the right menu."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kassasync.clock import STOCKHOLM
from kassasync.sync.events import Outcome, ReportedError, StepCounts, StepProgress, SyncReport, SyncRequest
from kassasync.ui.state import AppState, Health, Problem
from kassasync.ui.tray_model import TOOLTIP_MAX, Action, Icon, icon_for, menu, render, tooltip

NOW = datetime(2026, 11, 28, 14, 30, tzinfo=STOCKHOLM)


def report(outcome: Outcome = Outcome.OK, posted: int = 12, failed: int = 0) -> SyncReport:
    return SyncReport(
        request=SyncRequest(),
        outcome=outcome,
        steps={"receipts": StepCounts(posted=posted, failed=failed)},
        errors=(ReportedError("Fortnox svarar inte.", "timeout"),) if outcome is Outcome.ERROR else (),
    )


@pytest.mark.parametrize(
    ("state", "icon"),
    [
        (AppState(), Icon.IDLE),
        (AppState(syncing=True), Icon.SYNCING),
        (AppState(syncing=True, health=Health.ERROR), Icon.SYNCING),
        (AppState(health=Health.ATTENTION), Icon.ATTENTION),
        (AppState(health=Health.ERROR), Icon.ERROR),
        (AppState(health=Health.NEEDS_LOGIN), Icon.NEEDS_LOGIN),
        (AppState(paused=True), Icon.PAUSED),
        (AppState(paused=True, health=Health.ERROR), Icon.ERROR),
        (AppState(paused=True, health=Health.NEEDS_LOGIN), Icon.NEEDS_LOGIN),
        (AppState(paused=True, syncing=True), Icon.SYNCING),
        (AppState(health=Health.SETUP), Icon.SETUP),
        (AppState(health=Health.HELD), Icon.ERROR),  # not yellow "0 kvitton med fel": nothing is sent
    ],
)
def test_each_state_shows_its_own_icon(state: AppState, icon: Icon) -> None:
    assert icon_for(state) is icon


def test_every_icon_is_reachable_and_distinct() -> None:
    states = [
        AppState(),
        AppState(syncing=True),
        AppState(health=Health.ATTENTION),
        AppState(health=Health.ERROR),
        AppState(health=Health.NEEDS_LOGIN),
        AppState(paused=True),
        AppState(health=Health.SETUP),
    ]
    assert {icon_for(s) for s in states} == set(Icon)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (AppState(), "Kassasync: allt klart\nIngen synkronisering ännu"),
        (
            AppState(
                syncing=True,
                progress=StepProgress("articles", "Hämtar artiklar", 1500, 20000),
                last_report=report(),
                last_finished_at=datetime(2026, 11, 28, 14, 15, tzinfo=STOCKHOLM),
            ),
            "Kassasync: synkroniserar\nHämtar artiklar 1 500 av 20 000\n"
            "Senast idag 14:15: 12 kvitton skickade",
        ),
        (
            AppState(syncing=True, progress=StepProgress("customers", "Hämtar kunder", 300, None)),
            "Kassasync: synkroniserar\nHämtar kunder 300",
        ),
        (
            AppState(
                syncing=True, progress=StepProgress("articles", "Hämtar artiklar", 40_000, 100_000, 20_460.0)
            ),
            "Kassasync: synkroniserar\nHämtar artiklar 40 000 av 100 000, ca 5 h 41 min kvar",
        ),
        (
            AppState(syncing=True, rerun_queued=True),
            "Kassasync: synkroniserar\nKörs igen när den är klar",
        ),
        (
            AppState(
                last_report=report(posted=1),
                last_finished_at=datetime(2026, 11, 27, 21, 0, tzinfo=STOCKHOLM),
            ),
            "Kassasync: allt klart\nSenast igår 21:00: 1 kvitto skickat",
        ),
        (
            AppState(
                health=Health.ATTENTION,
                failed_receipts=3,
                last_report=report(Outcome.ATTENTION, posted=40, failed=3),
                last_finished_at=datetime(2026, 11, 2, 9, 5, tzinfo=STOCKHOLM),
            ),
            "Kassasync: 3 kvitton med fel\nSenast 2 nov 09:05: 40 kvitton skickade, 3 med fel",
        ),
        (
            AppState(
                health=Health.ERROR,
                message="Fortnox svarar inte.",
                last_report=report(Outcome.ERROR, posted=0),
                last_finished_at=NOW,
            ),
            "Kassasync: fel: Fortnox svarar inte.\nSenast idag 14:30: misslyckades",
        ),
        (
            AppState(
                last_report=SyncReport(
                    SyncRequest(), Outcome.OK, steps={"receipts": StepCounts(posted=47, unconfirmed=1)}
                ),
                last_finished_at=NOW,
            ),
            "Kassasync: allt klart\nSenast idag 14:30: 47 kvitton skickade, 1 väntar på svar",
        ),
        (
            AppState(health=Health.NEEDS_LOGIN, paused=True),
            "Kassasync: logga in på Fortnox\nIngen synkronisering ännu\nSchemaläggning pausad",
        ),
    ],
)
def test_tooltip_says_state_last_result_and_progress(state: AppState, expected: str) -> None:
    assert tooltip(state, NOW) == expected


def test_tooltip_fits_the_windows_limit() -> None:
    state = AppState(health=Health.ERROR, message="Ett mycket långt felmeddelande. " * 10)
    text = tooltip(state, NOW)
    assert len(text) == TOOLTIP_MAX
    assert text.endswith("...")


def entries(state: AppState) -> dict[Action | None, tuple[str, bool, bool | None]]:
    """The commands by action (the first of each: "Visa problem..." before "Senaste problem")."""
    found: dict[Action | None, tuple[str, bool, bool | None]] = {}
    for e in menu(state, NOW):
        found.setdefault(e.action, (e.label, e.enabled, e.checked))
    return found


def header_lines(state: AppState) -> list[str]:
    return [e.label for e in menu(state, NOW) if e.action is None]


def test_menu_opens_with_the_status_header_then_the_commands_with_synkronisera_as_default() -> None:
    state = AppState(
        last_report=report(posted=12), last_finished_at=NOW - timedelta(minutes=15), next_sync_at=NOW
    )
    items = menu(state, NOW)
    assert [e.label for e in items] == [
        "Kassasync: allt klart",
        "Senast idag 14:15: 12 kvitton skickade",
        "Nästa idag 14:30",
        "Synkronisera",
        "Synkronisera allt",
        "Visa problem...",
        "Senaste problem",
        "Kvitton med fel...",
        "Avstämning...",
        "Öppna inställningar...",
        "Öppna loggmapp",
        "Skapa supportpaket",
        "Pausa i en timme",
        "Pausa schemaläggning",
        "Om Kassasync...",
        "Avsluta",
    ]
    assert all(not e.enabled for e in items if e.action is None)  # the header is text, not commands
    assert [e.action for e in items if e.default] == [Action.SYNC]


def test_before_anything_is_set_up_the_menu_says_so_and_offers_the_settings_first() -> None:
    state = AppState(health=Health.SETUP, message="Välj kassans företagsfil i inställningarna")
    assert header_lines(state) == [
        "Kassasync: behöver ställas in",
        "Välj kassans företagsfil i inställningarna",
    ]
    assert [e.action for e in menu(state, NOW) if e.default] == [Action.SETTINGS]
    assert entries(state)[Action.SYNC_ALL][1] is False
    assert Action.SYNC not in entries(state)
    assert "Ingen synkronisering" not in tooltip(state, NOW)


def test_a_problem_that_holds_every_receipt_back_is_in_the_header_and_its_window_can_be_opened() -> None:
    locked = ReportedError("Perioden är låst i Fortnox till 2026-11-30. Lås upp den i Fortnox.", "locked")
    state = AppState(
        health=Health.HELD,
        message=locked.user_message,
        last_report=SyncReport(SyncRequest(), Outcome.ATTENTION, errors=(locked,)),
        last_finished_at=NOW,
        problems=(Problem(NOW, locked),),
    )
    assert header_lines(state)[0] == "Kassasync: ett problem håller kvar kvitton"
    assert locked.user_message in header_lines(state)
    assert "0 kvitton med fel" not in tooltip(state, NOW)
    assert entries(state)[Action.PROBLEMS] == ("Visa problem...", True, None)
    (recent,) = [e for e in menu(state, NOW) if e.label == "Senaste problem"]
    assert [e.action for e in recent.submenu] == [Action.PROBLEMS]
    assert recent.submenu[0].label.startswith("idag 14:30: Perioden är låst")


def test_receipts_waiting_for_the_daily_summary_are_told_not_warned_about() -> None:
    waiting = SyncReport(SyncRequest(), Outcome.OK, awaiting_summary=12)
    state = AppState(last_report=waiting, last_finished_at=NOW)
    assert "12 kvitton väntar på dagens dagssammandrag" in header_lines(state)
    assert icon_for(state) is Icon.IDLE
    one = AppState(
        last_report=SyncReport(SyncRequest(), Outcome.OK, awaiting_summary=1), last_finished_at=NOW
    )
    assert "1 kvitto väntar på dagens dagssammandrag" in header_lines(one)


def test_a_timed_pause_says_until_when() -> None:
    state = AppState(paused=True, paused_until=NOW + timedelta(hours=1))
    assert "Pausad till idag 15:30" in header_lines(state)
    assert entries(state)[Action.PAUSE_HOUR][1] is False
    assert entries(state)[Action.PAUSE] == ("Pausa schemaläggning", True, True)


@pytest.mark.parametrize(("failed", "text"), [(1, "1 kvitto med fel"), (2, "2 kvitton med fel")])
def test_counts_use_the_singular_for_one(failed: int, text: str) -> None:
    assert tooltip(AppState(health=Health.ATTENTION, failed_receipts=failed), NOW).startswith(
        f"Kassasync: {text}"
    )


@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        (AppState(), Action.FAILED_RECEIPTS, ("Kvitton med fel...", False, None)),
        (AppState(failed_receipts=2), Action.FAILED_RECEIPTS, ("Kvitton med fel (2)...", True, None)),
        (AppState(), Action.PAUSE, ("Pausa schemaläggning", True, False)),
        (AppState(paused=True), Action.PAUSE, ("Pausa schemaläggning", True, True)),
        (AppState(), Action.PROBLEMS, ("Visa problem...", False, None)),
        (AppState(version="0.1.0"), Action.ABOUT, ("Om Kassasync 0.1.0...", True, None)),
        (AppState(syncing=True), Action.SYNC, ("Synkronisera", True, None)),  # answered, not greyed out
        (AppState(quitting=True), Action.SYNC, ("Synkronisera", False, None)),
        (AppState(quitting=True), Action.QUIT, ("Avsluta", False, None)),
        (AppState(quitting=True), Action.LOG_FOLDER, ("Öppna loggmapp", True, None)),
    ],
)
def test_menu_items_are_enabled_and_checked_by_state(
    state: AppState, action: Action, expected: tuple[str, bool, bool | None]
) -> None:
    assert entries(state)[action] == expected


def test_render_bundles_icon_tooltip_and_menu() -> None:
    view = render(AppState(paused=True), NOW)
    assert view.icon is Icon.PAUSED
    assert "Schemaläggning pausad" in view.tooltip
    assert view.menu[0].label == "Kassasync: allt klart"
