"""What one push gathers for the run's report, and the error that stops a push whose answers go missing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from kassasync.errors import RunAborted
from kassasync.pos.models import LineKind, Receipt
from kassasync.sync.events import ReportedError, StepCounts
from kassasync.sync.preflight import Problem
from kassasync.words import kvitton

MAX_UNKNOWN_OUTCOMES = 3  # lost answers in a row: Fortnox is struggling, stop and reconcile next run


class TooManyUnknownOutcomes(RunAborted):
    default_user_message = (
        "Fortnox svarade inte på flera kvitton i rad. Kassasync kontrollerar dem i Fortnox vid nästa "
        "synkronisering innan något skickas igen; inget dubbelbokas."
    )


@dataclass
class PushResult:
    # posted, failed, waiting, unconfirmed, already_in_fortnox, awaiting_summary (today's open day)
    counts: Counter[str] = field(default_factory=Counter)
    posted: list[tuple[str, str]] = field(default_factory=list)
    planned: list[tuple[str, str]] = field(default_factory=list)
    errors: list[ReportedError] = field(default_factory=list)
    problems: dict[str, tuple[Problem, list[str]]] = field(default_factory=dict)
    sold_articles: set[str] = field(default_factory=set)
    reconciled: dict[str, int] = field(default_factory=lambda: {"found": 0, "released": 0, "waiting": 0})

    def step_counts(self) -> StepCounts:
        return StepCounts(
            posted=self.counts["posted"],
            failed=self.counts["failed"],
            unconfirmed=self.counts["unconfirmed"],
            already_in_fortnox=self.counts["already_in_fortnox"],
        )

    def problem_errors(self) -> list[ReportedError]:
        """One line per pre-flight problem, however many receipts it holds back."""
        return [
            ReportedError(
                user_message=f"{problem.user_message} ({kvitton(len(keys))} väntar.)",
                detail=f"{problem.detail}; held back: {', '.join(keys[:20])}",
            )
            for problem, keys in self.problems.values()
        ]


def kr(ore: int) -> str:
    return f"{Decimal(ore) / 100:.2f} kr".replace(".", ",")


def articles_of(receipt: Receipt) -> set[str]:
    """The articles a receipt sells: an invoice moves their stock in Lagermodul."""
    return {
        line.article_number
        for line in receipt.lines
        if line.kind is LineKind.ARTICLE and line.article_number is not None
    }
