"""A sync report and its progress as terminal text, shared by ``kassasync sync`` and ``kassasync demo``."""

from __future__ import annotations

import sys
from typing import TextIO

from kassasync.pos.records import OutboxState
from kassasync.sync.events import Outcome, StepProgress, SyncEvent, SyncReport, time_left_text
from kassasync.words import awaiting_summary, count, kvitton, of_total

STATE_NAMES = {  # the outbox states as the shop owner reads them (receipts listing, demo)
    OutboxState.PENDING: "i kö",
    OutboxState.SENDING: "skickas (kontrolleras)",
    OutboxState.POSTED: "bokförd",
    OutboxState.BOOKED: "faktura bokförd, betalning saknas",
    OutboxState.PAID: "betald",
    OutboxState.FAILED: "fel",
}
STEP_NAMES = {
    "predefined": "Förvalda konton",
    "accounts": "Konton",
    "customers": "Kunder",
    "articles": "Artiklar",
    "prices": "Priser",
    "stock": "Lagersaldon",
    "receipts": "Kvitton",
}
OUTCOME_TEXT = {
    Outcome.OK: "Klart: allt gick bra.",
    Outcome.ATTENTION: "Klart, men något behöver åtgärdas (se nedan).",
    Outcome.LOGIN_REQUIRED: "Stoppad: logga in i Fortnox igen (kassasync login).",
    Outcome.ERROR: "Stoppad: synkroniseringen kunde inte slutföras (se nedan).",
}

UNCONFIRMED = (
    "{what} skickades men svaret från Fortnox uteblev; nästa synkronisering kontrollerar i Fortnox "
    "innan något skickas igen."
)


def describe_ref(ref: str) -> str:
    """``F12`` → ``verifikation F12``; ``1042`` → ``faktura 1042``."""
    if ref[:1].isdigit():
        return f"faktura {ref}"
    return ref if " " in ref else f"verifikation {ref}"


class ProgressLine:
    """One line rewritten in place on a terminal; plain lines, one per step, elsewhere (logs, pipes)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.last_step: str | None = None

    def __call__(self, event: SyncEvent) -> None:
        if not isinstance(event, StepProgress):
            return
        text = of_total(event.done, event.total)
        left = time_left_text(event.seconds_left)
        text = f"{text}, {left}" if left else text
        if self.tty:
            self.stream.write(f"\r\033[K{event.label}: {text}")
            self.stream.flush()
        elif event.step != self.last_step:
            self.stream.write(f"{event.label}...\n")
        self.last_step = event.step

    def done(self) -> None:
        if self.tty and self.last_step is not None:
            self.stream.write("\r\033[K")
            self.stream.flush()


ALREADY_THERE = "{n} av dem fanns redan i Fortnox och skickades inte igen."


def report_lines(report: SyncReport, *, show_posted: int = 20) -> list[str]:
    lines = [OUTCOME_TEXT[report.outcome]]
    for step, counts in report.steps.items():
        name = STEP_NAMES.get(step, step)
        if step == "receipts":
            posted = count(counts.posted, "bokfört", "bokförda")
            lines.append(f"  {name}: {posted}, {counts.failed} med fel")
            if counts.unconfirmed:
                lines.append(f"  {UNCONFIRMED.format(what=kvitton(counts.unconfirmed))}")
            if counts.already_in_fortnox:
                lines.append(f"  {ALREADY_THERE.format(n=counts.already_in_fortnox)}")
            continue
        text = f"  {name}: {counts.pulled} hämtade ({counts.created} nya, {counts.updated} ändrade"
        text += f", {counts.removed} borttagna)" if counts.removed else ")"
        lines.append(text)
    for key, ref in report.posted[:show_posted]:
        lines.append(f"  Kvitto {key} → {describe_ref(ref)}")
    if len(report.posted) > show_posted:
        lines.append(f"  ... och {kvitton(len(report.posted) - show_posted)} till")
    if report.awaiting_summary:
        lines.append(f"  {awaiting_summary(report.awaiting_summary)}")
    for key, what in report.planned:
        lines.append(f"  (provkörning) Kvitto {key} skulle bli {what}")
    for error in report.errors:
        lines.append(f"  FEL{f' {error.item}' if error.item else ''}: {error.user_message}")
    lines.append(f"  Anrop till Fortnox: {report.requests_used}, tid: {report.duration_s:.1f} s")
    return lines
