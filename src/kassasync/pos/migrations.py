"""Schema versions of the company file and the forward steps between them.

A new file is made from ``schema.sql`` (always the current version). An older file is brought forward one
step at a time, each step in its own transaction together with its ``schema_version`` row, so a crash
leaves the file at a whole version. A file newer than this program is refused: an older agent must not
write into a contract it does not know.

History:
  1  the first contract (``schema_v1.sql``, frozen: an older version is made from it by the steps).
  2  ``receipts.original_receipt`` (a return names the sale it reverses) and ``receipt_lines.kind``
     (a gift card sold is a liability, not a sale: bookkeeping rule 6).
  3  ``invoice_checks`` (Fortnox's created invoice compared with the receipt) and ``invoice_payments``
     (each payment as sent, matched by exactly that on resume).
  4  ``summaries`` (the daily summaries posted, one row per register and day). The summary state that
     version 3 kept in ``sync_cursors`` (``summary:K1:2026-11-27`` → the voucher) moves into it.
  5  ``z_reports`` (optional: the register's own daily total, for the reconciliation's third column).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

from kassasync.errors import KassasyncError

log = logging.getLogger(__name__)

CURRENT_VERSION = 5

# sync_cursors rows in which version 3 kept a posted summary: summary:{register}:{YYYY-MM-DD}
_V3_SUMMARY = "summary:*:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"


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
    _run_section(conn, 3)


def _to_v4(conn: sqlite3.Connection) -> None:
    _run_section(conn, 4)
    # "summary:" is 8 characters and the day 10, so the register code is what lies between.
    conn.execute(
        "INSERT INTO summaries (register_code, day, fortnox_ref, posted_at) "
        "SELECT substr(resource, 9, length(resource) - 19), substr(resource, -10), lastmodified, ? "
        "FROM sync_cursors WHERE resource GLOB ?",
        (_now(), _V3_SUMMARY),
    )
    conn.execute("DELETE FROM sync_cursors WHERE resource GLOB ?", (_V3_SUMMARY,))


def _to_v5(conn: sqlite3.Connection) -> None:
    _run_section(conn, 5)


# STEPS[n] brings a file from version n to n + 1.
STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _to_v2, 2: _to_v3, 3: _to_v4, 4: _to_v5}


def schema_sql(version: int = CURRENT_VERSION) -> str:
    """The current contract (``schema.sql``) or the first one (``schema_v1.sql``, frozen)."""
    name = "schema.sql" if version == CURRENT_VERSION else f"schema_v{version}.sql"
    return files("kassasync.pos").joinpath(name).read_text(encoding="utf-8")


def _run_section(conn: sqlite3.Connection, version: int) -> None:
    """The tables ``version`` added, as ``schema.sql`` writes them: from the comment that opens its
    section, ``-- ... (schema version N)``, up to the next section's, so a step and a new file cannot
    disagree on a column."""
    lines = schema_sql().splitlines(keepends=True)
    opens = [i for i, line in enumerate(lines) if line.startswith("-- ") and "(schema version " in line]
    start = next(i for i in opens if re.search(rf"\(schema version {version}\b", lines[i]))
    end = next((i for i in opens if i > start), len(lines))
    for statement in _statements("".join(lines[start:end])):
        conn.execute(statement)


def _now() -> str:
    return datetime.now(tz=UTC).isoformat(timespec="seconds")


def create_schema(conn: sqlite3.Connection, version: int = CURRENT_VERSION) -> None:
    """Make an empty file's tables at ``version``. Caller holds no tx.

    Only tests ask for an old version; it is the first contract brought forward by the same steps an old
    file takes, so no frozen copy of each version is kept beside ``schema.sql``.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        if version == CURRENT_VERSION:
            for statement in _statements(schema_sql()):
                conn.execute(statement)
        else:
            for statement in _statements(schema_sql(1)):
                conn.execute(statement)
            for step in range(1, version):
                STEPS[step](conn)
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
