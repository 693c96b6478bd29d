"""Kassaavstämning over loopback: the demo shop's receipts posted by the real engine, read back from the
sandbox, and every register's day compared per account to the öre."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from fortnox_sandbox.testing import RunningSandbox
from kassasync.avstamning.compare import DayResult
from kassasync.avstamning.output import csv_text, report_lines
from kassasync.avstamning.run import AvstamningReport, AvstamningRequest, RunOptions, run_avstamning
from kassasync.cli import main
from kassasync.config import ReceiptsAs, save_settings
from kassasync.environment import read_environment
from kassasync.pos.models import Receipt
from kassasync.pos.records import OutboxState
from kassasync.pos.store import connect
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.bookkeeping import business_date, receipt_voucher

from .conftest import FAST, Shop, make_shop


def reconcile(shop: Shop, start: date, end: date, register: str | None = None) -> AvstamningReport:
    options = RunOptions(
        token_store=shop.token_store, rate_limit=10_000, rate_window_s=1.0, client_options=FAST
    )
    request = AvstamningRequest(start, end, register)
    return run_avstamning(shop.settings, shop.paths, request, options, environment=read_environment())


def receipts(shop: Shop) -> list[Receipt]:
    with shop.store() as store:
        return [r for r in (store.get_receipt(key) for key in shop.receipt_keys()) if r is not None]


def days_of(shop: Shop) -> tuple[date, date]:
    days = sorted({business_date(r) for r in receipts(shop)})
    return days[0], days[-1]


def day_of(report: AvstamningReport, register: str, day: date) -> DayResult:
    return next(d for d in report.days if d.register == register and d.day == day)


def expected_net(receipt: Receipt) -> dict[int, int]:
    return receipt_voucher(receipt, AccountPlan.bas_defaults(), "F").net_by_account()


def differences(day: DayResult) -> dict[int | None, int]:
    return {line.account: line.difference_ore for line in day.differences()}


@pytest.fixture
def month_shop(fast_sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Shop:
    return make_shop(fast_sandbox, tmp_path / "home", monkeypatch, days=30)


def test_a_clean_month_shows_every_register_and_day_ok_with_bounded_requests(month_shop: Shop) -> None:
    shop = month_shop
    shop.sync()
    start, end = days_of(shop)
    shop.sandbox.reset_counters()

    report = reconcile(shop, start, end)

    registers = {r.register_code for r in receipts(shop)}
    assert len(report.days) >= 30 * len(registers) - len(registers)
    assert all(day.ok for day in report.days), report_lines(report)
    assert all(line.register_ore for day in report.days for line in day.lines)
    vouchers = len(receipts(shop))
    assert report.counts.details == vouchers
    assert report.counts.list_pages == -(-vouchers // 500)
    assert report.requests == 1 + report.counts.list_pages + report.counts.details  # + financial years
    assert sum(shop.requests().values()) == report.requests
    assert "Alla dagar stämmer." in report_lines(report)


def test_a_failed_a_waiting_and_a_doubly_booked_receipt_each_show_on_their_day(shop: Shop) -> None:
    _first, last = days_of(shop)
    early = next(r for r in receipts(shop) if r.register_code == "K1")
    waiting = early.model_copy(update={"receipt_number": 9001, "sold_at": early.sold_at - timedelta(days=3)})
    with shop.store() as store:
        store.add_receipt(waiting)
    shop.sandbox.configure_tenant(locked_until=business_date(waiting).isoformat())
    shop.sandbox.inject("POST", "/3/vouchers", "status", status=400)  # the first receipt sent is refused
    shop.sync()
    with shop.store() as store:
        failed_key = store.outbox_entries(OutboxState.FAILED)[0].receipt
        failed = store.get_receipt(failed_key)
        twice = next(
            r
            for r in store.receipts_in_state(OutboxState.POSTED)
            if r.key != failed_key and business_date(r) == last
        )
    assert failed is not None
    body = receipt_voucher(twice, AccountPlan.bas_defaults(), "A").to_fortnox()
    for row in body["Voucher"]["VoucherRows"]:
        row["Debit"], row["Credit"] = str(row["Debit"]), str(row["Credit"])
    assert shop.sandbox.api().post("/3/vouchers", body).status_code == 201  # by hand, in series A

    report = reconcile(shop, business_date(waiting), last)

    waiting_day = day_of(report, "K1", business_date(waiting))
    assert differences(waiting_day) == {a: -v for a, v in expected_net(waiting).items()}
    assert [(c.receipt, c.what) for c in waiting_day.causes] == [(waiting.key, "väntar")]
    assert "låst" in waiting_day.causes[0].detail
    failed_day = day_of(report, failed.register_code, business_date(failed))
    assert differences(failed_day) == {a: -v for a, v in expected_net(failed).items()}
    assert [(c.receipt, c.what) for c in failed_day.causes] == [(failed.key, "misslyckades")]
    twice_day = day_of(report, twice.register_code, last)
    assert differences(twice_day) == expected_net(twice)
    [cause] = twice_day.causes
    assert (cause.receipt, cause.what) == (twice.key, "bokförd 2 gånger")
    assert "A1" in cause.detail and "A1" in cause.remedy
    others = [d for d in report.days if d not in (waiting_day, failed_day, twice_day)]
    assert others and all(d.ok for d in others)
    text = "\n".join(report_lines(report))
    assert f"Kvitto {twice.key} bokförd 2 gånger" in text and f"Kvitto {failed.key} misslyckades" in text
    rows = csv_text(report).splitlines()
    assert rows[0].startswith("kassa;dag;rad;konto")
    assert any(row.startswith(f"{twice.register_code};{last.isoformat()};orsak;") for row in rows)


def test_an_invoice_paid_short_in_fortnox_shows_the_unpaid_amount_and_the_receipt(shop: Shop) -> None:
    shop.configure(receipts_as=ReceiptsAs.INVOICE)
    shop.sandbox.inject("PUT", "/3/invoicepayments/*/bookkeep", "status", status=400)
    shop.sync()
    api = shop.sandbox.api()
    payment = next(p for p in api.get("/3/invoicepayments").json()["InvoicePayments"] if not p["Booked"])
    invoice = api.get(f"/3/invoices/{payment['InvoiceNumber']}").json()["Invoice"]
    key = invoice["ExternalInvoiceReference1"]
    detail = api.get(f"/3/invoicepayments/{payment['Number']}").json()["InvoicePayment"]
    assert api.delete(f"/3/invoicepayments/{payment['Number']}").status_code == 204
    short = {  # the accountant registers it again by hand, 10 kr short, with the same öresavrundning
        "InvoiceNumber": int(payment["InvoiceNumber"]),
        "Amount": str(Decimal(str(detail["Amount"])) - 10),
        "PaymentDate": detail["PaymentDate"],
        "ModeOfPayment": detail["ModeOfPayment"],
        "WriteOffs": [
            {"AccountNumber": w["AccountNumber"], "Amount": str(w["Amount"])} for w in detail["WriteOffs"]
        ],
    }
    created = api.post("/3/invoicepayments", {"InvoicePayment": short}).json()["InvoicePayment"]
    assert api.put(f"/3/invoicepayments/{created['Number']}/bookkeep").status_code == 200
    start, end = days_of(shop)

    report = reconcile(shop, start, end)

    receipt = next(r for r in receipts(shop) if r.key == key)
    day = day_of(report, receipt.register_code, business_date(receipt))
    assert differences(day) == {1510: 1000, detail["ModeOfPaymentAccount"]: -1000}  # 10 kr still owed
    assert (key, "inte fullt betald") in [(c.receipt, c.what) for c in day.causes]
    assert all(line.fortnox_ore for line in day.lines)  # read back from the invoice's and payments' vouchers
    others = [d for d in report.days if d is not day]
    assert others and all(d.ok for d in others), report_lines(report)


def test_the_registers_own_z_report_total_is_a_third_column_and_a_day_it_disagrees_with_differs(
    shop: Shop,
) -> None:
    shop.sync()
    first, last = days_of(shop)
    sums: dict[tuple[str, date], int] = {}
    for receipt in receipts(shop):
        key = (receipt.register_code, business_date(receipt))
        sums[key] = sums.get(key, 0) + receipt.total_ore
    conn = connect(shop.company)
    for (register, day), total in sums.items():
        z_total = total - 100 if (register, day) == ("K1", last) else total  # one Z-report says 1 kr less
        conn.execute(
            "INSERT INTO z_reports (register_code, business_day, z_number, total_ore) VALUES (?, ?, ?, ?)",
            (register, day.isoformat(), f"Z-{day:%d}", z_total),
        )
    conn.close()

    report = reconcile(shop, first, last)

    differing = day_of(report, "K1", last)
    assert (differing.z_total_ore, differing.receipts_total_ore) == (
        sums[("K1", last)] - 100,
        sums[("K1", last)],
    )
    assert not differing.ok and not differing.differences() and not differing.causes
    assert [d for d in report.days if not d.ok] == [differing]
    text = "\n".join(report_lines(report))
    assert "Z-rapport" in text and "SKILLNAD" in text
    z_rows = [row for row in csv_text(report).splitlines() if ";z-rapport;" in row]
    assert len(z_rows) == len(sums)
    assert f"K1;{last.isoformat()};z-rapport;;Kvittonas summa mot Z-rapporten;" in "\n".join(z_rows)
    assert any(row.endswith(";1,00;;") for row in z_rows)


def test_the_command_prints_each_day_of_one_register_its_requests_and_writes_the_csv(
    shop: Shop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_settings(shop.settings, shop.paths.settings_file)
    shop.sync()
    first, last = days_of(shop)
    target = tmp_path / "november.csv"

    code = main(
        [
            "avstamning",
            "--from",
            first.isoformat(),
            "--to",
            last.isoformat(),
            "--register",
            "K1",
            "--csv",
            str(target),
        ]
    )

    out = capsys.readouterr().out
    assert code == 0, out
    assert f"K1 {first.isoformat()}: OK (" in out and f"K1 {last.isoformat()}: OK (" in out
    assert "K2 " not in out
    assert "Alla dagar stämmer." in out
    k1 = sum(1 for r in receipts(shop) if r.register_code == "K1")
    assert f"Förfrågningar till Fortnox: {1 + 1 + k1}" in out  # years, one list page, K1's vouchers
    rows = target.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("kassa;dag;rad;") and all(row.startswith("K1;") for row in rows[1:])
    assert main(["avstamning", "--from", last.isoformat(), "--to", first.isoformat()]) == 2
    assert "Första dagen ligger efter sista dagen." in capsys.readouterr().err


def test_vouchers_for_a_receipt_the_file_lacks_or_holds_on_another_day_show_on_their_own_day(
    shop: Shop,
) -> None:
    shop.sync()
    first, last = days_of(shop)
    early = next(r for r in receipts(shop) if r.register_code == "K1" and business_date(r) == first)
    ghost = early.model_copy(update={"receipt_number": 9999, "sold_at": early.sold_at + (last - first)})
    moved = early.model_copy(update={"sold_at": early.sold_at + (last - first)})
    api = shop.sandbox.api()
    for receipt in (ghost, moved):  # by hand, in series A, dated the last day
        body = receipt_voucher(receipt, AccountPlan.bas_defaults(), "A").to_fortnox()
        for row in body["Voucher"]["VoucherRows"]:
            row["Debit"], row["Credit"] = str(row["Debit"]), str(row["Credit"])
        assert api.post("/3/vouchers", body).status_code == 201

    report = reconcile(shop, last, last, register="K1")

    [day] = report.days
    assert [(c.receipt, c.what) for c in day.causes] == [
        ("K1-9999", "finns bara i Fortnox"),
        (early.key, "bokförd på annan dag"),
    ]
    assert first.isoformat() in day.causes[1].detail
    twice = {a: 2 * v for a, v in expected_net(early).items()}
    assert differences(day) == {a: v for a, v in twice.items() if v}
