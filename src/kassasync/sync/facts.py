"""What the engine reads from Fortnox's company setup, read once per run and shared by its steps.

The pull needs the current financial year and its accounts; pre-flight needs the same accounts, the
series, the locked period and the cash customer. Reading each once per run is what keeps a sync at the
minimum number of requests (issue 5: "request counts equal the minimum").
"""

from __future__ import annotations

import logging
from datetime import date

from kassasync.fortnox.client import FortnoxClient
from kassasync.fortnox.errors import NotFound
from kassasync.fortnox.models import Account, Customer, FinancialYear
from kassasync.sync.preflight import FinancialYearFacts, FortnoxFacts

log = logging.getLogger(__name__)


class FactsCache:
    """Lazy, per-run cache of Fortnox setup facts; each is fetched at most once."""

    def __init__(self, client: FortnoxClient) -> None:
        self.client = client
        self._years: list[FinancialYear] | None = None
        self._accounts: dict[int, list[Account]] = {}
        self._series: dict[int, dict[str, bool]] = {}
        self._locked: tuple[date | None] | None = None
        self._modes: frozenset[str] | None = None
        self._warehouse: bool | None = None
        self._customers: dict[str, Customer | None] = {}
        self._facts: dict[tuple[frozenset[int], bool, str | None, bool], FortnoxFacts] = {}

    def years(self) -> list[FinancialYear]:
        if self._years is None:
            self._years = self.client.financial_years()
        return self._years

    def year_of(self, day: date) -> FinancialYear | None:
        return next((y for y in self.years() if y.from_date <= day <= y.to_date), None)

    def accounts(self, year_id: int) -> list[Account]:
        if year_id not in self._accounts:
            self._accounts[year_id] = list(self.client.iter_accounts(year_id))
        return self._accounts[year_id]

    def series(self, year_id: int) -> dict[str, bool]:
        if year_id not in self._series:
            self._series[year_id] = {s.code: s.manual for s in self.client.voucher_series(year_id)}
        return self._series[year_id]

    def locked_until(self) -> date | None:
        if self._locked is None:
            self._locked = (self.client.locked_period().end_date,)
        return self._locked[0]

    def modes_of_payment(self) -> frozenset[str]:
        if self._modes is None:
            self._modes = frozenset(mode.code for mode in self.client.modes_of_payment())
        return self._modes

    def warehouse_active(self) -> bool:
        if self._warehouse is None:
            self._warehouse = self.client.warehouse_active()
        return self._warehouse

    def customer(self, number: str) -> Customer | None:
        """The customer, or None when Fortnox has no such customer."""
        if number not in self._customers:
            try:
                self._customers[number] = self.client.get_customer(number)
            except NotFound:
                self._customers[number] = None
        return self._customers[number]

    def facts_for(
        self,
        days: set[date],
        *,
        with_series: bool = True,
        invoices_to: str | None = None,
        needs_warehouse: bool = False,
    ) -> FortnoxFacts:
        """Facts covering ``days``: the years they fall in are read in full, the others only by range."""
        wanted = frozenset(y.id for day in days if (y := self.year_of(day)) is not None)
        memo = (wanted, with_series, invoices_to, needs_warehouse)
        if memo not in self._facts:
            self._facts[memo] = self._build(wanted, with_series, invoices_to, needs_warehouse)
        return self._facts[memo]

    def _build(
        self, wanted: frozenset[int], with_series: bool, invoices_to: str | None, needs_warehouse: bool
    ) -> FortnoxFacts:
        years = tuple(
            FinancialYearFacts(
                id=y.id,
                from_date=y.from_date,
                to_date=y.to_date,
                accounts={a.number: a.active for a in self.accounts(y.id)} if y.id in wanted else {},
                series=self.series(y.id) if with_series and y.id in wanted else {},
                accounting_method=y.accounting_method,
            )
            for y in self.years()
        )
        if invoices_to is None:
            return FortnoxFacts(years=years, locked_until=self.locked_until())
        return FortnoxFacts(
            years=years,
            locked_until=self.locked_until(),
            modes_of_payment=self.modes_of_payment(),
            cash_customer_exists=self.customer(invoices_to) is not None,
            warehouse_active=self.warehouse_active() if needs_warehouse else None,
        )
