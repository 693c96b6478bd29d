"""Receipts as vouchers: one voucher per receipt, its key in the text (``key_marker``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from functools import partial

from kassasync.fortnox.models import Voucher
from kassasync.pos.models import Receipt
from kassasync.pos.records import OutboxState, Target
from kassasync.sync.bookkeeping import VoucherDraft, business_date, key_marker, receipt_voucher
from kassasync.sync.preflight import problems_for_voucher
from kassasync.sync.push.poster import InFlight
from kassasync.sync.push.result import kr
from kassasync.sync.push.steps import Mark, OutboxSteps, PushContext

NOTHING_POSTED = "0 kr: inget att bokföra"


def voucher_ref(voucher: Voucher) -> str:
    return f"{voucher.voucher_series}{voucher.voucher_number}"


def post_voucher(
    ctx: PushContext,
    steps: OutboxSteps,
    keys: list[str],
    draft: VoucherDraft,
    target: Target,
    marker: str,
    mark: Mark,
) -> None:
    """One voucher for ``keys`` (a receipt's or a day's), after pre-flight and Fortnox's record: a
    voucher whose text carries ``marker`` already there is never created again."""
    if not draft.rows:  # a 0 kr receipt: nothing to book, and Fortnox refuses an empty voucher
        if not ctx.dry_run:
            ctx.store.mark_sending(keys, target)
            mark(keys, NOTHING_POSTED)
        return
    day, series = draft.transaction_date, ctx.settings.voucher_series
    facts = ctx.facts.facts_for({day})
    if steps.hold(keys, problems_for_voucher(facts, day, series, draft.accounts())):
        return
    year = ctx.facts.year_of(day)
    assert year is not None  # pre-flight found it
    if ctx.dry_run:
        steps.planned(keys, f"verifikation i serie {series}, {kr(draft.debit_ore)}")
        return
    found = ctx.record.voucher_for(marker, day, series)
    if found is not None:
        steps.already_there(keys, target, found, mark)
        return
    ctx.record.remember_series(series)
    body = draft.to_fortnox()["Voucher"]
    ref = steps.send(keys, target, lambda: voucher_ref(ctx.client.create_voucher(body, year.id)), mark)
    ctx.record.voucher_created(marker, day, series, ref)
    steps.posted(keys, ref)


class VoucherPoster:
    target = Target.VOUCHER

    def __init__(self, ctx: PushContext, steps: OutboxSteps) -> None:
        self.ctx, self.steps = ctx, steps

    def pending(self) -> tuple[int, Iterator[Sequence[Receipt]]]:
        store = self.ctx.store
        return store.state_counts()[OutboxState.PENDING], ([r] for r in store.pending_receipts())

    def send(self, batch: Sequence[Receipt]) -> None:
        for receipt in batch:
            self.steps.guard(receipt.key, partial(self.send_one, receipt))

    def send_one(self, receipt: Receipt) -> None:
        draft = receipt_voucher(receipt, self.ctx.plan, self.ctx.settings.voucher_series)
        marker, mark = key_marker(receipt.key), self.ctx.store.mark_posted
        post_voucher(self.ctx, self.steps, [receipt.key], draft, Target.VOUCHER, marker, mark)

    def reconcile(self, in_flight: Sequence[InFlight]) -> None:
        for _entry, receipt in in_flight:
            key = receipt.key
            self.settle([key], business_date(receipt), key_marker(key), self.ctx.store.mark_posted)

    def settle(self, keys: list[str], day: date, marker: str, mark: Mark) -> str | None:
        """Searched in every series the receipt may have gone in (the settings may have changed since)."""
        found = self.ctx.record.voucher_for(marker, day, self.ctx.settings.voucher_series)
        return self.steps.settle(keys, found, mark)
