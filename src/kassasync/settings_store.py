"""The settings store: the one writer of settings.json, and the one place that follows it.

Before, five places wrote the file (the agent, the login, ``kassasync login|logout``, the settings
and autostart commands, the demo), and the agent repaired afterwards what a login had written behind
its back. Now each process has one ``SettingsStore`` (built by ``app/compose.py``) and everything
goes through it: ``current()`` to read, ``update(change)`` to write (atomically, through
``config.save_settings``), ``subscribe(listener)`` to follow. In the tray process the dialog's login
writes through the agent's own store, so the agent hears of it at once. A ``kassasync login`` in a
terminal while the agent runs is another process: the agent's store notices that the file changed
(its modification time, size or inode differ from what it last read or wrote) the next time
``current()`` is asked (the agent asks every 250 ms) and reads it again.

``update`` applies its change to the newest settings (re-read first if the file changed), so a login
that only adds the Fortnox company never undoes a choice another process saved meanwhile.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from kassasync.config import Settings, load_settings, save_settings
from kassasync.errors import ConfigError

log = logging.getLogger(__name__)

Listener = Callable[[Settings], None]
Change = Callable[[Settings], Settings]
_Stamp = tuple[int, int, int] | None


def _stamp(path: Path) -> _Stamp:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return (status.st_mtime_ns, status.st_size, status.st_ino)


class SettingsStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._settings: Settings | None = None
        self._seen: _Stamp = None
        self._listeners: list[Listener] = []

    def load(self) -> Settings:
        """Read the file now; ``ConfigError`` (a Swedish message) when it cannot be used."""
        with self._lock:
            stamp = _stamp(self.path)
            settings = load_settings(self.path)
            self._settings, self._seen = settings, stamp
            return settings

    def assume(self, settings: Settings) -> None:
        """Work with ``settings`` (the defaults, when the file is unreadable) until the file changes."""
        with self._lock:
            self._settings, self._seen = settings, _stamp(self.path)

    def current(self) -> Settings:
        """The settings, read again when the file changed since; listeners hear of a change."""
        with self._lock:
            before = self._settings
            if before is None:
                return self.load()
            if _stamp(self.path) == self._seen:
                return before
            try:
                now = self.load()
            except ConfigError as exc:
                log.warning("the settings file changed but cannot be read; keeping the last: %s", exc.detail)
                self._seen = _stamp(self.path)
                return before
        if now != before:
            log.info("settings file changed by another program; following it")
            self._tell(now)
        return now

    def update(self, change: Change) -> Settings:
        """Write ``change(newest settings)`` atomically; listeners hear of it. Returns what was saved."""
        with self._lock:
            try:
                base = self.current()
            except ConfigError:
                base = self._settings or Settings()  # save_settings moves the unreadable file aside
            chosen = change(base)
            save_settings(chosen, self.path)
            self._settings, self._seen = chosen, _stamp(self.path)
        if chosen != base:
            self._tell(chosen)
        return chosen

    def replace(self, settings: Settings) -> Settings:
        """Save ``settings`` whole (the dialog's OK, ``kassasync config set``)."""
        return self.update(lambda _current: settings)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` (on the writer's or reader's thread) with each new settings; returns undo."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def _tell(self, settings: Settings) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(settings)
            except Exception:  # a listener's bug must not undo a save that happened
                log.exception("settings listener failed")
