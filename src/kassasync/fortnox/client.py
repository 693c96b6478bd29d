"""``FortnoxClient``: the typed API the sync engine uses, on top of the generic transport.

Each method is one Fortnox call (or a generator of pages), returns our models, and raises the typed
errors of ``fortnox.errors``. Lists are generators so a 100 000-article catalogue is never held whole.
Search parameters in Fortnox are substring matches (REFERENCE §4.5): lookups compare exactly here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

from kassasync.clock import STOCKHOLM
from kassasync.fortnox.models import (
    Account,
    Article,
    ArticleRow,
    CompanyInformation,
    Customer,
    CustomerRow,
    FinancialYear,
    Invoice,
    InvoicePayment,
    InvoiceRowSummary,
    LockedPeriod,
    ModeOfPayment,
    PredefinedAccount,
    Price,
    StockBalance,
    Voucher,
    VoucherSeries,
)
from kassasync.fortnox.transport import FortnoxTransport, path

Payload = Mapping[str, Any]


def lastmodified_param(moment: datetime) -> str:
    """Fortnox reads ``lastmodified`` as Swedish local time, ``YYYY-MM-DD HH:MM`` (REFERENCE §4.6)."""
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def _since(lastmodified: datetime | None) -> dict[str, str]:
    return {} if lastmodified is None else {"lastmodified": lastmodified_param(lastmodified)}


def _body(model: Voucher | Invoice | InvoicePayment | Payload) -> Payload:
    return model if isinstance(model, Mapping) else model.dump()


class FortnoxClient(FortnoxTransport):
    # Company and bookkeeping setup ---------------------------------------------------------------

    def company_information(self) -> CompanyInformation:
        return CompanyInformation.model_validate(
            self.request("GET", "companyinformation")["CompanyInformation"]
        )

    def financial_years(self, date: date | None = None) -> list[FinancialYear]:
        """The years containing ``date`` (empty: nobody created that year yet), or all of them."""
        params = {} if date is None else {"date": date.isoformat()}
        return [
            FinancialYear.model_validate(row)
            for page in self.pages("financialyears", "FinancialYears", params)
            for row in page
        ]

    def iter_accounts(self, financial_year: int) -> Iterator[Account]:
        for page in self.pages("accounts", "Accounts", {"financialyear": financial_year}):
            yield from (Account.model_validate(row) for row in page)

    def predefined_accounts(self) -> list[PredefinedAccount]:
        return [
            PredefinedAccount.model_validate(row)
            for page in self.pages("predefinedaccounts", "PreDefinedAccounts")
            for row in page
        ]

    def voucher_series(self, financial_year: int | None = None) -> list[VoucherSeries]:
        params = {} if financial_year is None else {"financialyear": financial_year}
        return [
            VoucherSeries.model_validate(row)
            for page in self.pages("voucherseries", "VoucherSeriesCollection", params)
            for row in page
        ]

    def modes_of_payment(self) -> list[ModeOfPayment]:
        return [
            ModeOfPayment.model_validate(row)
            for page in self.pages("modesofpayments", "ModesOfPayments")
            for row in page
        ]

    def locked_period(self) -> LockedPeriod:
        return LockedPeriod.model_validate(self.request("GET", "settings/lockedperiod")["LockedPeriod"])

    # Articles, prices, customers, stock ---------------------------------------------------------

    def iter_article_pages(
        self, lastmodified: datetime | None = None, *, active: bool | None = None
    ) -> Iterator[list[ArticleRow]]:
        params = _since(lastmodified)
        if active is not None:
            params["filter"] = "active" if active else "inactive"
        for page in self.pages("articles", "Articles", params):
            yield [ArticleRow.model_validate(row) for row in page]

    def get_article(self, article_number: str) -> Article:
        return Article.model_validate(self.request("GET", path("articles", article_number))["Article"])

    def iter_prices(self, price_list: str, lastmodified: datetime | None = None) -> Iterator[Price]:
        """Every price of one list (``prices/sublist/{list}``: works though the spec omits it, §5.9)."""
        for page in self.pages(path("prices", "sublist", price_list), "Prices", _since(lastmodified)):
            yield from (Price.model_validate(row) for row in page)

    def iter_customers(self, lastmodified: datetime | None = None) -> Iterator[CustomerRow]:
        for page in self.pages("customers", "Customers", _since(lastmodified)):
            yield from (CustomerRow.model_validate(row) for row in page)

    def get_customer(self, customer_number: str) -> Customer:
        return Customer.model_validate(self.request("GET", path("customers", customer_number))["Customer"])

    def warehouse_active(self) -> bool:
        """Whether the company has Fortnox Lager activated (the warehouse API's tenant switch)."""
        reply = self.request("GET", f"{self.base_url}/api/warehouse/tenants-v4")
        return bool((reply or {}).get("activated"))

    def stock_balances(self, item_ids: Iterable[str]) -> list[StockBalance]:
        """Lagermodul balances per stock point; ask in batches (URL length, §5.14)."""
        url = f"{self.base_url}/api/warehouse/status-v1/stockbalance"
        rows = self.request("GET", url, params={"itemIds": ",".join(item_ids)})
        return [StockBalance.model_validate(row) for row in rows or []]

    # Vouchers ------------------------------------------------------------------------------------

    def create_voucher(self, voucher: Voucher | Payload, financial_year: int) -> Voucher:
        """Never retried blindly: a lost answer raises OutcomeUnknown (reconcile with iter_vouchers)."""
        body = {"Voucher": _body(voucher)}
        reply = self.request("POST", "vouchers", params={"financialyear": financial_year}, body=body)
        return Voucher.model_validate(reply["Voucher"])

    def iter_vouchers(
        self, series: str, financial_year: int, from_date: date, to_date: date
    ) -> Iterator[Voucher]:
        """List rows (no voucher rows) of one series and date range: the reconcile lookup for vouchers."""
        params = {
            "financialyear": financial_year,
            "fromdate": from_date.isoformat(),
            "todate": to_date.isoformat(),
        }
        for page in self.pages(path("vouchers", "sublist", series), "Vouchers", params):
            yield from (Voucher.model_validate(row) for row in page)

    def get_voucher(self, series: str, number: int, financial_year: int) -> Voucher:
        """One voucher whole: the kassaavstämning reads the rows a list row does not carry."""
        reply = self.request(
            "GET", path("vouchers", series, number), params={"financialyear": financial_year}
        )
        return Voucher.model_validate(reply["Voucher"])

    # Invoices and payments -----------------------------------------------------------------------

    def create_invoice(self, invoice: Invoice | Payload) -> Invoice:
        return Invoice.model_validate(
            self.request("POST", "invoices", body={"Invoice": _body(invoice)})["Invoice"]
        )

    def get_invoice(self, document_number: str) -> Invoice:
        return Invoice.model_validate(self.request("GET", path("invoices", document_number))["Invoice"])

    def find_invoices(self, external_reference: str) -> list[InvoiceRowSummary]:
        """Invoices whose ExternalInvoiceReference1 equals the key exactly (Fortnox matches substrings)."""
        params = {"externalinvoicereference1": external_reference}
        return [
            summary
            for page in self.pages("invoices", "Invoices", params)
            for summary in (InvoiceRowSummary.model_validate(row) for row in page)
            if summary.external_invoice_reference1 == external_reference
        ]

    def bookkeep_invoice(self, document_number: str) -> Invoice:
        reply = self.request("PUT", path("invoices", document_number, "bookkeep"))
        return Invoice.model_validate(reply["Invoice"])

    def cancel_invoice(self, document_number: str) -> Invoice:
        """An invoice not yet bookkept is cancelled (a bookkept one would have to be credited)."""
        reply = self.request("PUT", path("invoices", document_number, "cancel"))
        return Invoice.model_validate(reply["Invoice"])

    def create_invoice_payment(self, payment: InvoicePayment | Payload) -> InvoicePayment:
        reply = self.request("POST", "invoicepayments", body={"InvoicePayment": _body(payment)})
        return InvoicePayment.model_validate(reply["InvoicePayment"])

    def get_invoice_payment(self, number: str) -> InvoicePayment:
        reply = self.request("GET", path("invoicepayments", number))
        return InvoicePayment.model_validate(reply["InvoicePayment"])

    def invoice_payments(self, invoice_number: int) -> list[InvoicePayment]:
        """Payments of one invoice: the reconcile lookup for payments (they have no reference field).

        List rows, so without ``ModeOfPayment`` (REFERENCE §5.13): ``get_invoice_payment`` has it."""
        params = {"invoicenumber": invoice_number}
        return [
            InvoicePayment.model_validate(row)
            for page in self.pages("invoicepayments", "InvoicePayments", params)
            for row in page
        ]

    def bookkeep_invoice_payment(self, number: str) -> InvoicePayment:
        reply = self.request("PUT", path("invoicepayments", number, "bookkeep"))
        return InvoicePayment.model_validate(reply["InvoicePayment"])
