"""What goes wrong in the field, and what the shop owner is told: wrong company, pre-flight, refusals."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import cast

import pytest
from filelock import FileLock

from kassasync.clock import STOCKHOLM
from kassasync.config import PaymentMapping, ReceiptsAs
from kassasync.pos.records import OutboxState
from kassasync.sync.bookkeeping import business_date
from kassasync.sync.events import Outcome
from kassasync.sync.run_lock import sync_lock_path

from .conftest import Shop


def _posts(shop: Shop) -> int:
    return sum(n for name, n in shop.requests().items() if name.startswith("POST /3/"))


def test_a_different_organisation_number_stops_the_run_and_touches_nothing(shop: Shop) -> None:
    with sqlite3.connect(shop.company) as conn:
        conn.execute("UPDATE company SET organisation_number = '559012-3450'")
    with shop.store() as store:
        articles = store.count("articles")

    report = shop.sync(kind="everything")

    assert report.outcome is Outcome.ERROR
    (error,) = report.errors
    assert error.user_message.startswith("Fel företag: kassan är")
    assert "559012-3450" in error.user_message and "556123-4567" in error.user_message
    assert shop.requests() == {"GET /3/companyinformation": 1}
    with shop.store() as store:
        assert store.count("articles") == articles
    assert shop.states() == {OutboxState.PENDING: 48}


def test_a_missing_financial_year_keeps_the_receipts_queued_with_the_remedy(shop: Shop) -> None:
    year = datetime.now(tz=STOCKHOLM).date()
    shop.sandbox.configure_tenant(remove_financial_year_for=year.isoformat())

    report = shop.sync()

    assert report.outcome is Outcome.ATTENTION
    messages = [e.user_message for e in report.errors]
    remedy = f"Skapa räkenskapsår {year.year} i Fortnox"
    assert any(remedy in m and "48 kvitton väntar" in m for m in messages)
    assert shop.states() == {OutboxState.PENDING: 48}
    assert _posts(shop) == 0


def test_a_locked_period_holds_back_only_the_receipts_inside_it(shop: Shop) -> None:
    with shop.store() as store:
        days = sorted({business_date(r) for r in store.pending_receipts()})
    shop.sandbox.configure_tenant(locked_until=days[0].isoformat())

    report = shop.sync()

    assert report.outcome is Outcome.ATTENTION
    assert any("är låst i Fortnox" in e.user_message for e in report.errors)
    with shop.store() as store:
        for receipt in store.pending_receipts():
            assert business_date(receipt) <= days[0]
        assert store.state_counts()[OutboxState.POSTED] == 24  # the later day went


def test_a_series_that_is_not_manual_holds_every_receipt(shop: Shop) -> None:
    shop.sandbox.configure_tenant(series_manual={"F": False})

    report = shop.sync()

    assert any("F tillåter inte manuell kontering" in e.user_message for e in report.errors)
    assert shop.states() == {OutboxState.PENDING: 48}


def test_an_inactive_account_holds_only_the_receipts_that_use_it(shop: Shop) -> None:
    shop.sandbox.configure_tenant(accounts_active={"1930": False})  # Swish
    with shop.store() as store:
        swish = {r.key for r in store.pending_receipts() if any(p.method == "swish" for p in r.payments)}
    assert swish

    report = shop.sync()

    assert any("Konto 1930 är inaktivt" in e.user_message for e in report.errors)
    with shop.store() as store:
        assert {r.key for r in store.pending_receipts()} == swish
        assert store.state_counts()[OutboxState.POSTED] == 48 - len(swish)


def test_a_missing_cash_customer_holds_the_invoices(shop: Shop) -> None:
    shop.configure(receipts_as=ReceiptsAs.INVOICE, cash_customer_number="999")

    report = shop.sync()

    assert any("Kassakunden 999 finns inte i Fortnox" in e.user_message for e in report.errors)
    assert shop.states() == {OutboxState.PENDING: 48}
    assert _posts(shop) == 0


def test_a_mode_of_payment_missing_in_fortnox_holds_the_receipts_paid_that_way(shop: Shop) -> None:
    mapping = dict(shop.settings.payment_methods)
    mapping["card"] = PaymentMapping(account=1580, mode_of_payment="KORTX")
    shop.configure(receipts_as=ReceiptsAs.INVOICE, payment_methods=mapping)
    with shop.store() as store:
        card = {r.key for r in store.pending_receipts() if any(p.method == "card" for p in r.payments)}

    report = shop.sync()

    assert any("Betalningssättet KORTX finns inte i Fortnox" in e.user_message for e in report.errors)
    with shop.store() as store:
        assert {r.key for r in store.pending_receipts()} == card
        assert store.state_counts()[OutboxState.PAID] == 48 - len(card)


def test_a_receipt_fortnox_refuses_fails_alone_and_goes_after_a_resend(shop: Shop) -> None:
    shop.sandbox.inject("POST", "/3/vouchers", "status", status=400, count=1)

    report = shop.sync()

    assert report.outcome is Outcome.ATTENTION
    assert report.failed_count == 1 and report.posted_count == 47
    (failed,) = [e for e in report.errors if e.item]
    with shop.store() as store:
        entry = store.outbox_entry(failed.item or "")
        assert entry is not None and entry.state is OutboxState.FAILED and entry.last_error
    assert shop.vouchers_of(failed.item or "") == 0

    again = shop.sync(pull=False)  # a failed receipt waits for the user: not retried on its own
    assert again.posted_count == 0

    resent = shop.sync(pull=False, resend=(failed.item,))
    assert resent.outcome is Outcome.OK and resent.posted[0][0] == failed.item
    assert shop.vouchers_of(failed.item or "") == 1
    assert shop.states() == {OutboxState.POSTED: 48}


def test_a_dry_run_shows_what_would_be_posted_and_posts_nothing(shop: Shop) -> None:
    report = shop.sync(dry_run=True)

    assert report.outcome is Outcome.OK, report.errors
    assert len(report.planned) == 48 and report.posted == ()
    assert report.planned[0][1].startswith("verifikation i serie F, ")
    assert _posts(shop) == 0
    assert not any("articles" in name for name in shop.requests())
    assert shop.states() == {OutboxState.PENDING: 48}


def test_a_sync_already_running_is_refused_not_interleaved(shop: Shop) -> None:
    with FileLock(sync_lock_path(shop.settings, shop.paths)):
        report = shop.sync()
    assert report.outcome is Outcome.ERROR
    assert report.errors[0].user_message.startswith("En synkronisering pågår redan")
    assert shop.requests() == {}


def test_the_stock_module_without_fortnox_lager_holds_the_receipts_and_reads_no_stock(shop: Shop) -> None:
    shop.configure(stock_module=True)  # the demo tenant has Lager off
    shop.login()

    report = shop.sync()

    assert any("Fortnox Lager är inte aktiverat" in e.user_message for e in report.errors)
    assert shop.states() == {OutboxState.PENDING: 48}
    assert "stock" not in report.steps
    assert not any("stockbalance" in name for name in shop.requests())


def test_lagermodul_turned_on_after_a_login_without_warehouse_scope_asks_for_a_new_login(shop: Shop) -> None:
    shop.sandbox.configure_tenant(warehouse=True)
    shop.configure(stock_module=True)  # the login was made with Lagermodul off: no warehouse scope

    report = shop.sync()

    assert report.outcome is Outcome.LOGIN_REQUIRED
    assert report.errors[0].user_message.startswith("Ny inloggning behövs: Lagermodul är påslagen")
    assert not any(name.startswith("GET /api/warehouse") for name in shop.requests())  # no 403 tried
    assert shop.states() == {OutboxState.PENDING: 48}  # nothing lost

    granted = shop.login()
    assert "warehouse" in granted.scope.split()
    assert shop.sync().outcome is not Outcome.LOGIN_REQUIRED


def test_predefined_accounts_that_are_blank_null_or_zero_are_not_set_and_the_run_goes_on(shop: Shop) -> None:
    predefined = cast("dict[str, object]", shop.tenant().predefined_accounts)
    predefined.update({"SALESEUREV": "", "CURRENCYWIN": None, "PURCASE": 0})  # real tenants send each

    report = shop.sync()

    assert report.outcome is Outcome.OK, [e.detail for e in report.errors]
    assert shop.states() == {OutboxState.POSTED: 48}
    with shop.store() as store:
        rows = dict(store._conn().execute("SELECT name, account FROM predefined_accounts").fetchall())
    assert rows["SALESEUREV"] == rows["CURRENCYWIN"] == rows["PURCASE"] == 0  # "not set"
    assert rows["CASH"] == 1910


@pytest.mark.parametrize("content", ["[]", '"token"', "null", "5", "[1, 2]"])
def test_a_token_file_that_is_not_a_json_object_asks_for_a_new_login(shop: Shop, content: str) -> None:
    shop.paths.token_file.write_text(content, encoding="utf-8")

    report = shop.sync()

    assert report.outcome is Outcome.LOGIN_REQUIRED
    assert "Logga in igen" in report.errors[0].user_message
    assert shop.states() == {OutboxState.PENDING: 48}
