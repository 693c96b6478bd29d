"""The running desktop agent: wires controller, scheduler, tray and dialogs, and owns the Tk main thread.

Threads (ARCHITECTURE.md): Tk on the main thread; pystray's loop in its own; syncs on the controller's
worker; the scheduler's and the watchdog's threads. Anything that touches Tk is posted to ``self.post``
and run by the Tk thread, which polls the queue with ``after()``. POSIX signals (a test hook and a clean
way to stop): SIGUSR1 asks for a manual sync, SIGTERM/SIGINT quit like "Avsluta".
"""

from __future__ import annotations

import logging
import signal
import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from tkinter import filedialog, messagebox
from types import FrameType

from kassasync import __version__
from kassasync.app.controller import AppController, SyncRunner
from kassasync.app.first_run import company_db, schedule_offset_s, setup_missing
from kassasync.app.last_sync import FILE_NAME, load_last, save_last
from kassasync.app.scheduler import SyncScheduler
from kassasync.avstamning.run import AvstamningReport, AvstamningRequest
from kassasync.clock import Clock, SystemClock
from kassasync.config import Settings
from kassasync.fortnox.auth import UrlShower
from kassasync.paths import AppPaths
from kassasync.platform.autostart import Autostart, is_enabled, reconcile
from kassasync.platform.folders import open_folder
from kassasync.platform.support_bundle import create_support_bundle
from kassasync.pos.records import OutboxEntry, OutboxState
from kassasync.pos.store import PosStore
from kassasync.settings_store import SettingsStore
from kassasync.sync.events import SyncRequest
from kassasync.ui.avstamning_window import Progress, open_avstamning
from kassasync.ui.notify import TITLE, LogNotifier, Notice
from kassasync.ui.problems_window import ProblemsWindow
from kassasync.ui.receipts_dialog import FailedReceipt, FailedReceiptsDialog, failed_receipts
from kassasync.ui.settings_dialog import SettingsDialog
from kassasync.ui.settings_form import ConnectedCompany, FormValues, FortnoxLookups
from kassasync.ui.state import AppState, Health
from kassasync.ui.tk_pump import TkPump
from kassasync.ui.tray import Tray
from kassasync.ui.tray_model import Action, when_text

log = logging.getLogger(__name__)

QUIT_POLL_MS = 250
QUIT_TIMEOUT_S = 1.5  # "Avsluta" must finish within 2 s, the sync's cancel point included
NEXT_SYNC_POLL_MS = 5_000
PAUSE_FOR_S = 3_600  # "Pausa i en timme"
# How soon after start the first scheduled sync runs (Environment.startup_sync_delay_s): the PC was
# likely off at the scheduled times, and the evening's receipts should not wait a whole interval.
FIRST_SYNC_IN_S = 30.0


@dataclass
class Services:
    """What the lead wires from other areas (engine, Fortnox login and lookups)."""

    run_sync: SyncRunner
    autostart: Autostart
    autostart_command: str
    # shows the URL when no browser starts; bool: Lagermodul as ticked in the dialog (the scopes follow it)
    login: Callable[[UrlShower, bool], ConnectedCompany] | None = None
    lookups: Callable[[Settings], FortnoxLookups] | None = None
    logout: Callable[[], object] | None = None
    # "Avstämning...": the settings of the moment, the days asked for, progress (on the reading thread)
    reconcile: Callable[[Settings, AvstamningRequest, Progress], AvstamningReport] | None = None


def failed_entries(settings: Settings) -> list[OutboxEntry]:
    path = company_db(settings)
    if path is None:
        return []
    with PosStore.open(path) as store:
        return store.outbox_entries(OutboxState.FAILED)


def failed_receipts_of(settings: Settings) -> list[FailedReceipt]:
    """What "Kvitton med fel" lists: date, amount and the whole reason of each failed receipt."""
    path = company_db(settings)  # the engine's file: a folder path means its kassa.db here too
    if path is None:
        return []
    with PosStore.open(path) as store:
        return failed_receipts(store)


class Agent:
    def __init__(
        self,
        paths: AppPaths,
        settings: SettingsStore,
        services: Services,
        *,
        settings_problem: str | None = None,
        clock: Clock | None = None,
        first_sync_in_s: float = FIRST_SYNC_IN_S,
        tray_backend: str | None = None,
    ) -> None:
        """``settings``: the process's store, the one the dialog's login writes through; the agent
        follows every change to it (``_follow``), a ``kassasync login`` in a terminal included."""
        self.paths, self.store, self.services = paths, settings, services
        self.first_sync_in_s, self.tray_backend = first_sync_in_s, tray_backend
        settings_now = self._applied = settings.current()
        self.clock: Clock = clock or SystemClock()
        self.pump = TkPump("agent")  # the Tk thread runs what other threads post (ui/tk_pump.py)
        self._fallback_notifier = LogNotifier()
        self.tray: Tray | None = None
        missing = setup_missing(settings_now)
        health = Health.ERROR if settings_problem else Health.SETUP if missing else Health.OK
        last_file = paths.state_dir / FILE_NAME
        self.controller = AppController(
            services.run_sync,
            notifier=self,
            clock=self.clock,
            notifications=settings_now.notifications,
            initial_health=health,
            initial_message=settings_problem or missing,
            count_failed=lambda: len(failed_entries(self.settings)),
            restored=load_last(last_file),
            remember=lambda last: save_last(last_file, last),
            version=__version__,
        )
        self.scheduler = SyncScheduler(
            lambda: self.controller.request_sync(SyncRequest(trigger="schedule")),
            offset_s=schedule_offset_s(settings_now),
        )
        self.root: tk.Tk | None = None
        self.problems_window: ProblemsWindow | None = None
        self._problems_followed = False  # subscribed once: the window follows each new report
        self._resume_job: str | None = None  # the Tk timer that ends a timed pause
        self.exit_code = 0
        settings.subscribe(lambda chosen: self.post(lambda: self._follow(chosen)))

    @property
    def settings(self) -> Settings:
        return self.store.current()

    # -- plumbing ----------------------------------------------------------------------------------------

    def post(self, work: Callable[[], object]) -> None:
        """Run ``work`` on the Tk thread (from any thread)."""
        self.pump.post(work)

    def notify(self, notice: Notice) -> None:
        (self.tray or self._fallback_notifier).notify(notice)

    def run(self) -> int:
        self.root = tk.Tk()
        self.root.withdraw()
        self.root.title(TITLE)
        self._install_signals()  # before the icon appears: a SIGTERM from then on quits cleanly
        self.tray = Tray(self.on_action, backend=self.tray_backend)
        self.controller.subscribe(self.tray.show)
        self.tray.start()
        self.scheduler.start(self.settings.schedule, first_run_in_s=self.first_sync_in_s)
        self._show_next_sync()
        if self.controller.state.health is Health.SETUP:  # first start: the owner is led to the settings
            self.post(self.open_settings)
        self.post(self.controller.refresh_failed_count)
        self.paths.quit_request.unlink(missing_ok=True)  # left by a 'quit' when no agent ran
        self.pump.start(self.root)
        self.root.after(QUIT_POLL_MS, self._watch_quit_request)
        log.info("agent started; schedule %s", self.settings.schedule)
        self.root.mainloop()
        log.info("agent stopped (exit code %d)", self.exit_code)  # after this only the process's exit
        return self.exit_code

    def _watch_quit_request(self) -> None:
        """``kassasync quit`` (the installer before an upgrade) asks through a file: same path as Avsluta."""
        if self.paths.quit_request.exists():
            self.paths.quit_request.unlink(missing_ok=True)
            log.info("asked to quit by 'kassasync quit'")
            self.quit()
        elif self.root is not None:
            self.store.current()  # a 'kassasync login' or 'config set' meanwhile: the store re-reads it
            self.root.after(QUIT_POLL_MS, self._watch_quit_request)

    def _install_signals(self) -> None:
        def ask_sync(_signum: int, _frame: FrameType | None) -> None:
            self.post(lambda: self.on_action(Action.SYNC))

        def ask_quit(_signum: int, _frame: FrameType | None) -> None:
            self.post(self.quit)

        if hasattr(signal, "SIGUSR1"):
            signal.signal(signal.SIGUSR1, ask_sync)
        signal.signal(signal.SIGTERM, ask_quit)
        signal.signal(signal.SIGINT, ask_quit)

    # -- menu actions (any thread) -----------------------------------------------------------------------

    def on_action(self, action: Action) -> None:
        if action is Action.SYNC:
            self.controller.request_sync(SyncRequest(trigger="manual"))
        elif action is Action.SYNC_ALL:
            self.controller.request_sync(SyncRequest(kind="everything", trigger="manual"))
        elif action is Action.PAUSE:
            self.post(self.toggle_pause)
        elif action is Action.PAUSE_HOUR:
            self.post(lambda: self.pause_for(PAUSE_FOR_S))
        elif action is Action.PROBLEMS:
            self.post(self.show_problems)
        elif action is Action.ABOUT:
            self.post(self.show_about)
        elif action is Action.LOG_FOLDER:
            open_folder(self.paths.log_dir)
        elif action is Action.SETTINGS:
            self.post(self.open_settings)
        elif action is Action.FAILED_RECEIPTS:
            self.post(self.open_failed_receipts)
        elif action is Action.AVSTAMNING:
            self.post(self.open_avstamning)
        elif action is Action.SUPPORT_BUNDLE:
            self.post(self.make_support_bundle)
        elif action is Action.QUIT:
            self.post(self.quit)

    # -- Tk thread ---------------------------------------------------------------------------------------

    def toggle_pause(self) -> None:
        if self.controller.state.paused:
            self.resume()
        else:
            self._cancel_resume()
            self.scheduler.pause()
            self.controller.set_paused(True)

    def pause_for(self, seconds: float) -> None:
        """A timed pause: the schedule resumes by itself (a Tk timer), and the menu says until when."""
        assert self.root is not None
        self._cancel_resume()
        self.scheduler.pause()
        until = self.clock.now() + timedelta(seconds=seconds)
        self.controller.set_paused(True, until)
        self._resume_job = self.root.after(int(seconds * 1000), self.resume)
        log.info("schedule paused for %.0f s", seconds)

    def resume(self) -> None:
        self._cancel_resume()
        self.scheduler.resume()
        self.controller.set_paused(False)
        self._show_next_sync()

    def _cancel_resume(self) -> None:
        if self._resume_job is not None and self.root is not None:
            self.root.after_cancel(self._resume_job)
        self._resume_job = None

    def _show_next_sync(self) -> None:
        """The menu's "Nästa ..." line, from the scheduler (polled: its next time moves on by itself)."""
        self._show_next_sync_once()
        if self.root is not None and not self.controller.state.quitting:
            self.root.after(NEXT_SYNC_POLL_MS, self._show_next_sync)

    def show_about(self) -> None:
        assert self.root is not None
        when = self.controller.state.last_finished_at
        last = f"\nSenaste synkronisering: {when_text(when, self.clock.now())}" if when else ""
        messagebox.showinfo(
            TITLE,
            f"Kassasync {__version__}\nSkickar kassans kvitton till Fortnox.{last}",
            parent=self.root,
        )

    def open_settings(self) -> SettingsDialog:
        assert self.root is not None
        values = FormValues.from_settings(
            self.settings, autostart_now=is_enabled(self.services.autostart, self.services.autostart_command)
        )
        find = self.services.lookups
        return SettingsDialog(
            self.root,
            values,
            base=self.settings,
            on_save=self.apply_settings,
            login=self._login if self.services.login else None,
            logout=self.services.logout,
            lookups=find(self.settings) if find else None,
            lookups_after_login=(lambda: find(self.settings)) if find else None,
            on_notice=lambda text: self.notify(Notice(TITLE, text)),
        )

    def _login(self, show_url: UrlShower, stock_module: bool) -> ConnectedCompany:
        """Runs on the dialog's worker thread. The login stores the company through ``self.store``,
        whose change the agent follows; here only the controller hears that the login worked."""
        assert self.services.login is not None
        company = self.services.login(show_url, stock_module)
        self.post(self.controller.logged_in)
        return company

    def apply_settings(self, settings: Settings) -> None:
        """OK in the dialog: save atomically, then apply without restart."""
        self.store.replace(settings)
        self._follow(settings, saved=True)
        reconcile(settings.autostart, self.services.autostart, self.services.autostart_command)
        log.info("settings saved and applied")

    def _follow(self, settings: Settings, *, saved: bool = False) -> None:
        """The Tk thread applies new settings: saved by OK (``saved``: the schedule starts afresh), a
        login or logout, or another program (its schedule applied only when it changed)."""
        before, self._applied = self._applied, settings
        if not saved and settings == before:
            return
        moved = settings.company_path != before.company_path  # another register: another offset
        if saved or moved or settings.schedule != before.schedule:
            self.scheduler.apply(settings.schedule, schedule_offset_s(settings))
        self.controller.set_notifications(settings.notifications)
        self.controller.refresh_failed_count()
        self.controller.set_up(setup_missing(settings))
        self._show_next_sync_once()

    def _show_next_sync_once(self) -> None:
        self.controller.set_next_sync(None if self.scheduler.paused else self.scheduler.next_run_time)

    def open_failed_receipts(self) -> None:
        assert self.root is not None
        receipts = failed_receipts_of(self.settings)

        def resend(keys: list[str]) -> None:
            self.controller.request_sync(SyncRequest(resend=tuple(keys), trigger="manual"))

        FailedReceiptsDialog(self.root, receipts, resend)

    def open_avstamning(self) -> None:
        reconcile = self.services.reconcile
        if reconcile is None:  # a test's agent without Fortnox
            return
        open_avstamning(
            self.root,
            lambda request, progress: reconcile(self.settings, request, progress),
            self.post,
            self.clock,
        )

    # -- the problems window (issue 16): every problem of the last report, with "Försök igen" ----------

    def show_problems(self) -> ProblemsWindow:
        """Open (or raise) the problems window on the Tk thread; it follows each new report."""
        assert self.root is not None
        report = self.controller.state.last_report
        problems = report.errors if report is not None else ()
        window = self.problems_window
        if window is not None and window.exists():
            window.update(problems)
            window.top.deiconify()
            window.top.lift()
            return window
        retry = lambda: self.controller.request_sync(SyncRequest(trigger="manual"))  # noqa: E731
        self.problems_window = ProblemsWindow(self.root, problems, retry)
        if not self._problems_followed:
            self._problems_followed = True
            self.controller.subscribe(lambda state: self.post(lambda: self._refresh_problems(state)))
        return self.problems_window

    def _refresh_problems(self, state: AppState) -> None:
        window = self.problems_window
        if window is None or not window.exists() or state.syncing or state.last_report is None:
            return
        if (
            window.problems != state.last_report.errors
            or str(window.retry_button.cget("state")) == "disabled"
        ):
            window.update(state.last_report.errors)

    def make_support_bundle(self) -> None:
        folder = filedialog.askdirectory(title="Var ska supportpaketet sparas?", mustexist=True)
        if not folder:
            return
        path = create_support_bundle(
            Path(folder),
            log_dir=self.paths.log_dir,
            settings_file=self.paths.settings_file,
            now=self.clock.now(),
        )
        messagebox.showinfo(TITLE, f"Supportpaketet är sparat:\n{path}")

    def quit(self) -> None:
        log.info("quitting")
        if not self.controller.quit(QUIT_TIMEOUT_S):
            log.warning("quitting with a sync still running; its receipts stay queued or in 'sending'")
        self.scheduler.shutdown()
        if self.tray is not None:
            self.tray.stop()
        if self.root is not None:
            self.root.quit()
