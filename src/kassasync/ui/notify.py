"""When to tell the shop owner about a run, and what to say. Quiet when all is well, loud when not.

The policy (issue 6): a sync the user started always reports; scheduled successes stay quiet; a failure
is never silent. A failure identical to the previous run's is not repeated every 15 minutes (the icon
stays red); it is notified again only with ``Notifications.ALL``. A scheduled run that ends a failure
reports the recovery unless notifications are off.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from kassasync.config import Notifications
from kassasync.sync.events import Outcome, SyncReport
from kassasync.ui.tray_model import number, receipts

log = logging.getLogger(__name__)

TITLE = "Kassasync"


@dataclass(frozen=True)
class Notice:
    title: str
    message: str
    failure: bool = False


class Notifier(Protocol):
    def notify(self, notice: Notice) -> None: ...


class LogNotifier:
    """Where the desktop cannot show notifications (pystray's HAS_NOTIFICATION is False): the log only."""

    def notify(self, notice: Notice) -> None:
        log.info("notification: %s: %s", notice.title, notice.message)


def failure_signature(report: SyncReport | None) -> tuple[Outcome, str] | None:
    if report is None or report.outcome is Outcome.OK:
        return None
    first = report.errors[0].user_message if report.errors else ""
    return (report.outcome, first)


def should_notify(report: SyncReport, previous: SyncReport | None, setting: Notifications) -> bool:
    if report.request.trigger != "schedule":
        return True
    signature = failure_signature(report)
    if signature is None:  # success
        recovered = failure_signature(previous) is not None
        return setting is Notifications.ALL or (recovered and setting is not Notifications.OFF)
    if signature != failure_signature(previous):
        return True
    return setting is Notifications.ALL


def notice_for(report: SyncReport) -> Notice:
    outcome = report.outcome
    if outcome is Outcome.OK:
        posted = report.posted_count
        text = "1 kvitto skickat" if posted == 1 else f"{number(posted)} kvitton skickade"
        if report.awaiting_summary:
            text += f", {receipts(report.awaiting_summary)} väntar på dagens dagssammandrag"
        if report.unconfirmed_count:  # looked up in Fortnox next run, never simply sent again
            text += f", {number(report.unconfirmed_count)} väntar på svar från Fortnox"
        return Notice(TITLE, f"Synkroniseringen är klar: {text}.")
    if outcome is Outcome.LOGIN_REQUIRED:
        return Notice(
            TITLE,
            "Fortnox kräver ny inloggning. Öppna inställningarna och välj Logga in. "
            "Inga kvitton går förlorade; de skickas när du har loggat in.",
            failure=True,
        )
    if outcome is Outcome.ATTENTION:
        failed = report.failed_count
        if failed == 0 and report.errors:  # the pre-flight held every receipt back: say why, and the remedy
            return Notice(TITLE, f"Kvitton hålls kvar: {report.errors[0].user_message}{more(report)}", True)
        return Notice(TITLE, f"{receipts(failed)} kunde inte skickas. Se Kvitton med fel i menyn.", True)
    reason = report.errors[0].user_message if report.errors else "Synkroniseringen avbröts."
    return Notice(TITLE, f"Synkroniseringen misslyckades: {reason}{more(report)}", failure=True)


def more(report: SyncReport) -> str:
    """A notification shows one problem; the others are named by count and are in the menu."""
    others = len(report.errors) - 1
    if others <= 0:
        return ""
    return " (och 1 problem till, se menyn)" if others == 1 else f" (och {others} problem till, se menyn)"


BUSY_MESSAGE = "Synkronisering pågår redan; den körs igen när den är klar."
