"""The last run's result, kept in the state folder, so the tray shows it again after a restart.

Without it the menu said "Ingen synkronisering ännu" after every reboot, and the problem that held the
receipts back (a locked period) was forgotten until the next run. A run's report is stored as JSON with
what the tray renders (counts, problems, when); an unreadable file is treated as no history (logged).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kassasync.atomic import write_atomically
from kassasync.sync.events import Outcome, ReportedError, StepCounts, SyncReport, SyncRequest
from kassasync.ui.state import Problem

log = logging.getLogger(__name__)

FILE_NAME = "last-sync.json"
KEPT_PROBLEMS = 10


@dataclass(frozen=True)
class LastSync:
    report: SyncReport
    finished_at: datetime
    problems: tuple[Problem, ...]


def _error(data: dict[str, Any]) -> ReportedError:
    return ReportedError(str(data["user_message"]), str(data.get("detail", "")), data.get("item"))


def _encode(last: LastSync) -> dict[str, Any]:
    report = last.report
    return {
        "finished_at": last.finished_at.isoformat(),
        "outcome": report.outcome.value,
        "trigger": report.request.trigger,
        "steps": {name: asdict(counts) for name, counts in report.steps.items()},
        "errors": [asdict(error) for error in report.errors],
        "awaiting_summary": report.awaiting_summary,
        "duration_s": report.duration_s,
        "problems": [{"seen_at": p.seen_at.isoformat(), **asdict(p.error)} for p in last.problems],
    }


def _decode(data: dict[str, Any]) -> LastSync:
    report = SyncReport(
        request=SyncRequest(trigger=data.get("trigger", "manual")),
        outcome=Outcome(data["outcome"]),
        steps={name: StepCounts(**counts) for name, counts in data.get("steps", {}).items()},
        errors=tuple(_error(error) for error in data.get("errors", [])),
        awaiting_summary=int(data.get("awaiting_summary", 0)),
        duration_s=float(data.get("duration_s", 0.0)),
    )
    problems = tuple(
        Problem(datetime.fromisoformat(p["seen_at"]), _error(p)) for p in data.get("problems", [])
    )
    return LastSync(report, datetime.fromisoformat(data["finished_at"]), problems)


def load_last(path: Path) -> LastSync | None:
    try:
        return _decode(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring an unreadable %s: %s", path, exc)
        return None


def save_last(path: Path, last: LastSync) -> None:
    """Atomically (kassasync.atomic): a crash mid-write leaves the previous result."""
    write_atomically(path, json.dumps(_encode(last), ensure_ascii=False, indent=1))


def with_new_problems(old: tuple[Problem, ...], report: SyncReport, seen_at: datetime) -> tuple[Problem, ...]:
    """The run's problems first, then older ones not repeated by it, at most ``KEPT_PROBLEMS``."""
    new = tuple(Problem(seen_at, error) for error in report.errors)
    messages = {error.user_message for error in report.errors}
    kept = tuple(p for p in old if p.error.user_message not in messages)
    return (new + kept)[:KEPT_PROBLEMS]
