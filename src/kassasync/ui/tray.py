"""The pystray binding: renders the tray model, forwards clicks. No decisions are made here.

One thread owns the icon (``kassasync-tray-owner``): it is the only caller of pystray. The controller,
the Tk thread and anyone else only post to its queue (a new state, a notification, stop); the owner
coalesces what piled up and applies the difference, and it also times the spinner. So no two threads
ever talk to pystray at once (the old design let the spinner, the controller's thread and the Tk thread
call it, which deadlocked python-xlib inside pystray's X11 loop about one start in forty), and a redraw
only changes the image: the icon is made visible once, never asked to dock again.

Menu callbacks run on pystray's loop thread and only hand the action on (pystray swallows exceptions
from them, so the handler is wrapped and logs).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kassasync.clock import Clock, SystemClock
from kassasync.ui.icons import icon_image
from kassasync.ui.notify import Notice
from kassasync.ui.state import AppState
from kassasync.ui.tray_backend import load_pystray
from kassasync.ui.tray_model import Action, Icon, MenuEntry, TrayView, render

log = logging.getLogger(__name__)

SPINNER_INTERVAL_S = 0.125
READY_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 1.0
ICON_SIZE = 64


@dataclass(frozen=True)
class _Show:
    view: TrayView


@dataclass(frozen=True)
class _Notify:
    notice: Notice


class _Stop:
    pass


_Request = _Show | _Notify | _Stop


class Tray:
    def __init__(
        self, on_action: Callable[[Action], None], *, clock: Clock | None = None, backend: str | None = None
    ) -> None:
        self._on_action = on_action
        self._clock: Clock = clock or SystemClock()
        self._pystray, icon_class = load_pystray(backend)  # backend: Environment.pystray_backend
        self._lock = threading.Lock()
        self._view = render(AppState(), self._clock.now())
        self._requests: queue.Queue[_Request] = queue.Queue()
        self._ready = threading.Event()
        self._stopping = threading.Event()
        # Made here, on the starting thread, before either of the threads below exists.
        self._icon: Any = icon_class(
            "kassasync",
            icon=icon_image(self._view.icon, ICON_SIZE),
            title=self._title(self._view.tooltip),
            menu=self._menu(self._view.menu),
        )
        self._loop = threading.Thread(target=self._run_loop, name="kassasync-tray-loop", daemon=True)
        self._owner = threading.Thread(target=self._serve, name="kassasync-tray-owner", daemon=True)

    @property
    def has_menu(self) -> bool:
        return bool(self._icon.HAS_MENU)

    @property
    def has_notification(self) -> bool:
        return bool(self._icon.HAS_NOTIFICATION)

    @property
    def view(self) -> TrayView:
        """The newest view asked for (the owner may not have drawn it yet)."""
        with self._lock:
            return self._view

    # -- any thread ---------------------------------------------------------------------------------------

    def show(self, state: AppState) -> None:
        """Called by the controller on any thread: renders, and posts the view to the owner."""
        view = render(state, self._clock.now())
        with self._lock:
            self._view = view
        self._requests.put(_Show(view))

    def notify(self, notice: Notice) -> None:
        self._requests.put(_Notify(notice))

    def start(self) -> None:
        self._loop.start()
        self._owner.start()

    def stop(self) -> None:
        """Asks the owner to take the icon down and waits a moment for it; never blocks the caller long."""
        self._stopping.set()
        self._requests.put(_Stop())
        self._owner.join(STOP_TIMEOUT_S)
        self._loop.join(STOP_TIMEOUT_S)
        if self._owner.is_alive() or self._loop.is_alive():
            log.warning("the tray icon did not stop within %.1f s", STOP_TIMEOUT_S)

    # -- pystray's loop thread ----------------------------------------------------------------------------

    def _run_loop(self) -> None:
        try:
            self._icon.run(setup=lambda _icon: self._ready.set())
        except Exception:  # the thread's boundary: without an icon the agent still syncs on schedule
            log.exception("the tray icon's loop failed")

    def _menu(self, entries: tuple[MenuEntry, ...]) -> Any:
        pystray = self._pystray
        items: list[Any] = []
        for entry in entries:
            action: Any = self._handler(entry.action) if entry.action is not None else None
            if entry.submenu:
                action = self._menu(entry.submenu)
            items.append(
                pystray.MenuItem(
                    entry.label,
                    action,
                    checked=(lambda _item, on=bool(entry.checked): on) if entry.checked is not None else None,
                    enabled=entry.enabled,
                    default=entry.default,
                )
            )
            if entry.separator_after:
                items.append(pystray.Menu.SEPARATOR)
        return pystray.Menu(*items)

    def _handler(self, action: Action) -> Callable[[Any, Any], None]:
        def handle(_icon: Any, _item: Any) -> None:
            try:
                self._on_action(action)
            except Exception:  # pystray swallows callback errors silently; make them visible
                log.exception("tray action %s failed", action)

        return handle

    # -- the owner thread: the only caller of pystray -----------------------------------------------------

    def _serve(self) -> None:
        while not self._ready.wait(0.1):
            if self._stopping.is_set() or not self._loop.is_alive():
                return
        shown: TrayView | None = None
        frame, next_frame = 0, time.monotonic() + SPINNER_INTERVAL_S
        self._icon.visible = True  # once: later changes only redraw
        while True:
            spinning = shown is not None and shown.icon is Icon.SYNCING
            wait = max(0.0, next_frame - time.monotonic()) if spinning else None
            view, notices, stop = self._take(wait)
            if stop:
                break
            now = time.monotonic()
            if spinning and view is None and now >= next_frame:
                frame += 1
                self._icon.icon = icon_image(Icon.SYNCING, ICON_SIZE, frame)
            if now >= next_frame:
                next_frame = now + SPINNER_INTERVAL_S
            try:
                if view is not None:
                    self._apply(shown, view, frame)
                    shown = view
                for notice in notices:
                    self._notify(notice)
            except Exception:  # the owner's boundary: a failed redraw must not leave the icon unowned
                log.exception("the tray icon could not be updated")
        # Hidden first: GTK's status icon outlives its loop and would dock again in a new tray host.
        self._icon.visible = False
        self._icon.stop()

    def _take(self, wait: float | None) -> tuple[TrayView | None, list[Notice], bool]:
        """Everything posted so far: the newest view (older ones are skipped), notices in order."""
        view: TrayView | None = None
        notices: list[Notice] = []
        try:
            pending = [self._requests.get(timeout=wait)]
        except queue.Empty:
            return None, notices, False
        while True:
            try:
                pending.append(self._requests.get_nowait())
            except queue.Empty:
                break
        for request in pending:
            if isinstance(request, _Stop):
                return view, notices, True
            if isinstance(request, _Show):
                view = request.view
            else:
                notices.append(request.notice)
        return view, notices, False

    def _apply(self, shown: TrayView | None, view: TrayView, frame: int) -> None:
        if shown is None or view.icon is not shown.icon:
            self._icon.icon = icon_image(view.icon, ICON_SIZE, frame)
        if shown is None:
            self._icon.title = self._title(view.tooltip)
            self._icon._update_title()  # pystray applies no title given before the loop ran
        elif view.tooltip != shown.tooltip:
            self._icon.title = self._title(view.tooltip)
        if (shown is None or view.menu != shown.menu) and self.has_menu:
            self._icon.menu = self._menu(view.menu)

    def _notify(self, notice: Notice) -> None:
        if self.has_notification:
            self._icon.notify(notice.message, notice.title)
        else:
            log.info("notification (no notification area on this desktop): %s", notice.message)

    def _title(self, text: str) -> str:
        """pystray's X11 backend writes the title as a Latin-1 STRING: other characters would raise."""
        if self._pystray.Icon.__module__.endswith("_xorg"):
            return text.encode("latin-1", "replace").decode("latin-1")
        return text
