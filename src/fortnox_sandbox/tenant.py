"""One Fortnox company's data, as plain dicts (a large tenant holds 100 000 articles).

Records keep Fortnox's field names where they are stored as is; amounts are öre ints (`*Ore` keys),
quantities Decimal, and `_modified` (naive Europe/Stockholm) feeds `lastmodified`. Rendering to
Fortnox JSON happens in the api modules. The helper methods are the "variations" tests seed
(no financial year, locked period, inactive account, series not manual, Lagermodul on).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

Record = dict[str, Any]


@dataclass
class Tenant:
    name: str
    database_number: int
    company: Record
    financial_years: list[Record] = field(default_factory=list)
    preselected_year: int = 0
    accounts: dict[int, dict[int, Record]] = field(default_factory=dict)  # year id -> number -> account
    predefined_accounts: dict[str, int] = field(default_factory=dict)
    voucher_series: dict[str, Record] = field(default_factory=dict)
    predefined_voucher_series: dict[str, str] = field(default_factory=dict)
    vouchers: dict[tuple[int, str], list[Record]] = field(default_factory=dict)  # (year, series) -> rows
    articles: dict[str, Record] = field(default_factory=dict)
    price_lists: dict[str, Record] = field(default_factory=dict)
    prices: dict[tuple[str, str, Decimal], Record] = field(default_factory=dict)
    customers: dict[str, Record] = field(default_factory=dict)
    deleted_customers: set[str] = field(default_factory=set)
    invoices: dict[int, Record] = field(default_factory=dict)
    payments: dict[int, Record] = field(default_factory=dict)
    modes_of_payment: dict[str, Record] = field(default_factory=dict)
    terms_of_payment: dict[str, Record] = field(default_factory=dict)
    units: dict[str, Record] = field(default_factory=dict)
    locked_until: date | None = None
    warehouse: bool = False
    allow_negative_stock: bool = False
    # Kundfaktura settings (Inställningar → Kundfaktura): öresavrundning of the invoice total to whole
    # kronor, booked on ROUNDOFF and shown as RoundOff. VAT per row is what the sandbox assumes Fortnox
    # does; whether Fortnox computes VAT per row or per rate on the sum is UNVERIFIED (DETAIL §8 q2), so
    # ``vat_per_row=False`` switches to per rate and tests run both ways.
    invoice_rounding: bool = False
    vat_per_row: bool = True
    licensed_scopes: set[str] | None = None  # None: every scope licensed
    stock_point: str = "HUV"
    # Moves with every write request (and admin change): large lists are cached between pages until then.
    revision: int = 0
    list_cache: dict[str, tuple[Any, list[Any]]] = field(default_factory=dict, repr=False)

    # Lookups ---------------------------------------------------------------------------------

    def year_of(self, day: date) -> Record | None:
        for year in self.financial_years:
            if date.fromisoformat(year["FromDate"]) <= day <= date.fromisoformat(year["ToDate"]):
                return year
        return None

    def year_by_id(self, year_id: int) -> Record | None:
        return next((y for y in self.financial_years if y["Id"] == year_id), None)

    def default_price_list(self) -> str:
        return next((c for c, p in self.price_lists.items() if p.get("PreSelected")), "A")

    # Variations for tests --------------------------------------------------------------------

    def remove_financial_year(self, day: date) -> None:
        """A tenant where nobody created the year yet (FIELD.md §6: the year change)."""
        year = self.year_of(day)
        if year is not None:
            self.financial_years.remove(year)
            self.accounts.pop(year["Id"], None)

    def lock_period(self, end_date: date | None) -> None:
        self.locked_until = end_date

    def set_account_active(self, number: int, active: bool) -> None:
        for chart in self.accounts.values():
            if number in chart:
                chart[number]["Active"] = active

    def set_series_manual(self, code: str, manual: bool) -> None:
        self.voucher_series[code]["Manual"] = manual

    def set_warehouse(self, on: bool, *, allow_negative_stock: bool = False) -> None:
        self.warehouse = on
        self.allow_negative_stock = allow_negative_stock

    def set_accounting_method(self, method: str) -> None:
        """ACCRUAL (fakturametoden) or CASH (kontantmetoden), on every financial year."""
        for year in self.financial_years:
            year["AccountingMethod"] = method

    def accounting_method(self, day: date) -> str:
        year = self.year_of(day)
        return str((year or {}).get("AccountingMethod") or "ACCRUAL")

    def set_stock(self, article_number: str, quantity: Decimal | int, now: datetime) -> None:
        article = self.articles[article_number]
        article["QuantityInStock"] = Decimal(quantity)
        article["_modified"] = now

    def next_voucher_number(self, year_id: int, series: str) -> int:
        return len(self.vouchers.get((year_id, series), [])) + 1
