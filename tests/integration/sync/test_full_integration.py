"""Full integration against the sandbox: the catalogue comes from Fortnox, every receipt goes there once."""

from __future__ import annotations

import math
import threading
from decimal import Decimal

from kassasync.pos.records import OutboxState, Target
from kassasync.sync.bookkeeping import business_date
from kassasync.sync.events import Outcome, StepProgress, SyncFinished, SyncRequest, SyncStarted

from .conftest import Shop


def test_a_full_sync_pulls_the_catalogue_and_posts_every_receipt_once_as_a_voucher(shop: Shop) -> None:
    report = shop.sync(kind="everything")

    assert report.outcome is Outcome.OK, report.errors
    keys = shop.receipt_keys()
    assert len(keys) == 48
    assert shop.states() == {OutboxState.POSTED: 48}
    assert all(shop.vouchers_of(key) == 1 for key in keys)
    assert report.posted_count == 48 and {key for key, _ in report.posted} == set(keys)
    tenant = shop.tenant()
    assert report.steps["articles"].pulled == len(tenant.articles) == 327
    with shop.store() as store:
        assert store.count("articles") == 327
        entry = store.outbox_entry(keys[0])
        assert entry is not None and entry.target is Target.VOUCHER and entry.fortnox_ref is not None
        assert entry.fortnox_ref.startswith("F")
        coffee = store.get_article("1001")
    assert coffee is not None and coffee.vat_rate == 12


def test_the_second_run_posts_nothing_and_pulls_only_what_changed(shop: Shop) -> None:
    shop.sync(kind="everything")
    shop.sandbox.api().put("/3/articles/1001", {"Article": {"Description": "Kaffe mörkrost 450 g"}})

    second = shop.sync()

    assert second.outcome is Outcome.OK, second.errors
    assert second.posted_count == 0
    assert second.steps["articles"].pulled == 1 and second.steps["articles"].updated == 1
    assert all(shop.vouchers_of(key) == 1 for key in shop.receipt_keys())
    with shop.store() as store:
        article = store.get_article("1001")
    assert article is not None and article.description == "Kaffe mörkrost 450 g"


def test_request_counts_equal_the_minimum_for_a_pull_of_n_articles_and_a_push_of_m_receipts(
    shop: Shop,
) -> None:
    tenant = shop.tenant()
    articles, customers = len(tenant.articles), len(tenant.customers)
    prices = sum(1 for key in tenant.prices if key[0] == "A")
    shop.sandbox.reset_counters()

    report = shop.sync(kind="everything")

    pages = lambda n: max(1, math.ceil(n / 500))  # noqa: E731 - the formula reads best inline
    accounts = report.steps["accounts"].pulled
    receipts = report.posted_count
    with shop.store() as store:
        days = len({business_date(r) for r in store.receipts_in_state(OutboxState.POSTED)})
    minimum = (
        1  # company information (same organisation number?)
        + 1  # predefined accounts
        + 1  # financial years
        + pages(accounts)  # the current year's chart, reused by pre-flight
        + pages(customers)
        + 1  # the cash customer (its price list)
        + pages(articles)
        + pages(prices)
        + 1  # voucher series (pre-flight)
        + 1  # locked period (pre-flight)
        + days  # check before create: one voucher listing per (series, day) with receipts to post
        + receipts  # one POST per voucher
    )
    counted = shop.requests()
    used = sum(n for name, n in counted.items() if not name.startswith("POST /oauth"))
    assert receipts == 48
    assert report.requests_used == used == minimum, counted
    assert counted.get("GET /3/articles/{ArticleNumber}", 0) == 0  # no per-item GETs


def test_progress_events_name_each_step_and_end_with_the_report(shop: Shop) -> None:
    report = shop.sync(kind="everything")

    assert isinstance(shop.events[0], SyncStarted)
    assert isinstance(shop.events[-1], SyncFinished) and shop.events[-1].report is report
    steps = [e.step for e in shop.events if isinstance(e, StepProgress)]
    for step in ("company", "accounts", "articles", "prices", "customers", "receipts"):
        assert step in steps
    labels = {e.label for e in shop.events if isinstance(e, StepProgress)}
    assert "Hämtar artiklar" in labels


def test_articles_gone_from_fortnox_are_removed_after_a_backup_but_receipts_stay(shop: Shop) -> None:
    shop.sync(kind="everything")
    api = shop.sandbox.api()
    assert api.delete("/3/articles/5000").status_code == 204
    assert api.put("/3/articles/5001", {"Article": {"Active": False}}).status_code == 200

    report = shop.sync(kind="everything")

    assert report.steps["articles"].removed == 2
    with shop.store() as store:
        assert store.get_article("5000") is None and store.get_article("5001") is None
        assert store.state_counts()[OutboxState.POSTED] == 48
    assert list(shop.paths.backup_dir.glob("*")), "a backup is made before anything is removed"


def test_prices_are_the_cash_customers_price_list_as_shelf_prices(shop: Shop) -> None:
    shop.sandbox.api().put("/3/prices/A/1001/0", {"Price": {"Price": 54.90}})

    shop.sync(kind="everything")

    with shop.store() as store:
        row = store._conn().execute(
            "SELECT price_ore FROM prices WHERE price_list = 'A' AND article_number = '1001'"
        )
        assert row.fetchone()[0] == 5490
        article = store.get_article("1001")
    assert article is not None and article.quantity_in_stock >= Decimal(0)


def test_a_cancelled_run_stops_between_receipts_and_says_so(shop: Shop) -> None:
    cancel = threading.Event()

    def cancel_after_ten(event: object) -> None:
        if isinstance(event, StepProgress) and event.step == "receipts" and event.done == 10:
            cancel.set()

    report = shop.engine().run(SyncRequest(kind="everything"), emit=cancel_after_ten, cancel=cancel)

    assert report.outcome is Outcome.ERROR
    assert report.errors[-1].user_message.startswith("Synkroniseringen avbröts")
    assert report.posted_count == 10
    assert shop.states() == {OutboxState.POSTED: 10, OutboxState.PENDING: 38}
