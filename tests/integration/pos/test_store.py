"""The company file from Kassasync's side: receipts, the outbox, master data, cursors."""

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kassasync.errors import ItemFailed
from kassasync.pos.records import Article, Company, Origin, OutboxState, Price, Target, UpsertCounts
from kassasync.pos.store import CompanyFileError, PosStore

from .conftest import ReceiptFactory


def test_a_new_company_file_holds_the_company_with_its_normalised_number(store: PosStore) -> None:
    assert store.company() == Company("Hörnbutiken i Sundsvall AB", "556123-4567")
    assert {m.code: (m.account, m.fortnox_mode_of_payment) for m in store.payment_methods()} == {
        "cash": (1910, "KONT"),
        "card": (1580, "KORT"),
        "swish": (1930, "SWISH"),
        "gift_card": (2421, "PRESENT"),
    }


def test_creating_over_an_existing_company_file_is_refused(store: PosStore) -> None:
    with pytest.raises(CompanyFileError):
        PosStore.create(store.path, "Annat AB", "556123-4567")


def test_the_file_is_in_wal_mode_with_foreign_keys(store: PosStore) -> None:
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_a_receipt_added_twice_is_stored_once_and_queued_once(
    store: PosStore, make_receipt: ReceiptFactory
) -> None:
    receipt = make_receipt(1)
    assert store.add_receipt(receipt) is True
    assert store.add_receipt(receipt) is False
    assert store.get_receipt("K1-1") == receipt
    assert [e.receipt for e in store.outbox_entries()] == ["K1-1"]
    assert store.outbox_entries()[0].state is OutboxState.PENDING


def test_a_different_receipt_under_an_existing_key_is_refused_not_overwritten(
    store: PosStore, make_receipt: ReceiptFactory
) -> None:
    store.add_receipt(make_receipt(1, amount=12300))
    with pytest.raises(ItemFailed) as caught:
        store.add_receipt(make_receipt(1, amount=9900))
    assert "K1-1 finns redan med annat innehåll" in caught.value.user_message
    stored = store.get_receipt("K1-1")
    assert stored is not None and stored.total_ore == 12300


def test_receipts_cannot_be_changed_or_deleted_by_any_program(
    store: PosStore, make_receipt: ReceiptFactory
) -> None:
    store.add_receipt(make_receipt(1))
    conn = sqlite3.connect(store.path)
    for sql in (
        "UPDATE receipts SET total_ore = 1",
        "DELETE FROM receipts",
        "UPDATE receipt_lines SET amount_ore = 1",
        "DELETE FROM receipt_payments",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="receipts are immutable"):
            conn.execute(sql)
    conn.close()


def test_a_receipt_is_sent_by_only_one_run(store: PosStore, make_receipt: ReceiptFactory) -> None:
    store.add_receipt(make_receipt(1))
    assert store.mark_sending("K1-1", Target.VOUCHER) is True
    assert store.mark_sending("K1-1", Target.VOUCHER) is False
    assert store.mark_posted("K1-1", "A-17") is True
    entry = store.outbox_entry("K1-1")
    assert entry is not None
    assert (entry.state, entry.target, entry.fortnox_ref, entry.attempts) == (
        OutboxState.POSTED,
        Target.VOUCHER,
        "A-17",
        1,
    )
    assert store.mark_sending("K1-1", Target.VOUCHER) is False
    assert store.mark_paid("K1-1") is False  # paid only after booked
    assert store.mark_booked("K1-1") and store.mark_paid("K1-1")


def test_a_failed_receipt_keeps_its_reason_and_goes_again_after_resend(
    store: PosStore, make_receipt: ReceiptFactory
) -> None:
    store.add_receipt(make_receipt(1))
    store.mark_sending("K1-1", Target.INVOICE)
    assert store.mark_failed("K1-1", "Konto 3002 är inte aktivt")
    entry = store.outbox_entry("K1-1")
    assert entry is not None and entry.last_error == "Konto 3002 är inte aktivt"
    assert store.retry_failed("K1-1")
    assert [r.key for r in store.pending_receipts()] == ["K1-1"]
    assert store.mark_sending("K1-1", Target.INVOICE)
    assert store.release_sending("K1-1")  # reconciled: not in Fortnox
    entry = store.outbox_entry("K1-1")
    assert entry is not None and (entry.state, entry.attempts) == (OutboxState.PENDING, 2)


def test_a_daily_summary_moves_all_its_receipts_or_none(
    store: PosStore, make_receipt: ReceiptFactory
) -> None:
    for n in (1, 2, 3):
        store.add_receipt(make_receipt(n))
    store.mark_sending("K1-2", Target.VOUCHER)
    assert store.mark_sending(["K1-1", "K1-2", "K1-3"], Target.SUMMARY) is False
    assert [e.state for e in store.outbox_entries()] == [
        OutboxState.PENDING,
        OutboxState.SENDING,
        OutboxState.PENDING,
    ]
    store.release_sending("K1-2")
    assert store.mark_sending(["K1-1", "K1-2", "K1-3"], Target.SUMMARY)
    assert store.mark_posted(["K1-1", "K1-2", "K1-3"], "S-3")
    assert {e.fortnox_ref for e in store.outbox_entries()} == {"S-3"}


def test_a_day_is_summarised_exactly_when_its_receipts_are_posted(
    store: PosStore, make_receipt: ReceiptFactory
) -> None:
    day = date(2026, 11, 28)
    for n in (1, 2):
        store.add_receipt(make_receipt(n))
    assert store.mark_summary_posted("K1", day, ["K1-1", "K1-2"], "F7") is False  # not sending: nothing
    assert store.summary_ref("K1", day) is None
    store.mark_sending(["K1-1", "K1-2"], Target.SUMMARY)
    assert store.mark_summary_posted("K1", day, ["K1-1", "K1-2"], "F7") is True
    assert store.summary_ref("K1", day) == "F7"
    assert {(e.state, e.fortnox_ref) for e in store.outbox_entries()} == {(OutboxState.POSTED, "F7")}
    assert store.summary_ref("K1", date(2026, 11, 29)) is None


def test_pending_receipts_come_in_key_order_across_batches(
    store: PosStore, make_receipt: ReceiptFactory
) -> None:
    for n in range(1, 12):
        store.add_receipt(make_receipt(n, register="K2"))
        store.add_receipt(make_receipt(n, register="K1"))
    store.mark_sending("K1-5", Target.VOUCHER)
    keys = [r.key for r in store.pending_receipts(batch=4)]
    assert keys == [f"K1-{n}" for n in range(1, 12) if n != 5] + [f"K2-{n}" for n in range(1, 12)]


def test_a_receipt_a_register_wrote_that_does_not_add_up_is_failed_with_a_swedish_reason(
    store: PosStore, make_receipt: ReceiptFactory
) -> None:
    store.add_receipt(make_receipt(1))
    conn = sqlite3.connect(store.path)
    with conn:
        conn.execute(
            "INSERT INTO receipts (register_code, receipt_number, sold_at, total_ore) "
            "VALUES ('K1', 2, '2026-11-28T11:00:00+01:00', 5000)"
        )
        conn.execute(
            "INSERT INTO receipt_lines (register_code, receipt_number, line_number, description, quantity, "
            "unit_price_ore, vat_rate, amount_ore) VALUES ('K1', 2, 1, 'Mjölk', '1', 4000, 12, 4000)"
        )
        conn.execute("INSERT INTO receipt_payments VALUES ('K1', 2, 1, 'card', 5000)")
    conn.close()
    assert [r.key for r in store.pending_receipts()] == ["K1-1"]
    entry = store.outbox_entry("K1-2")
    assert entry is not None and entry.state is OutboxState.FAILED
    assert entry.last_error is not None and entry.last_error.startswith(
        "Kvitto K1-2: summan av raderna (40,00 kr)"
    )


def test_articles_upsert_counts_created_updated_and_unchanged(store: PosStore) -> None:
    articles = [Article(f"A{n}", f"Artikel {n}", 25, 1000 + n) for n in range(10)]
    assert store.upsert_articles(articles, batch=3) == UpsertCounts(created=10)
    changed = [*articles[:8], Article("A8", "Ny text", 25, 1008), Article("A9", "Artikel 9", 12, 1009)]
    assert store.upsert_articles([*changed, Article("B1", "Ny", 6, 500)], batch=4) == UpsertCounts(
        created=1, updated=2, unchanged=8
    )
    assert store.get_article("A9") == Article("A9", "Artikel 9", 12, 1009)


def test_stock_is_exact_and_only_changed_rows_count(store: PosStore) -> None:
    store.upsert_articles([Article("1005", "Bananer", 12, 2995, unit="kg", stock_goods=True)])
    assert store.set_stock([("1005", Decimal("12.485")), ("okänd", Decimal(3))]) == 1
    assert store.set_stock([("1005", Decimal("12.4850"))]) == 0
    article = store.get_article("1005")
    assert article is not None and article.quantity_in_stock == Decimal("12.485")


def test_removed_articles_go_after_a_backup_but_those_on_unposted_receipts_stay_inactive(
    store: PosStore, make_receipt: ReceiptFactory, tmp_path: Path
) -> None:
    store.upsert_articles(
        [
            Article("1001", "Kaffe", 12, 5990),
            Article("1002", "Mjölk", 12, 2290),
            Article("1003", "Smör", 12, 6490),
        ]
    )
    store.upsert_articles([Article("EGEN", "Kassans egen", 25, 100, origin=Origin.REGISTER)])
    store.upsert_prices([Price("A", "1002", 2290), Price("A", "1003", 6490)])
    store.add_receipt(make_receipt(1, article="1001"))
    store.add_receipt(make_receipt(2, article=None))
    removal = store.remove_articles_missing_from(["1003"], tmp_path / "backups")
    assert (removal.removed, removal.kept_inactive) == (1, 1)
    assert removal.backup is not None and removal.backup.parent == tmp_path / "backups"
    kept = store.get_article("1001")
    assert kept is not None and kept.active is False
    assert store.get_article("1002") is None
    assert store.get_article("EGEN") is not None
    assert store.count("prices") == 1
    backup = PosStore.open(removal.backup)
    assert backup.get_article("1002") is not None
    backup.close()


def test_nothing_to_remove_makes_no_backup(store: PosStore, tmp_path: Path) -> None:
    store.upsert_articles([Article("1001", "Kaffe", 12, 5990)])
    removal = store.remove_articles_missing_from(["1001"], tmp_path / "backups")
    assert removal.backup is None and not (tmp_path / "backups").exists()


def test_sync_cursors_are_kept_per_resource(store: PosStore) -> None:
    assert store.cursor("articles") is None
    store.set_cursor("articles", "2026-11-28 10:00")
    store.set_cursor("articles", "2026-11-28 11:00")
    store.set_cursor("customers", "2026-11-27 09:00")
    assert store.cursor("articles") == "2026-11-28 11:00"
    assert store.cursor("customers") == "2026-11-27 09:00"


def test_opening_something_that_is_not_a_company_file_says_so(tmp_path: Path) -> None:
    junk = tmp_path / "kassa.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(CompanyFileError):
        PosStore.open(junk)
    with pytest.raises(CompanyFileError):
        PosStore.open(tmp_path / "missing.db")
