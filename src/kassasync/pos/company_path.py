"""Where the register's company file is, from the setting: the one way every part resolves it.

"Bläddra" and ``kassasync config set company_path`` accept the company folder or its ``kassa.db``;
both mean the same file. When four places each resolved it their own way, a folder path made the
tray's "Kvitton med fel" empty while the engine failed receipts in the very file, so every reader
(engine, sync lock, tray, settings form, CLI) asks here.
"""

from __future__ import annotations

from pathlib import Path

from kassasync.config import Settings
from kassasync.pos.store import COMPANY_FILE_NAME


def company_db_path(chosen: Path) -> Path:
    """The company file a chosen path means: a folder's ``kassa.db``, or the file itself."""
    path = chosen.expanduser()
    return path / COMPANY_FILE_NAME if path.is_dir() else path


def configured_company_db(settings: Settings) -> Path | None:
    """The company file the settings point at (existing or not); None when none is chosen."""
    return None if settings.company_path is None else company_db_path(settings.company_path)
