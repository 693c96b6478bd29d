"""Schema versions of the company file and the forward steps between them.

A new file is made from ``schema.sql`` (always the current version). An older file is brought forward one
step at a time, each step in its own transaction together with its ``schema_version`` row, so a crash
leaves the file at a whole version. A file newer than this program is refused: an older agent must not
write into a contract it does not know.

History:
  1  the first contract (``schema_v1.sql``, frozen).
  2  ``receipts.original_receipt`` (a return names the sale it reverses) and ``receipt_lines.kind``
     (a gift card sold is a liability, not a sale: bookkeeping rule 6).
  3  ``invoice_checks`` (Fortnox's created invoice compared with the receipt) and ``invoice_payments``
     (each payment as sent, matched by exactly that on resume).
  4  ``z_reports`` (optional: the register's own daily total, for the reconciliation). Self-contained:
     ``_to_v4`` only creates that table, so it can be renumbered behind another version at a merge.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

from kassasync.errors import KassasyncError

log = logging.getLogger(__name__)

CURRENT_VERSION = 4


class SchemaTooNew(KassasyncError):
    default_user_message = (
        "Kassafilen är skapad av en nyare version av Kassasync eller kassan. Uppdatera Kassasync."
    )


def _to_v2(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE receipts ADD COLUMN original_receipt TEXT")
    conn.execute(
        "ALTER TABLE receipt_lines ADD COLUMN kind TEXT NOT NULL DEFAULT 'article' "
        "CHECK (kind IN ('article', 'gift_card'))"
    )


def _to_v3(conn: sqlite3.Connection) -> None:
    script = schema_sql(3).split("-- The paid-invoice path (schema version 3).", 1)[1]
    for statement in _statements(script.split("\n", 1)[1]):
        conn.execute(statement)


def _to_v4(conn: sqlite3.Connection) -> None:
    script = schema_sql(4).split("-- The register's Z-reports (schema version 4; optional).", 1)[1]
    for statement in _statements(script.split("\n", 1)[1]):
        conn.execute(statement)


# STEPS[n] brings a file from version n to n + 1.
STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _to_v2, 2: _to_v3, 3: _to_v4}


def schema_sql(version: int = CURRENT_VERSION) -> str:
    name = "schema.sql" if version == CURRENT_VERSION else f"schema_v{version}.sql"
    return files("kassasync.pos").joinpath(name).read_text(encoding="utf-8")


def _now() -> str:
    return datetime.now(tz=UTC).isoformat(timespec="seconds")


def create_schema(conn: sqlite3.Connection, version: int = CURRENT_VERSION) -> None:
    """Make an empty file's tables at ``version`` (only tests ask for an old one). Caller holds no tx."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in _statements(schema_sql(version)):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (version, _now()))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """Split a script on complete statements (triggers contain ``;`` inside BEGIN ... END)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    return statements


def file_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0])


def refuse_newer_schema(path: Path) -> None:
    """``SchemaTooNew`` before anything in the file is changed: a plain connection that only reads
    (the contract's connection switches the file to WAL, which an older program must not do either)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        version = file_version(conn)
    finally:
        conn.close()
    if version > CURRENT_VERSION:
        raise SchemaTooNew(f"company file has schema version {version}, this program knows {CURRENT_VERSION}")


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the file to ``CURRENT_VERSION``; returns the version it was at."""
    start = file_version(conn)
    if start > CURRENT_VERSION:
        raise SchemaTooNew(f"company file has schema version {start}, this program knows {CURRENT_VERSION}")
    for version in range(start, CURRENT_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if file_version(conn) == version:  # another process may have migrated meanwhile
                STEPS[version](conn)
                conn.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (version + 1, _now())
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        log.info("company file migrated from schema version %d to %d", version, version + 1)
    return start
