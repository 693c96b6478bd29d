"""The ways a shop books its sales: Fortnox Start, paid invoices, Lagermodul, daily summaries."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from kassasync.clock import STOCKHOLM
from kassasync.config import IntegrationMode, Posting, ReceiptsAs
from kassasync.pos.records import OutboxState, Target
from kassasync.sync.bookkeeping import business_date, key_marker, summary_key
from kassasync.sync.events import Outcome

from .conftest import Shop


def test_fortnox_start_pulls_only_predefined_accounts_and_posts_vouchers(shop: Shop) -> None:
    shop.configure(integration_mode=IntegrationMode.START, receipts_as=ReceiptsAs.INVOICE)
    with shop.store() as store:
        articles_before = store.count("articles")

    report = shop.sync(kind="everything")

    assert report.outcome is Outcome.OK, report.errors
    assert set(report.steps) == {"predefined", "receipts"}
    requested = shop.requests()
    assert not any("articles" in name or "prices" in name or "customers" in name for name in requested)
    with shop.store() as store:
        assert store.count("articles") == articles_before  # the register's own catalogue is untouched
        assert store.predefined_accounts()["CASH"] == 1910
        targets = {entry.target for entry in store.outbox_entries()}
    assert targets == {Target.VOUCHER}  # Start posts everything as vouchers, whatever was chosen
    assert all(shop.vouchers_of(key) == 1 for key in shop.receipt_keys())


VAT_ARITHMETIC = pytest.mark.parametrize("vat_per_row", [True, False], ids=["vat per row", "vat per rate"])


@VAT_ARITHMETIC
def test_receipts_as_paid_invoices_are_created_bookkept_and_paid_once(shop: Shop, vat_per_row: bool) -> None:
    shop.sandbox.configure_tenant(vat_per_row=vat_per_row)
    shop.configure(receipts_as=ReceiptsAs.INVOICE)

    report = shop.sync(kind="everything")

    assert report.outcome is Outcome.OK, report.errors
    assert shop.states() == {OutboxState.PAID: 48}
    tenant = shop.tenant()
    invoices = list(tenant.invoices.values())
    assert len(invoices) == 48
    assert all(shop.invoices_of(key) == 1 for key in shop.receipt_keys())
    for invoice in invoices:
        assert invoice["Booked"] is True
        assert invoice["CustomerNumber"] == "1"
        assert invoice["BalanceOre"] == 0, invoice["ExternalInvoiceReference1"]
    payments = Counter(p["InvoiceNumber"] for p in tenant.payments.values())
    assert set(payments) == {int(i["DocumentNumber"]) for i in invoices}
    assert all(p["Booked"] for p in tenant.payments.values())


@VAT_ARITHMETIC
def test_the_stock_module_forces_invoices_and_moves_stock_in_fortnox_and_the_register(
    shop: Shop, vat_per_row: bool
) -> None:
    shop.sandbox.configure_tenant(warehouse=True, allow_negative_stock=True, vat_per_row=vat_per_row)
    shop.configure(stock_module=True, receipts_as=ReceiptsAs.VOUCHER)
    shop.login()  # Lagermodul's login asks for the warehouse scope too
    tenant = shop.tenant()
    before = {number: Decimal(a["QuantityInStock"]) for number, a in tenant.articles.items()}
    sold: dict[str, Decimal] = {}
    with shop.store() as store:
        for receipt in store.pending_receipts():
            for line in receipt.lines:
                if line.article_number is not None and line.article_number != "PK":
                    held = line.quantity.quantize(Decimal("0.01"), ROUND_HALF_UP)  # what Fortnox can hold
                    sold[line.article_number] = sold.get(line.article_number, Decimal(0)) + held

    report = shop.sync(kind="everything")

    assert report.outcome is Outcome.OK, report.errors
    assert shop.states() == {OutboxState.PAID: 48}
    assert not any(name.startswith("POST /3/vouchers") for name in shop.requests())
    stock_goods = [n for n in sold if tenant.articles[n].get("StockGoods")]
    assert stock_goods
    with shop.store() as store:
        for number in stock_goods:
            fortnox_now = Decimal(tenant.articles[number]["QuantityInStock"])
            assert fortnox_now == before[number] - sold[number], number
            article = store.get_article(number)
            assert article is not None and article.quantity_in_stock == fortnox_now, number
    assert "stock" in report.steps


def test_a_daily_summary_is_one_voucher_per_register_and_closed_day(shop: Shop) -> None:
    shop.configure(posting=Posting.DAILY_SUMMARY)
    today = date.today()
    with shop.store() as store:
        days = {(r.register_code, business_date(r)) for r in store.pending_receipts()}

    report = shop.sync(kind="everything")

    assert report.outcome is Outcome.OK, report.errors
    closed = {(register, day) for register, day in days if day < _today()}
    for register, day in closed:
        assert shop.vouchers_with(key_marker(summary_key(register, day))) == 1
    assert shop.vouchers_with("(K1-") == 0  # no voucher per receipt
    with shop.store() as store:
        for entry in store.outbox_entries():
            receipt = store.get_receipt(entry.receipt)
            assert receipt is not None
            if business_date(receipt) < _today():
                assert entry.state is OutboxState.POSTED and entry.target is Target.SUMMARY
            else:
                assert entry.state is OutboxState.PENDING  # today is not closed yet
    assert today  # the clock the test ran on


def test_a_receipt_arriving_after_its_days_summary_gets_a_voucher_of_its_own(shop: Shop) -> None:
    shop.configure(posting=Posting.DAILY_SUMMARY)
    shop.sync(kind="everything")
    with shop.store() as store:
        posted = store.outbox_entries(OutboxState.POSTED)
        late = store.get_receipt(posted[-1].receipt)
        assert late is not None
        numbers = [
            e.receipt for e in store.outbox_entries() if e.receipt.startswith(late.register_code + "-")
        ]
        late_copy = late.model_copy(update={"receipt_number": 900 + len(numbers)})
        store.add_receipt(late_copy)

    report = shop.sync()

    assert report.posted == ((late_copy.key, report.posted[0][1]),)
    assert shop.vouchers_of(late_copy.key) == 1
    marker = key_marker(summary_key(late.register_code, business_date(late)))
    assert shop.vouchers_with(marker) == 1  # the posted summary is never touched


def _today() -> date:
    from datetime import datetime

    return datetime.now(tz=STOCKHOLM).date()
