"""The sync lock belongs to the company file, not to the user running the agent.

Two agents (two Windows users, or a second PC on a shared folder) syncing one company file at once is
what the outbox alone cannot make safe: one agent's receipt in ``sending`` looks, to the other (its
clock an hour ahead, or tired of waiting on a ``Retry-After``), like a lost answer, and is sent again.
So the lock file lies beside the company file (``kassa.db.sync-lock``), where every agent that can
write the file sees it. Only when no company file is configured is the user's own lock used.
"""

from __future__ import annotations

from pathlib import Path

from kassasync.config import Settings
from kassasync.paths import AppPaths
from kassasync.pos.company_path import configured_company_db

SUFFIX = ".sync-lock"


def sync_lock_path(settings: Settings, paths: AppPaths) -> Path:
    path = configured_company_db(settings)
    if path is None:
        return paths.ensure().sync_lock
    if not path.parent.is_dir():  # the engine reports the missing company file; lock per user till then
        return paths.ensure().sync_lock
    return path.with_name(path.name + SUFFIX)
