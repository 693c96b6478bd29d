"""When scheduled syncs happen: one APScheduler 3.x job, re-armed after sleep, changed without restart.

The job only asks the controller for a sync (``fire``); the controller runs it on its own worker and
decides what to do when one is already going on, because APScheduler would drop that request with a log
warning. Trigger objects are built directly: the string aliases ("interval", "cron") are looked up through
entry points, which PyInstaller bundles do not carry.

After the PC sleeps, the scheduler thread is still waiting on a timeout measured before the sleep, so the
due run would come late (on Linux by the whole sleep). A watchdog thread notices the wall clock jumping
away from its own steady ticks and wakes the scheduler, which then runs a missed job once
(``coalesce=True``, ``misfire_grace_time=None``) and recomputes the next run from the real time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import BaseJobStore
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from kassasync.clock import STOCKHOLM
from kassasync.config import Schedule

log = logging.getLogger(__name__)

JOB_ID = "sync"


def trigger_for(
    schedule: Schedule, timezone: tzinfo = STOCKHOLM, offset_s: float = 0.0
) -> BaseTrigger | None:
    """The trigger for a schedule setting; None when scheduling is off.

    ``offset_s`` (0-15 s, ``kassasync.schedule_offset``): this register's seconds after each scheduled
    moment, so the registers of one Fortnox company do not all start at the same second. With an
    offset, an interval runs on the clock's multiples of the interval (:00, :15, ...) plus it."""
    if schedule.kind == "off":
        return None
    if schedule.kind == "interval":
        if not offset_s:
            return IntervalTrigger(minutes=schedule.every_minutes, timezone=timezone)
        midnight = datetime.now(timezone).replace(hour=0, minute=0, second=0, microsecond=0)
        start = midnight + timedelta(seconds=offset_s)
        return IntervalTrigger(minutes=schedule.every_minutes, start_date=start, timezone=timezone)
    crons: list[BaseTrigger] = []
    for moment in sorted(set(schedule.daily_at)):
        hour, minute = moment.split(":")
        second = int(offset_s) % 60
        crons.append(CronTrigger(hour=int(hour), minute=int(minute), second=second, timezone=timezone))
    if not crons:
        return None
    return crons[0] if len(crons) == 1 else OrTrigger(crons)


class SyncScheduler:
    def __init__(
        self,
        fire: Callable[[], object],
        *,
        timezone: tzinfo = STOCKHOLM,
        watchdog_interval_s: float = 30.0,
        jump_tolerance_s: float = 90.0,
        wall: Callable[[], float] = time.time,
        jobstore: BaseJobStore | None = None,
        offset_s: float = 0.0,
    ) -> None:
        self._fire = fire
        self._timezone = timezone
        self._offset_s = offset_s  # this register's seconds after each scheduled moment (issue 18)
        self._scheduler = BackgroundScheduler(
            timezone=timezone,
            jobstores={"default": jobstore or MemoryJobStore()},
            executors={"default": ThreadPoolExecutor(max_workers=1)},
        )
        self._lock = threading.Lock()
        self._schedule = Schedule(kind="off")
        self._paused = False
        self._watchdog_interval_s = watchdog_interval_s
        self._jump_tolerance_s = jump_tolerance_s
        self._wall = wall
        self._stop = threading.Event()
        self._watchdog = threading.Thread(target=self._watch, name="kassasync-wake-watchdog", daemon=True)
        self.rearmed = 0  # how many clock jumps were noticed (shown in the log and read by tests)

    def start(self, schedule: Schedule, *, paused: bool = False, first_run_in_s: float | None = None) -> None:
        """Start; with ``first_run_in_s`` the first scheduled sync comes that soon after start (the PC was
        off at the scheduled times: the evening's receipts should not wait for the next interval)."""
        self._scheduler.start()
        self._paused = paused
        self.apply(schedule)
        job = self._scheduler.get_job(JOB_ID)
        if first_run_in_s is not None and job is not None and not paused:
            soon = datetime.now(self._timezone) + timedelta(seconds=first_run_in_s)
            job.modify(next_run_time=soon)
            log.info("first scheduled sync at %s", soon)
        self._watchdog.start()

    def shutdown(self) -> None:
        self._stop.set()
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        if self._watchdog.is_alive():
            self._watchdog.join(self._watchdog_interval_s + 1.0)

    def apply(self, schedule: Schedule, offset_s: float | None = None) -> None:
        """Replace the job to match the settings; called at start and whenever the settings are saved
        (``offset_s``: this register's offset, when the company file changed)."""
        with self._lock:
            self._schedule = schedule
            if offset_s is not None:
                self._offset_s = offset_s
            trigger = trigger_for(schedule, self._timezone, self._offset_s)
            if self._scheduler.get_job(JOB_ID) is not None:
                self._scheduler.remove_job(JOB_ID)
            if trigger is None:
                log.info("schedule off")
                return
            extra: dict[str, object] = {"next_run_time": None} if self._paused else {}
            self._scheduler.add_job(
                self._run_job,
                trigger=trigger,
                id=JOB_ID,
                name="Kassasync sync",
                misfire_grace_time=None,
                coalesce=True,
                max_instances=1,
                replace_existing=True,
                **extra,
            )
            log.info("schedule set: %s, next run %s", schedule, self.next_run_time)

    def pause(self) -> None:
        with self._lock:
            self._paused = True
            if self._scheduler.get_job(JOB_ID) is not None:
                self._scheduler.pause_job(JOB_ID)

    def resume(self) -> None:
        with self._lock:
            self._paused = False
            if self._scheduler.get_job(JOB_ID) is not None:
                self._scheduler.resume_job(JOB_ID)

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def next_run_time(self) -> datetime | None:
        job = self._scheduler.get_job(JOB_ID)
        return None if job is None else job.next_run_time

    @property
    def trigger(self) -> BaseTrigger | None:
        job = self._scheduler.get_job(JOB_ID)
        return None if job is None else job.trigger

    def rearm(self, reason: str) -> None:
        """Make the scheduler look at the real time now: due runs fire once, the next ones are recomputed."""
        self.rearmed += 1
        log.info("re-arming the schedule: %s", reason)
        if self._scheduler.running:
            self._scheduler.wakeup()

    def _run_job(self) -> None:
        try:
            self._fire()
        except Exception:  # the scheduler's worker is a thread boundary
            log.exception("scheduled sync could not be requested")

    def _watch(self) -> None:
        last = self._wall()
        while not self._stop.wait(self._watchdog_interval_s):
            now = self._wall()
            drift = (now - last) - self._watchdog_interval_s
            last = now
            if abs(drift) > self._jump_tolerance_s:
                self.rearm(f"wall clock jumped {drift:+.0f} s (the PC slept or its time was changed)")
