"""Notification policy: manual syncs always report, scheduled successes stay quiet, failures never do."""

from __future__ import annotations

import pytest

from kassasync.config import Notifications
from kassasync.sync.events import Outcome, ReportedError, StepCounts, SyncReport, SyncRequest
from kassasync.ui.notify import notice_for, should_notify

ALL, FAILURES, OFF = Notifications.ALL, Notifications.FAILURES, Notifications.OFF


def run(trigger: str, outcome: Outcome, error: str = "Fortnox svarar inte.") -> SyncReport:
    errors = (ReportedError(error, "detail"),) if outcome is not Outcome.OK else ()
    return SyncReport(request=SyncRequest(trigger=trigger), outcome=outcome, errors=errors)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("report", "previous", "setting", "expected"),
    [
        # a manual sync always reports, whatever the setting
        (run("manual", Outcome.OK), None, OFF, True),
        (run("manual", Outcome.ERROR), None, OFF, True),
        # scheduled successes stay quiet unless the user wants everything
        (run("schedule", Outcome.OK), None, FAILURES, False),
        (run("schedule", Outcome.OK), None, OFF, False),
        (run("schedule", Outcome.OK), run("schedule", Outcome.OK), ALL, True),
        # a new failure is never quiet, not even with notifications off
        (run("schedule", Outcome.ERROR), None, OFF, True),
        (run("schedule", Outcome.ATTENTION), run("schedule", Outcome.OK), FAILURES, True),
        (run("schedule", Outcome.LOGIN_REQUIRED), run("schedule", Outcome.ERROR), OFF, True),
        (run("schedule", Outcome.ERROR, "B"), run("schedule", Outcome.ERROR, "A"), FAILURES, True),
        # the same failure again is not repeated every run (the icon stays red)
        (run("schedule", Outcome.ERROR), run("schedule", Outcome.ERROR), FAILURES, False),
        (run("schedule", Outcome.ERROR), run("schedule", Outcome.ERROR), ALL, True),
        # recovery after a failure is told, unless notifications are off
        (run("schedule", Outcome.OK), run("schedule", Outcome.ERROR), FAILURES, True),
        (run("schedule", Outcome.OK), run("schedule", Outcome.ERROR), OFF, False),
    ],
)
def test_notification_policy(
    report: SyncReport, previous: SyncReport | None, setting: Notifications, expected: bool
) -> None:
    assert should_notify(report, previous, setting) is expected


def test_notices_say_what_happened_in_swedish() -> None:
    ok = SyncReport(request=SyncRequest(), outcome=Outcome.OK, steps={"r": StepCounts(posted=1)})
    assert notice_for(ok).message == "Synkroniseringen är klar: 1 kvitto skickat."
    assert not notice_for(ok).failure
    lost = SyncReport(SyncRequest(), Outcome.OK, steps={"r": StepCounts(posted=47, unconfirmed=1)})
    assert notice_for(lost).message == (
        "Synkroniseringen är klar: 47 kvitton skickade, 1 väntar på svar från Fortnox."
    )
    login = notice_for(run("schedule", Outcome.LOGIN_REQUIRED))
    assert "Logga in" in login.message and "Inga kvitton går förlorade" in login.message
    error = notice_for(run("schedule", Outcome.ERROR, "Fel företag i Fortnox."))
    assert error.message == "Synkroniseringen misslyckades: Fel företag i Fortnox."
    assert error.failure
