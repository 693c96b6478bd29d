"""The outbox: each receipt's posting state, moved only by conditional updates.

A transition names the states it may start from; the ``UPDATE ... WHERE state IN (...)`` either moves
every listed receipt or, if any one is elsewhere (another run took it), none of them. That is what makes
"two runs can never both send" hold across processes, not just threads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from kassasync.pos.records import OutboxEntry, OutboxState, Target

_COLUMNS = "register_code, receipt_number, state, target, fortnox_ref, attempts, last_error, updated_at"
_UNSET = object()


def _entry(row: tuple[Any, ...]) -> OutboxEntry:
    return OutboxEntry(
        receipt=f"{row[0]}-{row[1]}",
        state=OutboxState(row[2]),
        target=None if row[3] is None else Target(row[3]),
        fortnox_ref=row[4],
        attempts=row[5],
        last_error=row[6],
        updated_at=row[7],
    )


def entry(conn: sqlite3.Connection, key: tuple[str, int]) -> OutboxEntry | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE register_code = ? AND receipt_number = ?", key
    ).fetchone()
    return None if row is None else _entry(row)


def entries(
    conn: sqlite3.Connection, state: OutboxState | None, target: Target | None = None
) -> list[OutboxEntry]:
    where, params = [], []
    if state is not None:
        where.append("state = ?")
        params.append(state.value)
    if target is not None:
        where.append("target = ?")
        params.append(target.value)
    condition = f"WHERE {' AND '.join(where)} " if where else ""
    query = f"SELECT {_COLUMNS} FROM outbox {condition}ORDER BY register_code, receipt_number"
    return [_entry(row) for row in conn.execute(query, params)]


def state_counts(conn: sqlite3.Connection) -> dict[OutboxState, int]:
    counts = dict.fromkeys(OutboxState, 0)
    for state, n in conn.execute("SELECT state, count(*) FROM outbox GROUP BY state"):
        counts[OutboxState(state)] = n
    return counts


def keys_in_state(
    conn: sqlite3.Connection, state: OutboxState, after: tuple[str, int], limit: int
) -> list[tuple[str, int]]:
    """The next ``limit`` keys in ``state`` after ``after`` (keyset paging: no cursor held open)."""
    rows = conn.execute(
        "SELECT register_code, receipt_number FROM outbox WHERE state = ? "
        "AND (register_code, receipt_number) > (?, ?) ORDER BY register_code, receipt_number LIMIT ?",
        (state.value, after[0], after[1], limit),
    )
    return [(row[0], row[1]) for row in rows]


def transition(
    tx: sqlite3.Connection,
    keys: Sequence[tuple[str, int]],
    from_states: Sequence[OutboxState],
    now: str,
    *,
    state: OutboxState,
    target: object = _UNSET,
    fortnox_ref: object = _UNSET,
    last_error: object = _UNSET,
    attempt: bool = False,
) -> bool:
    """Move all ``keys`` to ``state`` inside the caller's transaction, or none of them.

    ``target``, ``fortnox_ref`` and ``last_error`` are written only when given (``None`` clears). Returns
    False, its own changes undone through a savepoint, if any key was not in one of ``from_states``.
    """
    sets = ["state = ?", "updated_at = ?"]
    params: list[Any] = [state.value, now]
    for column, value in (("target", target), ("fortnox_ref", fortnox_ref), ("last_error", last_error)):
        if value is not _UNSET:
            sets.append(f"{column} = ?")
            params.append(value.value if isinstance(value, Target) else value)
    if attempt:
        sets.append("attempts = attempts + 1")
    marks = ", ".join("?" for _ in from_states)
    sql = (
        f"UPDATE outbox SET {', '.join(sets)} "
        f"WHERE register_code = ? AND receipt_number = ? AND state IN ({marks})"
    )
    froms = [s.value for s in from_states]
    tx.execute("SAVEPOINT transition")
    for code, number in keys:
        if tx.execute(sql, [*params, code, number, *froms]).rowcount != 1:
            tx.execute("ROLLBACK TO transition")
            tx.execute("RELEASE transition")
            return False
    tx.execute("RELEASE transition")
    return True


def summary_ref(conn: sqlite3.Connection, register_code: str, day: str) -> str | None:
    """Fortnox's voucher of a register's posted daily summary, None while the day is not summarised."""
    row = conn.execute(
        "SELECT fortnox_ref FROM summaries WHERE register_code = ? AND day = ?", (register_code, day)
    ).fetchone()
    return None if row is None else str(row[0])


def record_summary(tx: sqlite3.Connection, register_code: str, day: str, fortnox_ref: str, now: str) -> None:
    """Inside the transaction that marks the day's receipts posted; a day already there keeps its ref."""
    tx.execute(
        "INSERT INTO summaries (register_code, day, fortnox_ref, posted_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (register_code, day) DO NOTHING",
        (register_code, day, fortnox_ref, now),
    )
