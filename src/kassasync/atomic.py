"""Replacing a small file whole: settings, tokens, the last sync's result, the autostart entry.

A crash, a full disk or a killed process mid-write must leave the old file or the new one, never half of
either: a half-written settings file would stop the agent at its next start, a half-written token file
would lose the login. Hence a temporary file in the same folder (same file system, so the rename is
atomic), flushed and fsynced before ``os.replace``, and removed again if anything fails.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str, *, private: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path`` in one step; ``private`` makes it readable by the user only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        if private and sys.platform != "win32":  # mkstemp already makes it 0600; say so explicitly
            os.fchmod(fd, 0o600)
        elif not private and sys.platform != "win32":
            os.fchmod(fd, 0o644)  # what a plain write would have made (mkstemp's default is 0600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
