"""Receipts turned into what is posted to Fortnox: pure functions, integer öre, no I/O.

Three shapes, chosen by the settings: a voucher per receipt, a daily summary voucher per register and
day, or a paid customer invoice (invoice + one payment per payment method; the last section).

The rules (``shared/bookkeeping/RULES.md``; sources numbered as in ``DETAIL.md`` §9):

- Register prices include VAT. VAT per rate = gross × rate / (100 + rate) on the receipt's **sum per
  rate**, half-up to the öre, also on exact halves; net = gross − VAT. Skatteverket computes VAT on the
  sum and rounds "third decimal 5–9 up" [S10, S10b]; the taxable amount excludes VAT [S12].
- Only cash is rounded to whole kronor (lag 1970:1029 2 §) [S11]; the difference goes to 3740 outside VAT,
  debit or credit [S13, S11b]. Change handed back is not booked: only the cash kept is [S13, S28].
- A discount given at the sale lowers the VAT base [S12, S17]; booked apart it goes to 3730 per VAT rate
  [S1]. A return is the sale reversed on its own date [S20b, S15, S33].
- A multi-purpose gift card is a liability on 2421 without VAT when sold; redeemed, it is a payment (debit
  2421) and the goods are booked as any sale [S16, S16b, S17, S18].
- A daily summary (gemensam verifikation) for one register and day is allowed for anonymous cash sales,
  backed by the Z-report and journal memory; its VAT per rate is the sum of the receipts' VAT (what each
  customer's receipt shows) [S19, S20, S21, S28]. BFL 5 kap. 2 §: cash booked by the next working day.
- Swish is booked like card [S27, S27b]. Card tips kept by staff would be a debt on 2829 [S29]: the
  receipt contract has no tips, so they are not modelled here.
- Every voucher is checked balanced to the öre before it leaves this module; Fortnox vouchers are
  immutable, so an error there could only be corrected by a new voucher [S33].
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kassasync.clock import STOCKHOLM
from kassasync.errors import ItemFailed
from kassasync.money import div_half_up, format_kronor, round_cash, to_decimal, vat_of_gross
from kassasync.pos.models import LineKind, PaymentMethod, Receipt
from kassasync.sync.accounts import AccountPlan

DESCRIPTION_MAX = 200  # Voucher.Description 1..200 (openapi.json fortnox_Voucher)
COMMENTS_MAX = 1000  # Voucher.Comments ≤ 1000

PAYMENT_TEXT: Mapping[PaymentMethod, str] = {
    PaymentMethod.CASH: "Kontant",
    PaymentMethod.CARD: "Kort",
    PaymentMethod.SWISH: "Swish",
    PaymentMethod.GIFT_CARD: "Presentkort inlöst",
}
ROUNDING_TEXT = "Öresavrundning"
WEIGHT_ROUNDING_TEXT = "Avrundning av kvantitet:"
GIFT_CARD_SOLD_TEXT = "Presentkort sålt"

# Signed amounts per (account, row text): debit positive, credit negative (as in SIE's #TRANS).
Postings = dict[tuple[int, str], int]


class BookkeepingError(ItemFailed):
    """A receipt that cannot be booked as it stands; the others are still processed."""

    default_user_message = "Kvittot kunde inte bokföras. Se loggfilen för detaljer."


class UnbalancedVoucher(BookkeepingError):
    """Debit ≠ credit: never sent, since Fortnox would refuse it or, worse, book it wrong."""

    default_user_message = (
        "Verifikationen för kvittot går inte jämnt ut (debet och kredit skiljer sig) och skickades inte. "
        "Kontakta supporten med loggfilen."
    )


class ReceiptNotBookable(BookkeepingError):
    """The receipt breaks a bookkeeping rule (e.g. a rounding the law does not allow)."""


# --- keys in texts -------------------------------------------------------------------------------------


def key_marker(key: str) -> str:
    """The exact text reconciliation searches a voucher's description for.

    Parentheses, not brackets: Fortnox's list of allowed characters (REFERENCE §4.8, error 2000359)
    has ``(`` ``)`` but not ``[`` ``]``. Register codes cannot hold spaces or parentheses, so one key's
    marker never occurs inside another's.
    """
    return f"({key})"


def summary_key(register_code: str, day: date) -> str:
    """A daily summary's key; the ``/`` keeps it apart from every receipt key (``K1-1001``)."""
    return f"{register_code}/{day.isoformat()}"


def business_date(receipt: Receipt) -> date:
    """The receipt's day in Sweden, whatever zone the register stamped it in."""
    return receipt.sold_at.astimezone(STOCKHOLM).date()


_ALLOWED_PUNCTUATION = frozenset(" –:.`´’,;^¤#%§£$€¢¥©™°&/()=+-*_!?²³®½@\u00a0\\\u0308\u030a")


def fortnox_text(text: str, limit: int) -> str:
    """``text`` with characters Fortnox refuses (2000359, REFERENCE §4.8) replaced, cut to ``limit``."""
    cleaned = "".join(
        ch if ch.isalpha() or "0" <= ch <= "9" or ch in _ALLOWED_PUNCTUATION else " " for ch in text
    )
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"


def _with_key(prose: str, key: str) -> str:
    """Prose cut so that the key marker, which must survive whole, still fits within Fortnox's limit."""
    marker = key_marker(key)
    return f"{fortnox_text(prose, DESCRIPTION_MAX - len(marker) - 1)} {marker}"


# --- drafts --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoucherRow:
    account: int
    debit_ore: int
    credit_ore: int
    description: str = ""


@dataclass(frozen=True)
class VoucherDraft:
    series: str
    transaction_date: date
    description: str
    rows: tuple[VoucherRow, ...]
    comments: str = ""

    @property
    def debit_ore(self) -> int:
        return sum(row.debit_ore for row in self.rows)

    @property
    def credit_ore(self) -> int:
        return sum(row.credit_ore for row in self.rows)

    def accounts(self) -> frozenset[int]:
        """The accounts pre-flight must find active in the receipt's financial year."""
        return frozenset(row.account for row in self.rows)

    def net_by_account(self) -> dict[int, int]:
        """Debit − credit per account."""
        net: dict[int, int] = {}
        for row in self.rows:
            net[row.account] = net.get(row.account, 0) + row.debit_ore - row.credit_ore
        return net

    def to_fortnox(self) -> dict[str, Any]:
        """Body of ``POST /3/vouchers`` (amounts as ``Decimal`` kronor; encode them as JSON numbers)."""
        voucher: dict[str, Any] = {
            "VoucherSeries": self.series,
            "TransactionDate": self.transaction_date.isoformat(),
            "Description": self.description,
            "VoucherRows": [
                {
                    "Account": row.account,
                    "Debit": to_decimal(row.debit_ore),
                    "Credit": to_decimal(row.credit_ore),
                    "Description": row.description,
                }
                for row in self.rows
            ],
        }
        if self.comments:
            voucher["Comments"] = self.comments
        return {"Voucher": voucher}


def check_balanced(voucher: VoucherDraft, what: str) -> VoucherDraft:
    """The voucher itself when debit equals credit to the öre; ``UnbalancedVoucher`` otherwise."""
    if voucher.debit_ore != voucher.credit_ore or any(
        row.debit_ore < 0 or row.credit_ore < 0 for row in voucher.rows
    ):
        raise UnbalancedVoucher(
            f"{what}: debit {voucher.debit_ore} öre != credit {voucher.credit_ore} öre "
            f"(or a negative side) in {voucher.rows!r}",
            user_message=(
                f"Verifikationen för {what} går inte jämnt ut (debet {format_kronor(voucher.debit_ore)}, "
                f"kredit {format_kronor(voucher.credit_ore)}) och skickades inte. "
                "Kontakta supporten med loggfilen."
            ),
        )
    return voucher


# --- the arithmetic ------------------------------------------------------------------------------------


def sales_text(vat_rate: int) -> str:
    return f"Försäljning {vat_rate} % moms" if vat_rate else "Försäljning momsfri"


def vat_text(vat_rate: int) -> str:
    return f"Utgående moms {vat_rate} %"


def discount_text(vat_rate: int) -> str:
    return f"Lämnade rabatter {vat_rate} %"


def rate_postings(vat_rate: int, buckets: Mapping[tuple[int, str], int], plan: AccountPlan) -> Postings:
    """Net per bucket and one VAT posting for one rate; ``buckets`` hold VAT-inclusive gross amounts.

    VAT is computed once on the rate's sum (rule 1). When the rate's sales fall on several accounts
    (articles' own accounts, or 3730 for discounts booked apart), each bucket gets the VAT of its own
    gross and the one-or-two öre left over goes to the largest bucket, so nets plus VAT equal the gross.
    """
    vat = vat_of_gross(sum(buckets.values()), vat_rate)
    shares = {key: vat_of_gross(gross, vat_rate) for key, gross in buckets.items()}
    if shares:
        largest = max(buckets, key=lambda key: abs(buckets[key]))
        shares[largest] += vat - sum(shares.values())
    postings: Postings = {key: -(gross - shares[key]) for key, gross in buckets.items()}
    if vat:
        postings[(plan.output_vat_account(vat_rate), vat_text(vat_rate))] = -vat
    return postings


def _add(into: Postings, key: tuple[int, str], amount: int) -> None:
    into[key] = into.get(key, 0) + amount


def cash_kept_ore(receipt: Receipt) -> int:
    return sum(p.amount_ore for p in receipt.payments if p.method is PaymentMethod.CASH) - receipt.change_ore


def check_rounding(receipt: Receipt) -> None:
    """A rounding is only what the law gives on the cash part (1–49 öre down, 50–99 up) [S11, S13]."""
    if not receipt.rounding_ore:
        return
    lines = sum(line.amount_ore for line in receipt.lines)
    cash_exact = cash_kept_ore(receipt) - receipt.rounding_ore
    allowed = round_cash(cash_exact) - cash_exact
    if receipt.rounding_ore != allowed:
        raise ReceiptNotBookable(
            f"receipt {receipt.key}: rounding {receipt.rounding_ore} öre, but the cash part "
            f"{cash_exact} öre (lines {lines}) rounds by {allowed} öre",
            user_message=(
                f"Kvitto {receipt.key} har en öresavrundning på {format_kronor(receipt.rounding_ore)}, "
                f"men kontantdelen {format_kronor(cash_exact)} ska avrundas med {format_kronor(allowed)}. "
                "Kontrollera kvittot i kassan."
            ),
        )


def sales_buckets(receipt: Receipt, plan: AccountPlan) -> dict[int, dict[tuple[int, str], int]]:
    """Gross per rate and (account, text): the articles sold, with discounts apart when the plan says."""
    by_rate: dict[int, dict[tuple[int, str], int]] = {}
    for line in receipt.lines:
        if line.kind is LineKind.GIFT_CARD:
            continue
        buckets = by_rate.setdefault(line.vat_rate, {})
        sales_key = (plan.sales_account(line.vat_rate, line.article_number), sales_text(line.vat_rate))
        if plan.discounts is not None and line.discount_ore:
            _add(buckets, sales_key, line.amount_ore + line.discount_ore)
            _add(buckets, (plan.discounts, discount_text(line.vat_rate)), -line.discount_ore)
        else:
            _add(buckets, sales_key, line.amount_ore)
    return by_rate


def receipt_vat(receipt: Receipt) -> dict[int, int]:
    """VAT per rate as the customer's receipt shows it (rule 1), rates without VAT left out."""
    gross: dict[int, int] = {}
    for line in receipt.lines:
        if line.kind is LineKind.ARTICLE and line.vat_rate:
            gross[line.vat_rate] = gross.get(line.vat_rate, 0) + line.amount_ore
    return {rate: vat_of_gross(amount, rate) for rate, amount in gross.items()}


def receipt_postings(receipt: Receipt, plan: AccountPlan) -> Postings:
    """Signed postings of one receipt: payments, sales and VAT per rate, gift cards sold, rounding."""
    check_rounding(receipt)
    postings: Postings = {}
    for payment in receipt.payments:
        method = payment.method
        _add(postings, (plan.payment_account(method), PAYMENT_TEXT[method]), payment.amount_ore)
    if receipt.change_ore:
        _add(
            postings,
            (plan.payment_account(PaymentMethod.CASH), PAYMENT_TEXT[PaymentMethod.CASH]),
            -receipt.change_ore,
        )
    for rate, buckets in sorted(sales_buckets(receipt, plan).items(), key=lambda item: -item[0]):
        for key, amount in rate_postings(rate, buckets, plan).items():
            _add(postings, key, amount)
    for line in receipt.lines:
        if line.kind is LineKind.GIFT_CARD:
            _add(postings, (plan.gift_card_liability, GIFT_CARD_SOLD_TEXT), -line.amount_ore)
    if receipt.rounding_ore:
        _add(postings, (plan.rounding, ROUNDING_TEXT), -receipt.rounding_ore)
    return postings


def rows_of(postings: Postings) -> tuple[VoucherRow, ...]:
    """Rows with non-negative sides: a net debit is a debit, a net credit a credit; zeros dropped."""
    return tuple(
        VoucherRow(account, max(amount, 0), max(-amount, 0), text)
        for (account, text), amount in postings.items()
        if amount
    )


# --- the three shapes ----------------------------------------------------------------------------------


def receipt_voucher(receipt: Receipt, plan: AccountPlan, series: str) -> VoucherDraft:
    """One voucher for one receipt; its description carries ``key_marker(receipt.key)``.

    A receipt of 0 kr gives a voucher without rows: nothing to book, and Fortnox would refuse it, so
    the caller marks it done without posting (``not voucher.rows``).
    """
    kind = "retur" if receipt.is_return else "kvitto"
    prose = f"Kassa {receipt.register_code} {kind} {receipt.receipt_number}"
    if receipt.original_receipt:
        prose += f", avser {receipt.original_receipt}"
    voucher = VoucherDraft(
        series=series,
        transaction_date=business_date(receipt),
        description=_with_key(prose, receipt.key),
        rows=rows_of(receipt_postings(receipt, plan)),
    )
    return check_balanced(voucher, f"kvitto {receipt.key}")


def number_ranges(numbers: Iterable[int]) -> str:
    """``1001–1003, 1007`` — how the receipts a summary covers are named in its text."""
    ordered = sorted(set(numbers))
    parts: list[str] = []
    start = previous = ordered[0] if ordered else 0
    for number in [*ordered[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(str(start) if start == previous else f"{start}–{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(parts) if ordered else ""


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
            _add(postings, key, amount)
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
        description=_with_key(prose, summary_key(register_code, day)),
        rows=rows_of(postings),
        comments=fortnox_text(comments, COMMENTS_MAX),
    )
    return check_balanced(voucher, f"dagskassa {register_code} {day.isoformat()}")


def allocate_discount(discount_ore: int, gross_by_rate: Mapping[int, int]) -> dict[int, int]:
    """A whole-receipt discount split over VAT rates in proportion to gross, the remainder on the last
    rate, so the parts sum to the discount exactly (DETAIL §2.6). For registers that discount a whole
    receipt: the receipt contract carries discounts per line, so they must be split before it."""
    total = sum(gross_by_rate.values())
    rates = list(gross_by_rate)
    if not rates or total <= 0:
        raise ValueError("a discount needs a positive gross to be split over")
    parts = {rate: div_half_up(discount_ore * gross_by_rate[rate], total) for rate in rates[:-1]}
    parts[rates[-1]] = discount_ore - sum(parts.values())
    return parts


# --- paid customer invoice -----------------------------------------------------------------------------
#
# Fortnox books a bookkept invoice as D 1510 / C sales per row account / C VAT per rate, and each booked
# payment as D its mode of payment's account / C 1510 [S13, S22, S23, S23b]; the net equals the voucher
# path. Cash rounding, decided here (DETAIL §3 variant B; Fortnox's own invoice rounding is a company
# setting and UNVERIFIED): the invoice carries the exact öre of the goods, and the cash payment carries
# the rounding as a write-off to 3740. Variant A (Fortnox rounds the invoice total) would round the whole
# receipt, which is wrong on a split payment where only the cash part is rounded (rule 10). When the
# company has Fortnox round its invoices anyway, ``invoice_check.settle`` makes the payments add up to
# Fortnox's ``Total`` (its ``RoundOff`` booked by Fortnox, the rest of the register's rounding written
# off), and ``invoice_rows`` encodes the rows so that Fortnox's VAT is the receipt's either way.
#
# ``WriteOffs[].Amount`` is taken as a debit on the write-off account that settles the invoice together
# with ``Amount`` (UNVERIFIED; the sandbox should copy whatever Fortnox does): cash 100.00 kept for goods
# of 99.90 is Amount 100.00, write-off −0.10 on 3740, i.e. D 1910 100.00 / C 3740 0.10 / C 1510 99.90.


class UnbalancedInvoice(BookkeepingError):
    """The payments would not settle the invoice exactly: it would stay open or be overpaid."""

    default_user_message = (
        "Betalningarna täcker inte fakturan för kvittot exakt, så den skickades inte. "
        "Kontakta supporten med loggfilen."
    )


@dataclass(frozen=True)
class InvoiceRowDraft:
    article_number: str | None
    description: str
    quantity: Decimal
    price_ore: int  # per unit, VAT included (the invoice is sent with VATIncluded)
    vat_rate: int
    account: int

    @property
    def total_ore(self) -> int:
        """Quantity × price rounded half-up to the öre, as Fortnox computes a row (REFERENCE §4.7)."""
        return int((self.quantity * self.price_ore).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def to_fortnox(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "Description": self.description,
            "DeliveredQuantity": self.quantity,
            "Price": to_decimal(self.price_ore),
            "VAT": self.vat_rate,
            "AccountNumber": self.account,
        }
        if self.article_number is not None:
            row["ArticleNumber"] = self.article_number
        return row


@dataclass(frozen=True)
class InvoiceDraft:
    customer_number: str
    invoice_date: date
    receipt_key: str
    rows: tuple[InvoiceRowDraft, ...]
    comments: str
    vat_ore_by_rate: Mapping[int, int]  # what Fortnox's VAT must come to: the receipt's VAT (rule 1)

    @property
    def total_ore(self) -> int:
        """What Fortnox's ``Total`` must be (no ``RoundOff``): the goods, exact to the öre."""
        return sum(row.total_ore for row in self.rows)

    def to_fortnox(self) -> dict[str, Any]:
        """Body of ``POST /3/invoices``; the key goes in ExternalInvoiceReference1 and YourOrderNumber."""
        return {
            "Invoice": {
                "CustomerNumber": self.customer_number,
                "InvoiceDate": self.invoice_date.isoformat(),
                "DueDate": self.invoice_date.isoformat(),
                "VATIncluded": True,
                "ExternalInvoiceReference1": self.receipt_key,
                "YourOrderNumber": self.receipt_key,
                "Comments": self.comments,
                "InvoiceRows": [row.to_fortnox() for row in self.rows],
            }
        }


@dataclass(frozen=True)
class WriteOffDraft:
    account: int
    amount_ore: int  # debit on ``account``; negative = credit
    description: str


@dataclass(frozen=True)
class PaymentDraft:
    method: PaymentMethod
    mode_of_payment: str
    account: int
    amount_ore: int  # what came in on ``account`` (negative: paid back)
    write_offs: tuple[WriteOffDraft, ...] = ()

    @property
    def settles_ore(self) -> int:
        """How much of the invoice this payment settles."""
        return self.amount_ore + sum(w.amount_ore for w in self.write_offs)

    def to_fortnox(self, invoice_number: int, payment_date: date) -> dict[str, Any]:
        """Body of ``POST /3/invoicepayments`` once the invoice has its number."""
        payment: dict[str, Any] = {
            "InvoiceNumber": invoice_number,
            "Amount": to_decimal(self.amount_ore),
            "PaymentDate": payment_date.isoformat(),
            "ModeOfPayment": self.mode_of_payment,
            "ModeOfPaymentAccount": self.account,
        }
        if self.write_offs:
            payment["WriteOffs"] = [
                {"AccountNumber": w.account, "Amount": to_decimal(w.amount_ore), "Description": w.description}
                for w in self.write_offs
            ]
        return {"InvoicePayment": payment}


@dataclass(frozen=True)
class PaidInvoiceDraft:
    invoice: InvoiceDraft
    payments: tuple[PaymentDraft, ...]
    payment_date: date

    def postings(self, plan: AccountPlan) -> dict[int, int]:
        """Debit − credit per account of the invoice's and payments' vouchers together, assuming
        Fortnox computes VAT per rate on the invoice's sum (DETAIL §8 question 2): 1510 nets to 0 and
        the rest must equal the voucher path (the tests hold both paths to that)."""
        by_rate: dict[int, dict[tuple[int, str], int]] = {}
        for row in self.invoice.rows:
            _add(by_rate.setdefault(row.vat_rate, {}), (row.account, ""), row.total_ore)
        net: dict[int, int] = {plan.receivables: self.invoice.total_ore}
        entries = [item for rate, b in by_rate.items() for item in rate_postings(rate, b, plan).items()]
        for payment in self.payments:
            entries.append(((payment.account, ""), payment.amount_ore))
            entries += [((w.account, ""), w.amount_ore) for w in payment.write_offs]
            entries.append(((plan.receivables, ""), -payment.settles_ore))
        for (account, _text), amount in entries:
            net[account] = net.get(account, 0) + amount
        return {account: amount for account, amount in net.items() if amount}


def invoice_rows(receipt: Receipt, plan: AccountPlan) -> tuple[InvoiceRowDraft, ...]:
    """One row per line at the receipt's quantity and price, so stock moves by the real quantity.

    Fortnox keeps two decimals of quantity and price (REFERENCE §4.7): a line it cannot reproduce
    exactly (e.g. 0.455 kg) is sent as one unit at the line's amount, its quantity in the text. A
    discount is a row of its own (on 3730 when booked apart), so no Fortnox discount arithmetic is
    relied on. A gift card sold is a row on 2421 without VAT (DETAIL §8 question 5: UNVERIFIED).
    """
    rows: list[InvoiceRowDraft] = []
    for line in receipt.lines:
        text = fortnox_text(line.description, 255)
        if line.kind is LineKind.GIFT_CARD:
            rows.append(InvoiceRowDraft(None, text, Decimal(1), line.amount_ore, 0, plan.gift_card_liability))
            continue
        account = plan.sales_account(line.vat_rate, line.article_number)
        gross = line.amount_ore + line.discount_ore
        quantity = line.quantity.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        row = InvoiceRowDraft(
            line.article_number, text, quantity, line.unit_price_ore, line.vat_rate, account
        )
        rows.append(row)
        if row.total_ore != gross:  # e.g. 0.455 kg: Fortnox holds 0.46; the difference gets a row
            quantity_text = str(line.quantity).replace(".", ",")
            unit_price = format_kronor(line.unit_price_ore)
            adjustment = fortnox_text(
                f"{WEIGHT_ROUNDING_TEXT} {line.description} {quantity_text} à {unit_price}", 255
            )
            rows.append(
                InvoiceRowDraft(None, adjustment, Decimal(1), gross - row.total_ore, line.vat_rate, account)
            )
        if line.discount_ore:
            discount_account = plan.discounts if plan.discounts is not None else account
            rabatt = fortnox_text(f"Rabatt {line.description}", 255)
            rows.append(
                InvoiceRowDraft(None, rabatt, Decimal(1), -line.discount_ore, line.vat_rate, discount_account)
            )
    return tuple(rows)


def invoice_payments(receipt: Receipt, plan: AccountPlan) -> tuple[PaymentDraft, ...]:
    """One payment per payment method: the amount that came in; the cash one carries the rounding."""
    amounts: dict[PaymentMethod, int] = {}
    for payment in receipt.payments:
        amounts[payment.method] = amounts.get(payment.method, 0) + payment.amount_ore
    if receipt.change_ore:
        amounts[PaymentMethod.CASH] -= receipt.change_ore
    drafts: list[PaymentDraft] = []
    for method, amount in amounts.items():
        write_offs: tuple[WriteOffDraft, ...] = ()
        if method is PaymentMethod.CASH and receipt.rounding_ore:
            write_offs = (WriteOffDraft(plan.rounding, -receipt.rounding_ore, ROUNDING_TEXT),)
        if amount or write_offs:
            account = plan.payment_account(method)
            drafts.append(PaymentDraft(method, plan.mode_of_payment(method), account, amount, write_offs))
    return tuple(drafts)


def paid_invoice(receipt: Receipt, plan: AccountPlan, customer_number: str) -> PaidInvoiceDraft:
    """The invoice to the cash customer and its payments, checked to settle it exactly.

    A return is an invoice with negative quantities paid back with negative payments (a credit invoice;
    DETAIL §3, UNVERIFIED against Fortnox). ``plan.modes_of_payment`` must map every method used.
    """
    check_rounding(receipt)
    day = business_date(receipt)
    kind = "Retur" if receipt.is_return else "Kvitto"
    invoice = InvoiceDraft(
        customer_number=customer_number,
        invoice_date=day,
        receipt_key=receipt.key,
        rows=invoice_rows(receipt, plan),
        comments=f"{kind} {receipt.receipt_number}, kassa {receipt.register_code}",
        vat_ore_by_rate=receipt_vat(receipt),
    )
    payments = invoice_payments(receipt, plan)
    settled = sum(p.settles_ore for p in payments)
    if settled != invoice.total_ore:
        raise UnbalancedInvoice(
            f"receipt {receipt.key}: payments settle {settled} öre of an invoice of {invoice.total_ore} öre"
        )
    return PaidInvoiceDraft(invoice, payments, day)
