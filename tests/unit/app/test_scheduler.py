"""The schedule: one job with the right trigger and flags, changed live, woken after the PC sleeps.

These run APScheduler's real BackgroundScheduler; only the watchdog's wall clock is a function the test
can jump, the way a sleeping PC's clock jumps on wake.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from kassasync.app.scheduler import JOB_ID, SyncScheduler, trigger_for
from kassasync.clock import STOCKHOLM
from kassasync.config import Schedule

WAIT_S = 5.0


class JumpingWall:
    """time.time() plus an offset the test moves, as a sleep or a manual clock change would."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


class Fired:
    def __init__(self) -> None:
        self.event = threading.Event()
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        self.event.set()


@pytest.fixture
def parts() -> Iterator[tuple[SyncScheduler, Fired, JumpingWall, MemoryJobStore]]:
    fired, wall, store = Fired(), JumpingWall(), MemoryJobStore()
    scheduler = SyncScheduler(
        fired, watchdog_interval_s=0.02, jump_tolerance_s=5.0, wall=wall, jobstore=store
    )
    yield scheduler, fired, wall, store
    scheduler.shutdown()


def test_interval_schedule_is_one_job_with_coalesce_no_grace_limit_and_one_instance(
    parts: tuple[SyncScheduler, Fired, JumpingWall, MemoryJobStore],
) -> None:
    scheduler, _, _, store = parts
    before = datetime.now(STOCKHOLM)
    scheduler.start(Schedule(kind="interval", every_minutes=15))
    jobs = store.get_all_jobs()
    assert [job.id for job in jobs] == [JOB_ID]
    job = jobs[0]
    assert isinstance(job.trigger, IntervalTrigger)
    assert job.trigger.interval == timedelta(minutes=15)
    assert (job.coalesce, job.misfire_grace_time, job.max_instances) == (True, None, 1)
    assert scheduler.next_run_time is not None
    assert timedelta(minutes=14) < scheduler.next_run_time - before <= timedelta(minutes=15, seconds=5)


def test_daily_times_become_cron_triggers_in_stockholm_time() -> None:
    trigger = trigger_for(Schedule(kind="daily", daily_at=("21:30", "12:00")))
    assert isinstance(trigger, OrTrigger)
    noon = datetime(2026, 11, 28, 11, 0, tzinfo=STOCKHOLM)
    first = trigger.get_next_fire_time(None, noon)
    assert first == datetime(2026, 11, 28, 12, 0, tzinfo=STOCKHOLM)
    assert trigger.get_next_fire_time(first, first + timedelta(seconds=1)) == datetime(
        2026, 11, 28, 21, 30, tzinfo=STOCKHOLM
    )
    single = trigger_for(Schedule(kind="daily", daily_at=("06:05",)))
    assert isinstance(single, CronTrigger)
    assert trigger_for(Schedule(kind="off")) is None


def test_settings_changes_apply_without_restart(
    parts: tuple[SyncScheduler, Fired, JumpingWall, MemoryJobStore],
) -> None:
    scheduler, _, _, store = parts
    scheduler.start(Schedule(kind="interval", every_minutes=15))
    scheduler.apply(Schedule(kind="daily", daily_at=("21:00",)))
    assert isinstance(scheduler.trigger, CronTrigger)
    next_run = scheduler.next_run_time
    assert next_run is not None and (next_run.hour, next_run.minute) == (21, 0)
    scheduler.apply(Schedule(kind="off"))
    assert store.get_all_jobs() == []
    assert scheduler.next_run_time is None
    scheduler.apply(Schedule(kind="interval", every_minutes=5))
    assert len(store.get_all_jobs()) == 1
    assert isinstance(scheduler.trigger, IntervalTrigger)


def test_pause_holds_the_job_and_survives_a_settings_change(
    parts: tuple[SyncScheduler, Fired, JumpingWall, MemoryJobStore],
) -> None:
    scheduler, _, _, _ = parts
    scheduler.start(Schedule(kind="interval", every_minutes=15))
    scheduler.pause()
    assert scheduler.next_run_time is None
    scheduler.apply(Schedule(kind="interval", every_minutes=30))
    assert scheduler.next_run_time is None  # still paused after the user changed the interval
    scheduler.resume()
    assert scheduler.next_run_time is not None


def test_the_job_fires_through_the_real_scheduler_when_due(
    parts: tuple[SyncScheduler, Fired, JumpingWall, MemoryJobStore],
) -> None:
    scheduler, fired, _, store = parts
    scheduler.start(Schedule(kind="interval", every_minutes=15))
    job = store.lookup_job(JOB_ID)
    # a real public call: move the next run to now (this wakes the scheduler)
    job.modify(next_run_time=datetime.now(STOCKHOLM))
    assert fired.event.wait(WAIT_S)
    assert fired.count == 1


def test_a_run_missed_during_sleep_fires_once_when_the_watchdog_sees_the_clock_jump(
    parts: tuple[SyncScheduler, Fired, JumpingWall, MemoryJobStore],
) -> None:
    scheduler, fired, wall, store = parts
    scheduler.start(Schedule(kind="interval", every_minutes=15))
    time.sleep(0.05)  # let the scheduler thread settle into its 15-minute wait
    # While the PC "sleeps" the due time passes but the scheduler thread keeps waiting on its old timeout:
    # the job store is changed behind the scheduler's back, exactly what elapsed wall time does.
    job = store.lookup_job(JOB_ID)
    job.next_run_time = datetime.now(STOCKHOLM) - timedelta(hours=2)
    store.update_job(job)
    assert not fired.event.wait(0.1), "the scheduler should still be asleep on its old timeout"

    wall.offset += 2 * 3600  # the PC wakes two hours later

    assert fired.event.wait(WAIT_S)
    time.sleep(0.05)  # a second, coalesced firing would land here
    assert fired.count == 1
    assert scheduler.rearmed == 1
    next_run = scheduler.next_run_time
    assert next_run is not None and next_run > datetime.now(STOCKHOLM)


def test_the_watchdog_ignores_ordinary_ticks(
    parts: tuple[SyncScheduler, Fired, JumpingWall, MemoryJobStore],
) -> None:
    scheduler, _, _, _ = parts
    scheduler.start(Schedule(kind="interval", every_minutes=15))
    time.sleep(0.1)  # five watchdog ticks of 0.02 s
    assert scheduler.rearmed == 0


def test_the_first_scheduled_sync_comes_soon_after_start_then_the_interval_takes_over(
    parts: tuple[SyncScheduler, Fired, JumpingWall, MemoryJobStore],
) -> None:
    scheduler, fired, _, _ = parts
    scheduler.start(Schedule(kind="interval", every_minutes=15), first_run_in_s=0.1)

    assert fired.event.wait(WAIT_S)
    next_run = scheduler.next_run_time
    assert next_run is not None and next_run - datetime.now(STOCKHOLM) > timedelta(minutes=14)


def test_a_paused_start_does_not_bring_the_first_sync_forward(
    parts: tuple[SyncScheduler, Fired, JumpingWall, MemoryJobStore],
) -> None:
    scheduler, fired, _, _ = parts
    scheduler.start(Schedule(kind="interval", every_minutes=15), paused=True, first_run_in_s=0.05)

    assert not fired.event.wait(0.3)
