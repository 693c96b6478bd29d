"""Master data pulled from Fortnox into the company file: batched upserts and article removal.

A full pull of a large shop is 100 000 articles; they stream through in batches, each batch one short
transaction (the register must never wait long for the writer lock), with ``executemany`` and an
``ON CONFLICT ... DO UPDATE ... WHERE changed`` so unchanged rows are not rewritten and the counts tell
created from updated.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Any

from kassasync.pos.receipt_rows import quantity_text
from kassasync.pos.records import Account, Article, Customer, Origin, Price, UpsertCounts

Writer = Callable[[], AbstractContextManager[sqlite3.Connection]]

COUNTABLE = frozenset(
    {"articles", "prices", "accounts", "predefined_accounts", "customers", "receipts", "outbox", "registers"}
)


@dataclass(frozen=True)
class TableSpec:
    table: str
    columns: tuple[str, ...]
    key: tuple[str, ...]

    def sql(self) -> str:
        values = ", ".join("?" for _ in self.columns)
        others = [c for c in self.columns if c not in self.key]
        sets = ", ".join(f"{c} = excluded.{c}" for c in others)
        changed = " OR ".join(f"{self.table}.{c} IS NOT excluded.{c}" for c in others)
        return (
            f"INSERT INTO {self.table} ({', '.join(self.columns)}) VALUES ({values}) "
            f"ON CONFLICT ({', '.join(self.key)}) DO UPDATE SET {sets} WHERE {changed}"
        )


ARTICLES = TableSpec(
    "articles",
    (
        "article_number",
        "description",
        "ean",
        "unit",
        "vat_rate",
        "sales_price_ore",
        "sales_account",
        "stock_goods",
        "quantity_in_stock",
        "active",
        "origin",
    ),
    ("article_number",),
)
PRICES = TableSpec(
    "prices",
    ("price_list", "article_number", "from_quantity", "price_ore"),
    ("price_list", "article_number", "from_quantity"),
)
ACCOUNTS = TableSpec("accounts", ("number", "description", "active", "vat_code"), ("number",))
PREDEFINED = TableSpec("predefined_accounts", ("name", "account"), ("name",))
CUSTOMERS = TableSpec(
    "customers",
    ("customer_number", "name", "organisation_number", "price_list", "active"),
    ("customer_number",),
)


def article_row(a: Article) -> tuple[Any, ...]:
    return (
        a.article_number,
        a.description,
        a.ean,
        a.unit,
        a.vat_rate,
        a.sales_price_ore,
        a.sales_account,
        int(a.stock_goods),
        quantity_text(a.quantity_in_stock),
        int(a.active),
        a.origin.value,
    )


def price_row(p: Price) -> tuple[Any, ...]:
    return (p.price_list, p.article_number, quantity_text(p.from_quantity), p.price_ore)


def account_row(a: Account) -> tuple[Any, ...]:
    return (a.number, a.description, int(a.active), a.vat_code)


def customer_row(c: Customer) -> tuple[Any, ...]:
    return (c.customer_number, c.name, c.organisation_number, c.price_list, int(c.active))


def _batches(rows: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def upsert(write: Writer, spec: TableSpec, rows: Iterable[tuple[Any, ...]], batch: int) -> UpsertCounts:
    sql = spec.sql()
    created = updated = unchanged = 0
    for chunk in _batches(rows, batch):
        with write() as tx:
            before = tx.execute(f"SELECT count(*) FROM {spec.table}").fetchone()[0]
            changes = tx.total_changes
            tx.executemany(sql, chunk)
            written = tx.total_changes - changes
            added = tx.execute(f"SELECT count(*) FROM {spec.table}").fetchone()[0] - before
        created += added
        updated += written - added
        unchanged += len(chunk) - written
    return UpsertCounts(created=created, updated=updated, unchanged=unchanged)


def set_stock(write: Writer, levels: Iterable[tuple[str, Decimal]], batch: int) -> int:
    rows = ((quantity_text(q), number, quantity_text(q)) for number, q in levels)
    changed = 0
    for chunk in _batches(rows, batch):
        with write() as tx:
            before = tx.total_changes
            tx.executemany(
                "UPDATE articles SET quantity_in_stock = ? "
                "WHERE article_number = ? AND quantity_in_stock IS NOT ?",
                chunk,
            )
            changed += tx.total_changes - before
    return changed


def get_article(conn: sqlite3.Connection, article_number: str) -> Article | None:
    row = conn.execute(
        f"SELECT {', '.join(ARTICLES.columns)} FROM articles WHERE article_number = ?", (article_number,)
    ).fetchone()
    if row is None:
        return None
    return Article(
        article_number=row[0],
        description=row[1],
        ean=row[2],
        unit=row[3],
        vat_rate=row[4],
        sales_price_ore=row[5],
        sales_account=row[6],
        stock_goods=bool(row[7]),
        quantity_in_stock=Decimal(str(row[8])),
        active=bool(row[9]),
        origin=Origin(row[10]),
    )


_MISSING = "origin = 'fortnox' AND article_number NOT IN (SELECT article_number FROM temp.keep_articles)"
_ON_UNPOSTED = (
    "article_number IN (SELECT l.article_number FROM receipt_lines AS l JOIN outbox AS o "
    "USING (register_code, receipt_number) WHERE o.state IN ('pending', 'sending', 'failed') "
    "AND l.article_number IS NOT NULL)"
)


def stage_removal(tx: sqlite3.Connection, keep_numbers: Iterable[str]) -> int:
    """Load the numbers Fortnox still has into a temp table; returns how many articles would go."""
    tx.execute("CREATE TEMP TABLE IF NOT EXISTS keep_articles (article_number TEXT PRIMARY KEY)")
    tx.execute("DELETE FROM temp.keep_articles")
    for chunk in _batches(((n,) for n in keep_numbers), 5000):
        tx.executemany("INSERT OR IGNORE INTO temp.keep_articles VALUES (?)", chunk)
    return int(tx.execute(f"SELECT count(*) FROM articles WHERE {_MISSING}").fetchone()[0])


def apply_removal(tx: sqlite3.Connection) -> tuple[int, int]:
    # SQLite counts every row an UPDATE matches, also those already inactive.
    kept = tx.execute(f"UPDATE articles SET active = 0 WHERE {_MISSING} AND {_ON_UNPOSTED}").rowcount
    removed = tx.execute(f"DELETE FROM articles WHERE {_MISSING} AND NOT {_ON_UNPOSTED}").rowcount
    tx.execute("DELETE FROM temp.keep_articles")
    return removed, kept
