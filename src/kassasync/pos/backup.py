"""Backup copies of the company file, made with SQLite's online backup API.

The backup API copies a consistent snapshot while the register keeps writing (a file copy of a WAL
database can miss committed pages still in ``-wal``). Copies are written under a temporary name and
renamed, so a crash never leaves a half copy that looks like a backup; old copies are pruned by count.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)

PREFIX = "kassa-"
SUFFIX = ".db"


def backup_to(conn: sqlite3.Connection, dest_dir: Path, moment: datetime, keep: int) -> Path:
    """Copy the file behind ``conn`` into ``dest_dir``; keep the newest ``keep`` copies."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    dest_dir.mkdir(parents=True, exist_ok=True)
    stamp = moment.strftime("%Y%m%d-%H%M%S-%f")
    target = dest_dir / f"{PREFIX}{stamp}{SUFFIX}"
    counter = 1
    while target.exists():
        target = dest_dir / f"{PREFIX}{stamp}-{counter}{SUFFIX}"
        counter += 1
    partial = target.with_suffix(".partial")
    copy = sqlite3.connect(partial)
    try:
        conn.backup(copy)
    finally:
        copy.close()
    partial.replace(target)
    log.info("company file backed up to %s", target)
    _prune(dest_dir, keep)
    return target


def _prune(dest_dir: Path, keep: int) -> None:
    copies = sorted(dest_dir.glob(f"{PREFIX}*{SUFFIX}"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    for old in copies[:-keep]:
        old.unlink()
        log.info("old backup removed: %s", old)


def restore_backup(backup: Path, target: Path) -> None:
    """Write ``backup`` into ``target`` (a new path; never over a file a register may have open)."""
    if target.exists():
        raise FileExistsError(
            f"{target} exists; restore into a new file and swap it in with the register closed"
        )
    source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    log.info("backup %s restored to %s", backup, target)
