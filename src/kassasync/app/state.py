"""The app's state as the controller publishes it: an immutable snapshot the tray and dialogs render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kassasync.sync.events import Outcome, StepProgress, SyncReport


class Health(StrEnum):
    """The result the last run left behind; independent of whether a run is going on now."""

    OK = "ok"
    ATTENTION = "attention"  # some receipts failed; the rest went through
    ERROR = "error"  # the run stopped: Fortnox unreachable, wrong company, bad settings
    NEEDS_LOGIN = "needs_login"  # Fortnox refused our refresh token, or we never logged in


OUTCOME_HEALTH: dict[Outcome, Health] = {
    Outcome.OK: Health.OK,
    Outcome.ATTENTION: Health.ATTENTION,
    Outcome.ERROR: Health.ERROR,
    Outcome.LOGIN_REQUIRED: Health.NEEDS_LOGIN,
}


@dataclass(frozen=True)
class AppState:
    health: Health = Health.OK
    syncing: bool = False
    paused: bool = False  # the schedule is paused; manual syncs still run
    rerun_queued: bool = False
    progress: StepProgress | None = None
    last_report: SyncReport | None = None
    last_finished_at: datetime | None = None
    message: str | None = None  # Swedish: why health is not OK
    failed_receipts: int = 0
    quitting: bool = False
