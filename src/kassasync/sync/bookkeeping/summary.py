"""A register's closed day as one voucher (Dagssammandrag, gemensam verifikation): pure, integer öre."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from kassasync.money import div_half_up
from kassasync.pos.models import Receipt
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.bookkeeping.texts import (
    COMMENTS_MAX,
    business_date,
    fortnox_text,
    number_ranges,
    summary_key,
    with_key,
)
from kassasync.sync.bookkeeping.voucher_rows import (
    Postings,
    VoucherDraft,
    add,
    check_balanced,
    receipt_postings,
    rows_of,
)


def daily_summary(
    receipts: Sequence[Receipt],
    plan: AccountPlan,
    series: str,
    register_code: str,
    day: date,
    z_report: str | None = None,
) -> VoucherDraft:
    """One voucher for a register's closed day: the sum of its receipts' postings per account and text.

    Summing the receipts' own postings makes the VAT per rate the sum of the receipts' VAT (rule 9), not
    VAT recomputed on the day's total, which can differ by an öre. The description names the register,
    day and receipt range and carries ``key_marker(summary_key(...))``; the full list of receipt numbers
    (and the Z-report number) goes in ``comments``.
    """
    if not receipts:
        raise ValueError("a daily summary needs at least one receipt")
    strays = [r.key for r in receipts if r.register_code != register_code or business_date(r) != day]
    if strays:
        raise ValueError(f"receipts {strays} are not from register {register_code} on {day.isoformat()}")
    postings: Postings = {}
    for receipt in receipts:
        for key, amount in receipt_postings(receipt, plan).items():
            add(postings, key, amount)
    numbers = [r.receipt_number for r in receipts]
    prose = (
        f"Kassa {register_code} dagskassa {day.isoformat()} kvitto {min(numbers)}–{max(numbers)} "
        f"{len(numbers)} st"
    )
    comments = f"Kvitton: {number_ranges(numbers)}"
    if z_report:
        comments = f"Z-rapport {z_report}. {comments}"
    voucher = VoucherDraft(
        series=series,
        transaction_date=day,
        description=with_key(prose, summary_key(register_code, day)),
        rows=rows_of(postings),
        comments=fortnox_text(comments, COMMENTS_MAX),
    )
    return check_balanced(voucher, f"dagskassa {register_code} {day.isoformat()}")


def allocate_discount(discount_ore: int, gross_by_rate: Mapping[int, int]) -> dict[int, int]:
    """A whole-receipt discount split over VAT rates in proportion to gross, the remainder on the last
    rate, so the parts sum to the discount exactly (DETAIL.md §2.6). For registers that
    discount a whole receipt: the receipt contract carries discounts per line, so they must be split before
    it."""
    total = sum(gross_by_rate.values())
    rates = list(gross_by_rate)
    if not rates or total <= 0:
        raise ValueError("a discount needs a positive gross to be split over")
    parts = {rate: div_half_up(discount_ore * gross_by_rate[rate], total) for rate in rates[:-1]}
    parts[rates[-1]] = discount_ore - sum(parts.values())
    return parts
