"""What keeps a posted receipt posted, whatever SQL the register writes.

The BEFORE UPDATE/DELETE triggers of ``schema.sql`` do not see ``INSERT OR REPLACE``: SQLite's REPLACE
deletes the old row without firing delete triggers (unless ``recursive_triggers`` is on), and the
receipts' AFTER INSERT trigger then writes a fresh ``pending`` outbox row (the outer statement's OR
REPLACE wins over the trigger's own conflict handling). So:

- a receipt, a line or a payment whose key is already there cannot be inserted again (BEFORE INSERT
  triggers that raise: RAISE is not subject to OR REPLACE), and no line or payment can be added to a
  receipt that has left ``pending``/``failed``;
- an outbox row that says posted (or booked, paid) cannot be moved back to ``pending`` or ``sending``
  by UPDATE. It may become ``failed``: the invoice flow fails a receipt whose invoice Fortnox
  delivered 0 of, after cancelling it; a later ``resend`` is then checked against Fortnox's record,
  which skips cancelled invoices and finds any voucher that is there.

The triggers are created (``IF NOT EXISTS``) every time Kassasync opens the file, so a register that
dropped them gets them back. A receipt without an outbox row (the row deleted, or a REPLACE of the
outbox row itself) gets a ``pending`` one back on open: Fortnox's record (``sync/fortnox_record.py``)
decides then whether it is already there, so nothing is lost and nothing is posted twice.
"""

from __future__ import annotations

import logging
import sqlite3

log = logging.getLogger(__name__)

_SENT = "('sending', 'posted', 'booked', 'paid')"
_SAME_RECEIPT = "register_code = NEW.register_code AND receipt_number = NEW.receipt_number"

GUARD_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS receipts_are_not_replaced BEFORE INSERT ON receipts
WHEN EXISTS (SELECT 1 FROM receipts WHERE {_SAME_RECEIPT})
BEGIN SELECT RAISE(ABORT, 'receipts are immutable'); END""",
    *(
        f"""CREATE TRIGGER IF NOT EXISTS {table}_are_not_replaced BEFORE INSERT ON {table}
WHEN EXISTS (SELECT 1 FROM {table} WHERE {_SAME_RECEIPT} AND line_number = NEW.line_number)
  OR EXISTS (SELECT 1 FROM outbox WHERE {_SAME_RECEIPT} AND state IN {_SENT})
BEGIN SELECT RAISE(ABORT, 'receipts are immutable'); END"""
        for table in ("receipt_lines", "receipt_payments")
    ),
    """CREATE TRIGGER IF NOT EXISTS outbox_posted_stays_posted BEFORE UPDATE OF state ON outbox
WHEN OLD.state IN ('posted', 'booked', 'paid') AND NEW.state NOT IN ('posted', 'booked', 'paid', 'failed')
BEGIN SELECT RAISE(ABORT, 'a posted receipt stays posted'); END""",
)

_ADOPT = """INSERT INTO outbox (register_code, receipt_number, state, updated_at)
SELECT r.register_code, r.receipt_number, 'pending', ? FROM receipts r
WHERE NOT EXISTS (SELECT 1 FROM outbox o
                  WHERE o.register_code = r.register_code AND o.receipt_number = r.receipt_number)"""


def ensure_guards(tx: sqlite3.Connection, now: str) -> int:
    """Create the guard triggers and give every receipt without an outbox row a pending one.

    Runs inside the caller's write transaction; returns how many receipts got a row back.
    """
    for statement in GUARD_TRIGGERS:
        tx.execute(statement)
    adopted = tx.execute(_ADOPT, (now,)).rowcount
    if adopted:
        log.warning(
            "%d receipts had no outbox row (deleted outside Kassasync?); queued again, checked in "
            "Fortnox before anything is created",
            adopted,
        )
    return adopted
