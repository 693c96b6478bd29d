"""The paid-invoice path's own state in the company file: Fortnox's check of the invoice and each payment
as it was sent (schema version 3).

A payment's identity is what was sent: mode of payment, account, amount, write-offs and date. A payment
whose answer was lost (``sending``) is found again in Fortnox by exactly that, never by what today's
settings would send, and waits the same grace period as a receipt in ``sending`` before it is looked up.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PaymentState(StrEnum):
    PLANNED = "planned"  # not sent yet
    SENDING = "sending"  # request left, answer not heard: look it up (after the grace period)
    CREATED = "created"  # Fortnox has it (its number known), not bookkept yet
    BOOKED = "booked"


@dataclass(frozen=True, slots=True)
class SentPayment:
    seq: int
    mode: str
    account: int
    amount_ore: int
    write_offs: tuple[tuple[int, int, str], ...]  # (account, amount_ore as a debit, text)
    payment_date: date
    state: PaymentState = PaymentState.PLANNED
    number: str | None = None
    updated_at: str = ""

    def identity(self) -> tuple[str, int, int, tuple[tuple[int, int], ...], date]:
        """What tells this payment apart in Fortnox: everything that was sent but the texts."""
        offs = tuple(sorted((account, amount) for account, amount, _text in self.write_offs))
        return (self.mode, self.account, self.amount_ore, offs, self.payment_date)


@dataclass(frozen=True, slots=True)
class InvoiceCheck:
    invoice_number: str
    total_ore: int
    round_off_ore: int
    vat_ore: int
    receipt_vat_ore: int

    @property
    def vat_difference_ore(self) -> int:
        return self.vat_ore - self.receipt_vat_ore


_PAYMENT_COLUMNS = (
    "seq, mode, account, amount_ore, write_offs, payment_date, state, fortnox_number, updated_at"
)


def save_plan(
    tx: sqlite3.Connection,
    key: tuple[str, int],
    check: InvoiceCheck,
    payments: Sequence[SentPayment],
    now: str,
) -> None:
    """The invoice's check and its payments to send, in the caller's transaction (one or the other never)."""
    tx.execute(
        "INSERT OR REPLACE INTO invoice_checks (register_code, receipt_number, invoice_number, total_ore, "
        "round_off_ore, vat_ore, receipt_vat_ore) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            *key,
            check.invoice_number,
            check.total_ore,
            check.round_off_ore,
            check.vat_ore,
            check.receipt_vat_ore,
        ),
    )
    tx.execute(
        "DELETE FROM invoice_payments WHERE register_code = ? AND receipt_number = ? AND invoice_number = ?",
        (*key, check.invoice_number),
    )
    for p in payments:
        tx.execute(
            "INSERT INTO invoice_payments (register_code, receipt_number, invoice_number, "
            f"{_PAYMENT_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                *key,
                check.invoice_number,
                p.seq,
                p.mode,
                p.account,
                p.amount_ore,
                json.dumps([list(w) for w in p.write_offs]),
                p.payment_date.isoformat(),
                p.state.value,
                p.number,
                now,
            ),
        )


def check_of(conn: sqlite3.Connection, key: tuple[str, int]) -> InvoiceCheck | None:
    row = conn.execute(
        "SELECT invoice_number, total_ore, round_off_ore, vat_ore, receipt_vat_ore FROM invoice_checks "
        "WHERE register_code = ? AND receipt_number = ?",
        key,
    ).fetchone()
    return None if row is None else InvoiceCheck(*row)


def vat_differences(conn: sqlite3.Connection) -> dict[str, InvoiceCheck]:
    """Receipts whose invoice's VAT in Fortnox is not the receipt's, by key."""
    rows = conn.execute(
        "SELECT register_code, receipt_number, invoice_number, total_ore, round_off_ore, vat_ore, "
        "receipt_vat_ore FROM invoice_checks WHERE vat_ore != receipt_vat_ore"
    )
    return {f"{r[0]}-{r[1]}": InvoiceCheck(*r[2:]) for r in rows}


def plan_of(conn: sqlite3.Connection, key: tuple[str, int], invoice_number: str) -> list[SentPayment] | None:
    """The payments planned for this invoice, in order; None when none were planned (not yet checked)."""
    checked = conn.execute(
        "SELECT 1 FROM invoice_checks WHERE register_code = ? AND receipt_number = ? AND invoice_number = ?",
        (*key, invoice_number),
    ).fetchone()
    if checked is None:
        return None
    rows = conn.execute(
        f"SELECT {_PAYMENT_COLUMNS} FROM invoice_payments WHERE register_code = ? AND receipt_number = ? "
        "AND invoice_number = ? ORDER BY seq",
        (*key, invoice_number),
    )
    return [
        SentPayment(
            seq=r[0],
            mode=r[1],
            account=r[2],
            amount_ore=r[3],
            write_offs=tuple((int(w[0]), int(w[1]), str(w[2])) for w in json.loads(r[4])),
            payment_date=date.fromisoformat(r[5]),
            state=PaymentState(r[6]),
            number=r[7],
            updated_at=r[8],
        )
        for r in rows
    ]


def move(
    tx: sqlite3.Connection,
    key: tuple[str, int],
    invoice_number: str,
    seq: int,
    from_states: Sequence[PaymentState],
    state: PaymentState,
    now: str,
    number: str | None = None,
) -> bool:
    """One payment to ``state`` if it is in one of ``from_states`` (``number`` written when given)."""
    marks = ", ".join("?" for _ in from_states)
    sets, params = "state = ?, updated_at = ?", [state.value, now]
    if number is not None:
        sets += ", fortnox_number = ?"
        params.append(number)
    cursor = tx.execute(
        f"UPDATE invoice_payments SET {sets} WHERE register_code = ? AND receipt_number = ? AND "
        f"invoice_number = ? AND seq = ? AND state IN ({marks})",
        [*params, *key, invoice_number, seq, *(s.value for s in from_states)],
    )
    return cursor.rowcount == 1
