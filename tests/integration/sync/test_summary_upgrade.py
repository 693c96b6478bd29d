"""A company file from the version that kept its posted daily summaries in ``sync_cursors`` (schema 3)."""

from __future__ import annotations

import sqlite3

from kassasync.config import Posting
from kassasync.pos.records import OutboxState
from kassasync.sync.bookkeeping import business_date, key_marker, summary_key
from kassasync.sync.events import Outcome

from .conftest import Shop


def as_version_3(shop: Shop) -> None:
    """The file as version 3 left it: each posted summary a ``summary:{register}:{day}`` cursor."""
    conn = sqlite3.connect(shop.company, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO sync_cursors (resource, lastmodified) "
        "SELECT 'summary:' || register_code || ':' || day, fortnox_ref FROM summaries"
    )
    conn.execute("DROP TABLE summaries")  # its triggers go with it
    conn.execute("DROP TABLE z_reports")  # version 5's
    conn.execute("DELETE FROM schema_version WHERE version > 3")
    conn.execute("INSERT OR IGNORE INTO schema_version (version, applied_at) VALUES (3, '2026-11-01')")
    conn.execute("COMMIT")
    conn.close()


def test_a_day_summarised_under_schema_3_is_not_summarised_again_after_the_upgrade(shop: Shop) -> None:
    shop.configure(posting=Posting.DAILY_SUMMARY)
    assert shop.sync(kind="everything").outcome is Outcome.OK
    with shop.store() as store:
        first = store.get_receipt(store.outbox_entries(OutboxState.POSTED)[0].receipt)
        assert first is not None
        register, day = first.register_code, business_date(first)
        voucher = store.summary_ref(register, day)
        assert voucher is not None
        later = sum(1 for e in store.outbox_entries() if e.receipt.startswith(f"{register}-"))
    as_version_3(shop)
    with sqlite3.connect(shop.company) as conn:
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone() == (3,)
    late = first.model_copy(update={"receipt_number": 900 + later})  # sold that day, sent after its summary

    with shop.store() as store:  # opened: migrated to the current version
        store.add_receipt(late)
        assert store.summary_ref(register, day) == voucher
    report = shop.sync()

    assert report.outcome is Outcome.OK, report.errors
    assert shop.vouchers_with(key_marker(summary_key(register, day))) == 1  # posted once, never again
    assert shop.vouchers_of(late.key) == 1  # the late receipt went as a voucher of its own
    with shop.store() as store:
        entry = store.outbox_entry(late.key)
        assert entry is not None and entry.state is OutboxState.POSTED and entry.fortnox_ref != voucher
        assert store.cursor(f"summary:{register}:{day.isoformat()}") is None
