"""Invoice rows whose VAT Fortnox computes to the receipt's VAT, whether it works per row or per rate.

The receipt's VAT is computed per rate on the sum of its lines (bookkeeping rule 1, Skatteverket [S10]).
Whether Fortnox computes an invoice's VAT per row or per rate on the sum is not known (DETAIL §8
question 2; one integrator says per total [S24c]). Rows whose totals per rate add up to the receipt's
gross per rate give the receipt's VAT under per-rate arithmetic whatever the rows are, so the rows only
have to make per-row arithmetic agree as well; then Fortnox is right either way. Encodings, tried in
order, the first whose per-row VAT per rate equals the receipt's is sent:

1. one row per line, as ``bookkeeping.invoice_rows`` makes them (a weighed line that Fortnox cannot
   hold to three decimals gets a correction row);
2. weighed lines priced instead: the quantity Fortnox holds (two decimals) at the unit price that gives
   the line's amount (0,105 kg × 99,00 = 10,40 goes as 0,11 × 94,55), no correction row;
3. rows of the same article, price, rate, account and text merged into one (2 × 10,03 → 2 at 10,03);
4. per rate, "Momsutjämning" rows that add up to 0,00 kr but whose per-row VAT moves the sum by one öre
   each (+0,03 +0,03 −0,06 at 25 %: VAT +0,01 +0,01 −0,01). They change no amount and no VAT under
   per-rate arithmetic.

Fortnox's answer is still compared with the receipt afterwards (``invoice_check``): an arithmetic
that is neither of the two is reported, never silent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from kassasync.money import vat_of_gross
from kassasync.pos.models import Receipt
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.bookkeeping import (
    WEIGHT_ROUNDING_TEXT,
    InvoiceRowDraft,
    PaidInvoiceDraft,
    paid_invoice,
    receipt_vat,
)

EVENING_TEXT = "Momsutjämning mot kvittot"
MAX_EVENING_OERE = 50  # more than this per rate is not an öre of arithmetic: leave it to the check

Rows = tuple[InvoiceRowDraft, ...]


def vat_per_row(rows: Sequence[InvoiceRowDraft]) -> dict[int, int]:
    """VAT per rate as Fortnox computes it if it works row by row (the sandbox's default)."""
    vat: dict[int, int] = {}
    for row in rows:
        if row.vat_rate:
            vat[row.vat_rate] = vat.get(row.vat_rate, 0) + vat_of_gross(row.total_ore, row.vat_rate)
    return {rate: amount for rate, amount in vat.items() if amount}


def gross_per_rate(rows: Sequence[InvoiceRowDraft]) -> dict[int, int]:
    gross: dict[int, int] = {}
    for row in rows:
        gross[row.vat_rate] = gross.get(row.vat_rate, 0) + row.total_ore
    return gross


def priced_weights(rows: Rows) -> Rows:
    """An article row followed by its quantity correction becomes one row priced to the line's amount."""
    out: list[InvoiceRowDraft] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        following = rows[index + 1] if index + 1 < len(rows) else None
        if following is not None and following.description.startswith(WEIGHT_ROUNDING_TEXT):
            priced = _priced(row, row.total_ore + following.total_ore)
            if priced is not None:
                out.append(priced)
                index += 2
                continue
        out.append(row)
        index += 1
    return tuple(out)


def _priced(row: InvoiceRowDraft, amount_ore: int) -> InvoiceRowDraft | None:
    if row.quantity == 0:
        return None
    guess = int((Decimal(amount_ore) / row.quantity).to_integral_value())
    for price in (guess, guess - 1, guess + 1):
        candidate = replace(row, price_ore=price)
        if candidate.total_ore == amount_ore:
            return candidate
    return None


def merged(rows: Rows) -> Rows:
    """Rows alike but for their quantity become one row, where that keeps the amount to the öre."""
    groups: dict[tuple[object, ...], list[InvoiceRowDraft]] = {}
    for row in rows:
        key = (row.article_number, row.description, row.price_ore, row.vat_rate, row.account)
        groups.setdefault(key, []).append(row)
    out: list[InvoiceRowDraft] = []
    for group in groups.values():
        joined = replace(group[0], quantity=sum((r.quantity for r in group), Decimal(0)))
        if len(group) > 1 and joined.total_ore == sum(r.total_ore for r in group):
            out.append(joined)
        else:
            out.extend(group)
    return tuple(out)


def _evening_step(rate: int) -> int:
    """The smallest amount ``a`` with per-row VAT 1 öre on both ``a`` and ``2a`` and neither an exact
    half (so no rounding convention for negative halves matters): +a, +a, −2a move the VAT by +1 öre."""
    for amount in range(1, 1000):
        exact_halves = any((n * amount * rate * 2) % (100 + rate) == 0 for n in (1, 2))
        if vat_of_gross(amount, rate) == 1 and vat_of_gross(2 * amount, rate) == 1 and not exact_halves:
            return amount
    raise ValueError(f"no evening step at {rate} %")


def evened(rows: Rows, wanted: Mapping[int, int], plan: AccountPlan) -> Rows | None:
    """Rows plus zero-sum rows per rate that bring the per-row VAT to ``wanted``; None when too far off."""
    extra: list[InvoiceRowDraft] = []
    have = vat_per_row(rows)
    for rate in sorted(set(wanted) | set(have)):
        difference = wanted.get(rate, 0) - have.get(rate, 0)
        if not difference or not rate:
            continue
        if abs(difference) > MAX_EVENING_OERE:
            return None
        step = _evening_step(rate) * (1 if difference > 0 else -1)
        account = plan.sales_account(rate)
        for _ in range(abs(difference)):
            for price in (step, step, -2 * step):
                extra.append(InvoiceRowDraft(None, EVENING_TEXT, Decimal(1), price, rate, account))
    return (*rows, *extra)


def encode_rows(rows: Rows, wanted: Mapping[int, int], plan: AccountPlan) -> Rows:
    """The first encoding whose per-row VAT is ``wanted`` (the receipt's); the plain rows otherwise."""
    steps: list[Callable[[Rows], Rows]] = [priced_weights, merged]
    candidate = rows
    if vat_per_row(candidate) == dict(wanted):
        return candidate
    for step in steps:
        candidate = step(candidate)
        if vat_per_row(candidate) == dict(wanted):
            return candidate
    evened_rows = evened(candidate, wanted, plan)
    return rows if evened_rows is None else evened_rows


def encoded_paid_invoice(receipt: Receipt, plan: AccountPlan, customer_number: str) -> PaidInvoiceDraft:
    """``bookkeeping.paid_invoice`` with rows encoded so Fortnox's VAT is the receipt's either way."""
    draft = paid_invoice(receipt, plan, customer_number)
    wanted = {rate: vat for rate, vat in receipt_vat(receipt).items() if vat}
    rows = encode_rows(draft.invoice.rows, wanted, plan)
    if gross_per_rate(rows) != gross_per_rate(draft.invoice.rows):  # never: each step keeps the amounts
        raise AssertionError(f"receipt {receipt.key}: row encoding changed the amounts")
    return replace(draft, invoice=replace(draft.invoice, rows=rows))
