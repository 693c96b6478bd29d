"""What the tray shows for a given app state: icon, tooltip, menu. Pure, so it is table-tested.

pystray (app/tray.py) only copies these values onto its objects; every wording and every enabled/checked
decision is made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kassasync.app.state import AppState, Health
from kassasync.clock import STOCKHOLM
from kassasync.sync.events import StepProgress, SyncReport, time_left_text

# Windows keeps 127 characters of a notification-area tooltip (NOTIFYICONDATAW.szTip is 128 with NUL).
TOOLTIP_MAX = 127
APP = "Kassasync"
MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


class Icon(StrEnum):
    IDLE = "idle"
    SYNCING = "syncing"  # animated: the tray cycles the spinner frames
    ATTENTION = "attention"
    ERROR = "error"
    NEEDS_LOGIN = "login"
    PAUSED = "paused"


class Action(StrEnum):
    SYNC = "sync"
    SYNC_ALL = "sync_all"
    SETTINGS = "settings"
    FAILED_RECEIPTS = "failed_receipts"
    LOG_FOLDER = "log_folder"
    SUPPORT_BUNDLE = "support_bundle"
    PAUSE = "pause"
    QUIT = "quit"


@dataclass(frozen=True)
class MenuEntry:
    action: Action
    label: str
    enabled: bool = True
    checked: bool | None = None  # None: not a check item
    default: bool = False  # the item a double click (Windows) runs


@dataclass(frozen=True)
class TrayView:
    icon: Icon
    tooltip: str
    menu: tuple[MenuEntry, ...]


def icon_for(state: AppState) -> Icon:
    """A running sync shows first; then what needs the user most; "paused" only when all is otherwise well."""
    if state.syncing:
        return Icon.SYNCING
    by_health = {
        Health.NEEDS_LOGIN: Icon.NEEDS_LOGIN,
        Health.ERROR: Icon.ERROR,
        Health.ATTENTION: Icon.ATTENTION,
    }
    if state.health in by_health:
        return by_health[state.health]
    return Icon.PAUSED if state.paused else Icon.IDLE


def number(value: int) -> str:
    """Swedish digit grouping: 20 000."""
    return f"{value:,}".replace(",", " ")


def progress_text(progress: StepProgress) -> str:
    if progress.total is None:
        return f"{progress.label} {number(progress.done)}"
    left = time_left_text(progress.seconds_left)
    shown = f"{progress.label} {number(progress.done)} / {number(progress.total)}"
    return f"{shown}, {left}" if left else shown


def when_text(moment: datetime, now: datetime) -> str:
    local, today = moment.astimezone(STOCKHOLM), now.astimezone(STOCKHOLM).date()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return f"idag {clock}"
    if (today - local.date()).days == 1:
        return f"igår {clock}"
    return f"{local.day} {MONTHS[local.month - 1]} {clock}"


def result_text(report: SyncReport) -> str:
    posted, failed = report.posted_count, report.failed_count
    parts = [f"{number(posted)} kvitton skickade" if posted != 1 else "1 kvitto skickat"]
    if failed:
        parts.append(f"{number(failed)} med fel")
    if report.unconfirmed_count:
        parts.append(f"{number(report.unconfirmed_count)} väntar på svar")
    return ", ".join(parts)


def headline(state: AppState) -> str:
    if state.syncing:
        return "synkroniserar"
    if state.health is Health.NEEDS_LOGIN:
        return "logga in på Fortnox"
    if state.health is Health.ERROR:
        return f"fel: {state.message}" if state.message else "fel"
    if state.health is Health.ATTENTION:
        count = state.failed_receipts or (state.last_report.failed_count if state.last_report else 0)
        return f"{number(count)} kvitton med fel" if count != 1 else "1 kvitto med fel"
    return "allt klart"


def tooltip(state: AppState, now: datetime) -> str:
    lines = [f"{APP}: {headline(state)}"]
    if state.syncing and state.progress is not None:
        lines.append(progress_text(state.progress))
    if state.rerun_queued:
        lines.append("Körs igen när den är klar")
    if state.last_finished_at is not None and state.last_report is not None:
        lines.append(f"Senast {when_text(state.last_finished_at, now)}: {result_text(state.last_report)}")
    elif state.last_finished_at is None and not state.syncing:
        lines.append("Ingen synkronisering ännu")
    if state.paused:
        lines.append("Schemaläggning pausad")
    text = "\n".join(lines)
    return text if len(text) <= TOOLTIP_MAX else text[: TOOLTIP_MAX - 3] + "..."


def menu(state: AppState) -> tuple[MenuEntry, ...]:
    live = not state.quitting
    failed = state.failed_receipts
    return (
        MenuEntry(Action.SYNC, "Synkronisera", enabled=live, default=True),
        MenuEntry(Action.SYNC_ALL, "Synkronisera allt", enabled=live),
        MenuEntry(Action.SETTINGS, "Öppna inställningar...", enabled=live),
        MenuEntry(
            Action.FAILED_RECEIPTS,
            f"Kvitton med fel ({number(failed)})..." if failed else "Kvitton med fel...",
            enabled=live and failed > 0,
        ),
        MenuEntry(Action.LOG_FOLDER, "Öppna loggmapp"),
        MenuEntry(Action.SUPPORT_BUNDLE, "Skapa supportpaket", enabled=live),
        MenuEntry(Action.PAUSE, "Pausa schemaläggning", enabled=live, checked=state.paused),
        MenuEntry(Action.QUIT, "Avsluta", enabled=live),
    )


def render(state: AppState, now: datetime) -> TrayView:
    return TrayView(icon=icon_for(state), tooltip=tooltip(state, now), menu=menu(state))
