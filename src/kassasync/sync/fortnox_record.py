"""Fortnox's record decides: before a document is created, what Fortnox already holds for it is read.

The company file's outbox can be wrong in ways the agent cannot see: restored from a backup, a new file
with the same receipts imported again, a row reset or rewritten by the register, the voucher series
changed while a receipt was in flight. Whatever the file says, a receipt whose key Fortnox already holds
is never created again: it is marked posted with Fortnox's number.

The cost is bounded: one listing per (series, day) for vouchers and one per (cash customer, day) for
invoices, each read once per run and kept (a list of 500 rows is one request). A document created in
the run is added to the kept listing, so a later receipt of the same day needs no new request.

Every series a voucher may have been sent in is searched: the series of each attempt is remembered in
the company file (``sync_cursors``, ``voucher-series-used``), so changing the series in the settings
while a receipt was in ``sending`` does not hide the first voucher. Likewise every cash customer
invoiced (``cash-customers-used``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from kassasync.fortnox.client import FortnoxClient
from kassasync.fortnox.models import InvoiceRowSummary
from kassasync.pos.store import PosStore
from kassasync.sync.facts import FactsCache

log = logging.getLogger(__name__)

SERIES_USED_CURSOR = "voucher-series-used"
CUSTOMERS_USED_CURSOR = "cash-customers-used"


@dataclass
class FortnoxRecord:
    """What Fortnox holds, read lazily by (series, day) and (customer, day) and kept for the run."""

    client: FortnoxClient
    store: PosStore
    facts: FactsCache
    _vouchers: dict[tuple[str, date], list[tuple[str, str]]] = field(default_factory=dict)
    _invoices: dict[tuple[str, date], dict[str, str]] = field(default_factory=dict)
    listings: int = 0  # listing requests' worth of (series|customer, day) reads this run
    found: int = 0  # receipts found already in Fortnox before a create

    # -- series ----------------------------------------------------------------------------------------

    def _used(self, cursor: str) -> list[str]:
        stored = self.store.cursor(cursor) or ""
        return [s for s in stored.split(",") if s]

    def _remember(self, cursor: str, value: str) -> None:
        """Written before the creating request leaves: a later run must search there too."""
        used = self._used(cursor)
        if value not in used:
            self.store.set_cursor(cursor, ",".join([*used, value]))

    def series_used(self) -> list[str]:
        return self._used(SERIES_USED_CURSOR)

    def remember_series(self, series: str) -> None:
        self._remember(SERIES_USED_CURSOR, series)

    def remember_customer(self, customer: str) -> None:
        self._remember(CUSTOMERS_USED_CURSOR, customer)

    def candidate_series(self, current: str) -> list[str]:
        return [current, *(s for s in self.series_used() if s != current)]

    # -- vouchers --------------------------------------------------------------------------------------

    def voucher_for(self, marker: str, day: date, current_series: str) -> str | None:
        """Fortnox's voucher (``A12``) whose text carries ``marker``, in any series it may be in."""
        for series in self.candidate_series(current_series):
            for text, ref in self._voucher_texts(series, day):
                if marker in text:
                    return ref
        return None

    def _voucher_texts(self, series: str, day: date) -> list[tuple[str, str]]:
        cached = self._vouchers.get((series, day))
        if cached is not None:
            return cached
        texts: list[tuple[str, str]] = []
        year = self.facts.year_of(day)
        if year is not None:
            self.listings += 1
            for voucher in self.client.iter_vouchers(series, year.id, day, day):
                texts.append((voucher.description, f"{voucher.voucher_series}{voucher.voucher_number}"))
        self._vouchers[(series, day)] = texts
        return texts

    def voucher_created(self, marker: str, day: date, series: str, ref: str) -> None:
        if (series, day) in self._vouchers:
            self._vouchers[(series, day)].append((marker, ref))

    # -- invoices --------------------------------------------------------------------------------------

    def invoice_for(self, key: str, day: date, customer: str) -> str | None:
        """The invoice of ``day`` whose ExternalInvoiceReference1 is exactly ``key``, to the cash customer
        or to any cash customer this company file has invoiced before (the setting may have changed)."""
        used = self._used(CUSTOMERS_USED_CURSOR)
        for candidate in [customer, *(c for c in used if c != customer)]:
            found = self._invoice_refs(candidate, day).get(key)
            if found is not None:
                return found
        return None

    def _invoice_refs(self, customer: str, day: date) -> dict[str, str]:
        cached = self._invoices.get((customer, day))
        if cached is not None:
            return cached
        params = {"customernumber": customer, "fromdate": day.isoformat(), "todate": day.isoformat()}
        refs: dict[str, str] = {}
        self.listings += 1
        for page in self.client.pages("invoices", "Invoices", params):
            for row in page:
                summary = InvoiceRowSummary.model_validate(row)
                reference = summary.external_invoice_reference1
                if summary.cancelled or not reference or summary.customer_number != customer:
                    continue
                refs.setdefault(reference, summary.document_number)
        self._invoices[(customer, day)] = refs
        return refs

    def invoice_created(self, key: str, day: date, customer: str, number: str) -> None:
        if (customer, day) in self._invoices:
            self._invoices[(customer, day)][key] = number
