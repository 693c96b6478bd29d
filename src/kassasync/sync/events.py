"""What a sync run tells the outside world: the request, progress events, and the final report.

The engine publishes these immutable facts; the tray, the CLI and the log render them on their own
threads. Nothing here knows about any user interface.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


@dataclass(frozen=True)
class SyncRequest:
    kind: Literal["changes", "everything"] = "changes"
    pull: bool = True
    push: bool = True
    dry_run: bool = False
    resend: tuple[str, ...] = ()  # receipt keys the user asked to send again (failed ones)
    trigger: Literal["manual", "schedule", "cli"] = "manual"


class Outcome(StrEnum):
    OK = "ok"
    ATTENTION = "attention"  # the run finished but some items failed (shown, retried after a fix)
    LOGIN_REQUIRED = "login_required"  # Fortnox refused the refresh token: "Logga in igen"
    ERROR = "error"  # the run stopped: Fortnox unreachable, wrong company, bad settings...


@dataclass(frozen=True)
class ReportedError:
    user_message: str  # Swedish, for the shop owner
    detail: str  # English, for the log and support
    item: str | None = None  # e.g. a receipt key; None for run-level errors


@dataclass(frozen=True)
class StepCounts:
    pulled: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    posted: int = 0
    failed: int = 0
    unconfirmed: int = 0  # sent, but the answer was lost: looked up in Fortnox before anything is re-sent
    already_in_fortnox: int = 0  # found in Fortnox before a create (the company file had forgotten them)


@dataclass(frozen=True)
class SyncReport:
    request: SyncRequest
    outcome: Outcome
    steps: dict[str, StepCounts] = field(default_factory=dict)
    errors: tuple[ReportedError, ...] = ()
    requests_used: int = 0
    duration_s: float = 0.0
    posted: tuple[tuple[str, str], ...] = ()  # (receipt key, Fortnox reference) in posting order
    planned: tuple[tuple[str, str], ...] = ()  # dry run: (receipt key, what it would become)
    log_file: str | None = None  # where the run's log section is, for "see the log"
    awaiting_summary: int = 0  # receipts waiting for their day to close (Dagssammandrag): not a problem

    @property
    def failed_count(self) -> int:
        return sum(counts.failed for counts in self.steps.values())

    @property
    def posted_count(self) -> int:
        return sum(counts.posted for counts in self.steps.values())

    @property
    def already_in_fortnox_count(self) -> int:
        return sum(counts.already_in_fortnox for counts in self.steps.values())

    @property
    def unconfirmed_count(self) -> int:
        return sum(counts.unconfirmed for counts in self.steps.values())


@dataclass(frozen=True)
class SyncStarted:
    request: SyncRequest


@dataclass(frozen=True)
class StepProgress:
    step: str  # e.g. "articles"
    label: str  # Swedish, e.g. "Hämtar artiklar"
    done: int
    total: int | None  # None when Fortnox has not told us yet
    seconds_left: float | None = None  # from the step's pace so far; None until it can be told


def time_left_text(seconds: float | None) -> str:
    """Swedish: "ca 5 h 40 min kvar", "ca 12 min kvar", "under en minut kvar"; "" when unknown."""
    if seconds is None:
        return ""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "under en minut kvar"
    if minutes < 60:
        return f"ca {minutes} min kvar"
    return f"ca {minutes // 60} h {minutes % 60} min kvar"


@dataclass(frozen=True)
class SyncFinished:
    report: SyncReport


SyncEvent = SyncStarted | StepProgress | SyncFinished
EventSink = Callable[[SyncEvent], None]
