"""``PosStore``: Kassasync's side of the company file the register shares (``kassa.db``).

The connections and the write transaction are ``pos/connection.py``'s; the outbox, the daily summaries and
the invoice payments are ``pos/outbox_store.py``'s. Here: opening and migrating the file, master data from
Fortnox, receipts, cursors and backups. Receipts are only ever inserted; triggers in the schema refuse any
change to them, from any program.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from kassasync.clock import Clock
from kassasync.errors import ItemFailed
from kassasync.pos import masterdata, outbox
from kassasync.pos.backup import backup_to
from kassasync.pos.connection import (
    BUSY_TIMEOUT_MS,
    COMPANY_FILE_NAME,
    CompanyFileBusy,
    CompanyFileError,
    company_file,
    connect,
)
from kassasync.pos.guards import ensure_guards
from kassasync.pos.messages import ReceiptProblem, problems_from_validation
from kassasync.pos.migrations import create_schema, migrate, refuse_newer_schema
from kassasync.pos.models import Receipt
from kassasync.pos.orgnr import normalise_orgnr
from kassasync.pos.outbox_store import OutboxStore
from kassasync.pos.receipt_rows import insert_receipt, load_raw
from kassasync.pos.records import (
    Account,
    Article,
    Company,
    Customer,
    OutboxState,
    PaymentMethodRow,
    PredefinedAccount,
    Price,
    Register,
    Removal,
    UpsertCounts,
    split_key,
)

__all__ = [
    "BUSY_TIMEOUT_MS",
    "COMPANY_FILE_NAME",
    "CompanyFileBusy",
    "CompanyFileError",
    "PosStore",
    "company_file",
    "connect",
]

log = logging.getLogger(__name__)

DEFAULT_BACKUPS_KEPT = 10


class PosStore(OutboxStore):
    def __init__(self, path: Path, *, clock: Clock | None = None) -> None:
        """Use ``create`` or ``open``; this only holds the path."""
        super().__init__(path, clock=clock)
        self.refused: list[ReceiptProblem] = []  # receipts moved to failed when read (the run reports them)

    # -- lifecycle -------------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, name: str, orgnr: str, *, clock: Clock | None = None) -> PosStore:
        """A new company file; refuses to touch an existing one."""
        number = normalise_orgnr(orgnr)
        if not name.strip():
            raise CompanyFileError("company name is empty", user_message="Ange företagets namn.")
        if path.exists():
            raise CompanyFileError(
                f"{path} already exists", user_message=f"Det finns redan en kassafil i {path.parent}."
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        store = cls(path, clock=clock)
        conn = store._conn()
        create_schema(conn)
        with store._write() as tx:
            ensure_guards(tx, store._now())
            tx.execute(
                "INSERT INTO company (id, name, organisation_number) VALUES (1, ?, ?)", (name.strip(), number)
            )
        log.info("company file created: %s (%s, %s)", path, name, number)
        return store

    @classmethod
    def open(cls, path: Path, *, clock: Clock | None = None) -> PosStore:
        """An existing company file, migrated forward to this program's schema version."""
        if not path.is_file():
            raise CompanyFileError(
                f"no company file at {path}", user_message=f"Ingen kassafil hittades: {path}"
            )
        store = cls(path, clock=clock)
        try:
            refuse_newer_schema(path)  # before anything, WAL included, is changed in the file
            migrate(store._conn())
            with store._write() as tx:
                ensure_guards(tx, store._now())
        except sqlite3.DatabaseError as exc:
            store.close()
            raise CompanyFileError(
                f"{path} is not a usable company file: {exc}",
                user_message=f"Filen {path} är ingen kassafil som Kassasync kan läsa.",
            ) from exc
        return store

    # -- company, registers, payment methods -----------------------------------------------------------

    def company(self) -> Company:
        row = self._conn().execute("SELECT name, organisation_number FROM company WHERE id = 1").fetchone()
        if row is None:
            raise CompanyFileError(
                f"{self.path} has no company row", user_message="Kassafilen saknar företag."
            )
        return Company(name=row[0], organisation_number=row[1])

    def add_register(self, register: Register) -> None:
        with self._write() as tx:
            tx.execute(
                "INSERT INTO registers (code, name, store) VALUES (?, ?, ?) "
                "ON CONFLICT (code) DO UPDATE SET name = excluded.name, store = excluded.store",
                (register.code, register.name, register.store),
            )

    def registers(self) -> list[Register]:
        rows = self._conn().execute("SELECT code, name, store FROM registers ORDER BY code")
        return [Register(*row) for row in rows]

    def payment_methods(self) -> list[PaymentMethodRow]:
        rows = self._conn().execute(
            "SELECT code, name, account, fortnox_mode_of_payment FROM payment_methods ORDER BY code"
        )
        return [PaymentMethodRow(*row) for row in rows]

    # -- master data from Fortnox ----------------------------------------------------------------------

    def upsert_articles(self, articles: Iterable[Article], batch: int = 5000) -> UpsertCounts:
        """Insert or update (streaming, ``batch`` rows per transaction); unchanged rows are not rewritten."""
        return masterdata.upsert(
            self._write, masterdata.ARTICLES, map(masterdata.article_row, articles), batch
        )

    def upsert_prices(self, prices: Iterable[Price], batch: int = 5000) -> UpsertCounts:
        return masterdata.upsert(self._write, masterdata.PRICES, map(masterdata.price_row, prices), batch)

    def upsert_accounts(self, accounts: Iterable[Account], batch: int = 5000) -> UpsertCounts:
        return masterdata.upsert(
            self._write, masterdata.ACCOUNTS, map(masterdata.account_row, accounts), batch
        )

    def upsert_predefined_accounts(self, accounts: Iterable[PredefinedAccount]) -> UpsertCounts:
        rows = ((a.name, a.account) for a in accounts)
        return masterdata.upsert(self._write, masterdata.PREDEFINED, rows, 5000)

    def predefined_accounts(self) -> dict[str, int]:
        """Fortnox's predefined accounts as pulled: ``{name: account}`` (0 means "not set")."""
        rows = self._conn().execute("SELECT name, account FROM predefined_accounts ORDER BY name")
        return {str(name): int(account) for name, account in rows}

    def upsert_customers(self, customers: Iterable[Customer], batch: int = 5000) -> UpsertCounts:
        rows = map(masterdata.customer_row, customers)
        return masterdata.upsert(self._write, masterdata.CUSTOMERS, rows, batch)

    def set_stock(self, levels: Iterable[tuple[str, Decimal]], batch: int = 5000) -> int:
        """Stock per article number; returns how many articles changed. Unknown articles are skipped."""
        return masterdata.set_stock(self._write, levels, batch)

    def get_article(self, article_number: str) -> Article | None:
        return masterdata.get_article(self._conn(), article_number)

    def count(self, table: str) -> int:
        if table not in masterdata.COUNTABLE:
            raise ValueError(f"not a table: {table}")
        return int(self._conn().execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def remove_articles_missing_from(
        self, keep_numbers: Iterable[str], backup_dir: Path, keep_backups: int = DEFAULT_BACKUPS_KEPT
    ) -> Removal:
        """Remove Fortnox articles that Fortnox no longer has, after a backup of the file.

        Articles the register made itself (origin 'register') are never removed. An article on a receipt
        not yet posted is kept, inactive, so the receipt can still be booked on its sales account.
        """
        with self._write() as tx:
            doomed = masterdata.stage_removal(tx, keep_numbers)
        if doomed == 0:
            return Removal(removed=0, kept_inactive=0, backup=None)
        backup = self.backup(backup_dir, keep=keep_backups)
        with self._write() as tx:
            removed, kept = masterdata.apply_removal(tx)
        log.info("articles removed: %d, kept inactive (on unposted receipts): %d", removed, kept)
        return Removal(removed=removed, kept_inactive=kept, backup=backup)

    # -- receipts --------------------------------------------------------------------------------------

    def add_receipt(self, receipt: Receipt) -> bool:
        """Insert a receipt (and, by trigger, its pending outbox row). False if the same one is there.

        A different receipt under the same key is an ``ItemFailed``: never a silent overwrite.
        """
        with self._write() as tx:
            tx.execute(
                "INSERT INTO registers (code, name) VALUES (?, ?) ON CONFLICT (code) DO NOTHING",
                (receipt.register_code, f"Kassa {receipt.register_code}"),
            )
            if insert_receipt(tx, receipt):
                return True
            existing = self._load(tx, [(receipt.register_code, receipt.receipt_number)])
        stored = existing.get(receipt.key)
        if isinstance(stored, Receipt) and stored == receipt:
            return False
        raise ItemFailed(
            f"receipt {receipt.key} already stored with different content",
            user_message=(
                f"Kvitto {receipt.key} finns redan med annat innehåll. Kvitton ändras aldrig i efterhand: "
                "ge det nya kvittot ett eget nummer."
            ),
        )

    def get_receipt(self, key: str) -> Receipt | None:
        """The stored receipt; ``ItemFailed`` if a register wrote one that does not add up."""
        found = self._load(self._conn(), [split_key(key)]).get(key)
        if isinstance(found, list):
            raise ItemFailed(f"receipt {key} is invalid: {found[0].detail}", user_message=found[0].message)
        return found

    def _load(
        self, conn: sqlite3.Connection, keys: Sequence[tuple[str, int]]
    ) -> dict[str, Receipt | list[ReceiptProblem]]:
        result: dict[str, Receipt | list[ReceiptProblem]] = {}
        for (code, number), raw in load_raw(conn, keys).items():
            key = f"{code}-{number}"
            try:
                result[key] = Receipt.model_validate(raw)
            except ValidationError as exc:
                result[key] = problems_from_validation(key, exc)
            except (ArithmeticError, TypeError) as exc:  # whatever a register wrote: this receipt only
                message = (
                    f"Kvitto {key} kan inte läsas ur kassafilen ({type(exc).__name__}). Rätta det i kassan."
                )
                result[key] = [ReceiptProblem(key, "kvitto", message, f"receipt {key}: {exc!r}")]
        return result

    def pending_receipts(self, batch: int = 500) -> Iterator[Receipt]:
        """Receipts waiting to be posted, in key order, ``batch`` at a time (memory independent of count).

        A receipt a register wrote that does not add up is moved to ``failed`` with the Swedish reason.
        """
        return self.receipts_in_state(OutboxState.PENDING, batch)

    def receipts_in_state(self, state: OutboxState, batch: int = 500) -> Iterator[Receipt]:
        after: tuple[str, int] = ("", 0)
        while True:
            keys = outbox.keys_in_state(self._conn(), state, after, batch)
            if not keys:
                return
            after = keys[-1]
            loaded = self._load(self._conn(), keys)
            for key in keys:
                item = loaded[f"{key[0]}-{key[1]}"]
                if isinstance(item, Receipt):
                    yield item
                else:
                    self._fail_invalid(item)

    def _fail_invalid(self, problems: list[ReceiptProblem]) -> None:
        first = problems[0]
        for problem in problems:
            log.warning("invalid receipt in company file: %s", problem.detail)
        if self.mark_failed(first.receipt, first.message, from_states=(OutboxState.PENDING,)):
            self.refused.append(first)
        else:
            self.mark_failed(first.receipt, first.message, from_states=(OutboxState.FAILED,))

    def take_refused(self) -> list[ReceiptProblem]:
        """Receipts refused when read since the last call: each one is the run's failure to report."""
        refused, self.refused = self.refused, []
        return refused

    # -- sync cursors, backup --------------------------------------------------------------------------

    def cursor(self, resource: str) -> str | None:
        row = self._conn().execute("SELECT lastmodified FROM sync_cursors WHERE resource = ?", (resource,))
        found = row.fetchone()
        return None if found is None else str(found[0])

    def set_cursor(self, resource: str, lastmodified: str) -> None:
        with self._write() as tx:
            tx.execute(
                "INSERT INTO sync_cursors (resource, lastmodified) VALUES (?, ?) "
                "ON CONFLICT (resource) DO UPDATE SET lastmodified = excluded.lastmodified",
                (resource, lastmodified),
            )

    def backup(self, dest_dir: Path, keep: int = DEFAULT_BACKUPS_KEPT) -> Path:
        """A consistent copy in ``dest_dir`` (path logged); only the newest ``keep`` copies stay."""
        return backup_to(self._conn(), dest_dir, self.clock.now(), keep)
