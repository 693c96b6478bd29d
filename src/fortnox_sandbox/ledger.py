"""Posting vouchers with Fortnox's checks, for the vouchers API and for bookkept invoices/payments.

Checks in Fortnox's best-practice order (REFERENCE §5.6): series exists (and is manual, for API
vouchers), the date lies in the financial year, the period is not locked, every account exists and
is active in that year, the rows balance. Vouchers are numbered per series and year and immutable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from fortnox_sandbox import errors
from fortnox_sandbox.faults import Faults
from fortnox_sandbox.tenant import Record, Tenant


@dataclass(frozen=True)
class Row:
    account: int
    debit_ore: int
    credit_ore: int
    description: str = ""
    transaction_information: str = ""


def check_date(tenant: Tenant, year: Record | None, day: date) -> Record:
    if year is None or not (
        date.fromisoformat(year["FromDate"]) <= day <= date.fromisoformat(year["ToDate"])
    ):
        raise errors.invalid(*errors.NO_FINANCIAL_YEAR)
    if tenant.locked_until is not None and day <= tenant.locked_until:
        raise errors.invalid(*errors.LOCKED_PERIOD)
    return year


def check_account(tenant: Tenant, year_id: int, number: int) -> None:
    account = tenant.accounts.get(year_id, {}).get(number)
    if account is None:
        raise errors.invalid(*errors.ACCOUNT_MISSING)
    if not account["Active"]:
        raise errors.invalid(*errors.ACCOUNT_INACTIVE)


def post(
    tenant: Tenant,
    faults: Faults,
    *,
    year: Record | None,
    series: str,
    day: date,
    description: str,
    rows: list[Row],
    now: datetime,
    manual_only: bool,
    reference_type: str = "MANUAL",
    reference_number: str = "",
    comments: str = "",
) -> Record:
    found = tenant.voucher_series.get(series)
    if found is None:
        raise errors.invalid(errors.SERIES_MISSING[0], errors.SERIES_MISSING[1].format(code=series))
    if manual_only and not found["Manual"]:
        raise errors.invalid(errors.SERIES_NOT_MANUAL[0], errors.SERIES_NOT_MANUAL[1].format(code=series))
    year = check_date(tenant, year, day)
    if not rows:
        raise errors.invalid(*errors.VOUCHER_UNBALANCED)
    for row in rows:
        check_account(tenant, year["Id"], row.account)
    if sum(r.debit_ore for r in rows) != sum(r.credit_ore for r in rows):
        raise errors.invalid(*errors.VOUCHER_UNBALANCED)
    voucher: Record = {
        "VoucherSeries": series,
        "VoucherNumber": tenant.next_voucher_number(year["Id"], series),
        "Year": year["Id"],
        "TransactionDate": day.isoformat(),
        "Description": description,
        "Comments": comments,
        "ReferenceType": reference_type,
        "ReferenceNumber": reference_number,
        "rows": rows,
        "_modified": now,
    }
    tenant.vouchers.setdefault((year["Id"], series), []).append(voucher)
    faults.count_voucher(description)
    return voucher
