"""Backups restore to an identical file; a version-1 file is migrated forward with its data."""

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from kassasync.clock import FakeClock
from kassasync.pos.backup import restore_backup
from kassasync.pos.migrations import CURRENT_VERSION, SchemaTooNew, create_schema, file_version, migrate
from kassasync.pos.models import LineKind
from kassasync.pos.records import Article
from kassasync.pos.store import PosStore, connect

from .conftest import ReceiptFactory, receipt_data


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_a_backup_restores_to_an_identical_file(
    store: PosStore, make_receipt: ReceiptFactory, tmp_path: Path
) -> None:
    store.upsert_articles([Article("1001", "Kaffe", 12, 5990)])
    for n in range(1, 6):
        store.add_receipt(make_receipt(n))
    backup = store.backup(tmp_path / "backups")
    restored = tmp_path / "restored" / "kassa.db"
    restored.parent.mkdir()
    restore_backup(backup, restored)
    assert dump(restored) == dump(store.path)
    assert len(dump(store.path)) > 20


def test_old_backups_are_pruned_by_count(store: PosStore, clock: FakeClock, tmp_path: Path) -> None:
    made = []
    for _ in range(5):
        made.append(store.backup(tmp_path / "backups", keep=3))
        clock.advance(1)
    assert sorted((tmp_path / "backups").iterdir()) == sorted(made[-3:])


def schema_of(conn: sqlite3.Connection) -> dict[str, object]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    shape: dict[str, object] = {n: conn.execute(f"PRAGMA table_info({n})").fetchall() for n in names}
    shape["objects"] = conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name"
    ).fetchall()
    return shape


def test_a_filled_version_1_file_is_migrated_to_the_current_version_keeping_its_receipts(
    tmp_path: Path,
) -> None:
    path = tmp_path / "kassa.db"
    conn = connect(path)
    create_schema(conn, version=1)
    conn.execute("INSERT INTO company VALUES (1, 'Gammal AB', '556123-4567')")
    conn.execute("INSERT INTO registers (code, name) VALUES ('K1', 'Kassa 1')")
    for n in range(1, 51):  # as a version-1 register wrote them: no kind, no original_receipt
        data = receipt_data(n)
        line = data["lines"][0]
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO receipts (register_code, receipt_number, sold_at, total_ore) VALUES ('K1', ?, ?, ?)",
            (n, data["sold_at"], data["total_ore"]),
        )
        conn.execute(
            "INSERT INTO receipt_lines (register_code, receipt_number, line_number, article_number, "
            "description, quantity, unit_price_ore, vat_rate, amount_ore) "
            "VALUES ('K1', ?, 1, '1001', 'Kaffe', '1', ?, 12, ?)",
            (n, line["unit_price_ore"], line["amount_ore"]),
        )
        conn.execute("INSERT INTO receipt_payments VALUES ('K1', ?, 1, 'card', ?)", (n, data["total_ore"]))
        conn.execute("COMMIT")
    conn.close()

    with PosStore.open(path) as store:
        assert file_version(store._conn()) == CURRENT_VERSION == 5
        receipts = list(store.pending_receipts())
        assert [r.key for r in receipts] == [f"K1-{n}" for n in range(1, 51)]
        assert all(r.lines[0].kind is LineKind.ARTICLE and r.original_receipt is None for r in receipts)
        migrated = schema_of(store._conn())

    fresh = tmp_path / "fresh.db"
    PosStore.create(fresh, "Ny AB", "556123-4567").close()
    conn = sqlite3.connect(fresh)
    assert migrated == schema_of(conn)
    conn.close()


def test_a_company_file_of_a_newer_schema_is_refused_before_anything_in_it_is_changed(tmp_path: Path) -> None:
    """Not even switched to WAL: an older agent must not touch a contract it does not know."""
    path = tmp_path / "kassa.db"
    PosStore.create(path, "Testbutiken AB", "5561234567").close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute(
        "INSERT INTO schema_version (version, applied_at) VALUES (?, '2030-01-01')", (CURRENT_VERSION + 1,)
    )
    conn.close()
    before = path.read_bytes()

    with pytest.raises(SchemaTooNew):
        PosStore.open(path)

    assert path.read_bytes() == before
    assert not path.with_name("kassa.db-wal").exists()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_a_version_3_file_keeps_its_posted_daily_summaries_in_the_summaries_table(tmp_path: Path) -> None:
    """Version 3 kept a posted summary as a cursor (``summary:K1:2026-11-27`` → the voucher); version 4
    moves it into ``summaries``, so the day is not summarised again, and leaves the other cursors."""
    path = tmp_path / "kassa.db"
    conn = connect(path)
    create_schema(conn, version=3)
    conn.execute("INSERT INTO company VALUES (1, 'Gammal AB', '556123-4567')")
    conn.executemany(
        "INSERT INTO sync_cursors (resource, lastmodified) VALUES (?, ?)",
        [
            ("summary:K1:2026-11-27", "F12"),
            ("summary:KASSA-2:2026-11-27", "F13"),
            ("articles", "2026-11-28 10:00"),
            ("voucher-series-used", "F"),
        ],
    )
    conn.close()

    with PosStore.open(path) as store:
        assert file_version(store._conn()) == CURRENT_VERSION
        assert store.summary_ref("K1", date(2026, 11, 27)) == "F12"
        assert store.summary_ref("KASSA-2", date(2026, 11, 27)) == "F13"
        assert store.summary_ref("K1", date(2026, 11, 28)) is None
        assert store.cursor("summary:K1:2026-11-27") is None
        assert store.cursor("articles") == "2026-11-28 10:00"
        assert store.cursor("voucher-series-used") == "F"


def test_a_posted_summary_is_never_changed_in_the_company_file(store: PosStore) -> None:
    store._conn().execute(
        "INSERT INTO summaries (register_code, day, fortnox_ref, posted_at) VALUES ('K1', '2026-11-27', "
        "'F12', '2026-11-28T00:00:00+00:00')"
    )
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        store._conn().execute("UPDATE summaries SET fortnox_ref = 'F99'")
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        store._conn().execute("DELETE FROM summaries")
    assert store.summary_ref("K1", date(2026, 11, 27)) == "F12"


def _shape(conn: sqlite3.Connection) -> dict[str, object]:
    """Every table's columns (name, type, not null, default, key), its indexes and the triggers."""
    shape: dict[str, object] = {}
    for kind, name in conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"):
        if kind == "table":
            columns = conn.execute(f"PRAGMA table_info({name})").fetchall()
            shape[f"table {name}"] = sorted((c[1], c[2], c[3], c[4], c[5]) for c in columns)
        else:
            shape[f"{kind} {name}"] = True
    return shape


def test_a_file_brought_forward_from_version_1_has_the_shape_of_a_new_file(tmp_path: Path) -> None:
    """An old file takes the steps; a new file is made from schema.sql: both must be the same contract."""
    fresh, migrated = connect(tmp_path / "new.db"), connect(tmp_path / "old.db")
    create_schema(fresh)
    create_schema(migrated, version=1)
    assert migrate(migrated) == 1
    assert _shape(migrated) == _shape(fresh)
    assert file_version(migrated) == file_version(fresh) == CURRENT_VERSION
