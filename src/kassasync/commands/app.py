"""``kassasync tray | settings | autostart | support-bundle``: the desktop agent's commands.

Tk and pystray are imported inside the handlers, so ``kassasync sync`` on a server without a display
never loads them.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path
from typing import Any

from kassasync.app.controller import SyncRunner
from kassasync.config import Settings, load_settings, save_settings
from kassasync.errors import ConfigError
from kassasync.logs import setup_logging
from kassasync.paths import AppPaths, app_paths
from kassasync.platform.autostart import default_autostart, is_enabled, launch_command, reconcile
from kassasync.sync.engine import SyncEngine
from kassasync.sync.events import EventSink, SyncReport, SyncRequest


def make_runner(settings: Settings, paths: AppPaths) -> SyncRunner:
    """The engine as the controller calls it: the only place the app meets ``kassasync.sync.engine``."""

    def run(request: SyncRequest, emit: EventSink, cancel: threading.Event) -> SyncReport:
        return SyncEngine(settings, paths).run(request, emit=emit, cancel=cancel)

    return run


def _load(paths: AppPaths) -> tuple[Settings, str | None]:
    try:
        return load_settings(paths.settings_file), None
    except ConfigError as exc:
        print(exc.user_message, file=sys.stderr)
        return Settings(), exc.user_message


def _say_already_running(message: str) -> None:
    print(message, file=sys.stderr)
    if sys.platform == "win32":  # a gui script has no console: tell the user where they look
        import ctypes

        ctypes.windll.user32.MessageBoxW(None, message, "Kassasync", 0x40)


def _tray(args: argparse.Namespace) -> int:
    return run_tray(app_paths().ensure())


def run_tray(paths: AppPaths) -> int:
    """The tray agent until it quits: ``kassasync tray``, and ``kassasync demo tray`` on the sandbox."""
    from kassasync.app.agent import Agent, Services
    from kassasync.app.fortnox_link import login_with_browser, logout_from_fortnox, lookups_for
    from kassasync.platform.single_instance import ALREADY_RUNNING, SingleInstance

    instance = SingleInstance(paths.instance_lock)
    if not instance.acquire():
        _say_already_running(ALREADY_RUNNING)
        return 1
    try:
        settings, problem = _load(paths)
        # The tray's syncs go to the same daily rotating log as the CLI's ("Se loggfilen", support bundle).
        setup_logging(paths.log_dir, settings.log_level)
        autostart, command = default_autostart(), launch_command()
        holder: dict[str, Agent] = {}

        def run_sync(request: SyncRequest, emit: EventSink, cancel: threading.Event) -> SyncReport:
            return make_runner(holder["agent"].settings, paths)(request, emit, cancel)

        services = Services(
            run_sync=run_sync,
            autostart=autostart,
            autostart_command=command,
            login=lambda show_url, stock_module: login_with_browser(
                holder["agent"].settings, paths, show_url=show_url, stock_module=stock_module
            ),
            lookups=lambda current: lookups_for(current, paths),
            logout=lambda: logout_from_fortnox(holder["agent"].settings, paths),
        )
        agent = Agent(paths, settings, services, settings_problem=problem)
        holder["agent"] = agent
        return agent.run()
    finally:
        instance.release()


def _settings(args: argparse.Namespace) -> int:
    import tkinter as tk

    from kassasync.app.fortnox_link import login_with_browser, logout_from_fortnox, lookups_for
    from kassasync.ui.settings_dialog import SettingsDialog
    from kassasync.ui.settings_form import FormValues

    paths = app_paths().ensure()
    settings, _ = _load(paths)
    autostart, command = default_autostart(), launch_command()
    root = tk.Tk()
    root.withdraw()  # the dialog is a Toplevel of its own, never transient() to this hidden root

    def save(chosen: Settings) -> None:
        save_settings(chosen, paths.settings_file)
        reconcile(chosen.autostart, autostart, command)

    values = FormValues.from_settings(settings, autostart_now=is_enabled(autostart, command))
    dialog = SettingsDialog(
        root,
        values,
        base=settings,
        on_save=save,
        login=lambda show_url, stock_module: login_with_browser(
            settings, paths, show_url=show_url, stock_module=stock_module
        ),
        logout=lambda: logout_from_fortnox(settings, paths),
        lookups=lookups_for(settings, paths),
        lookups_after_login=lambda: lookups_for(load_settings(paths.settings_file), paths),
        on_notice=lambda text: print(text, file=sys.stderr),
    )
    dialog.top.bind("<Destroy>", lambda event: root.quit() if event.widget is dialog.top else None)
    root.mainloop()
    root.destroy()
    return 0 if dialog.result is not None else 1


def _autostart(args: argparse.Namespace) -> int:
    paths = app_paths().ensure()
    settings, problem = _load(paths)
    autostart, command = default_autostart(), launch_command()
    if args.action == "status":
        real, remembered = is_enabled(autostart, command), settings.autostart
        print(f"Starta med Windows: {'på' if real else 'av'} (inställningen: {'på' if remembered else 'av'})")
        return 0
    wanted = args.action == "on"
    real = reconcile(wanted, autostart, command)
    if problem is None:
        save_settings(settings.model_copy(update={"autostart": wanted}), paths.settings_file)
    print(f"Starta med Windows: {'på' if real else 'av'}")
    return 0 if real == wanted else 1


def _quit(args: argparse.Namespace) -> int:
    """Ask a running agent to quit and wait for it (the installer runs this before replacing files)."""
    import time

    from kassasync.platform.single_instance import SingleInstance

    paths = app_paths().ensure()
    instance = SingleInstance(paths.instance_lock)
    if not instance.is_held_elsewhere():
        print("Kassasync körs inte.")
        return 0
    paths.quit_request.write_text("quit\n", encoding="utf-8")
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        if not instance.is_held_elsewhere():
            print("Kassasync har avslutats.")
            return 0
        time.sleep(0.2)
    paths.quit_request.unlink(missing_ok=True)
    print(f"Kassasync avslutades inte inom {args.timeout:.0f} sekunder.", file=sys.stderr)
    return 1


def _support_bundle(args: argparse.Namespace) -> int:
    from kassasync.clock import SystemClock
    from kassasync.platform.support_bundle import create_support_bundle

    paths = app_paths()
    path = create_support_bundle(
        Path(args.dest), log_dir=paths.log_dir, settings_file=paths.settings_file, now=SystemClock().now()
    )
    print(path)
    return 0


def register(subparsers: Any) -> None:
    tray = subparsers.add_parser("tray", help="starta Kassasync i aktivitetsfältet")
    tray.set_defaults(handler=_tray)
    settings = subparsers.add_parser("settings", help="öppna inställningarna")
    settings.set_defaults(handler=_settings)
    autostart = subparsers.add_parser("autostart", help="starta med Windows: on, off eller status")
    autostart.add_argument("action", choices=("on", "off", "status"))
    autostart.set_defaults(handler=_autostart)
    quit_agent = subparsers.add_parser("quit", help="be Kassasync i aktivitetsfältet att avsluta")
    quit_agent.add_argument("--timeout", type=float, default=15.0, help="sekunder att vänta (standard 15)")
    quit_agent.set_defaults(handler=_quit)
    bundle = subparsers.add_parser("support-bundle", help="skapa ett supportpaket (zip)")
    bundle.add_argument("--dest", default=".", help="mapp att spara paketet i (standard: här)")
    bundle.set_defaults(handler=_support_bundle)
