"""Names the agent shares with the Windows installer (NSIS reads them from here when building).

Kept in one module so an uninstaller removes exactly the Run value the agent wrote, and so the installer
can ask a running agent to quit through the same single-instance name.
"""

from __future__ import annotations

from typing import Final

APP_DISPLAY_NAME: Final = "Kassasync"

# HKCU\Software\Microsoft\Windows\CurrentVersion\Run -> value "Kassasync" = "<exe>" tray
RUN_KEY_PATH: Final = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE_NAME: Final = "Kassasync"

# The single-instance lock: a file in the state folder (paths.AppPaths.instance_lock) on every platform,
# and this name for a Windows mutex the installer checks ("is the agent running?").
MUTEX_NAME: Final = "Local\\Kassasync-agent"
INSTANCE_LOCK_NAME: Final = "agent.lock"

# XDG autostart entry on Linux: $XDG_CONFIG_HOME/autostart/kassasync.desktop
XDG_DESKTOP_FILE: Final = "kassasync.desktop"
