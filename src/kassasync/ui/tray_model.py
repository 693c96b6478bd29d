"""What the tray shows for a given app state: icon, tooltip, menu. Pure, so it is table-tested.

pystray (ui/tray.py) only copies these values onto its objects; every wording and every enabled/checked
decision is made here. The menu opens with a status header (disabled text items, as maestral and
SyncTrayzor have): the last sync, the next one, the problem if any, then the commands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kassasync.clock import STOCKHOLM, business_date
from kassasync.sync.events import StepProgress, SyncReport, time_left_text
from kassasync.ui.state import AppState, Health, Problem

# Windows keeps 127 characters of a notification-area tooltip (NOTIFYICONDATAW.szTip is 128 with NUL).
TOOLTIP_MAX = 127
HEADER_MAX = 70  # a menu line longer than this makes the menu wider than a 1024 px screen's third
RECENT_PROBLEMS = 5
APP = "Kassasync"
MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


class Icon(StrEnum):
    IDLE = "idle"
    SYNCING = "syncing"  # animated: the tray cycles the spinner frames
    ATTENTION = "attention"
    ERROR = "error"
    NEEDS_LOGIN = "login"
    PAUSED = "paused"
    SETUP = "setup"


class Action(StrEnum):
    SYNC = "sync"
    SYNC_ALL = "sync_all"
    SETTINGS = "settings"
    PROBLEMS = "problems"
    FAILED_RECEIPTS = "failed_receipts"
    AVSTAMNING = "avstamning"
    LOG_FOLDER = "log_folder"
    SUPPORT_BUNDLE = "support_bundle"
    PAUSE_HOUR = "pause_hour"
    PAUSE = "pause"
    ABOUT = "about"
    QUIT = "quit"


@dataclass(frozen=True)
class MenuEntry:
    action: Action | None  # None: a line of the status header, shown but not clickable
    label: str
    enabled: bool = True
    checked: bool | None = None  # None: not a check item
    default: bool = False  # the item a double click (Windows) runs
    submenu: tuple[MenuEntry, ...] = ()
    separator_after: bool = False


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
        Health.SETUP: Icon.SETUP,
        Health.NEEDS_LOGIN: Icon.NEEDS_LOGIN,
        Health.ERROR: Icon.ERROR,
        Health.HELD: Icon.ERROR,
        Health.ATTENTION: Icon.ATTENTION,
    }
    if state.health in by_health:
        return by_health[state.health]
    return Icon.PAUSED if state.paused else Icon.IDLE


def number(value: int) -> str:
    """Swedish digit grouping: 20 000."""
    return f"{value:,}".replace(",", " ")


def count(value: int, one: str, many: str) -> str:
    """ "1 kvitto", "0 kvitton", "2 kvitton": Swedish uses the singular for exactly one."""
    return f"1 {one}" if value == 1 else f"{number(value)} {many}"


def receipts(value: int) -> str:
    return count(value, "kvitto", "kvitton")


def progress_text(progress: StepProgress) -> str:
    if progress.total is None:
        return f"{progress.label} {number(progress.done)}"
    left = time_left_text(progress.seconds_left)
    shown = f"{progress.label} {number(progress.done)} av {number(progress.total)}"
    return f"{shown}, {left}" if left else shown


def when_text(moment: datetime, now: datetime) -> str:
    local, today = moment.astimezone(STOCKHOLM), business_date(now)
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return f"idag {clock}"
    days = (local.date() - today).days
    if days == -1:
        return f"igår {clock}"
    if days == 1:
        return f"imorgon {clock}"
    return f"{local.day} {MONTHS[local.month - 1]} {clock}"


def result_text(report: SyncReport) -> str:
    posted, failed = report.posted_count, report.failed_count
    parts = ["1 kvitto skickat" if posted == 1 else f"{number(posted)} kvitton skickade"]
    if failed:
        parts.append(f"{number(failed)} med fel")
    if report.unconfirmed_count:
        parts.append(f"{number(report.unconfirmed_count)} väntar på svar")
    return ", ".join(parts)


def awaiting_text(report: SyncReport | None) -> str | None:
    """Receipts that wait for their day's daily summary are not a problem: they are only told about."""
    if report is None or report.awaiting_summary <= 0:
        return None
    return f"{receipts(report.awaiting_summary)} väntar på dagens dagssammandrag"


def short(text: str, limit: int = HEADER_MAX) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def headline(state: AppState) -> str:
    if state.syncing:
        return "synkroniserar"
    if state.health is Health.SETUP:
        return "behöver ställas in"
    if state.health is Health.NEEDS_LOGIN:
        return "logga in på Fortnox"
    if state.health is Health.HELD:
        return "ett problem håller kvar kvitton"
    if state.health is Health.ERROR:
        return f"fel: {state.message}" if state.message else "fel"
    if state.health is Health.ATTENTION:
        failed = state.failed_receipts or (state.last_report.failed_count if state.last_report else 0)
        return f"{receipts(failed)} med fel"
    return "allt klart"


def last_sync_text(state: AppState, now: datetime) -> str:
    if state.last_finished_at is None or state.last_report is None:
        return "Ingen synkronisering ännu"
    when = when_text(state.last_finished_at, now)
    if state.health in (Health.ERROR, Health.NEEDS_LOGIN) and state.last_report.posted_count == 0:
        return f"Senast {when}: misslyckades"
    if state.health is Health.HELD and state.last_report.posted_count == 0:
        return f"Senast {when}: inga kvitton skickade, de hålls kvar"
    return f"Senast {when}: {result_text(state.last_report)}"


def next_sync_text(state: AppState, now: datetime) -> str | None:
    if state.health is Health.SETUP:
        return None
    if state.paused:
        if state.paused_until is not None:
            return f"Pausad till {when_text(state.paused_until, now)}"
        return "Schemaläggning pausad"
    if state.next_sync_at is None:
        return None
    return f"Nästa {when_text(state.next_sync_at, now)}"


def problem_text(state: AppState) -> str | None:
    """The problem the user must act on, in words; None when all is well."""
    if state.health is Health.SETUP:
        return state.message or "Öppna inställningarna och ställ in Kassasync"
    if state.health is Health.NEEDS_LOGIN:
        return state.message or "Logga in på Fortnox i inställningarna"
    if state.health in (Health.ERROR, Health.HELD, Health.ATTENTION) and state.message:
        return state.message
    return None


def tooltip(state: AppState, now: datetime) -> str:
    lines = [f"{APP}: {headline(state)}"]
    if state.syncing and state.progress is not None:
        lines.append(progress_text(state.progress))
    if state.rerun_queued:
        lines.append("Körs igen när den är klar")
    if state.health is not Health.SETUP and not (state.syncing and state.last_finished_at is None):
        lines.append(last_sync_text(state, now))
    waiting = awaiting_text(state.last_report)
    if waiting:
        lines.append(waiting)
    if state.paused:
        lines.append("Schemaläggning pausad")
    text = "\n".join(lines)
    return text if len(text) <= TOOLTIP_MAX else text[: TOOLTIP_MAX - 3] + "..."


def header(state: AppState, now: datetime) -> tuple[MenuEntry, ...]:
    """The status lines the menu opens with; disabled, so a click on them does nothing."""
    lines: list[str] = [f"{APP}: {headline(state)}"]
    if state.syncing and state.progress is not None:
        lines.append(progress_text(state.progress))
    if state.health is not Health.SETUP:
        lines.append(last_sync_text(state, now))
    upcoming = next_sync_text(state, now)
    if upcoming:
        lines.append(upcoming)
    problem = problem_text(state)
    if problem and state.health is not Health.ATTENTION:
        lines.append(short(problem))
    waiting = awaiting_text(state.last_report)
    if waiting:
        lines.append(waiting)
    entries = [MenuEntry(None, short(line), enabled=False) for line in lines]
    entries[-1] = MenuEntry(None, entries[-1].label, enabled=False, separator_after=True)
    return tuple(entries)


def recent_problems(problems: tuple[Problem, ...], now: datetime) -> tuple[MenuEntry, ...]:
    return tuple(
        MenuEntry(Action.PROBLEMS, short(f"{when_text(p.seen_at, now)}: {p.error.user_message}", 60))
        for p in problems[:RECENT_PROBLEMS]
    )


def current_problems(state: AppState) -> bool:
    """The last run reported problems (the window "Visa problem..." opens shows them in full)."""
    return state.last_report is not None and bool(state.last_report.errors)


def menu(state: AppState, now: datetime) -> tuple[MenuEntry, ...]:
    live = not state.quitting
    setup = state.health is Health.SETUP
    failed = state.failed_receipts
    problems = recent_problems(state.problems, now)
    pause_label = "Pausa i en timme"
    return (
        *header(state, now),
        MenuEntry(Action.SETTINGS, "Ställ in Kassasync...", enabled=live, default=True, separator_after=True)
        if setup
        else MenuEntry(Action.SYNC, "Synkronisera", enabled=live, default=True),
        MenuEntry(Action.SYNC_ALL, "Synkronisera allt", enabled=live and not setup, separator_after=True),
        MenuEntry(Action.PROBLEMS, "Visa problem...", enabled=live and current_problems(state)),
        MenuEntry(Action.PROBLEMS, "Senaste problem", enabled=live and bool(problems), submenu=problems),
        MenuEntry(
            Action.FAILED_RECEIPTS,
            f"Kvitton med fel ({number(failed)})..." if failed else "Kvitton med fel...",
            enabled=live and failed > 0,
        ),
        MenuEntry(Action.AVSTAMNING, "Avstämning...", enabled=live and not setup, separator_after=True),
        *(() if setup else (MenuEntry(Action.SETTINGS, "Öppna inställningar...", enabled=live),)),
        MenuEntry(Action.LOG_FOLDER, "Öppna loggmapp"),
        MenuEntry(Action.SUPPORT_BUNDLE, "Skapa supportpaket", enabled=live, separator_after=True),
        MenuEntry(Action.PAUSE_HOUR, pause_label, enabled=live and not setup and not state.paused),
        MenuEntry(
            Action.PAUSE,
            "Pausa schemaläggning",
            enabled=live and not setup,
            checked=state.paused,
            separator_after=True,
        ),
        MenuEntry(Action.ABOUT, f"Om Kassasync {state.version}".rstrip() + "..."),
        MenuEntry(Action.QUIT, "Avsluta", enabled=live),
    )


def render(state: AppState, now: datetime) -> TrayView:
    return TrayView(icon=icon_for(state), tooltip=tooltip(state, now), menu=menu(state, now))
