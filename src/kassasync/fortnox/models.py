"""The Fortnox resources the agent reads and writes, with Fortnox's field names as aliases.

Tolerant by design (REFERENCE §4.7): Fortnox adds fields without notice (``extra="ignore"``), list rows send
numbers as strings, empty values as ``""`` or ``null``, and stock can be hugely negative. Money and
quantities are ``Decimal`` (the client parses JSON with ``parse_float=Decimal``: no float ever holds money).
Only fields the agent uses are declared; write models serialise with ``dump()`` (aliases, no ``None``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _blank_to_none(value: Any) -> Any:
    return None if value == "" else value


def _to_decimal(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return value  # let pydantic report it
    return value


def _unset_to_zero(value: Any) -> Any:
    return 0 if value is None or (isinstance(value, str) and not value.strip()) else value


Amount = Annotated[Decimal | None, BeforeValidator(_to_decimal)]
OptInt = Annotated[int | None, BeforeValidator(_blank_to_none)]
OptDate = Annotated[date | None, BeforeValidator(_blank_to_none)]
OptStr = Annotated[str | None, BeforeValidator(lambda v: None if v is None else str(v))]


class FortnoxModel(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)

    def dump(self) -> dict[str, Any]:
        """The JSON body Fortnox expects: its field names, unset fields left out, Decimals kept."""
        return self.model_dump(by_alias=True, exclude_none=True)


class CompanyInformation(FortnoxModel):
    company_name: str = Field(alias="CompanyName")
    organization_number: str = Field(alias="OrganizationNumber")
    database_number: OptInt = Field(default=None, alias="DatabaseNumber")
    city: OptStr = Field(default=None, alias="City")


class FinancialYear(FortnoxModel):
    id: int = Field(alias="Id")
    from_date: date = Field(alias="FromDate")
    to_date: date = Field(alias="ToDate")
    account_chart_type: OptStr = Field(default=None, alias="AccountChartType")
    accounting_method: OptStr = Field(default=None, alias="AccountingMethod")


class Account(FortnoxModel):
    number: int = Field(alias="Number")
    description: str = Field(default="", alias="Description")
    active: bool = Field(default=True, alias="Active")
    vat_code: OptStr = Field(default=None, alias="VATCode")
    sru: OptInt = Field(default=None, alias="SRU")
    year: OptInt = Field(default=None, alias="Year")


class PredefinedAccount(FortnoxModel):
    name: str = Field(alias="Name")
    # "", null and 0 all mean "not set" (REFERENCE §5.4; real tenants send each): kept as 0.
    account: Annotated[int, BeforeValidator(_unset_to_zero)] = Field(default=0, alias="Account")


class VoucherSeries(FortnoxModel):
    code: str = Field(alias="Code")
    description: str = Field(default="", alias="Description")
    manual: bool = Field(default=False, alias="Manual")
    year: OptInt = Field(default=None, alias="Year")


class VoucherRow(FortnoxModel):
    account: int = Field(alias="Account")
    debit: Amount = Field(default=None, alias="Debit")
    credit: Amount = Field(default=None, alias="Credit")
    description: OptStr = Field(default=None, alias="Description")
    transaction_information: OptStr = Field(default=None, alias="TransactionInformation")


class Voucher(FortnoxModel):
    """Write model and response: Fortnox assigns ``VoucherNumber`` and ``Year``."""

    voucher_series: str = Field(alias="VoucherSeries")
    transaction_date: date = Field(alias="TransactionDate")
    description: str = Field(alias="Description")
    comments: OptStr = Field(default=None, alias="Comments")
    voucher_rows: tuple[VoucherRow, ...] = Field(default=(), alias="VoucherRows")
    voucher_number: OptInt = Field(default=None, alias="VoucherNumber")
    year: OptInt = Field(default=None, alias="Year")
    reference_type: OptStr = Field(default=None, alias="ReferenceType")
    reference_number: OptStr = Field(default=None, alias="ReferenceNumber")


class ArticleRow(FortnoxModel):
    """A list row: thin (no Active, SalesAccount, StockGoods, Type), numbers often as strings."""

    article_number: str = Field(alias="ArticleNumber")
    description: str = Field(default="", alias="Description")
    ean: OptStr = Field(default=None, alias="EAN")
    unit: OptStr = Field(default=None, alias="Unit")
    vat: Amount = Field(default=None, alias="VAT")
    sales_price: Amount = Field(default=None, alias="SalesPrice")
    quantity_in_stock: Amount = Field(default=None, alias="QuantityInStock")
    disposable_quantity: Amount = Field(default=None, alias="DisposableQuantity")


class Article(ArticleRow):
    """The single-article GET: adds what the list leaves out."""

    active: bool = Field(default=True, alias="Active")
    sales_account: OptInt = Field(default=None, alias="SalesAccount")
    stock_goods: bool = Field(default=False, alias="StockGoods")
    type: OptStr = Field(default=None, alias="Type")


class PriceList(FortnoxModel):
    code: str = Field(alias="Code")
    description: str = Field(default="", alias="Description")
    pre_selected: bool = Field(default=False, alias="PreSelected")


class Price(FortnoxModel):
    price_list: str = Field(alias="PriceList")
    article_number: str = Field(alias="ArticleNumber")
    from_quantity: Amount = Field(default=Decimal(0), alias="FromQuantity")
    price: Amount = Field(default=None, alias="Price")


class CustomerRow(FortnoxModel):
    customer_number: str = Field(alias="CustomerNumber")
    name: str = Field(default="", alias="Name")
    organisation_number: OptStr = Field(default=None, alias="OrganisationNumber")


class Customer(CustomerRow):
    active: bool = Field(default=True, alias="Active")
    price_list: OptStr = Field(default=None, alias="PriceList")
    sales_account: OptInt = Field(default=None, alias="SalesAccount")
    show_price_vat_included: bool = Field(default=False, alias="ShowPriceVATIncluded")


class InvoiceRow(FortnoxModel):
    article_number: OptStr = Field(default=None, alias="ArticleNumber")
    description: OptStr = Field(default=None, alias="Description")
    delivered_quantity: Amount = Field(default=None, alias="DeliveredQuantity")
    price: Amount = Field(default=None, alias="Price")
    vat: Amount = Field(default=None, alias="VAT")
    account_number: OptInt = Field(default=None, alias="AccountNumber")
    total: Amount = Field(default=None, alias="Total")


class Invoice(FortnoxModel):
    """Write model and response (``DocumentNumber`` and totals are Fortnox's)."""

    customer_number: str = Field(alias="CustomerNumber")
    invoice_date: OptDate = Field(default=None, alias="InvoiceDate")
    due_date: OptDate = Field(default=None, alias="DueDate")
    terms_of_payment: OptStr = Field(default=None, alias="TermsOfPayment")
    vat_included: bool | None = Field(default=None, alias="VATIncluded")
    external_invoice_reference1: OptStr = Field(default=None, alias="ExternalInvoiceReference1")
    your_order_number: OptStr = Field(default=None, alias="YourOrderNumber")
    comments: OptStr = Field(default=None, alias="Comments")
    invoice_rows: tuple[InvoiceRow, ...] = Field(default=(), alias="InvoiceRows")
    document_number: OptStr = Field(default=None, alias="DocumentNumber")
    total: Amount = Field(default=None, alias="Total")
    total_vat: Amount = Field(default=None, alias="TotalVAT")
    round_off: Amount = Field(default=None, alias="RoundOff")
    accounting_method: OptStr = Field(default=None, alias="AccountingMethod")
    balance: Amount = Field(default=None, alias="Balance")
    booked: bool | None = Field(default=None, alias="Booked")
    cancelled: bool | None = Field(default=None, alias="Cancelled")


class InvoiceRowSummary(FortnoxModel):
    """An invoice list row (what ``find_invoices`` returns)."""

    document_number: str = Field(alias="DocumentNumber")
    customer_number: str = Field(default="", alias="CustomerNumber")
    external_invoice_reference1: OptStr = Field(default=None, alias="ExternalInvoiceReference1")
    invoice_date: OptDate = Field(default=None, alias="InvoiceDate")
    total: Amount = Field(default=None, alias="Total")
    booked: bool = Field(default=False, alias="Booked")
    cancelled: bool = Field(default=False, alias="Cancelled")


class WriteOff(FortnoxModel):
    account_number: OptInt = Field(default=None, alias="AccountNumber")
    amount: Amount = Field(default=None, alias="Amount")


class InvoicePayment(FortnoxModel):
    invoice_number: int = Field(alias="InvoiceNumber")
    amount: Amount = Field(alias="Amount")
    amount_currency: Amount = Field(default=None, alias="AmountCurrency")
    payment_date: OptDate = Field(default=None, alias="PaymentDate")
    mode_of_payment: OptStr = Field(default=None, alias="ModeOfPayment")
    mode_of_payment_account: OptInt = Field(default=None, alias="ModeOfPaymentAccount")
    number: OptStr = Field(default=None, alias="Number")
    booked: bool | None = Field(default=None, alias="Booked")
    write_offs: tuple[WriteOff, ...] = Field(default=(), alias="WriteOffs")  # only in the single GET


class ModeOfPayment(FortnoxModel):
    code: str = Field(alias="Code")
    description: str = Field(default="", alias="Description")
    account_number: OptInt = Field(default=None, alias="AccountNumber")  # a 4-char string in the spec


class LockedPeriod(FortnoxModel):
    end_date: OptDate = Field(default=None, alias="EndDate")  # None: nothing locked


class StockBalance(FortnoxModel):
    """Warehouse module (``/api/warehouse/status-v1/stockbalance``), camelCase as Fortnox sends it."""

    item_id: str = Field(alias="itemId")
    stock_point_code: str = Field(alias="stockPointCode")
    available_stock: Amount = Field(default=None, alias="availableStock")
    in_stock: Amount = Field(default=None, alias="inStock")
