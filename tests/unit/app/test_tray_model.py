"""The tray model: every state has its own icon, a tooltip that says what is going on, and the right menu."""

from __future__ import annotations

from datetime import datetime

import pytest

from kassasync.app.state import AppState, Health
from kassasync.app.tray_model import TOOLTIP_MAX, Action, Icon, icon_for, menu, render, tooltip
from kassasync.clock import STOCKHOLM
from kassasync.sync.events import Outcome, ReportedError, StepCounts, StepProgress, SyncReport, SyncRequest

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
            "Kassasync: synkroniserar\nHämtar artiklar 1 500 / 20 000\n"
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
            "Kassasync: synkroniserar\nHämtar artiklar 40 000 / 100 000, ca 5 h 41 min kvar",
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
            "Kassasync: fel: Fortnox svarar inte.\nSenast idag 14:30: 0 kvitton skickade",
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


def entries(state: AppState) -> dict[Action, tuple[str, bool, bool | None]]:
    return {e.action: (e.label, e.enabled, e.checked) for e in menu(state)}


def test_menu_has_the_issue_items_in_order_with_synkronisera_as_default() -> None:
    items = menu(AppState())
    assert [e.label for e in items] == [
        "Synkronisera",
        "Synkronisera allt",
        "Öppna inställningar...",
        "Kvitton med fel...",
        "Öppna loggmapp",
        "Skapa supportpaket",
        "Pausa schemaläggning",
        "Avsluta",
    ]
    assert [e.action for e in items if e.default] == [Action.SYNC]


@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        (AppState(), Action.FAILED_RECEIPTS, ("Kvitton med fel...", False, None)),
        (AppState(failed_receipts=2), Action.FAILED_RECEIPTS, ("Kvitton med fel (2)...", True, None)),
        (AppState(), Action.PAUSE, ("Pausa schemaläggning", True, False)),
        (AppState(paused=True), Action.PAUSE, ("Pausa schemaläggning", True, True)),
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
    assert len(view.menu) == 8
