"""The app's state as the controller publishes it: an immutable snapshot the tray and dialogs render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kassasync.sync.events import Outcome, ReportedError, StepProgress, SyncReport


class Health(StrEnum):
    """The result the last run left behind; independent of whether a run is going on now."""

    OK = "ok"
    SETUP = "setup"  # nothing set up yet (no company file or no Fortnox login): no sync runs
    ATTENTION = "attention"  # some receipts failed; the rest went through
    HELD = "held"  # a problem (locked period, missing year...) holds every receipt back; none failed
    ERROR = "error"  # the run stopped: Fortnox unreachable, wrong company, bad settings
    NEEDS_LOGIN = "needs_login"  # Fortnox refused our refresh token


OUTCOME_HEALTH: dict[Outcome, Health] = {
    Outcome.OK: Health.OK,
    Outcome.ATTENTION: Health.ATTENTION,
    Outcome.ERROR: Health.ERROR,
    Outcome.LOGIN_REQUIRED: Health.NEEDS_LOGIN,
}


def health_of(report: SyncReport) -> Health:
    """An "attention" run in which no receipt failed but problems were reported is one where the
    pre-flight held the receipts back: saying "0 kvitton med fel" would hide the remedy."""
    health = OUTCOME_HEALTH[report.outcome]
    if health is Health.ATTENTION and report.failed_count == 0 and report.errors:
        return Health.HELD
    return health


@dataclass(frozen=True)
class Problem:
    """One problem a run reported, with when it was seen: the tray's "Senaste problem" lists these."""

    seen_at: datetime
    error: ReportedError


@dataclass(frozen=True)
class AppState:
    health: Health = Health.OK
    syncing: bool = False
    paused: bool = False  # the schedule is paused; manual syncs still run
    paused_until: datetime | None = None  # a timed pause ("Pausa i en timme") resumes by itself then
    next_sync_at: datetime | None = None
    rerun_queued: bool = False
    progress: StepProgress | None = None
    last_report: SyncReport | None = None
    last_finished_at: datetime | None = None
    message: str | None = None  # Swedish: why health is not OK (for SETUP: what is left to set up)
    problems: tuple[Problem, ...] = ()  # the last run's problems, newest run first, then older ones
    failed_receipts: int = 0
    quitting: bool = False
    version: str = ""
