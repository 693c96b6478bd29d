"""Receipts to rows and back: the one place that knows how a ``Receipt`` is laid out in the tables."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kassasync.pos.models import Receipt

RECEIPT_COLUMNS = (
    "register_code, receipt_number, sold_at, total_ore, rounding_ore, change_ore, customer_number, "
    "is_return, original_receipt"
)
LINE_COLUMNS = (
    "register_code, receipt_number, line_number, article_number, description, quantity, unit_price_ore, "
    "discount_ore, vat_rate, amount_ore, kind"
)
PAYMENT_COLUMNS = "register_code, receipt_number, line_number, method, amount_ore"


def quantity_text(value: Decimal) -> str:
    """Canonical text of an exact quantity: ``Decimal('1.500')`` and ``Decimal('1.5')`` store alike."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def insert_receipt(conn: sqlite3.Connection, receipt: Receipt) -> bool:
    """Insert inside the caller's transaction; False (and nothing written) when the key exists."""
    code, number = receipt.register_code, receipt.receipt_number
    there = "SELECT 1 FROM receipts WHERE register_code = ? AND receipt_number = ?"
    if conn.execute(there, (code, number)).fetchone() is not None:  # a guard trigger refuses it anyway
        return False
    cur = conn.execute(
        f"INSERT INTO receipts ({RECEIPT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (register_code, receipt_number) DO NOTHING",
        (
            code,
            number,
            receipt.sold_at.isoformat(),
            receipt.total_ore,
            receipt.rounding_ore,
            receipt.change_ore,
            receipt.customer_number,
            int(receipt.is_return),
            receipt.original_receipt,
        ),
    )
    if cur.rowcount == 0:
        return False
    conn.executemany(
        f"INSERT INTO receipt_lines ({LINE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                code,
                number,
                index,
                line.article_number,
                line.description,
                quantity_text(line.quantity),
                line.unit_price_ore,
                line.discount_ore,
                line.vat_rate,
                line.amount_ore,
                line.kind.value,
            )
            for index, line in enumerate(receipt.lines, start=1)
        ],
    )
    conn.executemany(
        f"INSERT INTO receipt_payments ({PAYMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
        [
            (code, number, index, payment.method.value, payment.amount_ore)
            for index, payment in enumerate(receipt.payments, start=1)
        ],
    )
    return True


def _in_keys(keys: Sequence[tuple[str, int]]) -> tuple[str, list[Any]]:
    values = ", ".join("(?, ?)" for _ in keys)
    params: list[Any] = [part for key in keys for part in key]
    return f"(register_code, receipt_number) IN (VALUES {values})", params


def load_raw(
    conn: sqlite3.Connection, keys: Sequence[tuple[str, int]]
) -> dict[tuple[str, int], dict[str, Any]]:
    """The receipts' rows as dicts in the exchange format, unvalidated (a register may have written them)."""
    if not keys:
        return {}
    where, params = _in_keys(keys)
    receipts: dict[tuple[str, int], dict[str, Any]] = {}
    for row in conn.execute(f"SELECT {RECEIPT_COLUMNS} FROM receipts WHERE {where}", params):
        receipts[(row[0], row[1])] = {
            "register_code": row[0],
            "receipt_number": row[1],
            "sold_at": row[2],
            "total_ore": row[3],
            "rounding_ore": row[4],
            "change_ore": row[5],
            "customer_number": row[6],
            "is_return": bool(row[7]),
            "original_receipt": row[8],
            "lines": [],
            "payments": [],
        }
    lines = conn.execute(f"SELECT {LINE_COLUMNS} FROM receipt_lines WHERE {where} ORDER BY 1, 2, 3", params)
    for row in lines:
        receipts[(row[0], row[1])]["lines"].append(
            {
                "article_number": row[3],
                "description": row[4],
                "quantity": row[5] if isinstance(row[5], str) else str(row[5]),  # '1,5' is refused, by name
                "unit_price_ore": row[6],
                "discount_ore": row[7],
                "vat_rate": row[8],
                "amount_ore": row[9],
                "kind": row[10],
            }
        )
    pays = conn.execute(
        f"SELECT {PAYMENT_COLUMNS} FROM receipt_payments WHERE {where} ORDER BY 1, 2, 3", params
    )
    for row in pays:
        receipts[(row[0], row[1])]["payments"].append({"method": row[3], "amount_ore": row[4]})
    return receipts
