"""Full integration against the sandbox: the catalogue comes from Fortnox, every receipt goes there once."""

from __future__ import annotations

import math
import threading
from decimal import Decimal

import pytest

from kassasync.pos.records import OutboxState, Target
from kassasync.sync.bookkeeping import business_date
from kassasync.sync.events import Outcome, StepProgress, SyncFinished, SyncRequest, SyncStarted
from kassasync.sync.pull import ARTICLE_BATCH

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
        + articles  # list rows carry VAT null: one detail per new article (all of them, first time)
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
    assert counted["GET /3/articles/{ArticleNumber}"] == articles


def test_a_later_full_pass_fetches_the_detail_of_changed_articles_only(shop: Shop) -> None:
    shop.sync(kind="everything")
    api = shop.sandbox.api()
    assert api.put("/3/articles/1002", {"Article": {"VAT": 25}}).status_code == 200
    created = api.post("/3/articles", {"Article": {"ArticleNumber": "9001", "Description": "Ny", "VAT": 6}})
    assert created.status_code == 201
    tenant = shop.tenant()
    shop.sandbox.reset_counters()

    report = shop.sync(kind="everything", push=False)

    pages = lambda n: max(1, math.ceil(n / 500))  # noqa: E731
    counted = shop.requests()
    assert counted["GET /3/articles/{ArticleNumber}"] == 2  # the changed one and the new one
    assert counted["GET /3/articles"] == pages(len(tenant.articles)) + 1  # + the changed-since listing
    assert report.steps["articles"].failed == 0
    with shop.store() as store:
        changed, new, same = store.get_article("1002"), store.get_article("9001"), store.get_article("1001")
    assert changed is not None and changed.vat_rate == 25
    assert new is not None and new.vat_rate == 6
    assert same is not None and same.vat_rate == 12 and same.sales_price_ore == 5990


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


def _shelf_price(shop: Shop, price_list: str, number: str) -> int | None:
    with shop.store() as store:
        row = (
            store._conn()
            .execute(
                "SELECT price_ore FROM prices WHERE price_list = ? AND article_number = ?",
                (price_list, number),
            )
            .fetchone()
        )
    return None if row is None else int(row[0])


@pytest.mark.parametrize("vat_included", [True, False])
def test_a_shelf_price_is_the_price_list_price_excluding_vat_times_one_plus_vat(
    shop: Shop, vat_included: bool
) -> None:
    shop.tenant().customers["1"]["ShowPriceVATIncluded"] = vat_included  # changes nothing: lists exclude VAT
    shop.sandbox.api().put("/3/prices/A/1001/0", {"Price": {"Price": 49.02}})

    shop.sync(kind="everything")

    assert _shelf_price(shop, "A", "1001") == 5490  # 49.02 × 1.12 = 54.9024
    assert _shelf_price(shop, "A", "1002") == 2290  # the demo's shelf price, stored as 20.45 excl. VAT
    with shop.store() as store:
        article = store.get_article("1001")
    assert article is not None and article.quantity_in_stock >= Decimal(0)


def test_an_article_without_a_price_in_the_cash_customers_list_keeps_its_sales_price_grossed_up(
    shop: Shop,
) -> None:
    api = shop.sandbox.api()
    body = {"Article": {"ArticleNumber": "9002", "Description": "Bara i lista A", "VAT": 25}}
    assert api.post("/3/articles", body).status_code == 201
    price = {"PriceList": "A", "ArticleNumber": "9002", "FromQuantity": 0, "Price": 15.92}
    assert api.post("/3/prices", {"Price": price}).status_code == 201
    shop.configure(cash_customer_number="5")  # its price list is B, which has no price for 9002

    shop.sync(kind="everything", push=False)

    assert _shelf_price(shop, "B", "9002") is None
    with shop.store() as store:
        article = store.get_article("9002")
    assert article is not None and article.sales_price_ore == 1990  # 15.92 × 1.25


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


def test_a_pull_stopped_half_way_resumes_without_fetching_the_details_it_already_has(shop: Shop) -> None:
    articles = len(shop.tenant().articles)
    cancel = threading.Event()

    def stop_half_way(event: object) -> None:
        if isinstance(event, StepProgress) and event.step == "articles" and event.done >= articles // 2:
            cancel.set()

    stopped = shop.engine().run(SyncRequest(kind="everything", push=False), emit=stop_half_way, cancel=cancel)
    assert stopped.errors[-1].user_message.startswith("Synkroniseringen avbröts")
    first = shop.requests()["GET /3/articles/{ArticleNumber}"]
    assert first < articles
    shop.sandbox.reset_counters()

    resumed = shop.sync(kind="everything", push=False)

    again = shop.requests()["GET /3/articles/{ArticleNumber}"]
    assert resumed.steps["articles"].pulled == articles and resumed.steps["articles"].failed == 0
    assert first + again <= articles + ARTICLE_BATCH  # at most one uncommitted batch fetched twice
    assert again <= articles - (first // ARTICLE_BATCH) * ARTICLE_BATCH
    shop.sandbox.reset_counters()
    shop.sync(kind="everything", push=False)
    assert "GET /3/articles/{ArticleNumber}" not in shop.requests()  # nothing changed: no details


def test_the_article_pull_reports_done_of_total_and_the_time_left(shop: Shop) -> None:
    shop.sync(kind="everything", push=False)

    articles = [e for e in shop.events if isinstance(e, StepProgress) and e.step == "articles" and e.done]
    total = len(shop.tenant().articles)
    assert articles and all(e.total == total for e in articles)
    assert any(e.seconds_left is not None and e.seconds_left >= 0 for e in articles[:-1])
    assert articles[-1].done == total and articles[-1].seconds_left == 0


def test_a_first_sync_posts_the_receipts_before_it_pulls_the_catalogue(shop: Shop) -> None:
    report = shop.sync(kind="everything")

    steps = [e.step for e in shop.events if isinstance(e, StepProgress)]
    assert steps.index("receipts") < steps.index("articles")  # the receipts do not wait for the catalogue
    assert report.posted_count == 48
    # The articles sold were read first (their accounts decide the booking: the gift card is 2421), and
    # not read again by the article pass: still one detail per article in all.
    assert shop.requests()["GET /3/articles/{ArticleNumber}"] == len(shop.tenant().articles)
    assert report.steps["articles"].failed == 0


def test_receipts_sold_during_a_long_first_pull_are_posted_before_it_ends(shop: Shop) -> None:
    """The run holds the sync lock for hours on a big first pull: it posts what is sold meanwhile itself,
    once per schedule interval (here: at every pause point), between two catalogue requests."""
    with shop.store() as store:
        template = next(iter(store.pending_receipts()))
    sold_later = template.model_copy(update={"receipt_number": 9001})
    order: list[str] = []

    def sell_during_the_pull(event: object) -> None:
        if not isinstance(event, StepProgress):
            return
        if event.step == "articles" and event.done > 0 and not order:
            with shop.store() as store:
                assert store.add_receipt(sold_later)
            order.append("sold")
        elif event.step == "receipts" and order == ["sold"]:
            order.append("posted")
        elif event.step == "articles" and order == ["sold", "posted"] and event.done == event.total:
            order.append("pull done")

    report = shop.engine(push_during_pull_s=0.0).run(
        SyncRequest(kind="everything"), emit=sell_during_the_pull
    )

    assert report.outcome is Outcome.OK, report.errors
    assert order == ["sold", "posted", "pull done"]
    assert shop.vouchers_of(sold_later.key) == 1
    assert report.posted_count == 49 and report.steps["receipts"].posted == 49
    assert sold_later.key in {key for key, _ in report.posted}
    assert shop.states() == {OutboxState.POSTED: 49}


def test_a_problem_met_by_every_push_of_a_long_pull_is_reported_once(shop: Shop) -> None:
    shop.configure(voucher_series="Q")  # a series Fortnox does not have: every receipt is held back
    report = shop.engine(push_during_pull_s=0.0).run(SyncRequest(kind="everything"))

    held = [e for e in report.errors if "kvitton väntar" in e.user_message]
    assert len(held) == 1 and "(48 kvitton väntar.)" in held[0].user_message
    assert shop.states() == {OutboxState.PENDING: 48}
