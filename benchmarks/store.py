"""Company file at scale: 100 000 articles and prices upserted, pending receipts read in batches.

Goal: the article upsert under 3 s; the memory of reading pending receipts independent of their number
(compare ``read_pending_1000_peak_mb`` with ``read_pending_10000_peak_mb``). Peaks are tracemalloc's
(Python allocations), measured around the step alone.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

from kassasync.pos.records import Article, Price
from kassasync.pos.store import PosStore, connect

ARTICLES = 100_000


def timed(step: Callable[[], object]) -> float:
    """Wall time without tracemalloc (which slows allocation-heavy code severalfold)."""
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def peak_mb(step: Callable[[], object]) -> float:
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def articles(version: int) -> Iterator[Article]:
    for n in range(ARTICLES):
        rate = (25, 12, 6, 0)[n % 4]
        yield Article(f"A{n}", f"Artikel nummer {n} v{version}", rate, 1000 + n, ean=f"{7300000000000 + n}")


def write_receipts(path: Path, count: int) -> None:
    """As a register would, in one go (setup, not measured)."""
    conn: sqlite3.Connection = connect(path)
    conn.execute("INSERT OR IGNORE INTO registers (code, name) VALUES ('K1', 'Kassa 1')")
    conn.execute("BEGIN IMMEDIATE")
    start = conn.execute("SELECT count(*) FROM receipts").fetchone()[0]
    for n in range(start + 1, start + count + 1):
        conn.execute(
            "INSERT INTO receipts (register_code, receipt_number, sold_at, total_ore) "
            "VALUES ('K1', ?, '2026-11-28T12:00:00+01:00', 11980)",
            (n,),
        )
        conn.executemany(
            "INSERT INTO receipt_lines (register_code, receipt_number, line_number, article_number, "
            "description, quantity, unit_price_ore, vat_rate, amount_ore) VALUES ('K1', ?, ?, 'A1', 'Kaffe', "
            "'1', 5990, 12, 5990)",
            [(n, 1), (n, 2)],
        )
        conn.execute("INSERT INTO receipt_payments VALUES ('K1', ?, 1, 'card', 11980)", (n,))
    conn.execute("COMMIT")
    conn.close()


def read_all_pending(store: PosStore) -> int:
    return sum(1 for _ in store.pending_receipts())


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = PosStore.create(Path(tmp) / "kassa.db", "Bänkbutiken AB", "5561234567")
        print(f"upsert_articles_s: {timed(lambda: store.upsert_articles(articles(1))):.2f}")
        prices = (Price("A", f"A{n}", 1000 + n) for n in range(ARTICLES))
        print(f"upsert_prices_s: {timed(lambda: store.upsert_prices(prices)):.2f}")
        print(f"upsert_articles_all_changed_s: {timed(lambda: store.upsert_articles(articles(2))):.2f}")
        print(f"upsert_articles_unchanged_s: {timed(lambda: store.upsert_articles(articles(2))):.2f}")
        print(f"upsert_articles_peak_mb: {peak_mb(lambda: store.upsert_articles(articles(3))):.1f}")
        for count in (1_000, 10_000):
            write_receipts(store.path, count - store.count("receipts"))
            print(f"read_pending_{count}_s: {timed(lambda: read_all_pending(store)):.2f}")
            print(f"read_pending_{count}_peak_mb: {peak_mb(lambda: read_all_pending(store)):.2f}")
        store.close()


if __name__ == "__main__":
    main()
