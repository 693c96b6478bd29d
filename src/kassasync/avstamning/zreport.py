"""The register's own daily total (its Z-report), when the company file holds one.

The register writes one row per register and business day into ``z_reports`` (docs/pos-contract.md);
the reconciliation shows it as a third column beside the receipts' sum and Fortnox. A file without
the table (older contract, or a register that writes no Z-report) simply has no third column.
"""

from __future__ import annotations

import sqlite3
from datetime import date


def z_totals(conn: sqlite3.Connection, start: date, end: date) -> dict[tuple[str, date], int]:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'z_reports'"
    ).fetchone()
    if exists is None:
        return {}
    rows = conn.execute(
        "SELECT register_code, business_day, total_ore FROM z_reports WHERE business_day BETWEEN ? AND ?",
        (start.isoformat(), end.isoformat()),
    )
    return {(code, date.fromisoformat(day)): int(total) for code, day, total in rows}
