"""A register's day against Fortnox's vouchers, in öre: the pure comparison and the CSV's numbers."""

from __future__ import annotations

from datetime import date, datetime

from kassasync.avstamning.compare import Documents, FortnoxVoucher, reconcile
from kassasync.avstamning.output import csv_rows, kronor
from kassasync.avstamning.register_side import RegisterDay, book, facts
from kassasync.avstamning.run import AvstamningReport, AvstamningRequest, default_range
from kassasync.clock import STOCKHOLM
from kassasync.pos.models import LineKind, PaymentMethod, Receipt, ReceiptLine, ReceiptPayment
from kassasync.pos.records import OutboxEntry, OutboxState, Target
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.bookkeeping import daily_summary, receipt_voucher

PLAN = AccountPlan.bas_defaults()
DAY = date(2026, 11, 28)


def receipt(number: int, gross: int, vat: int = 25, method: PaymentMethod = PaymentMethod.CARD) -> Receipt:
    line = ReceiptLine(
        article_number="1001",
        description="Vara",
        quantity=1,
        unit_price_ore=gross,
        discount_ore=0,
        vat_rate=vat,
        amount_ore=gross,
        kind=LineKind.ARTICLE,
    )
    return Receipt(
        register_code="K1",
        receipt_number=number,
        sold_at=datetime(2026, 11, 28, 12, number, tzinfo=STOCKHOLM),
        total_ore=gross,
        lines=(line,),
        payments=(ReceiptPayment(method=method, amount_ore=gross),),
    )


def posted(r: Receipt, ref: str) -> OutboxEntry:
    return OutboxEntry(r.key, OutboxState.POSTED, Target.VOUCHER, ref, 1, None, "2026-11-28T20:00:00+00:00")


def as_fortnox(r: Receipt, ref: str) -> FortnoxVoucher:
    draft = receipt_voucher(r, PLAN, "F")
    return FortnoxVoucher(ref, DAY, draft.description, draft.net_by_account())


def day_of(*items: tuple[Receipt, OutboxEntry | None]) -> RegisterDay:
    return RegisterDay("K1", DAY, [book(r, e, PLAN, invoices=False) for r, e in items])


def test_a_day_whose_vouchers_carry_exactly_its_receipts_postings_is_ok() -> None:
    one, ten = receipt(1, 12500), receipt(10, 10000, vat=12)
    docs = Documents.of([as_fortnox(one, "F1"), as_fortnox(ten, "F2")], [])
    result = reconcile(day_of((one, posted(one, "F1")), (ten, posted(ten, "F2"))), docs, {})
    assert result.ok
    assert {line.account: line.fortnox_ore for line in result.lines} == {
        1580: 22500,
        2611: -2500,
        2621: -1071,
        3001: -10000,
        3002: -8929,
    }


def test_the_key_k1_1_is_not_found_in_the_text_of_k1_10() -> None:
    one, ten = receipt(1, 12500), receipt(10, 10000)
    docs = Documents.of([as_fortnox(ten, "F2")], [])
    result = reconcile(day_of((one, posted(one, "F1")), (ten, posted(ten, "F2"))), docs, {})
    assert [(c.receipt, c.what) for c in result.causes] == [("K1-1", "saknas i Fortnox")]
    assert {line.account: line.difference_ore for line in result.differences()} == {
        1580: -12500,
        2611: 2500,
        3001: 10000,
    }


def test_a_voucher_with_other_amounts_than_the_receipt_is_booked_with_a_difference() -> None:
    one = receipt(1, 12500)
    wrong = FortnoxVoucher("F1", DAY, "Kassa K1 kvitto 1 (K1-1)", {1580: 12000, 3001: -9600, 2611: -2400})
    result = reconcile(day_of((one, posted(one, "F1"))), Documents.of([wrong], []), {})
    [cause] = result.causes
    assert (cause.receipt, cause.what) == ("K1-1", "bokförd med skillnad")
    assert cause.detail == "F1: 1580: -5,00 kr, 2611: 1,00 kr, 3001: 4,00 kr"


def test_a_daily_summary_answers_for_all_the_days_receipts() -> None:
    receipts = [receipt(n, 1000 * n) for n in (1, 2, 3)]
    draft = daily_summary(receipts, PLAN, "F", "K1", DAY)
    docs = Documents.of([FortnoxVoucher("F7", DAY, draft.description, draft.net_by_account())], [])
    result = reconcile(day_of(*((r, posted(r, "F7")) for r in receipts)), docs, {})
    assert result.ok and not result.causes


def test_what_the_register_took_is_counted_per_vat_rate_and_payment() -> None:
    day = day_of((receipt(1, 12500), None), (receipt(2, 11200, vat=12, method=PaymentMethod.CASH), None))
    assert [(f.label, f.amount_ore, f.count) for f in facts(day)] == [
        ("Kvitton", 23700, 2),
        ("Försäljning 25 % netto", 10000, None),
        ("Moms 25 %", 2500, None),
        ("Försäljning 12 % netto", 10000, None),
        ("Moms 12 %", 1200, None),
        ("Kort", 12500, None),
        ("Kontant", 11200, None),
    ]


def test_csv_amounts_have_a_decimal_comma_and_no_grouping() -> None:
    assert [kronor(v) for v in (123456, -5, 0, None)] == ["1234,56", "-0,05", "0,00", ""]
    one = receipt(1, 12500)
    result = reconcile(day_of((one, None)), Documents(), {1580: "Kortfordran"})
    rows = list(csv_rows(AvstamningReport(AvstamningRequest(DAY, DAY), [result])))
    assert (
        "K1",
        "2026-11-28",
        "konto",
        "1580",
        "Kortfordran",
        "",
        "125,00",
        "0,00",
        "-125,00",
        "",
        "",
    ) in rows
    assert rows[-1][2:5] == ("status", "", "Skillnad")


def test_the_default_range_is_this_month_up_to_yesterday_or_last_month_on_the_first() -> None:
    assert default_range(date(2026, 11, 17)) == (date(2026, 11, 1), date(2026, 11, 16))
    assert default_range(date(2026, 12, 1)) == (date(2026, 11, 1), date(2026, 11, 30))
