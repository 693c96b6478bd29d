"""A stand-in cash register, run as its own process by test_two_programs.py.

It does exactly what docs/pos-contract.md tells a register vendor: its own sqlite3 connection, the
documented PRAGMAs, plain SQL, one ``BEGIN IMMEDIATE`` transaction per receipt. It knows nothing of
Kassasync (no import of it) and nothing of the outbox.

Usage: python register_writer.py COMPANY_FILE COUNT
"""

import sqlite3
import sys


def main(path: str, count: int) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 15000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("INSERT OR IGNORE INTO registers (code, name) VALUES ('K9', 'Kassa 9')")
    for n in range(1, count + 1):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO receipts (register_code, receipt_number, sold_at, total_ore, rounding_ore, "
            "change_ore) "
            "VALUES ('K9', ?, '2026-11-28T12:00:00+01:00', 5000, 10, 5000)",
            (n,),
        )
        conn.execute(
            "INSERT INTO receipt_lines (register_code, receipt_number, line_number, article_number, "
            "description, "
            "quantity, unit_price_ore, discount_ore, vat_rate, amount_ore, kind) "
            "VALUES ('K9', ?, 1, '1001', 'Kaffe', '2', 2495, 0, 12, 4990, 'article')",
            (n,),
        )
        conn.execute("INSERT INTO receipt_payments VALUES ('K9', ?, 1, 'cash', 10000)", (n,))
        conn.execute("COMMIT")
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
