"""Autostart: the Run value / XDG entry and the setting agree, and the dialog sees the real state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kassasync.environment import read_environment
from kassasync.platform.autostart import WindowsRunKey, XdgAutostart, is_enabled, launch_command, reconcile
from kassasync.platform.constants import RUN_KEY_PATH, RUN_VALUE_NAME

COMMAND = r'"C:\Program Files\Kassasync\Kassasync.exe" tray'


class FakeKey:
    def __init__(self, path: str, access: int) -> None:
        self.path, self.access, self.closed = path, access, False


class FakeRegistry:
    """An in-memory HKCU with winreg's calling conventions: FileNotFoundError for missing keys/values."""

    HKEY_CURRENT_USER = "HKCU"
    KEY_READ = 0x20019
    KEY_SET_VALUE = 0x0002
    REG_SZ = 1
    REG_DWORD = 4

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, tuple[Any, int]]] = {}
        self.open_keys: list[FakeKey] = []

    def _open(self, root: str, sub_key: str, access: int, create: bool) -> FakeKey:
        assert root == self.HKEY_CURRENT_USER
        if sub_key not in self.keys:
            if not create:
                raise FileNotFoundError(2, "The system cannot find the file specified")
            self.keys[sub_key] = {}
        key = FakeKey(sub_key, access)
        self.open_keys.append(key)
        return key

    def CreateKeyEx(self, key: Any, sub_key: str, reserved: int = 0, access: int = 0) -> FakeKey:
        return self._open(key, sub_key, access, create=True)

    def OpenKey(self, key: Any, sub_key: str, reserved: int = 0, access: int = 0) -> FakeKey:
        return self._open(key, sub_key, access, create=False)

    def QueryValueEx(self, key: FakeKey, name: str) -> tuple[Any, int]:
        assert not key.closed
        try:
            return self.keys[key.path][name]
        except KeyError:
            raise FileNotFoundError(2, "value not found") from None

    def SetValueEx(self, key: FakeKey, name: str, reserved: int, type: int, value: Any) -> None:
        assert key.access & self.KEY_SET_VALUE, "key not opened for writing"
        self.keys[key.path][name] = (value, type)

    def DeleteValue(self, key: FakeKey, name: str) -> None:
        assert key.access & self.KEY_SET_VALUE, "key not opened for writing"
        try:
            del self.keys[key.path][name]
        except KeyError:
            raise FileNotFoundError(2, "value not found") from None

    def CloseKey(self, key: FakeKey) -> None:
        key.closed = True


def test_turning_autostart_on_writes_the_run_value_and_off_removes_it() -> None:
    registry = FakeRegistry()
    run_key = WindowsRunKey(registry)
    assert reconcile(True, run_key, COMMAND) is True
    assert registry.keys[RUN_KEY_PATH][RUN_VALUE_NAME] == (COMMAND, registry.REG_SZ)
    assert reconcile(False, run_key, COMMAND) is False
    assert RUN_VALUE_NAME not in registry.keys[RUN_KEY_PATH]
    assert all(key.closed for key in registry.open_keys)


def test_other_programs_run_values_are_left_alone() -> None:
    registry = FakeRegistry()
    registry.keys[RUN_KEY_PATH] = {"OneDrive": ("onedrive.exe /background", registry.REG_SZ)}
    run_key = WindowsRunKey(registry)
    reconcile(True, run_key, COMMAND)
    reconcile(False, run_key, COMMAND)
    assert registry.keys[RUN_KEY_PATH] == {"OneDrive": ("onedrive.exe /background", registry.REG_SZ)}


def test_a_missing_run_key_reads_as_off_and_disabling_it_is_harmless() -> None:
    run_key = WindowsRunKey(FakeRegistry())
    assert run_key.command() is None
    assert reconcile(False, run_key, COMMAND) is False


def test_a_run_value_from_an_old_install_path_is_rewritten() -> None:
    registry = FakeRegistry()
    registry.keys[RUN_KEY_PATH] = {RUN_VALUE_NAME: (r'"C:\Old\Kassasync.exe" tray', registry.REG_SZ)}
    run_key = WindowsRunKey(registry)
    assert is_enabled(run_key, COMMAND) is False  # the dialog shows it as off: it would start nothing
    assert reconcile(True, run_key, COMMAND) is True
    assert run_key.command() == COMMAND


def test_a_run_value_of_the_wrong_type_counts_as_off() -> None:
    registry = FakeRegistry()
    registry.keys[RUN_KEY_PATH] = {RUN_VALUE_NAME: (1, registry.REG_DWORD)}
    assert WindowsRunKey(registry).command() is None


def test_xdg_entry_honours_xdg_config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    entry = XdgAutostart(read_environment().xdg_config_home)
    assert entry.path == tmp_path / "cfg" / "autostart" / "kassasync.desktop"
    command = launch_command("/opt/kassa sync/bin/python", frozen=False)
    assert reconcile(True, entry, command) is True
    text = entry.path.read_text(encoding="utf-8")
    assert "[Desktop Entry]" in text
    assert "Exec='/opt/kassa sync/bin/python' -m kassasync tray\n" in text
    assert reconcile(False, entry, command) is False
    assert not entry.path.exists()


def test_xdg_entry_disabled_by_the_desktop_reads_as_off(tmp_path: Path) -> None:
    entry = XdgAutostart(tmp_path)
    entry.enable("kassasync tray")
    entry.path.write_text(entry.path.read_text().replace("enabled=true", "enabled=false"))
    assert entry.command() is None
    assert reconcile(True, entry, "kassasync tray") is True
    assert "X-GNOME-Autostart-enabled=true" in entry.path.read_text()


def test_the_frozen_exe_starts_the_tray_directly() -> None:
    assert launch_command("/opt/Kassasync/kassasync", frozen=True) == "/opt/Kassasync/kassasync tray"
