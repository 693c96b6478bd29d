"""``kassasync tray | settings | autostart | support-bundle``: the desktop agent's commands.

Tk and pystray are imported inside the handlers, so ``kassasync sync`` on a server without a display
never loads them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kassasync.app.compose import Composition
from kassasync.config import Settings
from kassasync.logs import setup_logging
from kassasync.platform.autostart import is_enabled, reconcile


def _composition(args: argparse.Namespace) -> Composition:
    return Composition(args.environment)


def _load(root: Composition) -> tuple[Settings, str | None]:
    settings, problem = root.load_settings()
    if problem is not None:
        print(problem, file=sys.stderr)
    return settings, problem


def _say_already_running(message: str) -> None:
    print(message, file=sys.stderr)
    if sys.platform == "win32":  # a gui script has no console: tell the user where they look
        import ctypes

        ctypes.windll.user32.MessageBoxW(None, message, "Kassasync", 0x40)


def _tray(args: argparse.Namespace) -> int:
    return run_tray(_composition(args))


def run_tray(root: Composition) -> int:
    """The tray agent until it quits: ``kassasync tray``, and ``kassasync demo tray`` on the sandbox."""
    from kassasync.platform.single_instance import ALREADY_RUNNING, SingleInstance

    paths = root.paths.ensure()
    instance = SingleInstance(paths.instance_lock)
    if not instance.acquire():
        _say_already_running(ALREADY_RUNNING)
        return 1
    try:
        settings, problem = _load(root)
        # The tray's syncs go to the same daily rotating log as the CLI's ("Se loggfilen", support bundle).
        setup_logging(paths.log_dir, settings.log_level)
        return root.agent(settings_problem=problem).run()
    finally:
        instance.release()


def _settings(args: argparse.Namespace) -> int:
    import tkinter as tk

    from kassasync.ui.settings_dialog import SettingsDialog
    from kassasync.ui.settings_form import FormValues

    root = _composition(args)
    root.paths.ensure()
    settings, _ = _load(root)
    autostart, command = root.autostart()
    link = root.fortnox_link
    tk_root = tk.Tk()
    tk_root.withdraw()  # the dialog is a Toplevel of its own, never transient() to this hidden root

    def save(chosen: Settings) -> None:
        root.settings.replace(chosen)
        reconcile(chosen.autostart, autostart, command)

    values = FormValues.from_settings(settings, autostart_now=is_enabled(autostart, command))
    dialog = SettingsDialog(
        tk_root,
        values,
        base=settings,
        on_save=save,
        login=lambda show_url, stock_module: link.login(show_url=show_url, stock_module=stock_module),
        logout=link.logout,
        lookups=link.lookups(settings),
        lookups_after_login=lambda: link.lookups(root.settings.current()),
        on_notice=lambda text: print(text, file=sys.stderr),
    )
    dialog.top.bind("<Destroy>", lambda event: tk_root.quit() if event.widget is dialog.top else None)
    tk_root.mainloop()
    tk_root.destroy()
    return 0 if dialog.result is not None else 1


def _autostart(args: argparse.Namespace) -> int:
    root = _composition(args)
    root.paths.ensure()
    settings, problem = _load(root)
    autostart, command = root.autostart()
    if args.action == "status":
        real, remembered = is_enabled(autostart, command), settings.autostart
        print(f"Starta med Windows: {'på' if real else 'av'} (inställningen: {'på' if remembered else 'av'})")
        return 0
    wanted = args.action == "on"
    real = reconcile(wanted, autostart, command)
    if problem is None:
        root.settings.update(lambda current: current.model_copy(update={"autostart": wanted}))
    print(f"Starta med Windows: {'på' if real else 'av'}")
    return 0 if real == wanted else 1


def _quit(args: argparse.Namespace) -> int:
    """Ask a running agent to quit and wait for it (the installer runs this before replacing files)."""
    import time

    from kassasync.platform.single_instance import SingleInstance

    paths = _composition(args).paths.ensure()
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

    paths = _composition(args).paths
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
