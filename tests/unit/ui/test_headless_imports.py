"""The agent and every UI module but the tray import on a machine without a display (a service account,
a CI runner, `kassasync config` over SSH), and importing them does not load pystray: only starting the
tray icon does. Checked in a fresh interpreter with DISPLAY removed, so it stays true."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys

import kassasync.ui

UI_MODULES = sorted(
    f"kassasync.ui.{module.name}"
    for module in pkgutil.iter_modules(kassasync.ui.__path__)
    if module.name != "tray"
)
IMPORT_ALL = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(",".join(sorted(name for name in ("pystray", "gi", "Xlib") if name in sys.modules)))
"""


def test_the_agent_and_the_ui_modules_import_without_a_display_and_without_pystray() -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}

    done = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, "kassasync.app.agent", *UI_MODULES],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""  # no tray library loaded by an import
    assert "kassasync.ui.settings_dialog" in UI_MODULES and "kassasync.ui.tk_pump" in UI_MODULES
