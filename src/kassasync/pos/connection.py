"""The company file's connections: one per thread, set up as the contract asks, writes ``BEGIN IMMEDIATE``.

Two programs write this file at once, so every write is one short ``BEGIN IMMEDIATE`` transaction (the
writer lock is taken up front and waited for through the busy timeout, instead of a read transaction
failing to upgrade), and WAL lets the register read and write while the agent reads. Each thread gets
its own connection (sqlite3 connections are not shared across threads safely).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from kassasync.clock import Clock, SystemClock
from kassasync.errors import KassasyncError, RunAborted

COMPANY_FILE_NAME = "kassa.db"
BUSY_TIMEOUT_MS = 15_000


class CompanyFileError(KassasyncError):
    default_user_message = "Kassafilen kunde inte öppnas. Kontrollera sökvägen i inställningarna."


class CompanyFileBusy(RunAborted):
    """The register held the company file's write lock longer than the busy timeout."""

    default_user_message = (
        "Kassafilen är upptagen av kassaprogrammet just nu. Inget har gått förlorat; synkroniseringen "
        "försöker igen vid nästa tillfälle. Händer det ofta: starta om kassaprogrammet."
    )


def company_file(directory: Path) -> Path:
    """The company file inside a company folder (what ``--company DIR`` and "Bläddra" point at)."""
    return directory / COMPANY_FILE_NAME


def connect(path: Path) -> sqlite3.Connection:
    """A connection set up as the contract asks of every program using the file (pos-contract.md)."""
    conn = sqlite3.connect(
        path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


class CompanyFileConnections:
    """The per-thread connections and the write transaction every part of the store shares."""

    def __init__(self, path: Path, *, clock: Clock | None = None) -> None:
        self.path = path
        self.clock: Clock = clock or SystemClock()
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()

    def close(self) -> None:
        with self._all_lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise CompanyFileBusy(f"{self.path}: {exc} after {BUSY_TIMEOUT_MS} ms") from exc
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _now(self) -> str:
        return self.clock.now().isoformat()
