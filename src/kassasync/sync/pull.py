"""Fortnox → register: accounts, articles, prices, stock and customers into the company file.

Full integration makes Fortnox the master of the catalogue; Fortnox Start pulls only the predefined
accounts (the register keeps its own articles, prices and stock). Every list is read 500 rows a page and
streamed into the store; nothing asks Fortnox for one item at a time.

Incremental runs ask only for what changed since the step's cursor (``lastmodified``, Swedish local time,
minus an overlap: Fortnox exposes no change stamps, REFERENCE §4.6). Deletions are invisible to
``lastmodified``, so a full pass (which also removes articles Fortnox no longer has) runs on "Synkronisera
allt" and on the first sync of each day.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from kassasync.clock import Clock, business_date
from kassasync.config import IntegrationMode, Settings
from kassasync.errors import RunAborted
from kassasync.fortnox import models as fx
from kassasync.fortnox.client import FortnoxClient
from kassasync.fortnox.errors import NotFound, RequestCancelled
from kassasync.pos import records
from kassasync.pos.orgnr import same_organisation
from kassasync.pos.store import PosStore
from kassasync.sync import articles as catalogue
from kassasync.sync.events import ReportedError, StepCounts
from kassasync.sync.facts import FactsCache
from kassasync.sync.interleave import never

log = logging.getLogger(__name__)

CURSOR_OVERLAP = timedelta(minutes=2)
STOCK_BATCH = 200  # itemIds per warehouse request: URL length (REFERENCE §5.14)
FULL_PASS_CURSOR = "full_pass_day"
ARTICLES_PASS = "articles_pass"  # the start of an article pass under way ("" when none)
PAGE_ROWS = 500  # Fortnox's page size: the price list stops for receipts once a page
ARTICLE_BATCH = 50  # rows per commit: a killed pull loses at most this many detail requests

Progress = Callable[[str, int, "int | None"], None]


class WrongCompany(RunAborted):
    """The register's company file and the Fortnox login belong to different companies."""


class Cancelled(RequestCancelled):
    """Cancelled at one of the run's own cancel points (between items); the same message as a cancel
    that cut a wait of the client short."""


@dataclass
class PullResult:
    steps: dict[str, StepCounts] = field(default_factory=dict)
    errors: list[ReportedError] = field(default_factory=list)
    article_numbers: set[str] = field(default_factory=set)  # changed (or, on a full pass, all) articles
    full_pass: bool = False
    article_details: int = 0  # GET /3/articles/{n} made: new and changed articles lacking VAT


def check_same_company(client: FortnoxClient, store: PosStore) -> fx.CompanyInformation:
    """Stop before anything is written when the login and the company file are different companies."""
    info = client.company_information()
    ours = store.company()
    if not same_organisation(info.organization_number, ours.organisation_number):
        raise WrongCompany(
            f"Fortnox company {info.organization_number} ({info.company_name}) differs from the register "
            f"company {ours.organisation_number} ({ours.name})",
            user_message=(
                f"Fel företag: kassan är {ours.name} ({ours.organisation_number}) men inloggningen i Fortnox "
                f"gäller {info.company_name} ({info.organization_number}). Ingenting har synkroniserats. "
                "Logga in i rätt Fortnox-företag eller välj rätt kassa i inställningarna."
            ),
        )
    return info


class Puller:
    def __init__(
        self,
        client: FortnoxClient,
        store: PosStore,
        settings: Settings,
        facts: FactsCache,
        *,
        backup_dir: Path,
        clock: Clock,
        progress: Progress,
        cancel: threading.Event,
        between: Callable[[], None] = never,
    ) -> None:
        self.client, self.store, self.settings, self.facts = client, store, settings, facts
        self.backup_dir, self.clock, self.progress, self.cancel = backup_dir, clock, progress, cancel
        self.between = between  # called between catalogue requests: the engine posts receipts there
        self.result = PullResult()
        self._started = clock.now()
        self._price_list: str | None = None
        self._prefetched: set[str] = set()  # details fetched by sold_first, not to be fetched again

    def today(self) -> date:
        return business_date(self.clock.now())

    def wants_full_pass(self, everything: bool) -> bool:
        return everything or self.store.cursor(FULL_PASS_CURSOR) != self.today().isoformat()

    def run(self, everything: bool) -> PullResult:
        self.setup(everything)
        return self.catalogue()

    def setup(self, everything: bool) -> None:
        """What a push needs first: predefined accounts, the chart, customers (short lists)."""
        self._started = self.clock.now()
        self.predefined_accounts()
        if self.settings.integration_mode is IntegrationMode.START:
            return
        self.result.full_pass = self.wants_full_pass(everything)
        self.accounts()
        self.customers(self.result.full_pass, self._started)
        self._price_list = self.cash_customer_price_list()

    def catalogue(self) -> PullResult:
        """The articles and prices: with a detail per new article, the long part of a first pull."""
        if self.settings.integration_mode is IntegrationMode.START:
            return self.result
        full, started = self.result.full_pass, self._started
        self.articles(full, started)
        if self._price_list is not None:
            self.prices(self._price_list, full, started)
        if full:
            self.store.set_cursor(FULL_PASS_CURSOR, self.today().isoformat())
        return self.result

    def sold_first(self, numbers: Iterable[str]) -> None:
        """The details of the articles pending receipts sell and the company file has not from Fortnox
        yet, before the push, so the receipts need not wait for a whole first pull. The article pass
        then skips them. (Sales are booked on the company's account for the VAT rate, not on an
        article's own ``SalesAccount``.)"""
        if self.settings.integration_mode is IntegrationMode.START:
            return
        wanted: list[records.Article] = []
        for number in sorted(set(numbers)):
            self._check_cancel()
            known = self.store.get_article(number)
            if known is not None and known.origin is records.Origin.FORTNOX:
                continue
            try:
                detail = self.client.get_article(number)
            except NotFound:
                continue  # not in Fortnox: the push says so for its receipt
            self._prefetched.add(number)
            article = catalogue.from_detail(detail, detail)
            if detail.active and article is not None:
                wanted.append(article)
        self.store.upsert_articles(wanted)

    # -- steps ---------------------------------------------------------------------------------------

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled("sync cancelled during the pull")

    def _pause_point(self) -> None:
        """Between two catalogue requests (no store transaction open): cancel, or let receipts through."""
        self._check_cancel()
        self.between()
        self._check_cancel()

    def _since(self, resource: str, full: bool) -> datetime | None:
        if full:
            return None
        stamp = self.store.cursor(resource)
        return None if stamp is None else datetime.fromisoformat(stamp) - CURSOR_OVERLAP

    def predefined_accounts(self) -> None:
        self.progress("predefined", 0, None)
        rows = self.client.predefined_accounts()
        counts = self.store.upsert_predefined_accounts(
            records.PredefinedAccount(r.name, r.account) for r in rows
        )
        self._count("predefined", len(rows), counts)

    def accounts(self) -> None:
        """The chart of the current financial year (the register books into today's year)."""
        self._check_cancel()
        year = self.facts.year_of(self.today())
        if year is None:
            log.warning("no financial year covers %s: accounts not pulled", self.today())
            return
        self.progress("accounts", 0, None)
        rows = self.facts.accounts(year.id)
        counts = self.store.upsert_accounts(
            records.Account(a.number, a.description, a.active, a.vat_code) for a in rows
        )
        self._count("accounts", len(rows), counts)

    def customers(self, full: bool, started: datetime) -> None:
        self._check_cancel()
        pulled = 0

        def stream() -> Iterator[records.Customer]:
            nonlocal pulled
            for row in self.client.iter_customers(self._since("customers", full)):
                pulled += 1
                if pulled % 500 == 0:
                    self.progress("customers", pulled, None)
                yield records.Customer(row.customer_number, row.name, row.organisation_number or None)

        self.progress("customers", 0, None)
        counts = self.store.upsert_customers(stream())
        self.store.set_cursor("customers", started.isoformat())
        self._count("customers", pulled, counts)

    def cash_customer_price_list(self) -> str | None:
        number = self.settings.cash_customer_number
        customer = self.facts.customer(number)
        if customer is None:
            self.result.errors.append(
                ReportedError(
                    user_message=(
                        f"Kassakunden {number} finns inte i Fortnox, så priserna kunde inte hämtas. Skapa "
                        "kunden i Fortnox eller ange rätt kundnummer i Kassasyncs inställningar."
                    ),
                    detail=f"cash customer {number} not found; prices not pulled",
                )
            )
            return None
        return customer.price_list or "A"

    def articles(self, full: bool, started: datetime) -> None:
        """Active articles, page by page; the detail (VAT, account, price) of new and changed ones only.

        An incremental run lists only what changed, so each row lacking VAT is new or changed. A full
        pass lists everything (to see removals) and first asks which articles changed since the
        cursor: one more short listing instead of one detail request per article."""
        self._check_cancel()
        seen: set[str] = set()
        skipped: list[str] = []
        details = 0
        # A pass killed half way left its start in ARTICLES_PASS: the resumed pass counts from then, so
        # what the killed one already fetched is "unchanged" and not fetched again (kill -9 included:
        # rows are committed every ARTICLE_BATCH).
        marker = self.store.cursor(ARTICLES_PASS) or None
        pass_start = marker or started.isoformat()
        self.store.set_cursor(ARTICLES_PASS, pass_start)
        since = self._since("articles", full)
        reference = self.store.cursor("articles") or marker  # None: a first pass, every article is new
        changed: set[str] | None = None
        if full and reference:
            changed = self._changed_articles(datetime.fromisoformat(reference) - CURSOR_OVERLAP)

        def stream() -> Iterator[records.Article]:
            nonlocal details
            for page in self.client.iter_article_pages(since, active=True):
                total = self.client.list_total  # read now: a push between requests lists vouchers
                self._pause_point()
                for row in page:
                    known = self.store.get_article(row.article_number)
                    if known is not None and known.origin is not records.Origin.FORTNOX:
                        known = None  # the register's own article: Fortnox's detail decides
                    is_changed = (changed is None or row.article_number in changed) and (
                        row.article_number not in self._prefetched
                    )
                    if catalogue.needs_detail(row, known, is_changed):
                        self._pause_point()  # a detail a request: stop between them, not per page
                        details += 1
                        if details % 50 == 0:
                            self.progress("articles", len(seen), total)
                        detail = self.client.get_article(row.article_number)
                        article = catalogue.from_detail(row, detail) if detail.active else None
                        if not detail.active:
                            continue  # deactivated since the listing: a full pass removes it
                    else:
                        article = catalogue.from_row(row, known)
                    if article is None:
                        skipped.append(row.article_number)
                        continue
                    seen.add(article.article_number)
                    yield article
                self.progress("articles", len(seen), total)

        self.progress("articles", 0, None)
        counts = self.store.upsert_articles(stream(), batch=ARTICLE_BATCH)
        removed = 0
        if full:
            removal = self.store.remove_articles_missing_from(seen, self.backup_dir)
            removed = removal.removed
            if removal.backup is not None:
                log.info("backup before removing articles: %s", removal.backup)
        self.store.set_cursor("articles", pass_start)
        self.store.set_cursor(ARTICLES_PASS, "")
        self.result.article_numbers |= seen
        self.result.article_details = details
        self._count("articles", len(seen) + len(skipped), counts, removed=removed, failed=len(skipped))
        if skipped:
            self.result.errors.append(self._bad_vat(skipped))

    def _changed_articles(self, since: datetime | None) -> set[str]:
        return {
            row.article_number for page in self.client.iter_article_pages(since, active=True) for row in page
        }

    @staticmethod
    def _bad_vat(numbers: list[str]) -> ReportedError:
        shown = ", ".join(numbers[:10]) + (" …" if len(numbers) > 10 else "")
        return ReportedError(
            user_message=(
                f"{len(numbers)} aktiva artiklar saknar giltig momssats i Fortnox (25, 12, 6 eller 0 %), "
                f"inte heller på artikelkortet, och hämtades inte till kassan: {shown}. Ange momssatsen "
                "på artiklarna i Fortnox; övriga artiklar har hämtats."
            ),
            detail=f"active articles without a usable VAT rate, even in the detail: {numbers[:50]}",
        )

    def prices(self, price_list: str, full: bool, started: datetime) -> None:
        """The cash customer's price list as shelf prices: Fortnox's prices exclude VAT, whatever the
        customer's ``ShowPriceVATIncluded`` says, so each is × (1 + the article's VAT)."""
        self._check_cancel()
        cursor = f"prices:{price_list}"
        pulled = 0
        vat_of: dict[str, int | None] = {}

        def vat_rate(number: str) -> int | None:
            if number not in vat_of:
                article = self.store.get_article(number)
                vat_of[number] = None if article is None else article.vat_rate
            return vat_of[number]

        def stream() -> Iterator[records.Price]:
            nonlocal pulled
            for row in self.client.iter_prices(price_list, self._since(cursor, full)):
                pulled += 1
                if pulled % PAGE_ROWS == 1:
                    self._pause_point()
                vat = vat_rate(row.article_number)
                if vat is None or row.price is None:  # an inactive article's price: nothing to show
                    continue
                ore = catalogue.shelf_price_ore(row.price, vat)
                yield records.Price(price_list, row.article_number, ore, row.from_quantity or Decimal(0))

        self.progress("prices", 0, None)
        counts = self.store.upsert_prices(stream())
        self.store.set_cursor(cursor, started.isoformat())
        self._count("prices", pulled, counts)

    def stock(self, article_numbers: Iterable[str]) -> None:
        """Lagermodul balances (available, summed over stock points) for the given articles."""
        numbers = sorted(set(article_numbers))
        self.progress("stock", 0, len(numbers))
        levels: list[tuple[str, Decimal]] = []
        for start in range(0, len(numbers), STOCK_BATCH):
            self._check_cancel()
            batch = numbers[start : start + STOCK_BATCH]
            totals: dict[str, Decimal] = {}
            for balance in self.client.stock_balances(batch):
                available = balance.available_stock or Decimal(0)
                totals[balance.item_id] = totals.get(balance.item_id, Decimal(0)) + available
            levels += totals.items()
            self.progress("stock", min(start + STOCK_BATCH, len(numbers)), len(numbers))
        changed = self.store.set_stock(levels)
        self.result.steps["stock"] = StepCounts(pulled=len(levels), updated=changed)

    def _count(
        self, step: str, pulled: int, counts: records.UpsertCounts, *, removed: int = 0, failed: int = 0
    ) -> None:
        self.result.steps[step] = StepCounts(
            pulled=pulled, created=counts.created, updated=counts.updated, removed=removed, failed=failed
        )
        log.info(
            "pulled %s: %d (created %d, updated %d, removed %d, skipped %d)",
            step,
            pulled,
            counts.created,
            counts.updated,
            removed,
            failed,
        )
