"""Which pystray backend the tray uses, chosen before pystray is imported (it picks at import time).

Windows keeps pystray's win32 backend. On Linux pystray's plain X11 backend asks the X server for no
mouse events, so its icon never reacts to a click; the GTK backend (``Gtk.StatusIcon``, docked by XEmbed
in trayer, and in most panels' "system tray") gives a real menu. AppIndicator needs a StatusNotifier host
instead; ``PYSTRAY_BACKEND=appindicator`` picks it where the panel has one. ``PYSTRAY_BACKEND`` set by the
user always wins.

pystray's GTK backend also opens the D-Bus session bus for notifications before it marks the icon ready;
with no session bus (a bare X session, a kiosk) that raises and the icon never appears. The subclass here
keeps the icon and reports "no notifications" instead, so the app logs them (``LogNotifier``).
"""

from __future__ import annotations

import importlib
import logging
import sys
from functools import cache
from typing import Any

from kassasync.environment import steer_pystray

log = logging.getLogger(__name__)


def gtk_available() -> bool:
    try:
        import gi

        gi.require_version("Gtk", "3.0")
        importlib.import_module("gi.repository.Gtk")
    except (ImportError, ValueError):
        return False
    return True


def choose_backend(configured: str | None) -> str | None:
    """The backend to ask pystray for (``configured``: ``Environment.pystray_backend``); None leaves
    pystray's own choice (Windows, macOS)."""
    if configured:
        return configured
    if sys.platform.startswith("linux") and gtk_available():
        return "gtk"
    return None


class _NoNotifications:
    """Stands in for pystray's D-Bus notifier when there is no session bus: notifications go to the log."""

    def notify(self, title: str, message: str, _icon: object) -> None:
        log.info("notification (no D-Bus session here): %s: %s", title, message)

    def hide(self) -> None:
        """Nothing is shown, so nothing to hide."""


def _gtk_icon(base: Any) -> Any:
    """pystray's GTK icon, made to live without a session bus and to show its title as the tooltip
    (pystray sets only ``Gtk.StatusIcon``'s title, which no tray host shows on hover)."""
    from gi.repository import GLib

    class Icon(base):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # A title set before the tray host has embedded the icon is not passed on to its window.
            self._status_icon.connect("notify::embedded", lambda *_: self._update_title())

        def _update_title(self) -> None:
            def apply() -> bool:
                self._status_icon.set_title(self.title)
                self._status_icon.set_tooltip_text(self.title)
                return False

            GLib.idle_add(apply)

        def _initialize(self) -> None:
            try:
                super()._initialize()
            except GLib.Error as exc:
                log.warning("no D-Bus session bus, so no desktop notifications: %s", exc)
                self._notifier = _NoNotifications()
                self.HAS_NOTIFICATION = False
                self._mark_ready()

    return Icon


@cache
def load_pystray(configured: str | None = None) -> tuple[Any, Any]:
    """pystray and the icon class to use: ``(module, Icon)``."""
    backend = choose_backend(configured)
    if backend:
        steer_pystray(backend)
    if backend == "gtk":
        from gi.repository import GLib

        # Before GTK opens the display: the icon's and the menu's windows are then of class "kassasync",
        # not "__main__.py" (what a tray host, a window rule or a test finds them by).
        GLib.set_prgname("kassasync")
    import pystray

    icon_class = pystray.Icon
    if icon_class.__module__.endswith("_gtk"):
        icon_class = _gtk_icon(icon_class)
    log.info("tray backend: %s", pystray.Icon.__module__)
    return pystray, icon_class
