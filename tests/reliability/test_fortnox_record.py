"""Exactly once even when the company file is wrong: Fortnox's record decides.

Each test makes the company file forget, by the steps a shop really takes, what it had posted: the
agent's own backup restored, the same receipts imported into a new file, the register's
``INSERT OR REPLACE``, outbox rows reset or deleted, the voucher series changed while a receipt was in
flight. After the next runs every receipt is in Fortnox exactly once, counted by key in the sandbox.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from kassasync.clock import STOCKHOLM
from kassasync.config import Posting, ReceiptsAs
from kassasync.pos.demo import make_demo_company
from kassasync.pos.records import OutboxState
from kassasync.pos.store import company_file
from kassasync.sync.bookkeeping import business_date, key_marker, summary_key

from .conftest import Shop, assert_each_invoice_once_and_paid, assert_each_voucher_once, settle

LISTING = "GET /3/vouchers/sublist/{VoucherSeries}"


def _replace_file(target: Path, source: Path) -> None:
    """What "restore the backup" means on disk: the company file and its WAL side files replaced."""
    for side in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        side.unlink(missing_ok=True)
    shutil.copyfile(source, target)


def _agents_backup(shop: Shop) -> Path:
    backups = sorted(shop.paths.backup_dir.glob("*"))
    assert backups, "the agent makes a backup before the first full-integration sync"
    return backups[0]


def _days(shop: Shop) -> int:
    with shop.store() as store:
        receipts = [store.get_receipt(e.receipt) for e in store.outbox_entries()]
    return len({business_date(r) for r in receipts if r is not None})


def test_receipts_are_posted_once_when_the_agents_own_backup_is_restored(shop: Shop) -> None:
    settle(shop, kind="everything")
    assert_each_voucher_once(shop)
    _replace_file(shop.company, _agents_backup(shop))
    assert shop.states() == {OutboxState.PENDING: 48}
    before = shop.requests()

    report = shop.sync(kind="everything")

    assert report.already_in_fortnox_count == 48 and report.posted_count == 48
    assert "48 av dem fanns redan i Fortnox" in "\n".join(_lines(report))
    made = _since(before, shop.requests())
    assert made.get("POST /3/vouchers", 0) == 0
    assert made[LISTING] == _days(shop)  # one listing per (series, day)
    assert_each_voucher_once(shop)


def test_paid_invoices_are_created_once_when_the_agents_own_backup_is_restored(shop: Shop) -> None:
    shop.configure(receipts_as=ReceiptsAs.INVOICE)
    settle(shop, kind="everything")
    assert_each_invoice_once_and_paid(shop)
    _replace_file(shop.company, _agents_backup(shop))
    before = shop.requests()

    report = shop.sync(kind="everything")

    assert report.already_in_fortnox_count == 48
    made = _since(before, shop.requests())
    assert made.get("POST /3/invoices", 0) == 0
    assert made["GET /3/invoices"] == _days(shop)  # one listing per (customer, day)
    assert_each_invoice_once_and_paid(shop)


def test_daily_summaries_are_posted_once_when_the_agents_own_backup_is_restored(shop: Shop) -> None:
    shop.configure(posting=Posting.DAILY_SUMMARY)
    shop.sync(kind="everything")
    summaries = _closed_summaries(shop)
    assert summaries and all(shop.vouchers_with(m) == 1 for m in summaries)
    _replace_file(shop.company, _agents_backup(shop))

    shop.sync(kind="everything")
    shop.sync()

    assert {m: shop.vouchers_with(m) for m in summaries} == dict.fromkeys(summaries, 1)
    assert shop.vouchers_with("(K1-") == 0 and shop.vouchers_with("(K2-") == 0
    assert OutboxState.SENDING not in shop.states()


def test_receipts_imported_again_into_a_new_company_file_are_not_posted_twice(
    shop: Shop, tmp_path: Path
) -> None:
    """A reinstalled register: a new kassa.db with the same receipts."""
    settle(shop, kind="everything")
    fresh = tmp_path / "ny-kassa"
    fresh.mkdir()
    make_demo_company(company_file(fresh), days=2).close()
    shop.configure(company_path=fresh)
    assert shop.states() == {OutboxState.PENDING: 48}

    report = shop.sync(kind="everything")

    assert report.already_in_fortnox_count == 48
    assert_each_voucher_once(shop)


def test_insert_or_replace_of_a_posted_receipt_is_refused_and_nothing_is_requeued(shop: Shop) -> None:
    settle(shop, kind="everything")
    key = shop.receipt_keys()[0]
    code, number = key.split("-")
    conn = sqlite3.connect(shop.company)
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        conn.execute(
            "INSERT OR REPLACE INTO receipts (register_code, receipt_number, sold_at, total_ore) "
            "SELECT register_code, receipt_number, sold_at, total_ore + 100 FROM receipts "
            "WHERE register_code = ? AND receipt_number = ?",
            (code, int(number)),
        )
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        conn.execute(
            "INSERT OR REPLACE INTO receipt_lines SELECT * FROM receipt_lines "
            "WHERE register_code = ? AND receipt_number = ?",
            (code, int(number)),
        )
    with pytest.raises(sqlite3.IntegrityError, match="posted"):
        conn.execute("UPDATE outbox SET state = 'pending' WHERE register_code = ?", (code,))
    conn.close()

    settle(shop)

    assert_each_voucher_once(shop)


def test_outbox_rows_reset_to_pending_or_deleted_are_found_in_fortnox_not_posted_again(shop: Shop) -> None:
    settle(shop, kind="everything")
    conn = sqlite3.connect(shop.company, isolation_level=None)
    # Round the update trigger the way SQLite allows: REPLACE deletes and inserts.
    conn.execute(
        "INSERT OR REPLACE INTO outbox (register_code, receipt_number, state, updated_at) "
        "SELECT register_code, receipt_number, 'pending', updated_at FROM outbox WHERE register_code = 'K1'"
    )
    deleted = conn.execute("DELETE FROM outbox WHERE register_code = 'K2'").rowcount
    conn.close()
    assert deleted > 0

    report = shop.sync()

    assert report.already_in_fortnox_count == 48  # the deleted rows came back and were found too
    assert_each_voucher_once(shop)


def test_a_receipt_in_flight_when_the_series_changed_is_found_in_its_first_series(shop: Shop) -> None:
    shop.sandbox.inject("POST", "/3/vouchers", "drop_after_commit", count=1)
    shop.sync(kind="everything")
    assert shop.states()[OutboxState.SENDING] == 1
    shop.configure(voucher_series="A")

    settle(shop)

    assert_each_voucher_once(shop)


def test_a_daily_summary_in_flight_when_the_series_changed_is_not_posted_twice(shop: Shop) -> None:
    shop.configure(posting=Posting.DAILY_SUMMARY)
    shop.sandbox.inject("POST", "/3/vouchers", "drop_after_commit", count=1)
    shop.sync(kind="everything")
    assert shop.states()[OutboxState.SENDING] > 1  # a whole register-day in flight
    shop.configure(voucher_series="A")

    shop.sync()
    shop.sync()

    summaries = _closed_summaries(shop)
    assert {m: shop.vouchers_with(m) for m in summaries} == dict.fromkeys(summaries, 1)
    assert OutboxState.SENDING not in shop.states()


def _closed_summaries(shop: Shop) -> list[str]:
    today = datetime.now(tz=STOCKHOLM).date()
    with shop.store() as store:
        receipts = [store.get_receipt(e.receipt) for e in store.outbox_entries()]
    days = {(r.register_code, business_date(r)) for r in receipts if r is not None}
    return sorted(key_marker(summary_key(reg, day)) for reg, day in days if day < today)


def _since(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {name: n - before.get(name, 0) for name, n in after.items() if n != before.get(name, 0)}


def _lines(report: object) -> list[str]:
    from kassasync.commands.report import report_lines

    return report_lines(report)  # type: ignore[arg-type]
