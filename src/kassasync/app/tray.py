"""The pystray binding: renders the tray model, forwards clicks. No decisions are made here.

Menu callbacks run on pystray's thread and only hand the action on (pystray swallows exceptions from
them, so the handler is wrapped and logs). Backends without a menu (pystray's plain X11 backend) get the
same menu as a popup drawn by the Tk thread when the icon is clicked: ``popup_menu`` is called instead.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import pystray

from kassasync.app.icons import icon_image
from kassasync.app.notify import Notice
from kassasync.app.state import AppState
from kassasync.app.tray_model import Action, Icon, MenuEntry, TrayView, render
from kassasync.clock import Clock, SystemClock

log = logging.getLogger(__name__)

SPINNER_INTERVAL_S = 0.125
X11 = pystray.Icon.__module__.endswith("_xorg")
X11_PACE_S = 0.02
DOCK_SETTLE_S = 0.5
ICON_SIZE = 64


class Tray:
    def __init__(
        self,
        on_action: Callable[[Action], None],
        *,
        popup_menu: Callable[[TrayView], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._on_action = on_action
        self._popup_menu = popup_menu
        self._clock: Clock = clock or SystemClock()
        self._lock = threading.Lock()
        # One writer at a time to the icon: the spinner and the controller's thread would otherwise
        # interleave requests on one X connection, and a late spinner frame could paint over a new state.
        self._draw = threading.Lock()
        self._view = render(AppState(), self._clock.now())
        self._frame = 0
        self._spin = threading.Event()
        self._stopped = threading.Event()
        self._icon: Any = pystray.Icon(
            "kassasync",
            icon=icon_image(self._view.icon, ICON_SIZE),
            title=self._title(self._view.tooltip),
            menu=pystray.Menu(*self._items()),
        )
        self._loop: threading.Thread | None = None
        self._spinner = threading.Thread(target=self._animate, name="kassasync-tray-spinner", daemon=True)

    @staticmethod
    def _title(text: str) -> str:
        """pystray's X11 backend writes the title as a Latin-1 STRING: other characters would raise."""
        if X11:
            return text.encode("latin-1", "replace").decode("latin-1")
        return text

    @property
    def has_menu(self) -> bool:
        return bool(self._icon.HAS_MENU)

    @property
    def has_notification(self) -> bool:
        return bool(self._icon.HAS_NOTIFICATION)

    @property
    def view(self) -> TrayView:
        with self._lock:
            return self._view

    def _items(self) -> list[Any]:
        items: list[Any] = []
        for index, entry in enumerate(self._view.menu):
            items.append(
                pystray.MenuItem(
                    lambda _item, i=index: self.view.menu[i].label,
                    self._handler(entry),
                    checked=(lambda _item, i=index: bool(self.view.menu[i].checked))
                    if entry.checked is not None
                    else None,
                    enabled=lambda _item, i=index: self.view.menu[i].enabled,
                    default=entry.default,
                )
            )
            if entry.action in (Action.SYNC_ALL, Action.SUPPORT_BUNDLE, Action.PAUSE):
                items.append(pystray.Menu.SEPARATOR)
        return items

    def _handler(self, entry: MenuEntry) -> Callable[[Any, Any], None]:
        def handle(_icon: Any, _item: Any) -> None:
            try:
                if entry.default and not self.has_menu and self._popup_menu is not None:
                    self._popup_menu(self.view)  # no native menu: a click opens ours
                else:
                    self._on_action(entry.action)
            except Exception:  # pystray swallows callback errors silently; make them visible
                log.exception("tray action %s failed", entry.action)

        return handle

    def show(self, state: AppState) -> None:
        """Called by the controller on any thread; pystray's setters are safe to call from others."""
        view = render(state, self._clock.now())
        with self._draw:
            with self._lock:
                previous, self._view = self._view, view
            if view.icon is Icon.SYNCING:
                self._spin.set()
            else:
                self._spin.clear()
            if view.icon is not previous.icon:
                self._paced(setattr, self._icon, "icon", icon_image(view.icon, ICON_SIZE, self._frame))
            if view.tooltip != previous.tooltip:
                self._paced(setattr, self._icon, "title", self._title(view.tooltip))
            if view.icon is not previous.icon or view.tooltip != previous.tooltip:
                self._flush()
            if view.menu != previous.menu and self.has_menu:
                self._icon.update_menu()

    def _flush(self) -> None:
        """pystray's X11 backend draws and names the icon on its own thread and leaves those requests in
        the connection's buffer until that thread next writes; with no further traffic (the spinner just
        stopped) the icon and tooltip would stay stale. One more round trip makes them go out."""
        if X11 and self._icon.visible:
            self._paced(self._icon._update_title)

    @staticmethod
    def _paced(change: Callable[..., object], *args: Any) -> None:
        """One change to the icon; on X11 then a breath for pystray's loop to get back to reading.
        Back-to-back changes from another thread can deadlock python-xlib (0.33) inside pystray's
        loop (seen as a hung tray start in about one test run in fifteen); spacing them avoids it."""
        change(*args)
        if X11:
            time.sleep(X11_PACE_S)

    def _on_ready(self, icon: Any) -> None:
        """pystray stores title changes made before the icon is visible without applying them (and skips
        a set to the same value), so the newest title is re-applied once visible."""
        with self._draw:
            self._paced(setattr, icon, "visible", True)
            view = self.view
            self._paced(setattr, icon, "icon", icon_image(view.icon, ICON_SIZE, self._frame))
            self._paced(setattr, icon, "title", "")
            self._paced(setattr, icon, "title", self._title(view.tooltip))
            self._flush()
        settle = threading.Timer(DOCK_SETTLE_S, self._redraw)
        settle.daemon = True
        settle.start()

    def _redraw(self) -> None:
        """Once the tray host has embedded the icon: paint it again. A paint made while docking can land
        on a window not yet mapped, and pystray's repaint on Expose is not always flushed."""
        with self._draw:
            if not self._stopped.is_set():
                self._paced(setattr, self._icon, "icon", icon_image(self.view.icon, ICON_SIZE, self._frame))
                self._flush()

    def notify(self, notice: Notice) -> None:
        if self.has_notification:
            with self._draw:
                self._icon.notify(notice.message, notice.title)
        else:
            log.info("notification (no notification area on this desktop): %s", notice.message)

    def start(self) -> None:
        """pystray's loop on a thread of ours. Not ``run_detached()``: on X11 that starts the setup
        thread twice and one of them waits forever, so the process never exits (pystray 0.19.5)."""
        self._loop = threading.Thread(
            target=self._icon.run, kwargs={"setup": self._on_ready}, name="kassasync-tray", daemon=True
        )
        self._loop.start()
        self._spinner.start()

    def stop(self) -> None:
        self._stopped.set()
        self._spin.set()
        with self._draw:
            self._icon.stop()
        if self._loop is not None:
            self._loop.join(2.0)

    def _animate(self) -> None:
        while not self._stopped.is_set():
            self._spin.wait()
            if self._stopped.wait(SPINNER_INTERVAL_S):
                return
            with self._draw:
                if self._spin.is_set() and self.view.icon is Icon.SYNCING:
                    self._frame += 1
                    self._paced(setattr, self._icon, "icon", icon_image(Icon.SYNCING, ICON_SIZE, self._frame))
