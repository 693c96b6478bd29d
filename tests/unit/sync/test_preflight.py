"""Pre-flight: every setup mistake that would make Fortnox refuse a receipt is named, with its remedy."""

from datetime import date

from kassasync.sync.preflight import (
    FinancialYearFacts,
    FortnoxFacts,
    problems_for_invoice,
    problems_for_voucher,
)

YEAR_2026 = FinancialYearFacts(
    id=2,
    from_date=date(2026, 1, 1),
    to_date=date(2026, 12, 31),
    accounts={1910: True, 3001: True, 2611: True, 3740: True, 3002: False},
    series={"F": True, "B": False},
)
FACTS = FortnoxFacts(years=(YEAR_2026,), modes_of_payment=frozenset({"KONT", "KORT"}))


def test_a_well_set_up_company_has_no_problems() -> None:
    assert problems_for_voucher(FACTS, date(2026, 11, 28), "F", [1910, 3001, 2611, 3740]) == []


def test_a_receipt_dated_outside_every_financial_year_asks_for_the_year_to_be_created() -> None:
    (problem,) = problems_for_voucher(FACTS, date(2027, 1, 2), "F", [1910])
    assert problem.code == "no_financial_year:2027"
    assert "Skapa räkenskapsår 2027 i Fortnox" in problem.user_message


def test_a_series_that_is_not_manual_is_named_with_the_remedy() -> None:
    (problem,) = problems_for_voucher(FACTS, date(2026, 5, 1), "B", [1910])
    assert problem.code.startswith("series_not_manual:B")
    assert "Manuell kontering" in problem.user_message


def test_a_missing_series_is_named() -> None:
    (problem,) = problems_for_voucher(FACTS, date(2026, 5, 1), "X", [1910])
    assert problem.code.startswith("series_missing:X")


def test_missing_and_inactive_accounts_are_each_named() -> None:
    problems = problems_for_voucher(FACTS, date(2026, 5, 1), "F", [1910, 3002, 2999])
    assert [p.code for p in problems] == ["account_missing:2999:2", "account_inactive:3002:2"]
    assert "Konto 3002 är inaktivt" in problems[1].user_message


def test_a_date_in_a_locked_period_is_refused_before_anything_else() -> None:
    locked = FortnoxFacts(years=(YEAR_2026,), locked_until=date(2026, 6, 30))
    (problem,) = problems_for_voucher(locked, date(2026, 6, 30), "F", [1910])
    assert problem.code == "locked_period:2026-06-30"
    assert problems_for_voucher(locked, date(2026, 7, 1), "F", [1910]) == []


def test_an_invoice_needs_the_cash_customer_and_every_mode_of_payment() -> None:
    facts = FortnoxFacts(years=(YEAR_2026,), modes_of_payment=frozenset({"KONT"}), cash_customer_exists=False)
    problems = problems_for_invoice(facts, date(2026, 5, 1), "1", ["KONT", "SWISH"])
    assert [p.code for p in problems] == ["cash_customer_missing:1", "mode_of_payment_missing:SWISH"]
