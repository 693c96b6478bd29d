"""Every path the agent uses, decided in one place.

On Windows these land in ``%LOCALAPPDATA%\\Kassasync\\...``; on Linux in the XDG folders. Setting
``KASSASYNC_HOME`` (read once into ``Environment.home`` and passed to ``app_paths``) puts everything under
one folder instead: the tests, the demo and a support session use it so that nothing touches the user's
real settings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "Kassasync"
HOME_ENV = "KASSASYNC_HOME"


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    log_dir: Path
    state_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def token_file(self) -> Path:
        """Fallback token store, used only where no OS keyring exists (readable by the user alone)."""
        return self.state_dir / "tokens.json"

    @property
    def token_lock(self) -> Path:
        """Held while refreshing: Fortnox refresh tokens work once, so only one process may refresh."""
        return self.state_dir / "tokens.lock"

    @property
    def sync_lock(self) -> Path:
        """Held during a sync run, so the CLI and the tray never sync at the same time."""
        return self.state_dir / "sync.lock"

    @property
    def instance_lock(self) -> Path:
        return self.state_dir / "agent.lock"

    @property
    def quit_request(self) -> Path:
        """Written by ``kassasync quit`` (the installer, before an upgrade); the agent polls for it.
        A file, not a signal: Windows has no SIGTERM for a windowed process."""
        return self.state_dir / "quit.request"

    @property
    def backup_dir(self) -> Path:
        return self.state_dir / "backups"

    def ensure(self) -> AppPaths:
        """Create the folders, private to the user (the token file fallback lives here)."""
        for folder in (self.config_dir, self.log_dir, self.state_dir):
            folder.mkdir(parents=True, exist_ok=True)
            if os.name != "nt":
                folder.chmod(0o700)
        return self


def app_paths(home: Path | None) -> AppPaths:
    """``home``: ``Environment.home`` (``KASSASYNC_HOME``); None for the user's own folders."""
    if home is not None:
        root = home
        return AppPaths(config_dir=root / "config", log_dir=root / "logs", state_dir=root / "state")
    return AppPaths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False, roaming=False)),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        state_dir=Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
    )
