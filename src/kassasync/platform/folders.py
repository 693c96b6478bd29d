"""Opening a folder in the desktop's file manager (the tray's "Öppna loggmappen")."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def open_folder(folder: Path) -> None:
    """Explorer on Windows, xdg-open elsewhere; a desktop without one gets the path in the log instead."""
    folder.mkdir(parents=True, exist_ok=True)
    if sys.platform == "win32":
        os.startfile(folder)  # type: ignore[attr-defined,unused-ignore]
    else:
        try:
            subprocess.Popen(["xdg-open", str(folder)], start_new_session=True)
        except OSError:
            log.warning("no xdg-open here; the log folder is %s", folder)
