"""One reconciliation: the company file's days in a range, Fortnox read back, compared day by day.

Read-only on both sides: the company file is opened for reading (a second connection, so the register
and a sync can write meanwhile) and Fortnox only gets GET requests. The report counts the requests.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from pydantic import ValidationError

from kassasync.avstamning.compare import DayResult, Documents, Stray, reconcile, strays
from kassasync.avstamning.reader import FortnoxReader, ReadCounts
from kassasync.avstamning.register_side import RegisterDay, book, group_days
from kassasync.avstamning.zreport import z_totals
from kassasync.clock import Clock
from kassasync.config import ReceiptsAs, Settings
from kassasync.environment import Environment
from kassasync.errors import KassasyncError
from kassasync.fortnox.ratelimit import DEFAULT_LIMIT, DEFAULT_WINDOW_S
from kassasync.fortnox.tokens import TokenStore
from kassasync.fortnox.transport import ClientOptions
from kassasync.paths import AppPaths
from kassasync.pos import outbox
from kassasync.pos.company_path import configured_company_db
from kassasync.pos.models import Receipt
from kassasync.pos.receipt_rows import load_raw
from kassasync.pos.records import OutboxState
from kassasync.pos.store import PosStore, connect
from kassasync.sync.accounts import AccountPlan
from kassasync.sync.bookkeeping import business_date
from kassasync.sync.collaborators import client_maker
from kassasync.sync.events import StepProgress
from kassasync.sync.fortnox_record import CUSTOMERS_USED_CURSOR

BATCH = 500
WAITING = (OutboxState.PENDING, OutboxState.SENDING, None)


class NoCompanyFile(KassasyncError):
    default_user_message = "Välj kassans företagsfil i Kassasyncs inställningar (Bläddra) och försök igen."


@dataclass(frozen=True)
class AvstamningRequest:
    start: date
    end: date
    register: str | None = None


@dataclass
class AvstamningReport:
    request: AvstamningRequest
    days: list[DayResult] = field(default_factory=list)
    requests: int = 0
    counts: ReadCounts = field(default_factory=ReadCounts)

    @property
    def ok(self) -> bool:
        return all(day.ok for day in self.days)


@dataclass(frozen=True)
class RunOptions:
    clock: Clock | None = None
    token_store: TokenStore | None = None
    rate_limit: int = DEFAULT_LIMIT
    rate_window_s: float = DEFAULT_WINDOW_S
    client_options: ClientOptions | None = None
    progress: Callable[[StepProgress], None] | None = None  # called on the reading thread


def default_range(today: date) -> tuple[date, date]:
    """This month up to yesterday; on the first of a month, the whole month before."""
    end = today - timedelta(days=1)
    return end.replace(day=1), end


def company_path(settings: Settings) -> Path:
    chosen = settings.company_path
    path = configured_company_db(settings)
    if path is None or not path.is_file():
        raise NoCompanyFile(f"no company file at {chosen}")
    return path


def run_avstamning(
    settings: Settings,
    paths: AppPaths,
    request: AvstamningRequest,
    options: RunOptions | None = None,
    *,
    environment: Environment,
) -> AvstamningReport:
    """The register's days of the range against Fortnox; raises the typed errors of a failed read.

    ``environment``: the process's, read once at the entry point (the client pair, the token store)."""
    options = options or RunOptions()
    path = company_path(settings)
    invoices = settings.effective_receipts_as is ReceiptsAs.INVOICE
    with PosStore.open(path, clock=options.clock) as store:
        plan = AccountPlan.from_company(store.predefined_accounts(), settings.payment_methods)
        used = [c for c in (store.cursor(CUSTOMERS_USED_CURSOR) or "").split(",") if c]
    days = register_days(path, request, plan, invoices=invoices)
    make_client = client_maker(
        paths,
        environment,
        clock=options.clock,
        token_store=options.token_store,
        rate_limit=options.rate_limit,
        rate_window_s=options.rate_window_s,
        options=options.client_options,
    )
    client = make_client(settings, None)
    registers = frozenset(day.register for day in days.values())
    if request.register:
        registers |= {request.register}
    reader = FortnoxReader(client, registers)
    if options.progress is not None:
        reader.progress = options.progress
    try:
        any_invoice = any(item.as_invoice for day in days.values() for item in day.receipts)
        customers = [settings.cash_customer_number, *used] if any_invoice else []
        found = reader.invoices(customers, request.start, request.end)
        made_for = {("INVOICE", invoice.number): invoice.receipt_key for invoice in found}
        by_number = {invoice.number: invoice.receipt_key for invoice in found}
        for payment, invoice_number in reader.payments(by_number, request.start).items():
            made_for[("INVOICEPAYMENT", payment)] = by_number[invoice_number]
        vouchers = reader.vouchers(request.start, request.end, made_for)
        waiting = any(item.state in WAITING for day in days.values() for item in day.receipts)
        locked_until = client.locked_period().end_date if waiting else None
        requests = client.requests_made
    finally:
        client.close()
    docs = Documents.of(vouchers, found, locked_until)
    known = {item.key for day in days.values() for item in day.receipts}
    others = strays(docs, known, registers)
    with PosStore.open(path, clock=options.clock) as store:
        for items in others.values():
            items[:] = [_placed(stray, store) for stray in items]
    for register, day in others:
        days.setdefault((register, day), RegisterDay(register, day))
    labels = account_labels(plan)
    results = [reconcile(d, docs, labels, others.get(key, ())) for key, d in sorted(days.items())]
    return AvstamningReport(request, results, requests, reader.counts)


def _placed(stray: Stray, store: PosStore) -> Stray:
    """The stray's receipt's own day, when the company file has it (outside the range read)."""
    try:
        receipt = store.get_receipt(stray.key)
    except KassasyncError:
        receipt = None
    return stray if receipt is None else replace(stray, elsewhere=business_date(receipt))


def register_days(
    path: Path, request: AvstamningRequest, plan: AccountPlan, *, invoices: bool
) -> dict[tuple[str, date], RegisterDay]:
    conn = connect(path)
    try:
        booked = [
            book(
                receipt,
                outbox.entry(conn, (receipt.register_code, receipt.receipt_number)),
                plan,
                invoices=invoices,
            )
            for receipt in receipts_between(conn, request)
        ]
        days = group_days(booked)
        for (register, day), total in z_totals(conn, request.start, request.end).items():
            if (register, day) in days:
                days[(register, day)].z_total_ore = total
    finally:
        conn.close()
    return days


def receipts_between(conn: sqlite3.Connection, request: AvstamningRequest) -> Iterator[Receipt]:
    """The receipts whose Swedish business day lies in the range (``sold_at`` is filtered a day wider
    in SQL, since it carries the register's own offset, then exactly)."""
    sql = "SELECT register_code, receipt_number FROM receipts WHERE substr(sold_at, 1, 10) BETWEEN ? AND ?"
    params: list[str] = [
        (request.start - timedelta(days=1)).isoformat(),
        (request.end + timedelta(days=1)).isoformat(),
    ]
    if request.register:
        sql += " AND register_code = ?"
        params.append(request.register)
    keys: Sequence[tuple[str, int]] = [
        (row[0], row[1]) for row in conn.execute(sql + " ORDER BY 1, 2", params)
    ]
    for offset in range(0, len(keys), BATCH):
        for raw in load_raw(conn, keys[offset : offset + BATCH]).values():
            try:
                receipt = Receipt.model_validate(raw)
            except (ValidationError, ArithmeticError, TypeError):
                continue  # a receipt the register wrote wrong: the sync reports it as failed, by name
            if request.start <= business_date(receipt) <= request.end:
                yield receipt


def account_labels(plan: AccountPlan) -> dict[int, str]:
    """Names of the accounts the register's sales are booked on, as the accountant knows them."""
    labels = {plan.receivables: "Kundfordringar", plan.rounding: "Öresavrundning"}
    labels[plan.gift_card_liability] = "Presentkort (skuld)"
    for rate, account in plan.sales.items():
        labels[account] = f"Försäljning {rate} % moms" if rate else "Försäljning momsfri"
    for rate, account in plan.output_vat.items():
        labels[account] = f"Utgående moms {rate} %"
    for method, account in plan.payments.items():
        labels.setdefault(
            account,
            {"cash": "Kassa", "card": "Kortfordran", "swish": "Swish"}.get(method.value, method.value),
        )
    return labels
