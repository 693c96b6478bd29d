"""How often a long pull stops to post receipts."""

from __future__ import annotations

from kassasync.config import Schedule
from kassasync.sync.interleave import DEFAULT_PUSH_EVERY_S, Every, push_every_s


def test_a_long_pull_posts_receipts_at_the_schedule_s_interval() -> None:
    assert push_every_s(Schedule(kind="interval", every_minutes=5)) == 300.0


def test_a_daily_or_manual_schedule_still_posts_every_quarter_of_an_hour_during_a_long_pull() -> None:
    assert push_every_s(Schedule(kind="daily")) == push_every_s(Schedule(kind="off")) == DEFAULT_PUSH_EVERY_S


def test_every_runs_its_action_once_the_interval_has_passed_counted_from_the_last_run_s_end() -> None:
    now = [0.0]
    ran: list[float] = []

    def push() -> None:
        ran.append(now[0])
        now[0] += 30.0  # the push itself takes half a minute

    every = Every(60.0, push, clock=lambda: now[0])
    for moment in (10.0, 59.0, 60.0, 100.0, 149.0, 150.0):
        now[0] = max(now[0], moment)
        every()
    assert ran == [60.0, 150.0]  # the second waits 60 s from the first's end (90 s), not its start
    assert every.runs == 2
