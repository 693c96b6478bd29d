"""Checks before anything is posted: the mistakes that, in the field, fail every receipt one by one.

Peers post first and let Fortnox refuse ("Räkenskapsår saknas för valt datum", "Verifikationsserien är
inte manuell", "Konto 'xxxx' är inte aktivt": FIELD.md items 4–6). Checking first lets one clear message
with its remedy reach the shop owner, keeps the affected receipts queued (not failed), and lets the others
go. The checks are pure functions over facts the engine fetched from Fortnox once per run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class FinancialYearFacts:
    """What Fortnox knows about one financial year that matters for posting into it."""

    id: int
    from_date: date
    to_date: date
    accounts: dict[int, bool] = field(default_factory=dict)  # account number -> active
    series: dict[str, bool] = field(default_factory=dict)  # voucher series code -> manual
    accounting_method: str | None = None  # ACCRUAL (fakturametoden) | CASH (kontantmetoden)


@dataclass(frozen=True)
class FortnoxFacts:
    years: tuple[FinancialYearFacts, ...]
    locked_until: date | None = None
    modes_of_payment: frozenset[str] = frozenset()
    cash_customer_exists: bool = True
    warehouse_active: bool | None = None  # None: not asked (Lagermodul is off in Kassasync)

    def year_of(self, day: date) -> FinancialYearFacts | None:
        return next((y for y in self.years if y.from_date <= day <= y.to_date), None)


@dataclass(frozen=True)
class Problem:
    """One reason a receipt (or the whole push) cannot be posted yet; the same text for every receipt."""

    code: str  # stable, for grouping: "no_financial_year:2027"
    user_message: str
    detail: str


def _no_year(day: date) -> Problem:
    return Problem(
        code=f"no_financial_year:{day.year}",
        user_message=(
            f"Räkenskapsår saknas i Fortnox för {day.isoformat()}. Skapa räkenskapsår {day.year} i Fortnox "
            "(Inställningar → Bokföring → Räkenskapsår) och synkronisera igen. Kvittona ligger kvar i kön."
        ),
        detail=f"no financial year covers {day.isoformat()}",
    )


def _locked(day: date, locked_until: date) -> Problem:
    return Problem(
        code=f"locked_period:{locked_until.isoformat()}",
        user_message=(
            f"Perioden till och med {locked_until.isoformat()} är låst i Fortnox, så kvitton från "
            f"{day.isoformat()} kan inte bokföras. Lås upp perioden i Fortnox (Inställningar → Bokföring → "
            "Låsning av period) eller kontakta din redovisningskonsult. Kvittona ligger kvar i kön."
        ),
        detail=f"receipt date {day.isoformat()} is in the locked period ending {locked_until.isoformat()}",
    )


def _series_problem(series: str, year: FinancialYearFacts) -> Problem | None:
    manual = year.series.get(series)
    if manual is None:
        return Problem(
            code=f"series_missing:{series}:{year.id}",
            user_message=(
                f"Verifikationsserien {series} finns inte i Fortnox för räkenskapsåret "
                f"{year.from_date.year}. Skapa den (Inställningar → Bokföring → Verifikationsserier) eller "
                "välj en annan serie i Kassasyncs inställningar."
            ),
            detail=f"voucher series {series} does not exist in financial year {year.id}",
        )
    if not manual:
        return Problem(
            code=f"series_not_manual:{series}:{year.id}",
            user_message=(
                f"Verifikationsserien {series} tillåter inte manuell kontering i Fortnox. Kryssa i "
                "”Manuell kontering” för serien (Inställningar → Bokföring → Verifikationsserier) eller "
                "välj en annan serie i Kassasyncs inställningar."
            ),
            detail=f"voucher series {series} is not a manual series in financial year {year.id}",
        )
    return None


def _account_problem(account: int, year: FinancialYearFacts) -> Problem | None:
    active = year.accounts.get(account)
    if active is None:
        return Problem(
            code=f"account_missing:{account}:{year.id}",
            user_message=(
                f"Konto {account} finns inte i Fortnox kontoplan för räkenskapsåret {year.from_date.year}. "
                "Lägg upp kontot i Fortnox eller ändra kontokopplingen i Kassasyncs inställningar."
            ),
            detail=f"account {account} does not exist in financial year {year.id}",
        )
    if not active:
        return Problem(
            code=f"account_inactive:{account}:{year.id}",
            user_message=(
                f"Konto {account} är inaktivt i Fortnox. Aktivera kontot i kontoplanen "
                "(Inställningar → Bokföring → Kontoplan) och synkronisera igen."
            ),
            detail=f"account {account} is inactive in financial year {year.id}",
        )
    return None


def problems_for_voucher(
    facts: FortnoxFacts, day: date, series: str, accounts: Iterable[int]
) -> list[Problem]:
    """Why a voucher dated ``day`` in ``series`` using ``accounts`` would be refused; empty when fine."""
    if facts.locked_until is not None and day <= facts.locked_until:
        return [_locked(day, facts.locked_until)]
    year = facts.year_of(day)
    if year is None:
        return [_no_year(day)]
    found = [_series_problem(series, year)]
    found += [_account_problem(account, year) for account in sorted(set(accounts))]
    return [p for p in found if p is not None]


def problems_for_invoice(
    facts: FortnoxFacts,
    day: date,
    cash_customer: str,
    modes_of_payment: Iterable[str],
    accounts: Iterable[int] = (),
) -> list[Problem]:
    """Why a paid invoice dated ``day`` would be refused (its bookkeeping uses ``accounts``); empty when
    fine."""
    if facts.locked_until is not None and day <= facts.locked_until:
        return [_locked(day, facts.locked_until)]
    year = facts.year_of(day)
    if year is None:
        return [_no_year(day)]
    found = [p for account in sorted(set(accounts)) if (p := _account_problem(account, year)) is not None]
    if facts.warehouse_active is False:
        found.append(
            Problem(
                code="warehouse_not_active",
                user_message=(
                    "Lagermodul är vald i Kassasync men Fortnox Lager är inte aktiverat i Fortnox, så "
                    "lagret skulle inte dras. Aktivera Lager i Fortnox (Inställningar → Lager) eller stäng "
                    "av Lagermodul i Kassasyncs inställningar. Kvittona ligger kvar i kön."
                ),
                detail="stock module is on in Kassasync but Fortnox Lager (warehouse) is not activated",
            )
        )
    if not facts.cash_customer_exists:
        found.append(
            Problem(
                code=f"cash_customer_missing:{cash_customer}",
                user_message=(
                    f"Kassakunden {cash_customer} finns inte i Fortnox. Skapa kunden i Fortnox eller "
                    "ange rätt kundnummer för kassakunden i Kassasyncs inställningar."
                ),
                detail=f"cash customer {cash_customer} does not exist",
            )
        )
    for mode in sorted(set(modes_of_payment) - facts.modes_of_payment):
        found.append(
            Problem(
                code=f"mode_of_payment_missing:{mode}",
                user_message=(
                    f"Betalningssättet {mode} finns inte i Fortnox. Skapa det (Inställningar → Bokföring → "
                    "Betalningssätt) eller ändra kopplingen av betalningssätt i Kassasyncs inställningar."
                ),
                detail=f"mode of payment {mode} does not exist",
            )
        )
    return found


def problems_for_invoice_method(facts: FortnoxFacts, day: date, *, stock_module: bool) -> list[Problem]:
    """The invoice path needs fakturametoden (``AccountingMethod`` ``ACCRUAL``): under kontantmetoden a
    customer invoice is booked only when paid (REFERENCE §5.2; DETAIL [S26, S26b]), so the invoice and
    payment vouchers would not be the receipt's. Such a company books its sales as verifikat; with
    Lagermodul (which needs invoices) it must change the year's method in Fortnox."""
    year = facts.year_of(day)
    if year is None or year.accounting_method != "CASH":
        return []
    if stock_module:
        message = (
            f"Företaget bokför enligt kontantmetoden i Fortnox ({year.from_date.year}), men Lagermodul "
            "kräver kundfakturor och de kräver fakturametoden. Byt bokföringsmetod till fakturametoden i "
            "Fortnox (Inställningar → Bokföring → Räkenskapsår) eller stäng av Lagermodul i Kassasync. "
            "Kvittona ligger kvar i kön."
        )
    else:
        message = (
            f"Företaget bokför enligt kontantmetoden i Fortnox ({year.from_date.year}), men kundfakturor "
            "kräver fakturametoden. Välj Kvitton som: Verifikat i Kassasyncs inställningar (rätt för ett "
            "företag med kontantmetoden), eller byt till fakturametoden i Fortnox (Inställningar → "
            "Bokföring → Räkenskapsår). Kvittona ligger kvar i kön."
        )
    return [
        Problem(
            code=f"cash_method:{year.id}",
            user_message=message,
            detail=f"financial year {year.id} has AccountingMethod CASH; the invoice path needs ACCRUAL",
        )
    ]
