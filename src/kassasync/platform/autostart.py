"""Start with Windows (HKCU Run value) or with the Linux desktop session (XDG autostart entry).

The setting and the real state must agree: users and installers change the Run key behind our back, and
an entry that points at an old install path starts nothing. ``reconcile`` makes the real state follow the
setting and returns what is really there, which is what the settings dialog shows.
"""

from __future__ import annotations

import logging
import os
import shlex
import sys
from pathlib import Path
from typing import Any, Protocol

from kassasync.atomic import write_atomically
from kassasync.platform.constants import APP_DISPLAY_NAME, RUN_KEY_PATH, RUN_VALUE_NAME, XDG_DESKTOP_FILE

log = logging.getLogger(__name__)


class Autostart(Protocol):
    def command(self) -> str | None:
        """The command registered now, or None when nothing is registered."""
        ...

    def enable(self, command: str) -> None: ...

    def disable(self) -> None: ...


class Registry(Protocol):
    """The subset of ``winreg`` used here; tests pass a fake with the same names and semantics."""

    HKEY_CURRENT_USER: Any
    KEY_READ: int
    KEY_SET_VALUE: int
    REG_SZ: int

    def CreateKeyEx(self, key: Any, sub_key: str, reserved: int = 0, access: int = ...) -> Any: ...

    def OpenKey(self, key: Any, sub_key: str, reserved: int = 0, access: int = ...) -> Any: ...

    def QueryValueEx(self, key: Any, name: str) -> tuple[Any, int]: ...

    def SetValueEx(self, key: Any, name: str, reserved: int, type: int, value: Any) -> None: ...

    def DeleteValue(self, key: Any, name: str) -> None: ...

    def CloseKey(self, key: Any) -> None: ...


class WindowsRunKey:
    def __init__(self, registry: Registry) -> None:
        self._reg = registry

    def command(self) -> str | None:
        reg = self._reg
        try:
            key = reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY_PATH, 0, reg.KEY_READ)
        except FileNotFoundError:
            return None
        try:
            value, kind = reg.QueryValueEx(key, RUN_VALUE_NAME)
        except FileNotFoundError:
            return None
        finally:
            reg.CloseKey(key)
        return str(value) if kind == reg.REG_SZ else None

    def enable(self, command: str) -> None:
        reg = self._reg
        key = reg.CreateKeyEx(reg.HKEY_CURRENT_USER, RUN_KEY_PATH, 0, reg.KEY_SET_VALUE)
        try:
            reg.SetValueEx(key, RUN_VALUE_NAME, 0, reg.REG_SZ, command)
        finally:
            reg.CloseKey(key)

    def disable(self) -> None:
        reg = self._reg
        try:
            key = reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY_PATH, 0, reg.KEY_SET_VALUE)
        except FileNotFoundError:
            return
        try:
            reg.DeleteValue(key, RUN_VALUE_NAME)
        except FileNotFoundError:
            pass
        finally:
            reg.CloseKey(key)


def xdg_config_home(configured: Path | None) -> Path:
    """``configured``: ``Environment.xdg_config_home`` (``XDG_CONFIG_HOME``)."""
    return configured if configured is not None else Path.home() / ".config"


class XdgAutostart:
    def __init__(self, config_home: Path | None = None) -> None:
        """``config_home``: the XDG config folder (``xdg_config_home``); ~/.config when None."""
        self.path = xdg_config_home(config_home) / "autostart" / XDG_DESKTOP_FILE

    def command(self) -> str | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            return None
        entries = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
        if entries.get("Hidden", "false").lower() == "true":
            return None
        if entries.get("X-GNOME-Autostart-enabled", "true").lower() == "false":
            return None
        return entries.get("Exec")

    def enable(self, command: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entry = (
            "[Desktop Entry]\n"
            "Type=Application\n"
            f"Name={APP_DISPLAY_NAME}\n"
            "Comment=Kassan och Fortnox i takt\n"
            f"Exec={command}\n"
            "Terminal=false\n"
            "X-GNOME-Autostart-enabled=true\n"
        )
        write_atomically(self.path, entry)

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)


def launch_command(executable: str | None = None, frozen: bool | None = None) -> str:
    """How the agent starts at login: the installed exe, or this Python running the module."""
    exe = executable or sys.executable
    is_frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    if os.name == "nt":
        if not is_frozen:
            exe = str(Path(exe).with_name("pythonw.exe"))
            return f'"{exe}" -m kassasync tray'
        return f'"{exe}" tray'
    parts = [exe, "tray"] if is_frozen else [exe, "-m", "kassasync", "tray"]
    return shlex.join(parts)


def default_autostart(xdg_config: Path | None) -> Autostart:
    """The Run key on Windows; the XDG entry under ``xdg_config`` (``XDG_CONFIG_HOME``) elsewhere."""
    if sys.platform == "win32":
        import winreg

        return WindowsRunKey(winreg)
    return XdgAutostart(xdg_config)


def reconcile(wanted: bool, autostart: Autostart, command: str) -> bool:
    """Make the registered state follow the setting; True when autostart is really on afterwards."""
    current = autostart.command()
    try:
        if wanted and current != command:
            autostart.enable(command)
            log.info("autostart enabled: %s (was %r)", command, current)
        elif not wanted and current is not None:
            autostart.disable()
            log.info("autostart disabled (was %r)", current)
    except OSError:
        log.exception("could not change autostart")
    return is_enabled(autostart, command)


def is_enabled(autostart: Autostart, command: str) -> bool:
    """On only when the registered command is ours: a stale path from an old install starts nothing."""
    return autostart.command() == command
